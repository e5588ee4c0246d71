"""The performance indicators over a national-sized table (issue 11 §6).

kpi_ms: median server time of GET /oversight/performance for the twelve months to the
  benchmark's day (Flask test client, a Head of Service: every team and the council), with
  the dashboard benchmark's 100,000 children (each with an R4 and an R3 clock) plus, for each,
  an FGC record and the PPM record that identified the plan; kpi_team_ms the same for a team
  manager (one team of ten). Target: under 500 ms at 100,000 (a report, read a few times a
  month). The figures read columns and the period's records only, never a workflow.
"""
import random
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select, text

from engine import clock
from models import Child, Database, PathwayInstance, TaskRecord
from web import create_app
from web.settings import Settings

from .common import START, council, median_ms, timed
from .dashboard import PROCESS, TODAY, _fill, _signed_in

SAMPLES = 11
PERIOD = {"from-day": "1", "from-month": str(TODAY.month), "from-year": str(TODAY.year - 1),
          "to-day": str(TODAY.day), "to-month": str(TODAY.month), "to-year": str(TODAY.year)}


def _records(db: Database) -> None:
    """An FGC record and a plan-identifying PPM record for each child, dated from entry."""
    rng = random.Random(11)
    with db.engine.begin() as conn:
        rows = conn.execute(select(PathwayInstance.child_id, PathwayInstance.id, Child.looked_after_on)
                            .join(Child, Child.id == PathwayInstance.child_id)).all()
        for start in range(0, len(rows), 2000):
            batch = []
            for child_id, instance_id, since in rows[start:start + 2000]:
                for step, answers, days in (
                        ("hold_fgc", {"fgc_outcome": rng.choice(["family_plan_agreed", "no_plan", "declined"])}, 10),
                        ("initial_ppm", {"plan_identified": True, "routes": ["adoption"]}, rng.randrange(5, 120))):
                    on = min(since + timedelta(days=days), TODAY)
                    key = "fgc_held_on" if step == "hold_fgc" else "held_on"
                    at = datetime(on.year, on.month, on.day, 12, tzinfo=timezone.utc)
                    batch.append({"child_id": child_id, "instance_id": instance_id, "task_id": str(uuid.uuid4()),
                                  "bpmn_id": step, "task_name": step, "kind": "other", "form": {},
                                  "answers": {**answers, key: on.isoformat()}, "context": {},
                                  "completed_at": at, "completed_by_name": "Bench", "recorded_by_name": "Bench",
                                  "recorded_at": at, "revision": 1})
            conn.execute(insert(TaskRecord), batch)
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text("VACUUM ANALYZE" if db.is_postgresql else "ANALYZE"))


def run(url: str | None = None, total: int = 100_000) -> dict:
    with council(url, "kpi_large", PROCESS) as db:
        _fill(db, total)
        _records(db)
        clock.set_fixed(START)
        app = create_app(Settings(database_url=db.url, secret_key="bench", process_id=PROCESS,
                                  clock=START.isoformat()), db=db)
        figures = {"kpi_children": total}
        for username, name in (("hos", "kpi_ms"), ("tm", "kpi_team_ms")):
            client = _signed_in(app, db, username)
            for _ in range(3):
                assert client.get("/oversight/performance", query_string=PERIOD).status_code == 200
            figures[name] = round(median_ms([timed(lambda: client.get("/oversight/performance",
                                                                      query_string=PERIOD))
                                             for _ in range(SAMPLES)]), 1)
        return figures
