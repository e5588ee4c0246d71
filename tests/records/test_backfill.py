"""Migration 0006 back-fills the records of completions made before it, from the audit trail
(D7, I7): the same answers, who, when, due date, rule and on-time as a live completion keeps."""
from datetime import date

from alembic import command
from sqlalchemy import select

from engine import figures
from models import AuditEvent, TaskRecord
from models.migrate import alembic_config, upgrade
from tests.scenarios.conftest import PPM_AREAS, Case

COLUMNS = ("child_id", "instance_id", "human_task_id", "task_id", "bpmn_id", "task_name", "kind",
           "form", "answers", "completed_at", "completed_by_name", "recorded_by_id",
           "recorded_by_name", "recorded_at", "due_on", "rule", "on_time", "revision")


def _records(db) -> list[tuple]:
    with db.transaction() as s:
        return [tuple(getattr(r, c) for c in COLUMNS)
                for r in s.scalars(select(TaskRecord).order_by(TaskRecord.task_id))]


def _downgrade_to_0004(db) -> None:
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")


def test_d7_the_migration_back_fills_records_from_the_audit_trail(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2027, 3, 1), date(2020, 6, 1))
    case.do("Hold the initial PPM", on=date(2027, 3, 17), held_on=date(2027, 3, 17), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["adoption"])
    case.do("Hold a Family Group Conference", on=date(2027, 3, 12), **_fgc_answers(case))
    kept = _records(db)
    assert len(kept) == 2
    _downgrade_to_0004(db)       # as a database from before records were kept
    with db.transaction() as s:  # whose completion events did not carry the task id
        for event in s.scalars(select(AuditEvent).where(AuditEvent.kind == "task_completed")):
            event.detail = {k: v for k, v in event.detail.items() if k != "task_id"}
    upgrade(db)
    figures.ensure(db)           # as `init`, `serve` and `worker` do for an older database
    assert _records(db) == kept
    on_time = {row[5]: row[16] for row in kept}
    assert on_time == {"Hold the initial PPM": False, "Hold a Family Group Conference": True}


def _fgc_answers(case) -> dict:
    return {"fgc_held_on": "2027-03-12", "fgc_outcome": "family_plan_agreed"}
