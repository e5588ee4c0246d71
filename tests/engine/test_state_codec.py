"""engine.state_codec builds and reads exactly what SpiffWorkflow's own converters build and
read, over real pathways: the demo council's sixteen children (subprocesses, clocks waiting
and fired, event gateways, pruned loops) and each step of a fresh one."""
import json
import shutil

import pytest
from sqlalchemy import select

from engine.environment import SCRIPT_ENGINE
from engine.specs import clear_cache, loaded_version
from engine.state import _ENCODER, _REGISTRY, STATE_FORMAT, load_state
from engine.state_codec import workflow_to_dict
from engine import publish
from models import Database, PathwayInstance
from web.demo import load_demo
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS, set_clock

PATHWAY = "permanence_pathway"


@pytest.fixture(scope="module")
def demo_states(tmp_path_factory, sqlite_template):
    """(state, loaded version) of every demo child (the codec is the same on either database)."""
    path = tmp_path_factory.mktemp("codec") / "demo.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    clear_cache()
    set_clock(2026, 9, 7)
    publish(db, load_directory(DIAGRAMS, PATHWAY), "tests")
    assert load_demo(db, PATHWAY)
    with db.reading() as session:
        found = [(row.state, loaded_version(session, row.diagram_version_id))
                 for row in session.scalars(select(PathwayInstance).order_by(PathwayInstance.id))]
    db.dispose()
    clear_cache()
    assert len(found) >= 10
    return found


def _registry_load(text, loaded):
    dct = json.loads(text)
    dct.pop("format"), dct.pop("typename")
    workflow = _REGISTRY.convert_from_dict["BpmnWorkflow"](
        dct, spec=loaded.spec, subprocess_specs=loaded.subprocess_specs)
    workflow.script_engine = SCRIPT_ENGINE
    return workflow


def _text(dct) -> str:
    return json.dumps(dct, cls=_ENCODER, separators=(",", ":"))


def test_saving_gives_the_registrys_dictionary_field_for_field_in_order(demo_states):
    for text, loaded in demo_states:
        workflow = _registry_load(text, loaded)
        assert workflow.subprocesses and workflow.event_manager.tasks   # worth comparing
        assert _text(workflow_to_dict(_REGISTRY, workflow)) == _text(_REGISTRY.convert(workflow))


def _shape(workflow) -> list:
    """Everything a loaded workflow holds, in order, comparable across two loads."""
    def tasks(wf):
        return [(str(t.id), type(t).__name__, t.task_spec.name, t._state, str(t._parent),
                 [str(c) for c in t._children], t.last_state_change, t.triggered, t.thread_id,
                 _text(t.data), _text(t.internal_data), sorted(vars(t)), t.workflow is wf)
                for t in wf.tasks.values()]
    subs = [(str(key), type(sub).__name__, sub.spec.name, str(sub.parent_task_id), sub.depth,
             sub.top_workflow is workflow, str(sub.task_tree.id), tasks(sub), _text(sub.data),
             sub.success, sub.completed, sub.correlations, getattr(sub.last_task, "id", None),
             sub.completed_event.n_subscribers())
            for key, sub in workflow.subprocesses.items()]
    return [tasks(workflow), subs, str(workflow.task_tree.id), _text(workflow.data),
            workflow.success, workflow.completed, workflow.correlations,
            getattr(workflow.last_task, "id", None), [str(k) for k in workflow.event_manager.tasks],
            _text(_REGISTRY.convert(workflow.bpmn_events))]


def test_loading_builds_the_same_workflow_as_the_registry(demo_states):
    for text, loaded in demo_states:
        expected = _registry_load(text, loaded)
        fast = load_state(text, loaded.spec, loaded.subprocess_specs, SCRIPT_ENGINE)
        assert _shape(fast) == _shape(expected)
        # The same objects where identity matters: a task's data is its own copy.
        parents = [t for t in fast.tasks.values() if t.parent is not None]
        assert all(t.data is not t.parent.data for t in parents)


def test_a_loaded_workflow_runs_on_as_the_registrys_does(demo_states):
    """Both loads, run on (their timers refreshed and engine steps taken), save alike."""
    from engine.runtime import advance
    set_clock(2027, 9, 7)   # a year on: clocks fire, escalations open
    for text, loaded in demo_states:
        expected, fast = _registry_load(text, loaded), load_state(
            text, loaded.spec, loaded.subprocess_specs, SCRIPT_ENGINE)
        advance(expected)
        advance(fast)
        ours, theirs = _REGISTRY.convert(fast), _REGISTRY.convert(expected)
        for dct in (ours, theirs):   # new tasks have new ids and times: compare the rest
            _anonymise(dct)
        assert _text(ours) == _text(theirs)
        # And what a run saves loads as the registry loads it.
        again = _text({**workflow_to_dict(_REGISTRY, fast), "format": STATE_FORMAT})
        assert _shape(load_state(again, loaded.spec, loaded.subprocess_specs, SCRIPT_ENGINE)) \
            == _shape(_registry_load(again, loaded))


def _anonymise(dct: dict) -> None:
    names: dict = {}

    def name(text):
        return names.setdefault(text, f"#{len(names)}")

    def tasks(mapping):
        out = {}
        for key, task in mapping.items():
            task = dict(task, id=name(task["id"]), children=[name(c) for c in task["children"]],
                        parent=task["parent"] and name(task["parent"]), last_state_change=0)
            out[name(key)] = task
        return out
    for wf in [dct, *dct["subprocesses"].values()]:
        wf["tasks"] = tasks(wf["tasks"])
        wf["root"] = name(wf["root"])
        wf["last_task"] = wf["last_task"] and name(wf["last_task"])
        if "parent_task_id" in wf:
            wf["parent_task_id"] = name(wf["parent_task_id"])
    dct["subprocesses"] = {name(k): v for k, v in dct["subprocesses"].items()}


def test_a_malformed_id_is_refused_as_uuid_refuses_it():
    from engine.state_codec import _new_uuid
    from uuid import UUID
    good = "9dff3a08-0fbc-441f-a267-e971a47c6167"
    made = _new_uuid(good)
    assert made == UUID(good) and hash(made) == hash(UUID(good)) and str(made) == good
    for bad in ("9dff3a08-0fbc-441f-a267-e971a47c616g", "9dff3a080fbc-441f-a267-e971a47c61677"):
        with pytest.raises(ValueError):
            _new_uuid(bad)
