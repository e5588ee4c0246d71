"""Demo children on the routes as mended by issue 13: Hollie's grandparents' Special
Guardianship application, waiting for their 3 months' notice to run (B25, P3); George, in
Oakfield House, on a three-route plan (E31) whose residential placement the senior manager
approved short term, with the family-based alternatives explored, for the panel to review
until a family placement is found (E27, E29); Jacob's long-term match with the Shahs, his
short-term carers, reassessed as long-term carers before it was proposed (E24, E26)."""
from datetime import date, datetime, time, timedelta

from engine import clock, complete_task, find_child, open_tasks
from engine.errors import NotFound


def load(db, today: date) -> None:
    _hollie_applies(db, today)
    _george_in_residential(db, today)
    _jacob_carers_reassessed(db)


def _do(db, reference, name, day, answers, user):
    with clock.frozen_at(datetime.combine(day, time(16, 0), tzinfo=clock.LONDON)):
        [task] = [t for t in open_tasks(db, child_id=find_child(db, reference)) if t["name"] == name]
        complete_task(db, task["task_id"], answers, user)


def _hollie_applies(db, today):
    """Her grandparents, assessed as connected persons, gave the council notice 12 days ago:
    the application can be made 3 months after that at the earliest (s14A(7))."""
    assessed, checked = today - timedelta(days=14), today - timedelta(days=12)
    _do(db, "DEMO-008", "Complete the connected person assessment", assessed, {
        "assessed_on": assessed.isoformat(), "carer_name": "Glen and Ann King (grandparents)",
        "assessment_recommendation": "approve",
        "summary": "Hollie has lived with them before; they can meet her needs into adulthood."}, "cara.sw")
    _do(db, "DEMO-008", "Check the SGO or CAO applicant", checked, {
        "order_sought": "sgo", "applicant_name": "Glen and Ann King", "relationship": "grandparent",
        "applicant_date_of_birth": "1961-04-09", "basis": "local_authority_consent",
        "notice_given_on": checked.isoformat()}, "cara.sw")


def _george_in_residential(db, today):
    """Placed in Oakfield House on entry; the initial PPM yesterday made a three-route plan:
    residential short term while family and friends and long-term fostering are explored."""
    from .demo import _ppm
    held = today - timedelta(days=1)
    _do(db, "DEMO-007", "Hold the initial PPM", held, {
        **_ppm("residential", held.isoformat()),
        "routes": ["residential", "family_and_friends", "long_term_fostering"],
        "contingency_plan": "Long-term fostering with specialist carers",
        "actions": [{"action": "Ask his aunt to be assessed as a connected person", "owner": "cara.sw",
                     "due_on": (held + timedelta(days=14)).isoformat()}]}, "cara.sw")
    _do(db, "DEMO-007", "Decide on a residential placement", today, {
        "decided_on": today.isoformat(), "approved": True,
        "assessed_need": "Therapeutic care after two foster placements ended in a month.",
        "alternatives_explored": "His aunt (to be assessed as a connected person); two specialist "
                                 "foster carers asked, neither free before the spring.",
        "child_disabled": False, "review_by": (today + timedelta(weeks=8)).isoformat()}, "sam.sm")


def _jacob_carers_reassessed(db):
    """Jacob came on from the tracker, whose row cannot say how the Shahs came to the match:
    his team manager corrects the import's record from his file. They were his short-term carers,
    reassessed as long-term carers before the match was proposed (MER §7.5), Halton carers."""
    from sqlalchemy import select

    from engine.corrections import correct_record
    from models import TaskRecord
    try:
        jacob = find_child(db, "DEMO-102")     # imported on the full pathway only
    except NotFound:
        return
    with db.reading() as session:
        record = session.scalar(select(TaskRecord).where(
            TaskRecord.child_id == jacob, TaskRecord.bpmn_id == "propose_match").limit(1))
        record_id, answers = record.id, dict(record.answers)
    proposed = date.fromisoformat(answers["match_proposed_on"])
    correct_record(db, record_id, {
        **answers, "carers_origin": "short_term",
        "reassessed_on": (proposed - timedelta(days=21)).isoformat(), "reassessment_recommends": True,
        "reassessment_summary": "Jacob has lived with the Shahs since he came into care; they can "
                                "meet his needs into adulthood and support his staying put.",
        "halton_option": "council_carer"}, "From Jacob's file: the tracker did not hold it", "tia.tm")
