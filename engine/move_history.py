"""What a move is judged on besides the live task tree: what the child has already done, as
recorded, and whether a change is one of substance.

The stored state is pruned (`engine.state`): finished tasks of earlier loops and the chain
above the live tasks are gone, so SpiffWorkflow's diff cannot see them. The human_task rows
(tasks completed) and the audit trail (timers fired) still say what was done; a move onto a
version that removed or changed such an element in substance is refused like one that
removed a task still in the state. A cosmetic change (a name, documentation, the
instructions or due-date wording shown to people) is not a change of substance: renaming a
done task must not strand every child who did it on the old version. Nor is, for a step
already done, how its due date or its deadline's timer is worked out (the date it had, and
whether it was met, are recorded; a new reckoning applies to the steps still to come, as
B21's next PPM date does) or a new flow leading into it (an event that can now also call a
PPM, A6) or a deadline added to the step it leads to: none changes what the child did.

A repeating timer's branch (a timeCycle boundary event and the steps after it, up to their
own end event, joining nothing) is a series of reminders beside the flow, each ended: a
version that removes or changes it strands nothing the child did (A11's LGM reviews once
repeated this way; the version that replaced them counts each from the last one held).
"""
from sqlalchemy import select
from SpiffWorkflow.bpmn.specs.control import BoundaryEventJoin, _EndJoin
from SpiffWorkflow.bpmn.specs.event_definitions.timer import CycleTimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent

from models import AuditEvent, HumanTask
from workflows.serialization import REGISTRY

from . import audit

#: Attributes of a task spec that change what people read, not what happens.
COSMETIC = {"bpmn_name", "documentation", "description"}
_COSMETIC_EXTENSIONS = {"instructionsForEndUser"}
_COSMETIC_PROPERTIES = {"dueReason"}
#: What, once a step is done, is only history: when it was due, and which flows lead to it.
_DONE_HISTORY_PROPERTIES = {"dueDate"}
_DONE_HISTORY = {"inputs"}


def _unwrapped(name):
    return name[:-len(_WRAPPED)] if isinstance(name, str) and name.endswith(_WRAPPED) else name


_WRAPPED = ".BoundaryEventSplit"
_END_JOIN = ".EndJoin"


def substance(spec) -> dict:
    """The task spec as SpiffWorkflow serialises it, minus what is only wording."""
    dct = {k: v for k, v in REGISTRY.convert(spec).items() if k not in COSMETIC | _DONE_HISTORY}
    extensions = dct.get("extensions")
    if isinstance(extensions, dict):
        extensions = {k: v for k, v in extensions.items() if k not in _COSMETIC_EXTENSIONS}
        if isinstance(extensions.get("properties"), dict):
            extensions["properties"] = {k: v for k, v in extensions["properties"].items()
                                        if k not in _COSMETIC_PROPERTIES | _DONE_HISTORY_PROPERTIES}
        dct["extensions"] = extensions
    # A deadline added to the next step wraps it (SpiffWorkflow's "X.BoundaryEventSplit"): the
    # step a done one leads to is still X.
    # An event subprocess once triggered is joined to its process's end at run time
    # (SpiffWorkflow's BpmnStartTask.trigger_wf): that is not a change of the diagram.
    for key in ("outputs",):
        if isinstance(dct.get(key), list):
            dct[key] = [_unwrapped(name) for name in dct[key] if not str(name).endswith(_END_JOIN)]
    if isinstance(dct.get("cond_task_specs"), list):
        dct["cond_task_specs"] = [{**c, "task_spec": _unwrapped(c.get("task_spec"))} if isinstance(c, dict) else c
                                  for c in dct["cond_task_specs"]]
    timer = dct.get("event_definition")
    if isinstance(timer, dict) and "Time" in str(timer.get("typename", "")):
        dct["event_definition"] = {k: v for k, v in timer.items() if k != "expression"}
    return dct


def changed_in_substance(old_spec, new_spec) -> bool:
    return substance(old_spec) != substance(new_spec)


def specs_by_element(loaded) -> dict[str, list]:
    """BPMN id -> its task specs (a multi-instance task has two) in every process of a version."""
    found: dict[str, list] = {}
    for process in [loaded.spec, *loaded.subprocess_specs.values()]:
        for spec in process.task_specs.values():
            if getattr(spec, "bpmn_id", None):
                found.setdefault(spec.bpmn_id, []).append(spec)
    for specs in found.values():
        specs.sort(key=lambda s: s.name)
    return found


def recorded_blockers(session, instance_id: int, old, new) -> list[str]:
    """Reasons from the recorded history: done elements the new version removed or changed."""
    done = list(session.scalars(select(HumanTask.bpmn_id).where(
        HumanTask.instance_id == instance_id, HumanTask.status == "completed").order_by(HumanTask.id)))
    for detail in session.scalars(select(AuditEvent.detail).where(
            AuditEvent.instance_id == instance_id, AuditEvent.kind == audit.TIMER_FIRED).order_by(AuditEvent.id)):
        if isinstance(detail, dict) and detail.get("bpmn_id"):
            done.append(detail["bpmn_id"])
    old_specs, new_specs = specs_by_element(old), specs_by_element(new)
    repeating = repeating_branches(old)
    reasons = []
    for bpmn_id in dict.fromkeys(done):
        if bpmn_id in repeating:
            continue
        before, after = old_specs.get(bpmn_id), new_specs.get(bpmn_id)
        if not before:
            continue  # done on an even older version, already judged when it moved
        label = f"'{before[0].bpmn_name or bpmn_id} ({bpmn_id})'"
        if not after:
            reasons.append(f"{label} was done and is removed in the new version")
        elif len(before) != len(after) or any(changed_in_substance(b, a) for b, a in zip(before, after)):
            reasons.append(f"{label} was done and is changed in the new version")
    return reasons


def repeating_branches(loaded) -> set[str]:
    """BPMN ids of every repeating timer's branch in a version: the timeCycle boundary event
    and the steps after it up to their end event, where no other flow joins them."""
    found: set[str] = set()
    for process in [loaded.spec, *loaded.subprocess_specs.values()]:
        for spec in process.task_specs.values():
            if isinstance(spec, BoundaryEvent) and isinstance(spec.event_definition, CycleTimerEventDefinition):
                found |= _side_branch(spec)
    return found


def _side_branch(event) -> set[str]:
    # a boundary event also leads to its step's join, which is the step's way on, not its own
    reached, stack = {event}, [s for s in event.outputs if not isinstance(s, BoundaryEventJoin)]
    while stack:
        spec = stack.pop()
        if spec in reached or isinstance(spec, _EndJoin) or spec.name == "End":
            continue
        reached.add(spec)
        stack.extend(spec.outputs)
    if any(i not in reached for spec in reached - {event} for i in spec.inputs):
        return set()  # the branch joins the flow: what was done on it may matter later
    return {spec.bpmn_id for spec in reached if getattr(spec, "bpmn_id", None)}
