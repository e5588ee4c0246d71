"""The dashboards' running figures (issue 15 section 3): kept in the same transaction as the
projections by every kind of write, and equal to a full recount on the demo data, on the
managers' scenario council, as days pass, and under concurrent completions on PostgreSQL.
(The scenario and import tests check them too: see their `council_with_pathway` and
`pathway_council` fixtures.)"""
import subprocess
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from engine import (
    Conflict, TaskNotOpen, complete_task, figures, open_tasks, publish, register_child,
    reporting, sweep,
)
from engine.allocation import reallocate
from engine.migration import move_instances
from engine.people import add_user
from models import DashboardFigure, PathwayInstance
from web.demo import load_demo
from workflows import roles
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS, ROOT, child_details, set_clock
from ..web.managers import TODAY, at, scenario
from .test_migration import RENAMED
from .test_publishing import _bundle

PATHWAY = "permanence_pathway"


def _agree(db, process=PATHWAY):
    assert figures.check(db, process) == []


def test_the_figures_equal_a_recount_on_the_demo_data_as_the_days_pass(db):
    set_clock(2026, 9, 7)
    publish(db, load_directory(DIAGRAMS, PATHWAY), "tests")
    assert load_demo(db, PATHWAY)
    board = reporting.dashboard(db, "tom.tm", PATHWAY)
    assert board.counts.total > 0 and board.overdue_tasks.total > 0   # figures worth checking
    _agree(db)
    # Overdue work and drift depend on today's date: the same rows, read on later days,
    # before and after the worker folds the days that have passed.
    for later in (1, 30, 200, 2000):
        set_clock(2026, 9, 7)
        from engine import clock
        clock.set_fixed(clock.now() + timedelta(days=later))
        _agree(db)
        figures.fold_past(db)
        _agree(db)
    with db.reading() as session:
        kept = session.scalars(select(DashboardFigure.day).where(
            DashboardFigure.day > DashboardFigure.day.type.python_type(1, 1, 1))).all()
    assert all(day > clock.today() for day in kept)   # folded: only days still to come


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_figures_equal_a_recount_on_the_managers_scenario(kind, tmp_path_factory, request):
    url = request.getfixturevalue("postgres_url") if kind == "postgresql" else None
    db, _ = scenario(kind, tmp_path_factory, url)
    try:
        for day in (TODAY - timedelta(days=60), TODAY, TODAY + timedelta(days=90)):
            at(day)
            _agree(db)
    finally:
        db.dispose()


def test_a_wrong_figure_is_found_and_a_rebuild_puts_it_right(council):
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    _agree(council, "demo_pathway")
    with council.transaction() as session:
        session.execute(update(DashboardFigure).where(DashboardFigure.kind == "pathways")
                        .values(n=DashboardFigure.n + 2))
    found = figures.check(council, "demo_pathway")
    assert any(line.startswith("pathways team") and "kept 3, counted 1" in line for line in found)
    assert any(line.startswith("every team: counts") for line in found)
    figures.rebuild_all(council)
    _agree(council, "demo_pathway")


def test_the_figures_follow_a_reallocation_a_sweep_and_a_move(council):
    first = register_child(council, child_details(reference="C-1"), "sw", process_id="demo_pathway")
    register_child(council, child_details(reference="C-2"), "sw", process_id="demo_pathway")
    reallocate(council, first.child_id, "tm", team="South", social_worker="sw_south",
               on=date(2026, 3, 2), reason="Moved to the south")
    _agree(council, "demo_pathway")
    north = reporting.dashboard(council, "tm", "demo_pathway")
    assert north.counts.total == 1
    version, _ = publish(council, _bundle(replace=[RENAMED]), "po")
    report = move_instances(council, "demo_pathway", version.version, "po")
    assert len(report.moved) == 2
    _agree(council, "demo_pathway")
    with council.transaction() as session:
        add_user(session, "hos", "Hal Head", [roles.HEAD_OF_SERVICE])
    board = reporting.dashboard(council, "hos", "demo_pathway")
    assert board.heatmap.version == 2
    assert sum(board.heatmap.counts.values()) == len(open_tasks(council)) == 2
    set_clock(2026, 3, 17, 0, 1)   # the initial PPMs' escalations fire
    assert sweep(council).timers_fired == 2
    _agree(council, "demo_pathway")


def test_a_completion_keeps_the_figures(council):
    from .helpers import INITIAL_PPM
    child = register_child(council, child_details(), "sw", process_id="demo_pathway")
    set_clock(2026, 3, 11)
    [task] = open_tasks(council, child_id=child.child_id)
    complete_task(council, task["task_id"], INITIAL_PPM, "sw")
    _agree(council, "demo_pathway")


def test_concurrent_completions_on_postgresql_keep_every_figure(pg_council):
    """Eight children's tasks completed at once, in eight threads, twice on one child: every
    running figure still equals a recount, and the second completion of one task is refused
    plainly, never a database error."""
    from .helpers import INITIAL_PPM
    kids = [register_child(pg_council, child_details(reference=f"C-{n}"), "sw",
                           process_id="demo_pathway") for n in range(8)]
    tasks = [open_tasks(pg_council, child_id=kid.child_id)[0]["task_id"] for kid in kids]
    set_clock(2026, 3, 11)
    tasks.append(tasks[0])
    start, errors, done = threading.Barrier(len(tasks)), [], []

    def complete(task_id):
        start.wait()
        try:
            done.append(complete_task(pg_council, task_id, INITIAL_PPM, "sw"))
        except (Conflict, TaskNotOpen) as refused:
            errors.append(refused)
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            errors.append(exc)

    threads = [threading.Thread(target=complete, args=(t,)) for t in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(done) == 8 and [type(e) for e in errors] in ([TaskNotOpen], [Conflict])
    _agree(pg_council, "demo_pathway")
    with pg_council.transaction() as session:
        add_user(session, "hos", "Hal Head", [roles.HEAD_OF_SERVICE])
    board = reporting.dashboard(pg_council, "hos", "demo_pathway")
    with pg_council.reading() as session:
        assert board.counts.total == len(session.scalars(select(PathwayInstance.id)).all())


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_the_command_checks_and_rebuilds(council, tmp_path):
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    command = [str(ROOT / ".venv" / "bin" / "permanence")]
    env = {"DATABASE_URL": council.url, "PERMANENCE_PROCESS": "demo_pathway",
           "PERMANENCE_CLOCK": "2026-03-02T09:00:00+00:00", "PATH": "/usr/bin:/bin"}

    def run(*args):
        return subprocess.run(command + list(args), env=env, capture_output=True, text=True,
                              timeout=120, cwd=tmp_path)

    agreed = run("figures", "check")
    assert (agreed.returncode, agreed.stdout) == (0, "the running figures agree with a full recount\n")
    with council.transaction() as session:
        session.execute(update(DashboardFigure).values(n=DashboardFigure.n + 1))
    council.dispose()
    differs = run("figures", "check")
    assert differs.returncode == 1 and differs.stdout == ""
    assert differs.stderr.startswith("error: the running figures differ from a full recount")
    assert run("figures", "rebuild").returncode == 0
    assert run("figures", "check").returncode == 0
