"""complete_task against bare SpiffWorkflow, and on a child with a long history.

complete_vs_library: engine.complete_task (load the row, check, validate, deserialize, run,
  rewrite projections, save, audit, commit) over bare SpiffWorkflow in memory on the same
  instance: deserialize_json, run, do_engine_steps, serialize_json with the library's own
  serializer (which carries the spec in every document).
complete_growth: complete_task on children who have been through 200 review cycles over the
  same on children at their first review.

Measured on the full permanence pathway (twelve processes, reviews, panel and legal work
running beside the plan), and with the `demo_` prefix on the small demo diagram.
"""
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.util.task import TaskState

from engine import clock, complete_task, open_tasks
from engine.environment import SCRIPT_ENGINE
from engine.runtime import open_workflow
from engine.specs import loaded_version
from models import PathwayInstance
from workflows.serialization import make_registry

from .common import START, council, days, median_ms, register, timed

#: Per process: the name of the first meeting, the name of the repeating review, and their answers.
PROCESSES = {
    "permanence_pathway": ("Hold the initial PPM", "Hold the review PPM", {
        "held_on": "2026-03-02", "invited": ["fostering_team", "adoption_team", "family_and_friends_team", "iro", "childrens_guardian"],
            "wishes_and_feelings": "Not recorded before the service was used.", "child_consulted_how": "met_alone",
            "views_of_parents": "Not recorded before the service was used.", "advocacy_information_given": False,
            "parallel_plan_explained": True, "route_evidence": "As the council's tracker recorded it.",
            "higher_options_ruled_out": "As the council's tracker recorded it.", "chaired_by": "social_worker", "background": "b",
        "options_and_outcomes": "o", "reunification_discussed": True, "plan_identified": False,
        "contingency_plan": "c"}),
    "demo_pathway": ("Record initial PPM", "Record review PPM", None),
}
DEMO_INITIAL = {"held_on": "2026-03-02", "plan": "adoption", "contingency_plan": "Fostering"}
DEMO_REVIEW = {"held_on": "2026-03-02", "plan_achieved": False}


def _answers(process):
    initial, review, answers = PROCESSES[process]
    return (initial, answers or DEMO_INITIAL), (review, answers or DEMO_REVIEW)


def _task(db, child, name):
    return next(t["task_id"] for t in open_tasks(db, child_id=child) if t["name"] == name)


def _child_at_review(db, process, reference: str, cycles: int) -> int:
    (initial, first), (review, again) = _answers(process)
    child = register(db, reference, process=process).child_id
    complete_task(db, _task(db, child, initial), first, "sw")
    for _ in range(cycles):
        complete_task(db, _task(db, child, review), again, "sw")
    return child


def _engine_ms(db, process, children: list[int]) -> float:
    _, (review, again) = _answers(process)
    samples = []
    for child in children:
        task_id = _task(db, child, review)
        samples.append(timed(lambda: complete_task(db, task_id, again, "sw")))
    return median_ms(samples)


def _library_ms(db, process, children: list[int]) -> float:
    """The same instances, in memory, with SpiffWorkflow's own serializer."""
    serializer = BpmnWorkflowSerializer(make_registry())
    documents = []
    with db.transaction() as session:
        for child in children:
            instance = session.query(PathwayInstance).filter_by(child_id=child).one()
            workflow = open_workflow(instance, loaded_version(session, instance.diagram_version_id))
            documents.append(serializer.serialize_json(workflow))
    _, (review, again) = _answers(process)
    samples = []
    for text in documents:
        def bare():
            workflow = serializer.deserialize_json(text)
            workflow.script_engine = SCRIPT_ENGINE
            task = next(t for t in workflow.get_tasks(state=TaskState.READY, manual=True)
                        if t.task_spec.bpmn_name == review)
            task.set_data(**again)
            task.run()
            workflow.refresh_timers()
            workflow.do_engine_steps()
            serializer.serialize_json(workflow)
        samples.append(timed(bare))
    return median_ms(samples)


def run(url: str | None = None, children: int = 40, cycles: int = 200, aged: int = 12) -> dict:
    figures = {}
    for process, prefix in (("permanence_pathway", ""), ("demo_pathway", "demo_")):
        with council(url, f"bench_completion_{process}", process) as db:
            figures.update(_measure(db, process, prefix, children, cycles, aged))
    return figures


def _measure(db, process: str, prefix: str, children: int, cycles: int, aged: int) -> dict:
    clock.set_fixed(START + days(1))
    fresh = [_child_at_review(db, process, f"F{n:03}", 0) for n in range(children)]
    old = [_child_at_review(db, process, f"O{n:03}", cycles) for n in range(aged)]
    library = _library_ms(db, process, fresh)
    engine_fresh = _engine_ms(db, process, fresh)
    engine_old = _engine_ms(db, process, old)
    return {
        f"{prefix}complete_ms": round(engine_fresh, 2),
        f"{prefix}library_ms": round(library, 2),
        f"{prefix}complete_vs_library": round(engine_fresh / library, 2),
        f"{prefix}complete_aged_ms": round(engine_old, 2),
        f"{prefix}complete_growth": round(engine_old / engine_fresh, 2),
    }
