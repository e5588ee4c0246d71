"""Where a child is on the pathway, in the pathway's own order.

Reviews, panel and legal work run beside the plan for the whole pathway, so "the task opened
last" does not say where a child is. A child's stage is the furthest along, in this order,
of the stages of their open tasks; a stage not listed here (a diagram of another council)
counts as furthest, newest first.
"""

#: Stages, from the side tracks that run throughout to the furthest point of the pathway.
STAGE_ORDER = (
    "CLA reviews", "Permanence Panel", "Legal", "Approaching adulthood",
    "Entry to care", "Initial PPM", "Review PPMs", "Planning", "Pursuing the plan",
    "Reunification", "Family and friends", "Adoption", "Long-term fostering", "Residential",
    "Permanence achieved",
)
_RANK = {stage: i for i, stage in enumerate(STAGE_ORDER)}

ROUTE_LABELS = {
    "reunification": "Reunification", "family_and_friends": "Family and friends",
    "adoption": "Adoption", "long_term_fostering": "Long-term fostering",
    "residential": "Residential",
}


def stage_rank(stage: str) -> int:
    return _RANK.get(stage, len(STAGE_ORDER))


def furthest_stage(stages: list[str]) -> str | None:
    """The furthest of the given stages (the last given wins among equals)."""
    best = None
    for stage in stages:
        if stage and (best is None or stage_rank(stage) >= stage_rank(best)):
            best = stage
    return best


#: Data a pathway's diagrams record that dashboards and panel cohorts read: the latest value
#: of each is kept on the instance as its facts.
FACT_KEYS = (
    "routes", "plan_identified", "reunification_discussed", "held_on", "review_held_on",
    "panel_held_on", "legal_status", "decision", "s20_endorsed", "s20_reason", "still_s20", "issued_on",
    "proceedings_due", "ratified", "achieved_route", "achieved_on", "leaves_care",
    # Case events (engine.case_events) set these on the pathway's live steps.
    "legal_status_changed_on", "order_type", "order_made_on", "placement_type",
    "placement_area", "placement_started_on", "missing_since", "last_found_on",
    "last_disruption_on", "lgm_referred_on",
    # The adoption review's date: not the CLA review's `review_held_on` (R16, R17).
    "adoption_review_held_on",
    # Fostering for Adoption (E21): the carers and the date, for the match to start from.
    "ffa_carers", "ffa_placed_on",
)
