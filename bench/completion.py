"""complete_task against bare SpiffWorkflow, and on a child with a long history.

complete_vs_library: engine.complete_task (load the row, check, validate, deserialize, run,
  rewrite projections, save, audit, commit) over bare SpiffWorkflow in memory on the same
  instance: deserialize_json, run, do_engine_steps, serialize_json with the library's own
  serializer (which carries the spec in every document).
complete_growth: complete_task on children who have been through 200 review cycles over the
  same on children at their first review.
"""
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.util.task import TaskState

from engine import clock, complete_task, open_tasks
from engine.environment import SCRIPT_ENGINE
from engine.runtime import open_workflow
from engine.specs import loaded_version
from models import PathwayInstance
from workflows.serialization import make_registry

from .common import START, days, make_council, median_ms, register, timed

INITIAL_PPM = {"held_on": "2026-03-02", "plan": "adoption", "contingency_plan": "Fostering"}
REVIEW = {"held_on": "2026-03-02", "plan_achieved": False}


def _child_at_review(db, reference: str, cycles: int) -> int:
    child = register(db, reference).child_id
    complete_task(db, open_tasks(db, child_id=child)[0]["task_id"], INITIAL_PPM, "sw")
    for _ in range(cycles):
        complete_task(db, open_tasks(db, child_id=child)[0]["task_id"], REVIEW, "sw")
    return child


def _engine_ms(db, children: list[int]) -> float:
    samples = []
    for child in children:
        task_id = open_tasks(db, child_id=child)[0]["task_id"]
        samples.append(timed(lambda: complete_task(db, task_id, REVIEW, "sw")))
    return median_ms(samples)


def _library_ms(db, children: list[int]) -> float:
    """The same instances, in memory, with SpiffWorkflow's own serializer."""
    serializer = BpmnWorkflowSerializer(make_registry())
    documents = []
    with db.transaction() as session:
        for child in children:
            instance = session.query(PathwayInstance).filter_by(child_id=child).one()
            workflow = open_workflow(instance, loaded_version(session, instance.diagram_version_id))
            documents.append(serializer.serialize_json(workflow))
    samples = []
    for text in documents:
        def bare():
            workflow = serializer.deserialize_json(text)
            workflow.script_engine = SCRIPT_ENGINE
            task = workflow.get_next_task(state=TaskState.READY, manual=True)
            task.set_data(**REVIEW)
            task.run()
            workflow.refresh_timers()
            workflow.do_engine_steps()
            serializer.serialize_json(workflow)
        samples.append(timed(bare))
    return median_ms(samples)


def run(url: str | None = None, children: int = 40, cycles: int = 200, aged: int = 12) -> dict:
    db = make_council(url)
    clock.set_fixed(START + days(1))
    fresh = [_child_at_review(db, f"F{n:03}", 0) for n in range(children)]
    old = [_child_at_review(db, f"O{n:03}", cycles) for n in range(aged)]
    library = _library_ms(db, fresh)
    engine_fresh = _engine_ms(db, fresh)
    engine_old = _engine_ms(db, old)
    return {
        "complete_ms": round(engine_fresh, 2),
        "library_ms": round(library, 2),
        "complete_vs_library": round(engine_fresh / library, 2),
        "complete_aged_ms": round(engine_old, 2),
        "complete_growth": round(engine_old / engine_fresh, 2),
    }
