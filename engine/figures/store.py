"""Writing the running figures: adding a change, counting them all again, folding the past.

Every write is `n = n + delta` in one statement (an upsert), never a read then a write, so
concurrent completions on PostgreSQL cannot lose a count; a transaction writes its keys in
one sorted order, so two of them never wait on each other's rows in a cycle.
"""
from collections import Counter
from datetime import date

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from models import ALWAYS, DashboardFigure as Figure, DriftEntry

from .contributions import all_instance_ids, contributions

#: The key of the row saying the figures have been counted (and under which settings).
BASIS = "basis"


def _upsert(insert):
    statement = insert(Figure)
    return statement.on_conflict_do_update(
        index_elements=["kind", "team_id", "key", "day"],
        set_={"n": Figure.n + statement.excluded.n})


#: Built once per dialect: every save writes through them, and building and keying a
#: statement cost more than running it.
_UPSERTS = {"postgresql": _upsert(pg_insert), "sqlite": _upsert(sqlite_insert)}
_DELETE_ENTRIES = delete(DriftEntry).where(DriftEntry.instance_id.in_(bindparam("ids", expanding=True)))
_INSERT_ENTRIES = DriftEntry.__table__.insert()


def add(conn, delta: dict) -> None:
    """Add each key's change to its figure, in key order."""
    changes = [(key, n) for key, n in delta.items() if n]
    if not changes:
        return
    # One statement for the lot (executed row by row, in this order).
    conn.execute(_UPSERTS["postgresql" if conn.dialect.name == "postgresql" else "sqlite"],
                 [{"kind": kind, "team_id": team_id, "key": key, "day": day, "n": n}
                  for (kind, team_id, key, day), n in sorted(changes)])


def replace_entries(conn, instance_ids, entries: list[dict]) -> None:
    """The drift entries of these pathways, replaced by `entries` (one pathway's rows are
    only ever written by the transaction that changes that pathway)."""
    ids = sorted(set(instance_ids))
    for start in range(0, len(ids), 500):
        conn.execute(_DELETE_ENTRIES, {"ids": ids[start:start + 500]})
    for start in range(0, len(entries), 5000):
        conn.execute(_INSERT_ENTRIES, entries[start:start + 5000])


def entry_rows(conn) -> Counter:
    """The stored drift entries, to compare with a recount."""
    columns = [DriftEntry.list, DriftEntry.instance_id, DriftEntry.child_id, DriftEntry.team_id,
               DriftEntry.shown, DriftEntry.since, DriftEntry.until, DriftEntry.detail]
    return Counter(tuple(row) for row in conn.execute(select(*columns)))


def as_rows(entries: list[dict]) -> Counter:
    return Counter((e["list"], e["instance_id"], e["child_id"], e["team_id"], e["shown"],
                    e["since"], e["until"], e["detail"]) for e in entries)


def diff(after: Counter, before: Counter) -> dict:
    return {key: after.get(key, 0) - before.get(key, 0) for key in after.keys() | before.keys()}


def recount(conn, entries: list | None = None) -> Counter:
    """Every figure counted from the projections of every pathway (and, given a list, every
    drift entry added to it)."""
    return contributions(conn, all_instance_ids(conn), entries)


def stored(conn) -> Counter:
    return Counter({(kind, team, key, day): n for kind, team, key, day, n in conn.execute(
        select(Figure.kind, Figure.team_id, Figure.key, Figure.day, Figure.n)
        .where(Figure.kind != BASIS))})


def normalised(figures: Counter, today: date) -> Counter:
    """What the figures say on `today` and after: the past folded into ALWAYS, no zeros.
    Two sets of figures are equal from today on exactly when these are equal."""
    out: Counter = Counter()
    for (kind, team, key, day), n in figures.items():
        out[(kind, team, key, ALWAYS if day <= today else day)] += n
    return Counter({k: n for k, n in out.items() if n})


def rebuild(conn, basis: str, today: date) -> int:
    """Count every figure again and store them, the past folded (the table is replaced);
    returns the rows stored."""
    entries: list[dict] = []
    counted = normalised(recount(conn, entries), today)
    conn.execute(delete(DriftEntry))
    for start in range(0, len(entries), 5000):
        conn.execute(DriftEntry.__table__.insert(), entries[start:start + 5000])
    conn.execute(delete(Figure))
    rows = [{"kind": kind, "team_id": team, "key": key, "day": day, "n": n}
            for (kind, team, key, day), n in sorted(counted.items())]
    for start in range(0, len(rows), 5000):
        conn.execute(Figure.__table__.insert(), rows[start:start + 5000])
    mark(conn, basis)
    return len(rows)


def mark(conn, basis: str) -> None:
    conn.execute(delete(Figure).where(Figure.kind == BASIS))
    conn.execute(Figure.__table__.insert(), [{"kind": BASIS, "team_id": None, "key": basis,
                                              "day": ALWAYS, "n": 1}])


def current_basis(conn) -> str | None:
    return conn.execute(select(Figure.key).where(Figure.kind == BASIS)).scalar()


def fold(conn, today: date) -> int:
    """Fold every row dated today or earlier into its ALWAYS row, so the table keeps one row
    per figure plus the days still to come. Sums are unchanged, so a completion adding to a
    folded day meanwhile (its row is made again) stays right. Returns rows folded.

    On PostgreSQL the rows are locked one by one in the order `add` writes them (ALWAYS, the
    smallest day, first), so the fold and a completion never wait on each other in a cycle."""
    dated = conn.execute(select(Figure.kind, Figure.team_id, Figure.key)
                         .where(Figure.day > ALWAYS, Figure.day <= today, Figure.kind != BASIS)
                         .distinct()).all()
    if not dated:
        return 0
    dated = {tuple(row) for row in dated}
    rows = conn.execute(select(Figure.id, Figure.kind, Figure.team_id, Figure.key, Figure.day)
                        .where(Figure.day <= today, Figure.kind.in_({k for k, _, _ in dated}))).all()
    rows = sorted((r for r in rows if (r.kind, r.team_id, r.key) in dated),
                  key=lambda r: (r.kind, r.team_id, r.key, r.day))
    past: Counter = Counter()
    folded = []
    for row in rows:
        n = conn.execute(select(Figure.n).where(Figure.id == row.id).with_for_update()).scalar()
        if n is None or row.day == ALWAYS:
            continue
        past[(row.kind, row.team_id, row.key, ALWAYS)] += n
        folded.append(row.id)
    for start in range(0, len(folded), 500):
        conn.execute(delete(Figure).where(Figure.id.in_(folded[start:start + 500])))
    add(conn, past)
    return len(folded)
