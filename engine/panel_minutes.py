"""The minutes of one Permanence Panel (issue 11 §5; D19, D20, D21, G5-G7): for each child
whose outcome was recorded for that date, who attended, what the panel considered and
found, its recommendation, and the actions (type, owner, due date, status now), read from
the child's records. Each child's part is also on their record as "Permanence Panel Actions
(date)" (`engine.records.record_title`). Panel roles only, and only children they may see;
producing the minutes is audited for each child."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Child, Database, TaskRecord

from . import audit, clock
from .access import may_see_child
from .plan import PANEL_ACTIONS_STEP, PANEL_OUTCOME_STEPS, child_plan
from .records import child_card, current_records, form_of, summary
from .reporting import PANEL_ROLES, scope_for
from .users import user_by_name


@dataclass(frozen=True)
class ChildMinutes:
    child: dict
    outcome: tuple                 # (record summary, form)
    actions: tuple | None          # the actions record, if recorded yet
    action_status: list[dict]      # the panel's actions of that date, with their status now


def panel_minutes(db: Database, username: str, panel_date: date, purpose: str) -> list[ChildMinutes]:
    with db.transaction() as session:
        scope_for(session, username, PANEL_ROLES)     # NotAllowed for other roles
        user = user_by_name(session, username)
        found, now = [], clock.now()
        for record in _outcomes(session, panel_date):
            child = session.get(Child, record.child_id)
            if child is None or not may_see_child(user, child):
                continue
            actions = _actions_after(session, record)
            plan = child_plan(session, child.id)
            status = [a for a in plan.actions if a["from"] == "Permanence Panel" and a["set_on"] == panel_date]
            audit.record(session, audit.RECORD_DOWNLOADED, now, actor=user, child_id=child.id,
                         purpose=purpose, document="panel minutes", panel_date=panel_date)
            found.append(ChildMinutes(child_card(child), (summary(record), form_of(record)),
                                      (summary(actions), form_of(actions)) if actions else None, status))
        return sorted(found, key=lambda m: (m.child["name"], m.child["reference"]))


def _outcomes(session: Session, panel_date: date) -> list[TaskRecord]:
    """Outcomes recorded for that panel (recorded on the day or after: never before it)."""
    since = datetime(panel_date.year, panel_date.month, panel_date.day, tzinfo=clock.LONDON) - timedelta(days=1)
    rows = session.scalars(current_records(select(TaskRecord).where(
        TaskRecord.bpmn_id.in_(PANEL_OUTCOME_STEPS), TaskRecord.completed_at >= since)))
    return [r for r in rows if str((r.answers or {}).get("panel_held_on", ""))[:10] == panel_date.isoformat()]


def _actions_after(session: Session, outcome: TaskRecord) -> TaskRecord | None:
    return session.scalar(current_records(select(TaskRecord).where(
        TaskRecord.child_id == outcome.child_id, TaskRecord.bpmn_id == PANEL_ACTIONS_STEP,
        TaskRecord.completed_at >= outcome.completed_at))
        .order_by(TaskRecord.completed_at, TaskRecord.id).limit(1))
