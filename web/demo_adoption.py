"""Demo children at the adoption route's early steps (issue 13): Ethan (DEMO-005), whose first
PPM proposed Fostering for Adoption, placed with prospective adopters the ADM approved as his
temporary foster carers (E20, E21, C15); Mia (DEMO-009), a relinquished baby whose mother told
the council before the birth, offered counselling, with Cafcass still to be notified within her
first 6 weeks (E18, E19, B12, R18). On a diagram version without these steps they are skipped."""
from datetime import date, datetime, time, timedelta

from engine import clock, complete_task, find_child, open_tasks, register_child

FFA_CARERS = "Sam and Priya Patel"
OPTIONS = ["stay_with_mother", "short_term_foster_care", "wider_family", "adoption"]


def load(db, today: date) -> None:
    _ethan_fostered_for_adoption(db, today)
    _mia_relinquished(db, today)


def _do(db, reference, name, day, answers, user) -> bool:
    """Complete the open task `name` as at 4 pm on `day`; False if it is not open."""
    with clock.frozen_at(datetime.combine(day, time(16, 0), tzinfo=clock.LONDON)):
        found = [t for t in open_tasks(db, child_id=find_child(db, reference)) if t["name"] == name]
        if not found:
            return False
        outcome = complete_task(db, found[0]["task_id"], answers, user)
        if outcome.error:
            raise RuntimeError(f"demo {reference} '{name}': {outcome.error}")
        return True


def _ethan_fostered_for_adoption(db, today):
    """His first PPM (a week after he came into care) proposed Fostering for Adoption; the ADM
    approved the Patels, approved adopters, as his temporary foster carers 14 days ago (reg
    25A) and he moved to them 10 days ago: a foster placement until there is a placement order."""
    decided, placed = today - timedelta(days=14), today - timedelta(days=10)
    if _do(db, "DEMO-005", "Approve the prospective adopters as temporary foster carers (reg 25A)", decided, {
            "ffa_decided_on": decided.isoformat(), "ffa_approved": True, "ffa_carers": FFA_CARERS,
            "ffa_adopters_approved_on": (today - timedelta(days=120)).isoformat(),
            "ffa_reasons": "Approved adopters with Adopt London South; able to support contact while "
                           "the court decides."}, "ada.adm"):
        _do(db, "DEMO-005", "Record the Fostering for Adoption placement", placed, {
            "ffa_placed_on": placed.isoformat(), "ffa_area": "local",
            "ffa_placement_notes": "Introductions over three days; contact with mother twice a week."}, "asha.sw")


def _mia_relinquished(db, today):
    """Born 30 days ago; her mother told the council 75 days ago, before the birth, that she
    wished Mia to be adopted. Accommodated (s20) from hospital 27 days ago; the first PPM made
    adoption the plan; counselling was offered to both parents. Cafcass is still to be told,
    within her first 6 weeks (due in 12 days)."""
    from .demo import NORTH, _ppm
    born, looked_after, held = today - timedelta(days=30), today - timedelta(days=27), today - timedelta(days=20)
    told = today - timedelta(days=75)
    with clock.frozen_at(datetime.combine(looked_after, time(16, 0), tzinfo=clock.LONDON)):
        register_child(db, {
            "reference": "DEMO-009", "name": "Mia Clarke", "legal_status": "s20",
            "date_of_birth": born.isoformat(), "looked_after_on": looked_after.isoformat(),
            "team": NORTH, "social_worker": "asha.sw"}, "asha.sw")
    _do(db, "DEMO-009", "Hold the initial PPM", held, {
        **_ppm("adoption", held.isoformat()), "relinquished_baby": True, "ffa_proposed": False,
        "early_permanence_considered": True,
        "early_permanence_notes": "Her mother asked for her to be adopted: early permanence with "
                                  "approved adopters to be looked at if the mother's decision holds.",
        "background": "Her mother told the council before the birth that she wished Mia to be adopted.",
        "child_consulted_how": "too_young"}, "asha.sw")
    _do(db, "DEMO-009", "Record the relinquishment and the counselling offered", today - timedelta(days=18), {
        "council_notified_on": told.isoformat(), "expected_birth_on": (born + timedelta(days=3)).isoformat(),
        "mother_counselling_offered_on": (told + timedelta(days=2)).isoformat(),
        "mother_counselling_response": "accepted", "mother_counselling_by": "Asha Patel, social worker",
        "mother_options_explained": OPTIONS, "mother_legal_implications_explained": True,
        "father_counselling": "not_appropriate",
        "father_not_offered_reason": "The mother says the father does not know of the pregnancy and "
                                     "she fears for her safety if he is told; legal advice taken."}, "asha.sw")
