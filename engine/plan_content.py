"""What the plan says beyond its route, for the child and family to read (D4, D5, D6, D8,
D10, D12, D13, E1), with their voice (J1-J9), who came to the PPM (A3, A4, C17, C18) and whether the CLA
review endorsed it (D11): read from the latest records that say each thing, so a review PPM
that does not repeat the objectives leaves the first PPM's standing.
"""
from dataclasses import dataclass, field
from datetime import date

#: The plan's needs (D6) and the Halton good-plan themes (D10), in the order the plan shows them.
NEEDS = (("health", "Health"), ("education_and_geography", "Education"),
         ("emotional_and_behavioural", "Emotional and behavioural development"),
         ("identity", "Identity"), ("family_and_social_relationships", "Family and social relationships"),
         ("social_presentation", "Social presentation"), ("self_care", "Self-care skills"))
THEMES = (("stability", "Stability"), ("birth_family_involvement", "Birth-family involvement"),
          ("support_services", "Support services"), ("legal_and_cultural", "Legal and cultural considerations"),
          ("transition", "Transition"))
CONSULTED = {"met_alone": "Met the child alone and talked with them",
             "direct_work": "Through play, drawing or direct work",
             "in_writing": "In writing or through an app", "advocate": "Through an advocate",
             "attended": "The child attended the meeting",
             "too_young": "Through the carer: the child is too young to give views"}
INVITEES = {"fostering_team": "Fostering team", "adoption_team": "Adoption team",
            "family_and_friends_team": "Family and friends team", "iro": "IRO",
            "childrens_guardian": "Children's Guardian", "team_manager": "Team manager",
            "child": "The child", "parents": "Parents", "carers": "Carers", "legal": "Legal adviser",
            "health": "Health", "education": "Education"}
TOLD = {"child": "The child", "parents": "Parents", "carers": "Carers", "family": "Wider family"}
CHAIRS = {"social_worker": "The allocated social worker", "team_manager": "The team manager"}
_PPM_CONTENT = ("objectives", "route_evidence", "higher_options_ruled_out", "previous_assessments",
                "race_equality", "resources_needed",
                *(k for k, _ in NEEDS), *(k for k, _ in THEMES))


@dataclass
class PlanContent:
    objectives: list[dict] = field(default_factory=list)
    route_evidence: str = ""
    higher_options_ruled_out: str = ""
    previous_assessments: str = ""                  # D13
    race_equality: str = ""                         # D12
    resources: str = ""                             # D4
    needs: list[tuple[str, str]] = field(default_factory=list)
    themes: list[tuple[str, str]] = field(default_factory=list)
    voice: dict = field(default_factory=dict)       # J1-J7, from the latest PPM
    meeting: dict = field(default_factory=dict)     # A3, A4, C17: the latest PPM's chair and people
    endorsement: dict | None = None                 # D11: the latest CLA review's word on the plan
    permanence_review: dict | None = None           # M1: the latest permanence review, for the CLA review


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def content(rows: list[dict], ppm_steps, review_steps) -> PlanContent:
    """From the plan's records (oldest first): each part from the latest record that has it."""
    found = PlanContent()
    answers_by_key: dict = {}
    for record in rows:
        answers = record["answers"]
        if record["bpmn_id"] in ppm_steps:
            for key in _PPM_CONTENT:
                if answers.get(key):
                    answers_by_key[key] = answers[key]
            if answers.get("resources_available") is not None:
                answers_by_key["resources_available"] = answers["resources_available"]
                if answers["resources_available"]:
                    answers_by_key.pop("resources_needed", None)
            if answers.get("wishes_and_feelings") or answers.get("views_of_parents"):
                found.voice = _voice(answers, record)
            if answers.get("chaired_by") or answers.get("invited"):
                found.meeting = _meeting(answers, record)
        elif record["bpmn_id"] == "permanence_review":
            found.permanence_review = _permanence_review(answers, record)
        elif record["bpmn_id"] in review_steps and answers.get("plan_endorsed") is not None:
            found.endorsement = {"endorsed": bool(answers["plan_endorsed"]),
                                 "on": _day(answers.get("review_held_on")) or record["completed_at"].date(),
                                 "comments": answers.get("endorsement_comments") or "",
                                 "record_id": record["id"]}
    found.objectives = list(answers_by_key.get("objectives") or [])
    found.route_evidence = answers_by_key.get("route_evidence", "")
    found.higher_options_ruled_out = answers_by_key.get("higher_options_ruled_out", "")
    found.previous_assessments = answers_by_key.get("previous_assessments", "")
    found.race_equality = answers_by_key.get("race_equality", "")
    available = answers_by_key.get("resources_available")
    found.resources = ("" if available is None else "Available" if available
                       else "Still needed: " + answers_by_key.get("resources_needed", "not said"))
    found.needs = [(label, answers_by_key[key]) for key, label in NEEDS if answers_by_key.get(key)]
    found.themes = [(label, answers_by_key[key]) for key, label in THEMES if answers_by_key.get(key)]
    return found


def _voice(answers: dict, record: dict) -> dict:
    return {"wishes_and_feelings": answers.get("wishes_and_feelings") or "",
            "views_of_parents": answers.get("views_of_parents") or "",
            "significant_others": answers.get("views_of_significant_others") or "",
            "new_family_wish": answers.get("wish_for_new_family_without_contact"),
            "new_family_wish_weight": answers.get("new_family_wish_weight") or "",
            "child_views_sought_on": _day(answers.get("child_views_sought_on")),
            "parents_views_sought_on": _day(answers.get("parents_views_sought_on")),
            "consulted_how": CONSULTED.get(answers.get("child_consulted_how"), ""),
            "parallel_plan_explained": answers.get("parallel_plan_explained"),
            "advocacy_given": answers.get("advocacy_information_given"),
            "advocacy_given_on": _day(answers.get("advocacy_information_given_on")),
            "told": [(TOLD.get(t.get("who"), t.get("who", "")), _day(t.get("told_on")), t.get("how") or "")
                     for t in answers.get("decisions_shared") or []],
            "at": _day(answers.get("held_on")) or record["completed_at"].date(),
            "record_id": record["id"]}


def _permanence_review(answers: dict, record: dict) -> dict:
    """M1 (DEV Reviewing): what the latest permanence review found, which informs the CLA review."""
    return {"on": _day(answers.get("permanence_reviewed_on")) or record["completed_at"].date(),
            "stable": answers.get("plan_stable"), "change_proposed": bool(answers.get("change_of_plan_proposed")),
            "proposed_change": answers.get("proposed_change") or "",
            "post_18": answers.get("post_18_arrangements") or "",
            "plan_updated": answers.get("pathway_plan_updated"), "notes": answers.get("notes") or "",
            "record_id": record["id"]}


def _meeting(answers: dict, record: dict) -> dict:
    return {"on": _day(answers.get("held_on")) or record["completed_at"].date(),
            "chair": CHAIRS.get(answers.get("chaired_by"), ""),
            "complex": bool(answers.get("complex_case")),
            "invited": [INVITEES.get(i, i) for i in answers.get("invited") or []],
            "attended": [INVITEES.get(i, i) for i in answers.get("attended") or []],
            "names": answers.get("attendee_names") or "", "record_id": record["id"]}
