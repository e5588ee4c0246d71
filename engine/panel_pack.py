"""The Permanence Panel's papers (D14, N7, D27): for each child on the agenda, the current
plan, the latest PPM record, the latest CLA review, and the panel's earlier recommendations
with their actions and status. Panel roles only, and only children they may see; producing
the papers is audited for each child."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Database, TaskRecord

from . import audit, clock
from .plan import CLA_REVIEW_STEPS, PANEL_OUTCOME_STEPS, PPM_STEPS, Plan, child_plan
from .records import child_card, current_records, form_of, seen_child, summary
from .reporting import PANEL_ROLES, panel as panel_agenda, scope_for
from .users import user_by_name


@dataclass(frozen=True)
class Pack:
    child: dict
    plan: Plan
    latest_ppm: tuple | None            # (record summary, form)
    latest_review: tuple | None
    panels: list[tuple]                 # earlier panel outcomes, newest first
    panel_actions: list[dict]


def _latest(session, child_id, steps, limit=1) -> list[tuple]:
    rows = session.scalars(current_records(select(TaskRecord).where(
        TaskRecord.child_id == child_id, TaskRecord.bpmn_id.in_(steps)))
        .order_by(TaskRecord.completed_at.desc(), TaskRecord.id.desc()).limit(limit))
    return [(summary(r), form_of(r)) for r in rows]


def _pack(session: Session, child, today: date) -> Pack:
    plan = child_plan(session, child.id, today)
    ppm = _latest(session, child.id, PPM_STEPS)
    review = _latest(session, child.id, CLA_REVIEW_STEPS)
    return Pack(child_card(child), plan, ppm[0] if ppm else None, review[0] if review else None,
                _latest(session, child.id, PANEL_OUTCOME_STEPS, limit=20),
                [a for a in plan.actions if a["from"] == "Permanence Panel"])


def child_pack(db: Database, child_id: int, username: str, purpose: str) -> Pack:
    with db.transaction() as session:
        scope_for(session, username, PANEL_ROLES)        # NotAllowed for other roles
        user = user_by_name(session, username)
        child = seen_child(session, child_id, user)
        audit.record(session, audit.RECORD_DOWNLOADED, clock.now(), actor=user, child_id=child.id,
                     purpose=purpose, document="panel pack")
        return _pack(session, child, clock.today())


def agenda_packs(db: Database, username: str, panel_date: date) -> list[Pack]:
    """Every child on the panel's agenda, in agenda order (cohort by cohort)."""
    agenda = panel_agenda(db, username, panel_date)
    ids = [c["child_id"] for cohort in agenda.cohorts for c in cohort.children]
    with db.transaction() as session:
        user = user_by_name(session, username)
        packs, now, today = [], clock.now(), clock.today()
        for child_id in ids:
            child = seen_child(session, child_id, user)
            audit.record(session, audit.RECORD_DOWNLOADED, now, actor=user, child_id=child_id,
                         purpose="agenda pdf", document="panel pack", panel_date=panel_date)
            packs.append(_pack(session, child, today))
        return packs
