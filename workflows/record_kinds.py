"""What kind of record a completed task makes, for grouping a child's records (PPMs, CLA
reviews, panel, decisions, court orders), from the form it was answered on.

Plain data, no database: the engine, the pages and the back-filling migration share it.
"""

KINDS = {
    "ppm": "PPMs", "cla_review": "CLA reviews", "panel": "Permanence Panel",
    "change_of_plan": "Changes of plan", "adm": "ADM decisions", "lgm": "Legal Gateway Meetings",
    "court": "Court and orders", "placement": "Matching and placement",
    "review": "Permanence reviews", "other": "Other records",
}

#: form file stem -> kind
_BY_FORM = {
    "ppm": "ppm", "ppm-review": "ppm", "cla-review": "cla_review",
    "panel-outcome": "panel", "panel-actions": "panel", "panel-action-done": "panel",
    "panel-follow-up": "panel", "panel-follow-up-review": "panel", "panel-actions-noted": "panel",
    "plan-change-review": "change_of_plan", "adm-decision": "adm", "cpr": "adm",
    "lgm-decision": "lgm", "plo-review": "lgm", "s20-drift": "lgm",
    "court-order": "court", "adoption-order": "court", "adoption-authority": "court",
    "proceedings-issued": "court", "proceedings-hearing": "court", "leave-of-court": "court",
    "order-applicant": "court", "care-ended": "court",
    "adoption-match": "placement", "adoption-placement": "placement", "ltf-match": "placement",
    "match-ratification": "placement", "residential-approval": "placement",
    "residential-review": "placement", "connected-assessment": "placement",
    "return-home": "placement", "reunification-plan": "placement",
    "permanence-review": "review", "adoption-review": "review", "plan-achieved": "review",
}


def record_kind(form_name: str | None) -> str:
    stem = (form_name or "").rsplit("/", 1)[-1]
    stem = stem[:-len(".json")] if stem.endswith(".json") else stem
    stem = stem[:-len("-schema")] if stem.endswith("-schema") else stem
    return _BY_FORM.get(stem, "other")


def kind_label(kind: str) -> str:
    return KINDS.get(kind, KINDS["other"])
