"""A child's workflow as stored: the task tree and data, without the spec, and without the
history that no longer affects what happens next.

The spec is the same for every instance of a diagram version, so it is stored once
(`diagram_version.spec_json`) and handed in when an instance is loaded. History is pruned:
a child's pathway may loop through six-weekly reviews for years, and a task tree that kept
every finished loop would make every load and save slower for that child. The audit trail
and the human_task rows keep that history instead.
"""
import json
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.helpers.encoder import create_encoder
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

from workflows.serialization import make_registry

STATE_FORMAT = "permanence-state-1"


class _SpeclessWorkflowConverter(BpmnWorkflowConverter):
    """SpiffWorkflow's converter for a top-level workflow, minus the spec it embeds."""

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
    dct = _REGISTRY.convert(workflow)
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
    workflow = _REGISTRY.convert_from_dict["BpmnWorkflow"](
        dct, spec=spec, subprocess_specs=subprocess_specs)
    workflow.script_engine = script_engine
    return workflow


_FINISHED = TaskState.FINISHED_MASK


def prune_history(workflow: BpmnWorkflow) -> int:
    """Drop finished tasks above the point where live work begins; return how many.

    Live work is every unfinished task. Their lowest common ancestor is where the tree
    still matters (joins, boundary events and splits all sit at or below it); everything
    above it is a finished chain with finished side branches. That chain is removed and the
    common ancestor hung directly under the root, so the tree stays the size of the
    current work whatever the child's history. Finished subprocesses go with their tasks.
    """
    removed = _prune_tree(workflow)
    live_ids = set(workflow.tasks)
    for subprocess in workflow.subprocesses.values():
        live_ids.update(subprocess.tasks)
    for task_id in [t for t in workflow.subprocesses if t not in live_ids]:
        removed += len(workflow.subprocesses.pop(task_id).tasks)
    for subprocess in workflow.subprocesses.values():
        removed += _prune_tree(subprocess)
    return removed


def _prune_tree(workflow) -> int:
    tasks = workflow.tasks
    live = [t for t in tasks.values() if not t.has_state(_FINISHED)]
    if not live:
        return 0
    ancestor = _lowest_common_ancestor(live)
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


def _lowest_common_ancestor(tasks):
    """The deepest task that every given task descends from (the root at worst)."""
    paths = []
    for task in tasks:
        path, node = [], task
        while node is not None:
            path.append(node)
            node = node.parent
        paths.append(path[::-1])
    common = paths[0][0]
    for level in zip(*paths):
        if all(node is level[0] for node in level):
            common = level[0]
        else:
            break
    return common
