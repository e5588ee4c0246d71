"""Firing timers that have come due: the escalations and statutory clocks of every pathway.

A sweep looks only at instances whose indexed `next_due_at` has passed, so its cost follows
the number of due instances, not the number of children. Each instance is claimed with
`FOR UPDATE SKIP LOCKED` (on PostgreSQL; SQLite has one writer at a time anyway), so any
number of sweepers can run and each timer fires once. Due pathways are fired in batches, one
transaction each (a commit, and the dashboards' running figures, once for the batch rather
than once a pathway): a batch is kept whole or not at all, so a worker killed in the middle
leaves nothing half-fired. One pathway whose expression fails is stopped in error, with its
message, on its own, and the sweep goes on; if the batch's joint write fails, its pathways
are claimed again one at a time, so the one the database refuses is found and stopped.

Within a batch the per-pathway work is only SpiffWorkflow's: the projections' rows are read
for the whole batch in two queries; the pathways' rows are written, their versions checked,
in one statement, the audit trail and outbox in one statement each (engine.batched_rows),
and the session flushed once.
"""
import threading
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Integer, bindparam, inspect, select, text, tuple_
from sqlalchemy.orm.exc import StaleDataError
from SpiffWorkflow.util.task import TaskState

from models import Child, Database, PathwayInstance

from . import audit, batched_rows, clock, fgc_clock, figures, ppm_actions, projections
from .pathway import describe_error, mark_error
from .runtime import advance, open_workflow, save, waiting_timers
from .specs import loaded_version

#: Due pathways claimed and fired together, in one transaction. On SQLite (one writer) a
#: page's write waits for at most one batch: the process's writers take turns
#: (models.database.WriterQueue), and a batch is a fraction of a second.
BATCH_PATHWAYS = 20


@dataclass
class SweepReport:
    instances: int = 0
    timers_fired: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    actions_escalated: int = 0   # PPM actions missed and escalated (engine.ppm_actions)
    fgcs_escalated: int = 0      # Family Group Conferences missed, told to the team manager (R6)


class _BatchFailed(Exception):
    """The batch's joint write failed, and no one pathway can be named: claim them again one
    at a time, so the failing one is found and stopped on its own."""


class _PathwayFailed(Exception):
    """Raised out of a batch's transaction, so that none of the batch is kept."""

    def __init__(self, instance_id: int, message: str):
        super().__init__(message)
        self.instance_id, self.message = instance_id, message


@dataclass
class _Batch:
    cursor: tuple | None          # (next_due_at, id) of the last pathway claimed
    instances: int = 0
    timers_fired: int = 0
    exhausted: bool = False       # no more due pathways after the cursor


def sweep(db: Database, now: datetime | None = None, limit: int | None = None,
          stop: threading.Event | None = None, instance_id: int | None = None) -> SweepReport:
    """Fire everything due at `now` (the application clock if not given). A set `stop`
    ends the sweep between two claims of a batch (a worker told to stop does not finish a
    backlog). `instance_id` sweeps that one pathway (the import replays one child's past)."""
    now = now or clock.now()
    report = SweepReport()
    cursor = None  # (next_due_at, id) of the last claim: each pathway once per sweep
    one_by_one = 0  # claims still to make one pathway at a time, after a batch's write failed
    due, actions, conferences = _waiting(db, now, instance_id)
    with clock.frozen_at(now):
        while (due and (limit is None or report.instances < limit)
               and not (stop and stop.is_set())):
            batch = _Batch(cursor)
            size = 1 if one_by_one else BATCH_PATHWAYS
            size = size if limit is None else min(size, limit - report.instances)
            try:
                with db.transaction() as session:
                    _fire_batch(session, now, batch, size, instance_id)
            except _PathwayFailed as failed:
                # The batch was rolled back: the failing pathway is put in error on its own,
                # then the batch's others are claimed again from the same cursor.
                _put_in_error(db, now, failed, report)
                continue
            except _BatchFailed:
                one_by_one = size   # rolled back: the same pathways again, one at a time
                continue
            one_by_one = max(0, one_by_one - 1)
            cursor = batch.cursor
            report.instances += batch.instances
            report.timers_fired += batch.timers_fired
            if batch.exhausted:
                break
        if instance_id is None and not (stop and stop.is_set()):
            # (asked again after firing pathways: what they opened may be overdue already)
            if actions or due:
                report.actions_escalated = ppm_actions.escalate_missed(db, now)
            if conferences or due:
                report.fgcs_escalated = fgc_clock.escalate_missed(db, now)
    return report


def _waiting(db: Database, now: datetime, instance_id: int | None) -> tuple[bool, bool, bool]:
    """Whether any pathway is due, any PPM action or Family Group Conference missed: one
    statement in a read, so an idle sweep (most of them) never takes SQLite's write lock."""
    with db.reading() as session:
        due = _due_probe(now, session.get_bind().dialect.name, instance_id)
        if instance_id is not None:
            return bool(session.scalar(select(due))), False, False
        found = session.execute(select(due, ppm_actions.missed_actions(now).exists(),
                                       fgc_clock.missed_conferences(now).exists())).one()
    return tuple(bool(value) for value in found)


def _due_probe(now: datetime, dialect: str, instance_id: int | None):
    """Whether some pathway is due, as a column to select (the claim's conditions, without
    its lock)."""
    if dialect == "sqlite":
        # Named, like the claim's, so that SQLite walks the due index without statistics.
        only = " AND id = :only" if instance_id is not None else ""
        query = text(f"SELECT id FROM pathway_instance INDEXED BY {DUE_INDEX}"
                     f" WHERE next_due_at <= :now AND status = 'active'{only} LIMIT 1").bindparams(
            bindparam("now", now, type_=PathwayInstance.next_due_at.type))
        if instance_id is not None:
            query = query.bindparams(bindparam("only", instance_id, type_=Integer))
        return query.columns(PathwayInstance.id).subquery().select().exists()
    # The first in the due index's order, not EXISTS: PostgreSQL's generic plan for a
    # prepared EXISTS (psycopg prepares a statement run five times) scans the whole table,
    # expecting a third of it due; asked for the first in order it walks the due index.
    query = (select(PathwayInstance.id).where(PathwayInstance.next_due_at <= now,
                                              PathwayInstance.status == "active")
             .order_by(PathwayInstance.next_due_at, PathwayInstance.id).limit(1))
    if instance_id is not None:
        query = query.where(PathwayInstance.id == instance_id)
    return query.scalar_subquery().is_not(None)


def _fire_batch(session, now: datetime, batch: _Batch, size: int, instance_id: int | None) -> None:
    """Claim up to `size` due pathways at once, fire them one after another, then write what
    they all changed together (a pathway's own failure names it; a failure of the joint
    write names none: `_BatchFailed`)."""
    instances = session.scalars(_claim(now, batch.cursor, session.get_bind().dialect.name,
                                       instance_id, size)).all()
    batch.exhausted = len(instances) < size
    if not instances:
        return
    batch.cursor = (instances[-1].next_due_at, instances[-1].id)
    # Their children in one query (the projections read each one's team and social worker),
    # held here for the batch: the session keeps only weak references.
    # (PostgreSQL's claim joins them already; SQLite's names its index, so it cannot.)
    unloaded = {i.child_id for i in instances if "child" in inspect(i).unloaded}
    children = session.scalars(select(Child).where(Child.id.in_(unloaded))).all() if unloaded else []
    advanced = []
    for instance in instances:
        claimed_id = instance.id   # a failed flush expires the instance with the transaction
        try:
            advanced.append((instance, *_advance(session, instance)))
        except Exception as exc:  # isolate: this pathway stops, the sweep goes on
            raise _PathwayFailed(claimed_id, describe_error(exc)) from exc
    # The projections' rows of the whole batch in two queries, its audit trail and outbox
    # rows in one statement each (engine.batched_rows), and one flush at the end.
    try:
        known = projections.read_known(session, [(i, workflow) for i, workflow, _ in advanced])
    except Exception as exc:   # a clock that cannot be read, in some pathway of the batch
        if len(instances) > 1:
            raise _BatchFailed() from exc
        raise _PathwayFailed(claimed_id, describe_error(exc)) from exc
    with session.no_autoflush, batched_rows.gathered(session):
        for instance, workflow, fired in advanced:
            claimed_id = instance.id
            try:
                _save(session, instance, workflow, fired, now, known)
            except Exception as exc:
                raise _PathwayFailed(claimed_id, describe_error(exc)) from exc
            batch.instances += 1
            batch.timers_fired += len(fired)
        try:
            _write(session, instances)
        except StaleDataError:
            raise   # another writer changed a claimed pathway: not the pathway's failure
        except Exception as exc:
            if len(instances) > 1:
                raise _BatchFailed() from exc
            raise _PathwayFailed(claimed_id, describe_error(exc)) from exc   # the only one
    del children


def _write(session, instances: list[PathwayInstance]) -> None:
    """The batch's writes, the pathways' version check first (issue 15 item 5): their rows
    in one version-checked statement, as the dashboards' running figures have read what
    they added before; then the projections' rows (one flush), the audit trail and outbox.
    A change committed since the claim read them fails the whole batch here, before any
    projection row is written, as the ORM's own check would (StaleDataError); the ORM
    would send one UPDATE a pathway, a round trip each on PostgreSQL."""
    # (the claim holds the rows' locks on PostgreSQL: the figures need not take them again)
    figures.read_before(session, [instance.id for instance in instances], locked=True)
    done = batched_rows.update_versioned(session, instances)
    if done != len(instances):
        raise StaleDataError(f"{len(instances) - done} of the {len(instances)} pathways "
                             "claimed were changed by another writer meanwhile")
    session.flush()
    batched_rows.write(session)


def _put_in_error(db: Database, now: datetime, failed: _PathwayFailed, report: SweepReport) -> None:
    """Stop the failing pathway, claimed again on its own (unless another sweeper has it, or
    dealt with it in the meantime)."""
    with db.transaction() as session:
        instance = session.scalars(_claim(now, None, session.get_bind().dialect.name,
                                          failed.instance_id)).first()
        if instance is None:
            return
        mark_error(session, instance, failed.message, now)
    report.instances += 1
    report.errors.append((failed.instance_id, failed.message))


def _claim(now: datetime, cursor: tuple | None, dialect: str = "postgresql",
           instance_id: int | None = None, size: int = 1):
    """The next `size` due pathways (whole rows, for the ORM) in (next_due_at, id) order,
    locked, skipping ones another sweeper holds. Walking the next_due_at index keeps an idle sweep
    one short index probe."""
    if dialect == "sqlite":
        return _sqlite_claim(now, cursor, instance_id, size)
    due = PathwayInstance.next_due_at
    query = (select(PathwayInstance)
             .where(due <= now, PathwayInstance.status == "active")
             .order_by(due, PathwayInstance.id).limit(size)
             .with_for_update(skip_locked=True, of=PathwayInstance))
    if cursor is not None:
        query = query.where(tuple_(due, PathwayInstance.id) > cursor)  # typed as the columns
    if instance_id is not None:
        query = query.where(PathwayInstance.id == instance_id)
    return query


DUE_INDEX = "ix_pathway_instance_due"
_SQLITE_CLAIM = ("SELECT * FROM pathway_instance INDEXED BY " + DUE_INDEX +
                 " WHERE next_due_at <= :now AND status = 'active'{after}{only}"
                 " ORDER BY next_due_at, id LIMIT :size")


def _sqlite_claim(now: datetime, cursor: tuple | None, instance_id: int | None = None,
                  size: int = 1):
    """The same claim on SQLite, naming the due index: without statistics SQLite prefers the
    status index and sorts every active pathway (520 ms an idle sweep at 100,000 children).
    SQLite has one writer at a time, so there is nothing to lock or skip."""
    due_type = PathwayInstance.next_due_at.type
    after = " AND (next_due_at, id) > (:after_due, :after_id)" if cursor else ""
    only = " AND id = :only" if instance_id is not None else ""
    query = text(_SQLITE_CLAIM.format(after=after, only=only)).bindparams(
        bindparam("now", now, type_=due_type), bindparam("size", size, type_=Integer))
    if instance_id is not None:
        query = query.bindparams(bindparam("only", instance_id, type_=Integer))
    if cursor:
        query = query.bindparams(bindparam("after_due", cursor[0], type_=due_type),
                                 bindparam("after_id", cursor[1], type_=Integer))
    return select(PathwayInstance).from_statement(query)


def _advance(session, instance: PathwayInstance) -> tuple:
    """Open one pathway's workflow and fire what is due: (the workflow, the timers fired)."""
    loaded = loaded_version(session, instance.diagram_version_id)
    workflow = open_workflow(instance, loaded)
    waiting = waiting_timers(workflow)
    advance(workflow)
    return workflow, [task for task in waiting if task.has_state(TaskState.COMPLETED)]


def _save(session, instance: PathwayInstance, workflow, fired: list, now: datetime,
          known: projections.Known) -> None:
    for task in fired:
        spec = task.task_spec
        audit.record(session, audit.TIMER_FIRED, now, child_id=instance.child_id,
                     instance_id=instance.id, event=spec.bpmn_name or spec.bpmn_id,
                     bpmn_id=spec.bpmn_id)
    save(session, instance, workflow, now, checked=True, known=known)
