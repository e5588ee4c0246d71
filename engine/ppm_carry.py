"""What a review PPM starts from (D2, D24): the areas the last PPM recorded and the
contingency plan, so each meeting considers the same areas as the first and the contingency
is carried forward until permanence is achieved, changed only where the meeting changes it.

A change of plan the Permanence Panel advised, and the team manager agreed since the last
PPM, is proposed by the next one (G9, MGN "the panel advises when the plan needs
amending"): the plan changes there, through the IRO's review (R5), as any change of plan
does, never behind the PPM's back.

The conditions a reunification plan set for the return home (E3, MER §10.1) come to each
review PPM as the last review left them, or as the plan set them, so the meeting says where
each one stands, with the support to sustain the return home (E5, DEV)."""
from datetime import date

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
#: The team manager's review of a change the panel advised, and the panel outcomes advising it.
PANEL_ADVICE_REVIEW = "panel_plan_change_review"
PANEL_OUTCOMES = ("first_panel", "next_panel")
#: The reunification plan, whose conditions for the return home each review PPM follows up.
REUNIFICATION_PLAN = "reunification_plan"


def last_ppm_areas(db: Database, child_id: int, username: str) -> dict:
    """The carried answers of the child's latest PPM (current revision), each area as the
    latest PPM that recorded it left it."""
    with db.reading() as session:
        seen_child(session, child_id, user_by_name(session, username))
        rows = session.scalars(current_records(select(TaskRecord).where(
            TaskRecord.child_id == child_id, TaskRecord.bpmn_id.in_(PPM_STEPS)))
            .order_by(TaskRecord.completed_at.desc(), TaskRecord.id.desc()).limit(50))
        rows = list(rows)
        carried: dict = {}
        for record in rows:
            answers = record.answers or {}
            for name in CARRIED:
                if name not in carried and isinstance(answers.get(name), str) and answers[name].strip():
                    carried[name] = answers[name]
        return {**carried, **_agreed_panel_advice(session, child_id, rows[0].completed_at if rows else None),
                **_return_home_conditions(session, child_id, rows)}


def _return_home_conditions(session, child_id: int, ppms: list) -> dict:
    """The latest reunification plan's conditions, as the last review PPM since it left them."""
    plan = session.scalars(current_records(select(TaskRecord).where(
        TaskRecord.child_id == child_id, TaskRecord.bpmn_id == REUNIFICATION_PLAN))
        .order_by(TaskRecord.completed_at.desc(), TaskRecord.id.desc())).first()
    conditions = (plan.answers or {}).get("conditions") if plan else None
    if not conditions:
        return {}
    carried = {"return_home_conditions": [{k: c.get(k) for k in ("condition", "who", "by_when")}
                                          for c in conditions],
               "sustaining_support": (plan.answers or {}).get("sustaining_support")}
    for name in carried:
        for record in ppms:   # newest first, since the plan
            if record.completed_at <= plan.completed_at:
                break
            if (record.answers or {}).get(name):
                carried[name] = record.answers[name]
                break
    return {k: v for k, v in carried.items() if v}


def _agreed_panel_advice(session, child_id: int, last_ppm_at) -> dict:
    from .reporting import route_text

    def latest(steps):
        query = current_records(select(TaskRecord).where(TaskRecord.child_id == child_id,
                                                         TaskRecord.bpmn_id.in_(steps)))
        if last_ppm_at is not None:
            query = query.where(TaskRecord.completed_at > last_ppm_at)
        return session.scalars(query.order_by(TaskRecord.completed_at.desc(), TaskRecord.id.desc())).first()

    review = latest((PANEL_ADVICE_REVIEW,))
    if review is None or not (review.answers or {}).get("change_agreed"):
        return {}
    outcome = latest(PANEL_OUTCOMES)
    advice = ((outcome.answers or {}).get("plan_amendment_advice") if outcome else "") or "amend the plan"
    answers = review.answers
    routes = ", ".join(route_text(r) for r in answers.get("new_routes") or [])
    text = (f"The Permanence Panel advised: {advice.strip().rstrip('.')}. The team manager agreed"
            + (f" on {_long(answers['change_reviewed_on'])}" if answers.get("change_reviewed_on") else "")
            + (f": new route {routes}" if routes else "")
            + (f" ({answers['comments'].strip()})" if (answers.get("comments") or "").strip() else "") + ".")
    return {"change_of_plan_proposed": True, "proposed_change": text}


def _long(iso: str) -> str:
    day = date.fromisoformat(str(iso)[:10])
    return f"{day.day} {day:%B %Y}"
