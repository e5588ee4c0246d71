"""`bomb_block_ms`: the longest a monitoring probe waits for `/healthz` while diagram code
that would hang or exhaust the process is evaluated in the same process: each dueDate
bomb validated as a draft, then the timer sweep meeting script bombs. Target under 1,000."""
from datetime import datetime, timezone
from html import escape

from engine import clock, publish, register_child, sweep
from tests.engine.test_bounded_evaluation import BOMBS, DUE, DUE_DATE_BOMBS, _demo_with
from tests.service_probe import HealthProbe, run_bounded
from web import create_app
from web.diagram_checks import draft_problems
from web.settings import Settings
from workflows.diagrams import load_directory

from .common import START, council


def run(url: str | None = None) -> dict:
    with council(url, "bench_bombs") as db:
        return _measure(db)


def _measure(db) -> dict:
    publish(db, load_directory(BOMBS, "bomb_after_timer"), "bench")
    for n, name in enumerate(["Pow Bomb", "Memory Bomb", "Loop Bomb"]):
        register_child(db, {"reference": f"B-{n}", "name": name, "date_of_birth": "2019-05-04",
                            "legal_status": "ico", "looked_after_on": "2026-03-02",
                            "team": "North", "social_worker": "sw"}, "sw",
                       process_id="bomb_after_timer")
    app = create_app(Settings(database_url=db.url, secret_key="bench", clock=START.isoformat(),
                              process_id="demo_pathway"), db=db)
    bundles = [_demo_with(DUE, f'name="dueDate" value="{escape(bomb)}"') for bomb, _ in DUE_DATE_BOMBS]
    with HealthProbe(app) as probe:
        for bundle in bundles:
            run_bounded(lambda: draft_problems(bundle))
        probe.wait_for_answer()
        validating = list(probe.waits)
        clock.set_fixed(datetime(2026, 3, 17, 9, tzinfo=timezone.utc))
        report = run_bounded(lambda: sweep(db))
        probe.wait_for_answer()
    sweeping = probe.waits[len(validating):]
    return {"bomb_block_ms": round(max(probe.waits) * 1000, 1),
            "bomb_block_validating_ms": round(max(validating) * 1000, 1),
            "bomb_block_sweeping_ms": round(max(sweeping) * 1000, 1),
            "bomb_probe_failures": len(probe.failures),
            "bomb_sweep_errors": len(report.errors)}
