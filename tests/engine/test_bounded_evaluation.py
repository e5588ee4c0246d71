"""Diagram code is bounded in time and memory wherever it runs: validating a draft,
registering a child, completing a task and the timer sweep. A bomb fails that one
evaluation, naming its element; the pathway goes to error and nothing else stops."""
import dataclasses
from html import escape
from pathlib import Path

import pytest

from engine import position, publish, register_child, sweep
from engine.errors import DiagramInvalid
from engine.publishing import validate
from workflows.diagrams import load_directory

from ..conftest import DEMO_DIAGRAMS, child_details, make_council, set_clock
from ..service_probe import run_bounded
from .helpers import instance_row

BOMBS = Path(__file__).parent / "diagrams" / "bombs"
DUE = 'name="dueDate" value="add_working_days(looked_after_on, 10)"'

#: (dueDate bomb, what the refusal says)
DUE_DATE_BOMBS = [
    ("10 ** 10 ** 10", "too large a number"),
    ("10 ** 10 ** 7", "too large a number"),
    ("add_working_days(looked_after_on, len('a' * 10 ** 9))", "at most 100,000"),
    ("add_working_days(looked_after_on, len([[0] * 10 ** 5 for i in range(100)]))", "in all"),
    ("add_working_days(looked_after_on, sum([[1] * 1000] * 1000, []))", "in all"),
    ("add_working_days(looked_after_on, (lambda f: f(f, 60))(lambda f, n: n and (f(f, n - 1) or f(f, n - 1))))",
     "processor time"),
]


def _demo_with(old: str, new: str):
    bundle = load_directory(DEMO_DIAGRAMS, "demo_pathway")
    [(name, xml)] = [(n, x) for n, x in bundle.bpmn_files.items() if old in x]
    return dataclasses.replace(bundle, bpmn_files={**bundle.bpmn_files,
                                                    name: xml.replace(old, new, 1)})


@pytest.mark.parametrize("bomb, reason", DUE_DATE_BOMBS)
def test_a_due_date_bomb_in_a_draft_is_refused_naming_its_element(bomb, reason):
    bundle = _demo_with(DUE, f'name="dueDate" value="{escape(bomb)}"')
    with pytest.raises(DiagramInvalid) as refused:
        run_bounded(lambda: validate(bundle))
    [problem] = refused.value.problems
    assert problem.element == "Record initial PPM (record_initial_ppm)"
    assert problem.file == "demo_pathway.bpmn" and problem.line
    assert reason in problem.message and "dueDate" in problem.message


@pytest.mark.parametrize("template, reason", [
    ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
     "a {% for %} inside another"),
    ("{% for i in range(100000) %}x{% endfor %}", "calls (such as range() or methods)"),
    ("{{ child_name * 1000000000 }}", "arithmetic"),
    ("{% set s = child_name ~ child_name %}{{ s }}", "{% set %}"),
    ("{{ child_name | center(1000000000) }}", "filter 'center'"),
])
def test_an_instructions_template_that_could_hang_is_refused(template, reason):
    old = "Hold the initial Permanency Planning Meeting for {{ child_name }} and record it here."
    bundle = _demo_with(old, escape(template))
    with pytest.raises(DiagramInvalid) as refused:
        run_bounded(lambda: validate(bundle))
    assert [(p.element, reason in p.message) for p in refused.value.problems] == [
        ("Record initial PPM (record_initial_ppm)", True)]


def test_a_bomb_behind_a_condition_validates_but_fails_only_its_own_child(db):
    """The dry run's sample child is not the one the bomb waits for; registering that child
    answers at once with the pathway in error, naming the script; the others run on."""
    publish(db, load_directory(BOMBS, "bomb_on_entry"), "tests")
    make_council(db)
    fine = register_child(db, child_details(reference="C-1"), "sw", process_id="bomb_on_entry")
    assert instance_row(db, fine.outcome.instance_id).status == "completed"
    for n, name in enumerate(["Pow Bomb", "Memory Bomb", "Loop Bomb"], start=2):
        bombed = run_bounded(lambda: register_child(
            db, child_details(reference=f"C-{n}", name=name), "sw", process_id="bomb_on_entry"))
        row = instance_row(db, bombed.outcome.instance_id)
        assert row.status == "error", name
        assert "Weigh the case on entry (weigh_on_entry)" in row.error_message
        assert ("too large a number" in row.error_message or "at most 100,000" in row.error_message
                or "processor time" in row.error_message), row.error_message


def test_a_bomb_in_the_sweep_puts_that_pathway_in_error_and_the_sweep_goes_on(db):
    publish(db, load_directory(BOMBS, "bomb_after_timer"), "tests")
    make_council(db)
    names = ["Alex Before", "Pow Bomb", "Memory Bomb", "Loop Bomb", "Zoe After"]
    children = [register_child(db, child_details(reference=f"C-{n}", name=name), "sw",
                               process_id="bomb_after_timer") for n, name in enumerate(names)]
    set_clock(2026, 3, 17, 9)
    report = run_bounded(lambda: sweep(db))
    assert report.instances == 5
    errors = dict(report.errors)
    for child, name in zip(children, names):
        row = instance_row(db, child.outcome.instance_id)
        if "Bomb" in name:
            assert row.status == "error" and row.next_due_at is None, name
            assert "Weigh the case after ten days (weigh_after_timer)" in errors[row.id]
        else:
            assert row.status == "completed", name
    # the loop's own `except Exception` could not swallow the time limit
    loop = instance_row(db, children[3].outcome.instance_id)
    assert "processor time" in loop.error_message


def test_a_due_date_bomb_at_run_time_keeps_the_task_and_says_why(db):
    """A dueDate that explodes only for one child: the task still opens (work is never
    blocked), with the reason its date could not be worked out."""
    make_council(db)
    bundle = _demo_with(DUE, 'name="dueDate" value="add_working_days(looked_after_on, '
                             '10 ** 10 ** 10 if child_name == &quot;Pow Bomb&quot; else 10)"')
    publish(db, bundle, "tests")
    registered = run_bounded(lambda: register_child(db, child_details(name="Pow Bomb"), "sw",
                                                    process_id="demo_pathway"))
    [task] = [t for t in position(db, registered.child_id).open_tasks
              if t["name"] == "Record initial PPM"]
    assert task["due_on"] is None
    assert "too large a number" in task["due_error"]
