"""A child's workflow as stored: the task tree and data, without the spec, and without the
history that no longer affects what happens next.

The spec is the same for every instance of a diagram version, so it is stored once
(`diagram_version.spec_json`) and handed in when an instance is loaded. History is pruned:
a child's pathway may loop through six-weekly reviews for years, and a task tree that kept
every finished loop would make every load and save slower for that child. The audit trail
and the human_task rows keep that history instead.
"""
import json
from dataclasses import dataclass
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.helpers.encoder import create_encoder
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState

from workflows.serialization import make_registry

from . import clock
from .state_codec import workflow_from_dict, workflow_to_dict
clock.install()  # timers read the application clock in every workflow made or loaded here

STATE_FORMAT = "permanence-state-1"


class _SpeclessWorkflowConverter(BpmnWorkflowConverter):
    """SpiffWorkflow's converter for a top-level workflow, minus the spec it embeds: the
    reference `engine.state_codec` gives the same dictionaries as, faster."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_REGISTRY = make_registry({**SPIFF_CONFIG, BpmnWorkflow: _SpeclessWorkflowConverter})


# Task data is written as-is by SpiffWorkflow's task converter and encoded here. The registry's
# faster "encoder mode" is a flag on a shared object, unsafe with a web worker and a timer
# worker in one process, so it is never switched on.
_ENCODER = create_encoder(_REGISTRY)


def dump_state(workflow: BpmnWorkflow) -> str:
    dct = workflow_to_dict(_REGISTRY, workflow)   # what _REGISTRY.convert(workflow) gives
    dct["format"] = STATE_FORMAT
    return json.dumps(dct, cls=_ENCODER, separators=(",", ":"))


def load_state(text: str, spec, subprocess_specs: dict, script_engine) -> BpmnWorkflow:
    """Rebuild a workflow on the cached spec; the script engine is set again every time,
    because a restored workflow otherwise gets SpiffWorkflow's unrestricted default."""
    dct = json.loads(text)
    fmt = dct.pop("format", None)
    if fmt != STATE_FORMAT:
        raise ValueError(f"unknown workflow state format {fmt!r}")
    dct.pop("typename", None)
    # What _REGISTRY.convert_from_dict["BpmnWorkflow"](dct, spec=..., ...) gives.
    workflow = workflow_from_dict(_REGISTRY, dct, spec, subprocess_specs)
    workflow.script_engine = script_engine
    return workflow


_ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED


def active_elements(text: str, spec, subprocess_specs: dict) -> list[str]:
    """The diagram elements the workflow stands at (tasks ready, waiting or started, in the
    main process and every called one), read from the stored state without rebuilding the
    workflow: the child page shows them on every visit, and rebuilding cost more than the rest
    of the page's reads."""
    dct = json.loads(text)
    found = set()
    for workflow_spec, tasks in [(spec, dct["tasks"]), *(
            (subprocess_specs.get(sub.get("spec")), sub["tasks"]) for sub in dct["subprocesses"].values())]:
        if workflow_spec is None:
            continue
        for task in tasks.values():
            if task["state"] & _ACTIVE:
                task_spec = workflow_spec.task_specs.get(task["task_spec"])
                if task_spec is not None and task_spec.bpmn_id:
                    found.add(task_spec.bpmn_id)
    return sorted(found)


@dataclass(frozen=True)
class StoredTask:
    """One task of a stored workflow: what `load_state(...).get_task_from_id(id)` gives of it."""
    id: UUID
    task_spec: object
    state: int
    data: dict


def stored_task(text: str, spec, subprocess_specs: dict, task_id: str) -> StoredTask | None:
    """A task read from the stored state without rebuilding the workflow (checking a form's
    answers needs one task's spec, state and data, not the whole tree): its data is rebuilt
    as SpiffWorkflow's task converter rebuilds it, the first stored data on its line of
    ancestors with each descendant's changes on top. None if there is no such task."""
    dct = json.loads(text)
    if dct.get("format") != STATE_FORMAT:
        raise ValueError(f"unknown workflow state format {dct.get('format')!r}")
    for workflow_spec, tasks in [(spec, dct["tasks"]), *(
            (subprocess_specs.get(sub.get("spec")), sub["tasks"]) for sub in dct["subprocesses"].values())]:
        if task_id not in tasks:
            continue
        found = tasks[task_id]
        task_spec = workflow_spec.task_specs.get(found["task_spec"]) if workflow_spec is not None else None
        return StoredTask(UUID(task_id), task_spec, found["state"], _stored_data(tasks, task_id))
    return None


def _stored_data(tasks: dict, task_id: str) -> dict:
    # The converter restores tasks in stored order, and a task's parent counts only once it
    # has been restored (stored earlier); the chain stops where the converter's would.
    order = {key: i for i, key in enumerate(tasks)}
    chain = [task_id]
    while (parent := tasks[chain[-1]]["parent"]) is not None and order.get(parent, len(order)) < order[chain[-1]]:
        chain.append(parent)
    data = None
    for key in reversed(chain):
        dct = tasks[key]
        delta = dct.get("delta")
        if delta and data is not None:
            data = DeepMerge.merge({}, data)
            data.update(_REGISTRY.restore(delta.get("updates", {})))
            for name in delta.get("deletions", {}):
                if name in data:
                    del data[name]
        else:
            data = _REGISTRY.restore(dct["data"])
    return data


_FINISHED = TaskState.FINISHED_MASK


def prune_history(workflow: BpmnWorkflow) -> int:
    """Drop finished history that no longer affects what happens next; return how many tasks.

    Two cuts, in every (sub)process tree:
    - above the lowest common ancestor of all live (unfinished) tasks: a finished chain
      with finished side branches, hung off the root;
    - inside a branch, finished earlier iterations of a loop: where a live task's ancestors
      meet the same task spec twice and everything between the two (side branches too) is
      finished, the older iteration is cut out and the newer one hung where it began. A
      pathway's parallel branches (six-weekly PPMs beside the CLA review cycle) loop for
      years, so the first cut alone would not bound them.
    SpiffWorkflow 3.2's joins read only a waiting join's parent and the splits of the
    current iteration, which both cuts keep. Finished subprocesses go with their tasks.
    """
    removed = _prune_tree(workflow) + _prune_loops(workflow)
    live_ids = set(workflow.tasks)
    for subprocess in workflow.subprocesses.values():
        live_ids.update(subprocess.tasks)
    for task_id in [t for t in workflow.subprocesses if t not in live_ids]:
        removed += len(workflow.subprocesses.pop(task_id).tasks)
    for subprocess in workflow.subprocesses.values():
        removed += _prune_tree(subprocess) + _prune_loops(subprocess)
    return removed


def _prune_tree(workflow) -> int:
    tasks = workflow.tasks
    live = [t for t in tasks.values() if not t._state & _FINISHED]
    if not live:
        return 0
    ancestor = _lowest_common_ancestor(live, _parents(tasks))
    root = workflow.task_tree
    if ancestor is root or ancestor.parent is root:
        return 0
    parent_data = ancestor.parent.data
    keep = {root.id}
    stack = [ancestor]
    while stack:
        node = stack.pop()
        keep.add(node.id)
        stack.extend(node.children)
    removed = [task_id for task_id in tasks if task_id not in keep]
    for task_id in removed:
        del tasks[task_id]
    # Task data is saved as a delta against the parent's: give the root the data the old
    # parent had, so the kept tasks' data is the same after a save and a load.
    root.data = dict(parent_data)
    root._children = [ancestor.id]
    ancestor._parent = root.id
    if workflow.last_task is not None and workflow.last_task.id not in tasks:
        workflow.last_task = None
    return len(removed)


def _prune_loops(workflow) -> int:
    removed = 0
    while True:
        segment = _finished_iteration(workflow)
        if segment is None:
            return removed
        first, resumed = segment
        parent = first.parent
        doomed = _subtree_ids(first) - _subtree_ids(resumed)
        for task_id in doomed:
            del workflow.tasks[task_id]
        parent._children = [resumed.id if c == first.id else c for c in parent._children]
        resumed._parent = parent.id
        if workflow.last_task is not None and workflow.last_task.id not in workflow.tasks:
            workflow.last_task = None
        removed += len(doomed)


def _finished_iteration(workflow):
    """(first, resumed): two tasks of one spec on a live task's path, everything from
    `first` down to `resumed` (side branches included) finished; None if there is none."""
    parent_of = None
    for task in workflow.tasks.values():
        if task._state & _FINISHED or task._children:
            continue  # start from live leaves
        if parent_of is None:
            parent_of = _parents(workflow.tasks)
        path = _path(task, parent_of)
        first_seen = {}
        for depth, node in enumerate(path[1:-1], start=1):
            earlier = first_seen.setdefault(node.task_spec, depth)
            if earlier < depth and path[depth - 1] is not path[earlier] and all(
                    t.has_state(_FINISHED) for t in _subtree(path[earlier], stop=node)):
                return path[earlier], node
    return None


def _parents(tasks: dict) -> dict:
    """Each task's parent (task.parent), by id(task): the walks below go up the tree many
    times, and task.parent hashes a UUID on every step."""
    get = tasks.get
    return {id(t): get(t._parent) for t in tasks.values()}


def _path(task, parent_of: dict) -> list:
    """The tasks from the root down to `task`."""
    path, node = [], task
    while node is not None:
        path.append(node)
        node = parent_of[id(node)]
    path.reverse()
    return path


def _subtree(task, stop=None):
    stack = [task]
    while stack:
        node = stack.pop()
        if node is stop:
            continue
        yield node
        stack.extend(node.children)


def _subtree_ids(task) -> set:
    return {t.id for t in _subtree(task)}


def _lowest_common_ancestor(tasks, parent_of: dict):
    """The deepest task that every given task descends from (the root at worst): the
    shallowest point at which each task's way up meets the first task's path."""
    path = _path(tasks[0], parent_of)
    depth_of = {id(node): depth for depth, node in enumerate(path)}
    common = len(path) - 1
    for task in tasks[1:]:
        walked, node, met = [], task, 0   # a way up that never meets it: the path's top
        while node is not None:
            met = depth_of.get(id(node))
            if met is not None:
                break
            walked.append(id(node))
            node = parent_of[id(node)]
        else:
            met = 0
        for key in walked:   # the same way up, from anywhere below, meets it there too
            depth_of[key] = met
        common = min(common, met)
    return path[common]
