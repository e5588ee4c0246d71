"""What an instance carries forward: its state without the spec, dates and decimals kept,
and a history that does not grow with every review cycle."""
from datetime import date
from decimal import Decimal

from SpiffWorkflow.util.task import TaskState

from engine import complete_task, register_child
from engine.runtime import new_workflow
from engine.specs import loaded_version
from engine.state import active_elements, dump_state, load_state, prune_history
from engine.environment import SCRIPT_ENGINE

from ..conftest import child_details, set_clock
from .helpers import INITIAL_PPM, instance_row, only_open_task


def _loaded(db):
    with db.transaction() as s:
        return loaded_version(s, 1)


def test_state_holds_no_spec_and_round_trips_dates_and_decimals(council):
    loaded = _loaded(council)
    workflow = new_workflow(loaded, {"looked_after_on": date(2026, 3, 2), "child_name": "A",
                                     "allowance": Decimal("12.50")})
    workflow.do_engine_steps()
    text = dump_state(workflow)
    assert "bpmn_id" not in text and "task_specs" not in text  # the spec is stored once elsewhere
    restored = load_state(text, loaded.spec, loaded.subprocess_specs, SCRIPT_ENGINE)
    task = restored.get_next_task(state=TaskState.READY, manual=True)
    assert task.data["looked_after_on"] == date(2026, 3, 2)
    assert task.data["allowance"] == Decimal("12.50")
    assert restored.script_engine is SCRIPT_ENGINE  # never SpiffWorkflow's unrestricted default


def _review(db, child_id, held_on, achieved=False):
    task = only_open_task(db, child_id)
    return complete_task(db, task["task_id"], {"held_on": held_on, "plan_achieved": achieved}, "sw")


def test_two_hundred_review_cycles_do_not_grow_what_each_click_loads(council):
    registered = register_child(council, child_details(), "sw", process_id="demo_pathway")
    set_clock(2026, 3, 20)
    complete_task(council, only_open_task(council, registered.child_id)["task_id"], INITIAL_PPM, "sw")
    _review(council, registered.child_id, "2026-03-20")
    after_one = len(instance_row(council, registered.outcome.instance_id).state)
    for _ in range(199):
        _review(council, registered.child_id, "2026-03-20")
    row = instance_row(council, registered.outcome.instance_id)
    assert len(row.state) <= after_one * 1.05, (after_one, len(row.state))
    # The history is in the projections and the audit trail, not in the workflow.
    task = only_open_task(council, registered.child_id)
    assert task["name"] == "Record review PPM" and task["due_on"] == date(2026, 5, 1)  # 20 Mar + 6 weeks
    outcome = _review(council, registered.child_id, "2026-03-20", achieved=True)
    assert outcome.status == "completed"
    assert instance_row(council, registered.outcome.instance_id).stage == "Pathway complete"


def test_pruning_keeps_the_data_and_the_live_tasks(council):
    loaded = _loaded(council)
    workflow = new_workflow(loaded, {"looked_after_on": date(2026, 3, 2), "child_name": "A"})
    workflow.do_engine_steps()
    task = workflow.get_next_task(state=TaskState.READY, manual=True)
    task.set_data(held_on=date(2026, 3, 10), plan="adoption", contingency_plan="x")
    task.run()
    workflow.do_engine_steps()
    for _ in range(5):
        task = workflow.get_next_task(state=TaskState.READY, manual=True)
        task.set_data(held_on=date(2026, 3, 10), plan_achieved=False)
        task.run()
        workflow.do_engine_steps()
    before = len(workflow.tasks)
    removed = prune_history(workflow)
    assert removed > 0 and len(workflow.tasks) == before - removed
    restored = load_state(dump_state(workflow), loaded.spec, loaded.subprocess_specs, SCRIPT_ENGINE)
    ready = restored.get_next_task(state=TaskState.READY, manual=True)
    assert ready.task_spec.bpmn_id == "record_review_ppm"
    assert ready.data["looked_after_on"] == date(2026, 3, 2) and ready.data["plan"] == "adoption"
    assert prune_history(restored) == 0  # nothing more to drop


def test_a_loop_in_a_parallel_branch_is_pruned_too():
    """Six-weekly meetings loop beside other branches for years: finished iterations inside a
    branch are cut, while the other branches (a route, a multi-instance task) are untouched."""
    from pathlib import Path
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from workflows.diagrams import load_directory, parse_bundle
    parsed = parse_bundle(load_directory(Path(__file__).parent / "diagrams" / "parallel_loop", "proto_main"))
    workflow = BpmnWorkflow(parsed.spec, parsed.subprocess_specs, script_engine=SCRIPT_ENGINE)
    workflow.get_next_task(state=TaskState.READY).data.update(
        looked_after_on=date(2026, 3, 2), actions=[{"action": "Book the assessment", "due_on": date(2026, 4, 1)}])
    workflow.do_engine_steps()

    def run(bpmn_id, **data):
        task = next(t for t in workflow.get_tasks(state=TaskState.READY, manual=True)
                    if t.task_spec.bpmn_id == bpmn_id)
        task.set_data(**data)
        task.run()
        workflow.do_engine_steps()

    sizes = []
    for n in range(60):
        run("loop", n=n)
        prune_history(workflow)
        sizes.append(len(workflow.tasks))
    assert max(sizes[5:]) == min(sizes[5:])  # bounded: the same size every iteration
    restored = load_state(dump_state(workflow), parsed.spec, parsed.subprocess_specs, SCRIPT_ENGINE)
    ready = sorted((t.task_spec.bpmn_id, t.data.get("n")) for t in restored.get_tasks(state=TaskState.READY, manual=True))
    assert ready == [("a", None), ("loop", 59), ("mi", None)]
    workflow = restored
    run("a")        # the route's terminate end closes the route subprocess, MI task with it
    assert sorted(t.task_spec.bpmn_id for t in workflow.get_tasks(state=TaskState.READY, manual=True)) == ["after", "loop"]
    run("after")    # the main process's terminate end closes the looping branch
    assert workflow.is_completed()


def test_where_the_child_stands_is_read_from_the_state_as_the_workflow_says(db):
    """The child page's "where the child is now" (engine.position) reads the stored state
    without rebuilding the workflow: it names what the rebuilt workflow's ready, waiting and
    started tasks name, in the main process and the called ones, on the shipped pathway."""
    from tests.scenarios.conftest import PPM_AREAS, PROCESS, Case, make_pathway_council
    make_pathway_council(db)
    case = Case.start(db, date(2026, 3, 2), date(2019, 5, 4))
    active = TaskState.READY | TaskState.WAITING | TaskState.STARTED
    seen = []
    for step in range(2):   # as registered, then after the initial PPM
        row = instance_row(db, case.instance_id)
        with db.transaction() as s:
            loaded = loaded_version(s, row.diagram_version_id)
        workflow = load_state(row.state, loaded.spec, loaded.subprocess_specs, SCRIPT_ENGINE)
        expected = sorted({t.task_spec.bpmn_id for t in workflow.get_tasks(state=active)
                           if t.task_spec.bpmn_id})
        assert workflow.subprocesses and len(expected) > 1
        assert active_elements(row.state, loaded.spec, loaded.subprocess_specs) == expected
        seen.append(expected)
        if step == 0:
            case.do("Hold the initial PPM", on=date(2026, 3, 9), held_on=date(2026, 3, 9),
                    **PPM_AREAS, reunification_discussed=True, plan_identified=False)
    assert seen[0] != seen[1]


def test_one_task_is_read_from_the_state_as_the_rebuilt_workflow_has_it(db):
    """Checking a form's answers (engine.drafts) reads one task's spec, state and data from the
    stored state without rebuilding the workflow: every task of the shipped pathway, in the
    main process and the called ones, reads as the rebuilt workflow has it (dates and all)."""
    from uuid import uuid4

    from engine.state import stored_task
    from tests.scenarios.conftest import PPM_AREAS, Case, make_pathway_council
    make_pathway_council(db)
    case = Case.start(db, date(2026, 3, 2), date(2019, 5, 4))
    for step in range(2):   # as registered, then after the initial PPM
        row = instance_row(db, case.instance_id)
        with db.transaction() as s:
            loaded = loaded_version(s, row.diagram_version_id)
        workflow = load_state(row.state, loaded.spec, loaded.subprocess_specs, SCRIPT_ENGINE)
        tasks = [*workflow.tasks.values(), *(t for sp in workflow.subprocesses.values() for t in sp.tasks.values())]
        assert len(tasks) > 20 and workflow.subprocesses
        with_data = 0
        for task in tasks:
            stored = stored_task(row.state, loaded.spec, loaded.subprocess_specs, str(task.id))
            assert stored.task_spec is task.task_spec and stored.state == task.state, task
            assert stored.data == task.data and repr(stored.data) == repr(task.data), task
            with_data += bool(task.data)
        assert with_data > 10   # the comparison is of real data, not of empty dicts
        assert stored_task(row.state, loaded.spec, loaded.subprocess_specs, str(uuid4())) is None
        if step == 0:
            case.do("Hold the initial PPM", on=date(2026, 3, 9), held_on=date(2026, 3, 9),
                    **PPM_AREAS, reunification_discussed=True, plan_identified=False)
