"""The audit trail: typed, append-only events, written in the same transaction as the change
they describe, so the trail can never disagree with the pathway."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from models import AuditEvent, User

from . import batched_rows

STARTED = "started"
TASK_COMPLETED = "task_completed"
TASK_OPENED = "task_opened"
TIMER_FIRED = "timer_fired"
DEADLINE_MISSED = "deadline_missed"
ERROR = "error"
RESUMED = "resumed"
MIGRATED = "migrated"
VIEWED = "viewed"
PUBLISHED = "published"
CASE_EVENT = "case_event"
RECORD_VIEWED = "record_viewed"
RECORD_DOWNLOADED = "record_downloaded"   # a print view or PDF of the child's record
RECORD_CORRECTED = "record_corrected"
CORRECTION_REFUSED = "correction_refused"
CASE_DETAILS_CHANGED = "case_details_changed"   # a new version of case details (engine.casework)
SIBLING_LINKED, SIBLING_UNLINKED = "sibling_linked", "sibling_unlinked"
ACTION_PROGRESS = "action_progress"   # interim progress on a panel action (engine.action_progress)
REALLOCATED = "reallocated"   # a child's social worker or team changed (engine.allocation)

SYSTEM = "system"


def jsonable(value):
    """Task data as JSON: dates as ISO strings, decimals as strings, containers recursively."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    return value


def _values(kind: str, at: datetime, actor: User | None, child_id: int | None,
            instance_id: int | None, detail: dict) -> dict:
    return dict(at=at, kind=kind, actor_id=actor.id if actor else None,
                actor_name=actor.display_name if actor else SYSTEM,
                child_id=child_id, instance_id=instance_id, detail=jsonable(detail))


def record(session: Session, kind: str, at: datetime, *, actor: User | None = None,
           child_id: int | None = None, instance_id: int | None = None, **detail) -> None:
    values = _values(kind, at, actor, child_id, instance_id, detail)
    if not batched_rows.hold(session, AuditEvent, values):   # a sweep writes its batch's at once
        session.add(AuditEvent(**values))


def record_now(session: Session, kind: str, at: datetime, *, actor: User | None = None,
               child_id: int | None = None, instance_id: int | None = None, **detail) -> None:
    """The same event written at once by a plain INSERT, without the unit of work: for a
    read that is audited (viewing a child) and writes nothing else, or a writer that has
    just flushed (a PPM action, whose id the event names)."""
    session.execute(AuditEvent.__table__.insert(),
                    [_values(kind, at, actor, child_id, instance_id, detail)])
