"""Keeping the running figures in step with every write, in the writer's own transaction.

Any session that flushes a change to a pathway, its child, its tasks or its clocks (a
completion, a sweep, a case event, an import, a move onto another diagram version, a
reallocation) has the pathway's contribution read before its first change and again at
commit, and the difference added to the figures before the commit. No caller has to
remember: the ORM's flush and commit events do it. (Bulk statements that bypass the ORM,
such as the benchmarks' copies, must `rebuild` afterwards.)

On PostgreSQL the pathway rows are locked (FOR UPDATE, in id order) before their first
contribution is read, so two transactions changing one pathway, or its child, take turns,
and each difference is taken against what the other committed.
"""
from collections import Counter
from itertools import chain

from sqlalchemy import bindparam, event, inspect, select
from sqlalchemy.orm import Session

from models import Child, Deadline, HumanTask, PathwayInstance

from . import store
from .contributions import contributions

_BEFORE = "permanence_figures_before"
#: The pathways about to change, locked in id order (built once: every save takes it).
_LOCK = (select(PathwayInstance.id).where(PathwayInstance.id.in_(bindparam("ids", expanding=True)))
         .order_by(PathwayInstance.id).with_for_update())


def _instance_of(obj) -> int | None:
    if obj.instance_id is not None:
        return obj.instance_id
    instance = inspect(obj).attrs.instance.loaded_value
    return getattr(instance, "id", None)


def _touched(session: Session) -> tuple[set[int], set[int]]:
    instances, children = set(), set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, PathwayInstance):
            if obj.id is not None:
                instances.add(obj.id)
        elif isinstance(obj, (HumanTask, Deadline)):
            found = _instance_of(obj)
            if found is not None:
                instances.add(found)
        elif isinstance(obj, Child) and obj.id is not None and obj not in session.new:
            children.add(obj.id)
    return instances, children


@event.listens_for(Session, "before_flush")
def _before_flush(session, _context, _instances):
    instances, children = _touched(session)
    if not instances and not children:
        return
    if children:
        instances |= set(session.connection().execute(
            select(PathwayInstance.id).where(PathwayInstance.child_id.in_(sorted(children))))
            .scalars())
    read_before(session, instances)


def read_before(session: Session, instance_ids, *, locked: bool = False) -> None:
    """Read these pathways' contributions as they stand, before this transaction changes
    them (once each: later calls skip what is read). The flush does it for what it writes;
    a writer that updates pathway rows itself, outside the flush (the timer sweep's batch),
    calls it first. `locked`: the caller holds the rows' locks already (the sweep's claim)."""
    before = session.info.setdefault(_BEFORE, {})
    fresh = sorted(set(instance_ids) - before.keys())
    if not fresh:
        return
    conn = session.connection()
    if conn.dialect.name == "postgresql" and not locked:
        conn.execute(_LOCK, {"ids": fresh})
    listed: list[dict] = []
    found = contributions(conn, fresh, listed)
    per_instance = {iid: (Counter(), []) for iid in fresh}
    # One Counter for the lot, kept under the first id; the rest are marked as read.
    per_instance[fresh[0]] = (found, listed)
    before.update(per_instance)


@event.listens_for(Session, "after_flush")
def _after_flush(session, _context):
    new = [obj.id for obj in session.new if isinstance(obj, PathwayInstance)]
    if new:
        before = session.info.setdefault(_BEFORE, {})
        for iid in new:
            before.setdefault(iid, (Counter(), []))


@event.listens_for(Session, "before_commit")
def _before_commit(session):
    session.flush()   # the commit's own flush comes after this event: its changes count too
    if not session.info.get(_BEFORE):
        return
    before = session.info.pop(_BEFORE, {})
    conn = session.connection()
    was, listed = Counter(), []
    for contribution, entries in before.values():
        was.update(contribution)   # keeps the -1 rows (Counter's + would drop them)
        listed += entries
    entries: list[dict] = []
    after = contributions(conn, before.keys(), entries)
    store.add(conn, store.diff(after, was))
    if store.as_rows(entries) != store.as_rows(listed):   # most saves leave the lists alone
        store.replace_entries(conn, before.keys(), entries)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session, transaction):
    if transaction.parent is None:   # the whole transaction ended (committed or not)
        session.info.pop(_BEFORE, None)
