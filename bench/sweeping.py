"""The timer sweep over a council-sized table.

sweep_idle_ms: one sweep over 100,000 stored pathways of which none is due (median of 21).
sweep_due_per_s: pathways fired per second when 1,000 of the 100,000 are due.
sweep_due_cpu_ms: the sweeping process's CPU per pathway fired (the database server's is not
in it): steadier than the rate on a shared, busy machine.

The 1,000 due pathways are real children registered through the engine. The other 99,000 are
copies of a real pathway row (state and all, so rows are their real width) with their own
child rows and next_due_at spread over the coming year; the sweep must never read them.
The database then has statistics, as a live one would.
"""
import random
import time
from datetime import date, timedelta

from sqlalchemy import insert, text

from engine import clock, sweep
from models import Child, PathwayInstance

from .common import START, council, days, median_ms, register, timed


def _fill(db, copies: int, due: int) -> None:
    template_child = register(db, "TEMPLATE")
    with db.transaction() as session:
        template = session.get(PathwayInstance, template_child.outcome.instance_id)
        state, version_id, team_id = template.state, template.diagram_version_id, template.child.team_id
        template.next_due_at = None
    rng = random.Random(7)
    batch = 5000
    with db.engine.begin() as conn:
        for start in range(0, copies, batch):
            size = min(batch, copies - start)
            child_ids = conn.execute(insert(Child).returning(Child.id, sort_by_parameter_order=True), [{
                "reference": f"COPY-{start + i:06}", "name": "Copy",
                "date_of_birth": date(2015, 1, 1), "legal_status": "co",
                "looked_after_on": date(2025, 1, 1), "team_id": team_id, "created_at": START,
            } for i in range(size)]).scalars().all()
            conn.execute(insert(PathwayInstance), [{
                "child_id": child_id, "diagram_version_id": version_id,
                "state": state, "status": "active", "stage": "Review PPMs", "route": "",
                "next_due_at": START + timedelta(days=30 + rng.randrange(365)),
                "started_at": START, "updated_at": START, "version": 1,
            } for child_id in child_ids])
    for n in range(due):
        register(db, f"DUE-{n:04}")
    # Statistics, as a council's database has them: PostgreSQL's autovacuum keeps them (the
    # copies are seconds old here), the worker refreshes SQLite's as it starts.
    if db.is_postgresql:
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    else:
        db.maintain_statistics()


def run(url: str | None = None, total: int = 100_000, due: int = 1_000) -> dict:
    with council(url, "bench_sweeping") as db:
        return _measure(db, total, due)


def _measure(db, total: int, due: int) -> dict:
    _fill(db, total - due - 1, due)
    clock.set_fixed(START + days(1))
    idle = [timed(lambda: sweep(db)) for _ in range(21)]
    # Registered on 2 March: due 16 March, overdue (the escalation fires) from 17 March.
    clock.set_fixed(START + days(16))
    reports = []
    cpu = time.process_time()
    seconds = timed(lambda: reports.append(sweep(db)))
    cpu = time.process_time() - cpu
    fired = reports[0].timers_fired
    assert fired == due and not reports[0].errors, reports[0]
    with db.transaction() as session:
        count = session.query(PathwayInstance).count()
    return {"sweep_instances": count, "sweep_idle_ms": round(median_ms(idle), 2),
            "sweep_due_per_s": round(fired / seconds, 1),
            "sweep_due_cpu_ms": round(cpu * 1000 / fired, 2)}
