"""What a review PPM starts from (D2, D24): the areas the last PPM recorded and the
contingency plan, so each meeting considers the same areas as the first and the contingency
is carried forward until permanence is achieved, changed only where the meeting changes it."""
from sqlalchemy import select

from models import Database, TaskRecord

from .plan import PPM_STEPS
from .records import current_records, seen_child
from .users import user_by_name

#: The areas every PPM considers (MGN "PPMs will consider"; DEV Purpose) and the contingency.
CARRIED = ("background", "legal_context", "assessment", "health", "education_and_geography",
           "emotional_and_behavioural", "identity", "family_and_social_relationships",
           "social_presentation", "self_care", "views_of_parents", "options_and_outcomes",
           "contingency_plan")
#: The PPMs that start from the last one (the initial PPM starts from nothing).
REVIEW_STEPS = tuple(step for step in PPM_STEPS if step != "initial_ppm")


def last_ppm_areas(db: Database, child_id: int, username: str) -> dict:
    """The carried answers of the child's latest PPM (current revision), each area as the
    latest PPM that recorded it left it."""
    with db.reading() as session:
        seen_child(session, child_id, user_by_name(session, username))
        rows = session.scalars(current_records(select(TaskRecord).where(
            TaskRecord.child_id == child_id, TaskRecord.bpmn_id.in_(PPM_STEPS)))
            .order_by(TaskRecord.completed_at.desc(), TaskRecord.id.desc()).limit(50))
        carried: dict = {}
        for record in rows:
            answers = record.answers or {}
            for name in CARRIED:
                if name not in carried and isinstance(answers.get(name), str) and answers[name].strip():
                    carried[name] = answers[name]
        return carried
