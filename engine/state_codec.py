"""SpiffWorkflow 3.2's converters for a workflow's task tree, written out for our one format.

Loading and saving a child's workflow is a good part of every completion and timer, and most
of that was the serializer registry's generic machinery (a lookup, a partial and a dict copy
per task and per value), not the work itself. These functions build and read exactly the
dictionaries SpiffWorkflow's `TaskConverter`, `WorkflowConverter`, `BpmnSubWorkflowConverter`
and `BpmnWorkflowConverter` (minus its spec, see `engine.state`) build and read, field for
field and in the same order; tests/engine/test_state_codec.py holds them to that over real
pathways. Anything rarer than a task (events, workflow data, a task's internal data) still
goes through the registry itself.
"""
from copy import copy
from uuid import UUID, SafeUUID

from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

_WAITING = TaskState.WAITING
_PRIMITIVE = frozenset({str, int, float, bool, type(None)})
_MUTABLE = (dict, list, set)


# --- saving ---------------------------------------------------------------------------------

def workflow_to_dict(registry, workflow: BpmnWorkflow) -> dict:
    """`BpmnWorkflowConverter.to_dict` without the spec, as `registry.convert` gives it."""
    names: dict = {}
    dct = _common_to_dict(registry, workflow, names)
    dct["subprocesses"] = {str(task_id): _subworkflow_to_dict(registry, sub, names)
                           for task_id, sub in workflow.subprocesses.items()}
    dct["bpmn_events"] = registry.convert(workflow.bpmn_events) if workflow.bpmn_events else []
    dct["typename"] = "BpmnWorkflow"
    return dct


def _subworkflow_to_dict(registry, workflow, names: dict) -> dict:
    dct = _common_to_dict(registry, workflow, names)
    dct["parent_task_id"] = str(workflow.parent_task_id)
    dct["spec"] = workflow.spec.name
    dct["typename"] = "BpmnSubWorkflow"
    return dct


def _common_to_dict(registry, workflow, names: dict) -> dict:
    """`WorkflowConverter.to_dict`."""
    data = registry.clean(workflow.data)
    return {
        "data": registry.convert(data) if data else {},
        "correlations": workflow.correlations,
        "last_task": str(workflow.last_task.id) if workflow.last_task is not None else None,
        "success": workflow.success,
        "completed": workflow.completed,
        "tasks": _tasks_to_dict(registry, workflow.tasks, names),
        "root": str(workflow.task_tree.id),
    }


def _tasks_to_dict(registry, tasks: dict, names: dict) -> dict:
    """`TaskConverter.to_dict` for each task: the data a task shares with its parent is
    stored once, as the parent's, with only what the task changed (`delta`)."""
    out = {}
    convert = registry.convert
    get = tasks.get
    for key, task in tasks.items():
        parent = get(task._parent)
        if parent is None:
            data, delta = task.data, {}
        else:
            before, after = parent.data, task.data
            data = {}
            delta = {"updates": {k: v for k, v in after.items() if k not in before or v != before[k]},
                     "deletions": [k for k in before if k not in after]}
        internal = task.internal_data
        out[_name(names, key)] = {
            "id": _name(names, task.id),
            "parent": _name(names, task._parent) if parent is not None else None,
            "children": [_name(names, child) for child in task._children],
            "last_state_change": task.last_state_change,
            "state": task._state,
            "task_spec": task.task_spec.name,
            "triggered": task.triggered,
            "internal_data": convert(internal) if internal else {},
            "data": data,
            "delta": delta,
            "typename": "Task",
        }
    return out


def _name(names: dict, task_id) -> str:
    """str(task_id), each id written once however often the tree names it."""
    found = names.get(id(task_id))
    if found is None or found[0] is not task_id:
        found = names[id(task_id)] = (task_id, str(task_id))
    return found[1]


# --- loading --------------------------------------------------------------------------------

def workflow_from_dict(registry, dct: dict, spec, subprocess_specs: dict) -> BpmnWorkflow:
    """`BpmnWorkflowConverter.from_dict` on the given (cached) spec."""
    restore = _restorer(registry)
    ids: dict = {}
    workflow = BpmnWorkflow(spec, subprocess_specs, deserializing=True)
    _tasks_from_dict(dct["tasks"], workflow, workflow, restore, ids)
    workflow.task_tree = workflow.tasks.get(_uuid(ids, dct["root"]))
    _set_default_attributes(workflow, dct, restore, ids)
    _subprocesses_from_dict(dct["subprocesses"], workflow, workflow, restore, ids)
    workflow.bpmn_events = registry.restore(dct.pop("bpmn_events", []))
    return workflow


def _subprocesses_from_dict(dct: dict, workflow, top, restore, ids: dict) -> None:
    """`BpmnWorkflowConverter.subprocesses_from_dict`: parents before their children."""
    for task in list(workflow.tasks.values()):
        key = str(task.id)
        if isinstance(task.task_spec, SubWorkflowTask) and key in dct:
            sub_dct = dct.pop(key)
            sub_spec = top.subprocess_specs.get(task.task_spec.spec)
            sub = BpmnSubWorkflow(sub_spec, task.id, top, deserializing=True)
            _tasks_from_dict(sub_dct["tasks"], sub, top, restore, ids)
            sub.task_tree = sub.tasks.get(_uuid(ids, sub_dct["root"]))
            _set_default_attributes(sub, sub_dct, restore, ids)
            top.subprocesses[task.id] = sub
            sub.completed_event.connect(task.task_spec._on_subworkflow_completed, task)
            _subprocesses_from_dict(dct, sub, top, restore, ids)


def _set_default_attributes(workflow, dct: dict, restore, ids: dict) -> None:
    workflow.success = dct["success"]
    workflow.completed = dct.get("completed", False)
    workflow.correlations = dct.pop("correlations", {})
    if isinstance(dct["last_task"], str):
        workflow.last_task = workflow.tasks.get(_uuid(ids, dct["last_task"]))
    workflow.data = restore(dct.pop("data", {}))


def _tasks_from_dict(tasks: dict, workflow, top, restore, ids: dict) -> None:
    """`TaskConverter.from_dict` for each task, in order: a task's data is its parent's
    (copied as `DeepMerge.merge` copies it) with its own changes."""
    specs = workflow.spec.task_specs
    events = top.event_manager
    workflow_tasks = workflow.tasks
    new = Task.__new__
    for dct in tasks.values():
        task_spec = specs.get(dct["task_spec"])
        task_id = _uuid(ids, dct["id"])
        if task_spec is None:   # as Task() makes it (a StartTask): never in a stored pathway
            task = Task(workflow, None, state=dct["state"], id=task_id)
        else:
            task = new(Task)
            task.id = task_id
            workflow_tasks[task_id] = task
            task.workflow = workflow
            task._state = dct["state"]
            task.triggered = False
            task.task_spec = task_spec
            task.thread_id = Task.thread_id_pool
        parent_id = dct["parent"]
        task._parent = _uuid(ids, parent_id) if parent_id is not None else None
        task._children = [_uuid(ids, child) for child in dct["children"]]
        task.last_state_change = dct["last_state_change"]
        task.triggered = dct["triggered"]
        internal = dct["internal_data"]
        task.internal_data = restore(internal) if internal else {}
        if isinstance(task_spec, CatchingEvent) and task._state & _WAITING:
            events.add_task(task)
        delta = dct.get("delta")
        parent = workflow_tasks.get(task._parent) if delta else None
        if parent is not None:
            data = {k: (v.copy() if type(v) in (dict, list) else copy(v)) if isinstance(v, _MUTABLE) else v
                    for k, v in parent.data.items()}
            updates = delta.get("updates", {})
            if updates:
                data.update(restore(updates))
            for key in delta.get("deletions", {}):
                if key in data:
                    del data[key]
        else:
            data = restore(dct["data"])
        task.data = data


def _uuid(ids: dict, text: str) -> UUID:
    """UUID(text), made once per id in a load (a task's id is also its parent's child and
    its children's parent), without UUID()'s checks: these were written by str(UUID)."""
    found = ids.get(text)
    if found is None:
        found = ids[text] = _new_uuid(text)
    return found


def _new_uuid(text: str) -> UUID:
    if len(text) != 36 or text.count("-") != 4:
        return UUID(text)
    found = object.__new__(UUID)
    object.__setattr__(found, "int", int(text.replace("-", ""), 16))
    object.__setattr__(found, "is_safe", SafeUUID.unknown)
    return found


def _restorer(registry):
    """`registry.restore` for values read from JSON (dicts, lists and primitives only)."""
    from_dict = registry.convert_from_dict

    def restore(value):
        kind = type(value)
        if kind in _PRIMITIVE:
            return value
        if kind is dict:
            if "typename" in value:
                found = dict(value)
                return from_dict.get(found.pop("typename"))(found)
            return {k: restore(v) for k, v in value.items()}
        if kind is list:
            return [restore(item) for item in value]
        return registry.restore(value)
    return restore
