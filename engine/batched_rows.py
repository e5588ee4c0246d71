"""Append-only rows (the audit trail, the outbox) written in one statement per table for a
whole unit of work, instead of one ORM object, flush and RETURNING each.

The timer sweep fires twenty pathways in one transaction and each writes several such rows;
nothing reads them back before the commit, so they are gathered here and inserted together
(executemany, no RETURNING) in the same transaction, in the order they were recorded.
Outside `gathered` (every page, the import, the CLI) rows go through the session as before.

`update_versioned` does the same for the changed rows of a versioned model (the sweep's
pathways): the ORM sends one version-checked UPDATE a row, a round trip each on PostgreSQL.
"""
import contextlib

from sqlalchemy import and_, bindparam, insert, inspect, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

_KEY = "permanence_batched_rows"


@contextlib.contextmanager
def gathered(session: Session):
    """Rows recorded inside are held, and written by `write` (or dropped if it fails)."""
    session.info[_KEY] = {}
    try:
        yield
    finally:
        session.info.pop(_KEY, None)


def hold(session: Session, model, values: dict) -> bool:
    """Hold one row of `model` if the session gathers; False if the caller must add it."""
    held = session.info.get(_KEY)
    if held is None:
        return False
    held.setdefault(model, []).append(values)
    return True


def write(session: Session) -> None:
    """Insert what is held, one executemany per table, and hold nothing more."""
    held = session.info.get(_KEY) or {}
    conn = session.connection()
    for model, rows in held.items():
        if rows:   # the table's own INSERT: the ORM's bulk path costs more than the rows
            conn.execute(_insert(model), rows)
    held.clear()


#: Each table's INSERT, built once (every save writes through them).
_INSERTS: dict = {}


def _insert(model):
    statement = _INSERTS.get(model)
    if statement is None:
        statement = _INSERTS[model] = insert(model.__table__)
    return statement


def update_versioned(session: Session, objects: list) -> int:
    """Write what changed in these objects of one versioned model in one executemany UPDATE,
    each row only if its version is still the one read (and moved on by one, as the ORM's
    own UPDATE would), and leave them clean for the flush. Returns the rows updated: fewer
    than `objects` means another writer changed some meanwhile (the caller's StaleDataError).
    Every row sets the columns any of them changed, so the statement is one."""
    if not objects:
        return 0
    mapper = inspect(objects[0]).mapper
    version, table = mapper.version_id_col, mapper.local_table
    version_key = mapper.get_property_by_column(version).key
    primary_key, = mapper.primary_key
    states = [inspect(o) for o in objects]
    # (the attributes set since loaded, as the unit of work reads them: asking each
    # attribute's history of each object cost more than the statement)
    changed = set().union(*(state.committed_state for state in states))
    columns = [prop for prop in mapper.column_attrs
               if prop.key in changed and prop.columns[0] not in (version, primary_key)]
    if not columns:
        return len(objects)
    statement = update(table).where(and_(
        primary_key == bindparam("_pk", type_=primary_key.type),
        version == bindparam("_version", type_=version.type))).values(
        {prop.columns[0].name: bindparam("_" + prop.key, type_=prop.columns[0].type)
         for prop in columns}
        | {version.name: bindparam("_new_version", type_=version.type)})
    rows = [{"_" + prop.key: getattr(o, prop.key) for prop in columns}
            | {"_pk": state.identity[0], "_version": state.dict[version_key],
               "_new_version": state.dict[version_key] + 1}
            for o, state in zip(objects, states)]
    done = session.connection().execute(statement, rows).rowcount
    for o, row in zip(objects, rows):   # as the ORM's flush would have left them
        for prop in columns:
            set_committed_value(o, prop.key, row["_" + prop.key])
        set_committed_value(o, version_key, row["_new_version"])
    return done
