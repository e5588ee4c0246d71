"""While diagram code that would hang or exhaust the process is being evaluated, in a web
request or in the timer sweep, the service goes on answering: `/healthz` is asked every
20 ms by a real HTTP client of the real server, and every one is answered."""
from html import escape

import pytest

from engine import publish, register_child, sweep
from models import PathwayInstance
from web.diagram_checks import draft_problems
from workflows.diagrams import load_directory

from ..conftest import child_details, set_clock
from ..engine.test_bounded_evaluation import BOMBS, DUE, DUE_DATE_BOMBS, _demo_with
from ..service_probe import HealthProbe, run_bounded
from .conftest import make_app


@pytest.mark.parametrize("bomb, reason", DUE_DATE_BOMBS)
def test_healthz_answers_while_a_draft_with_a_bomb_is_validated(council, bomb, reason):
    bundle = _demo_with(DUE, f'name="dueDate" value="{escape(bomb)}"')
    with HealthProbe(make_app(council)) as probe:
        problems = run_bounded(lambda: draft_problems(bundle))
        probe.wait_for_answer()  # and it answers afterwards
    assert [reason in p.message for p in problems] == [True]
    assert probe.failures == []


def test_healthz_answers_while_the_sweep_meets_bombs(council):
    publish(council, load_directory(BOMBS, "bomb_after_timer"), "tests")
    for n, name in enumerate(["Pow Bomb", "Memory Bomb", "Loop Bomb", "Alex Fine"]):
        register_child(council, child_details(reference=f"C-{n}", name=name), "sw",
                       process_id="bomb_after_timer")
    app = make_app(council)  # on the tests' fixed clock: move it on after
    set_clock(2026, 3, 17, 9)
    with HealthProbe(app) as probe:
        report = run_bounded(lambda: sweep(council))
        probe.wait_for_answer()
    assert (report.instances, len(report.errors)) == (4, 3)
    assert probe.failures == [] and probe.waits
    with council.transaction() as session:
        statuses = sorted(row.status for row in session.query(PathwayInstance))
    assert statuses == ["completed", "error", "error", "error"]
