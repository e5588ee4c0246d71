"""The adoption match opened for the first time starts from what the case already holds, so
nothing is typed twice: the Fostering for Adoption carers the child lives with (E21: when the
placement order or consent comes, they are usually the adopters), and the sibling group's
together-or-apart assessment (E22, K1-K3: siblings are normally placed together)."""
from sqlalchemy import select

from models import Database, TaskRecord

from .casework import siblings, versions
from .records import current_records, seen_child
from .users import user_by_name

MATCH_STEP = "record_match"
#: E18, E19: the relinquishment step starts from the notification and counselling recorded
#: before the birth (engine.before_care), when the baby was known then.
RELINQUISHMENT_STEP = "record_relinquishment"
#: The assessment's recommendation (engine.casework.siblings) as the match's answer.
PLACEMENT_BY_RECOMMENDATION = {"together": "together", "some_together": "apart", "apart": "apart"}


def match_starting_answers(db: Database, child_id: int, username: str) -> dict:
    with db.reading() as session:
        seen_child(session, child_id, user_by_name(session, username))
        answers: dict = {}
        carers = _latest(session, child_id, "approve_ffa_carers")
        if carers.get("ffa_approved") and _latest(session, child_id, "record_ffa_placement"):
            answers["adopters"] = carers.get("ffa_carers")
        link = siblings.current_link(session, child_id)
        assessment = versions.current(session, versions.group_subject(link.group_id),
                                      versions.SIBLING_ASSESSMENT) if link else None
        data = (assessment.data or {}) if assessment else {}
        placement = PLACEMENT_BY_RECOMMENDATION.get(data.get("recommendation"))
        if placement:
            answers["siblings_placement"] = placement
            if placement == "apart":
                answers["siblings_apart_reason"] = data.get("reasons_apart")
                answers["contact_arrangements"] = data.get("sibling_contact")   # K3
        return {k: v for k, v in answers.items() if v}


def _latest(session, child_id: int, bpmn_id: str) -> dict:
    record = session.scalar(current_records(select(TaskRecord).where(
        TaskRecord.child_id == child_id, TaskRecord.bpmn_id == bpmn_id))
        .order_by(TaskRecord.completed_at.desc(), TaskRecord.id.desc()).limit(1))
    return dict(record.answers or {}) if record else {}


def relinquishment_starting_answers(db: Database, child_id: int, username: str) -> dict:
    """E18, E19: what the social worker recorded before the birth (the date the council was
    told, the expected date, the counselling offered to the mother and the father)."""
    from .before_care import prebirth_answers
    with db.reading() as session:
        seen_child(session, child_id, user_by_name(session, username))
        return {k: v for k, v in prebirth_answers(session, child_id).items() if v not in (None, "", [])}
