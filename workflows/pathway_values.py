"""`pathway_value(name, at=...)`: a value recorded in another part of the child's pathway.

The pathway's processes run side by side (planning beside the looked-after reviews), each
with its own copy of the data, so planning cannot see the date the first CLA review was
actually held. Some clocks run from exactly that date (R9: reunification discussed within 6
weeks of the initial review; R4: a plan by the second review, B3, B9, P10). This function
reads it from the live step that holds it: `pathway_value("review_held_on",
at="second_review")` is the first review's date, which the second review is opened with.

It reads only live steps (ready or waiting), never history, which the engine prunes. Where no
such step is live (the review not yet held, or on sample data in the dry run) it gives None,
so an expression says what to fall back on: `pathway_value(...) or <the latest it may be>`.
A timer whose expression uses it follows the value when it changes (`engine.runtime`).
"""
from SpiffWorkflow.util.task import TaskState

_LIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED
NAME = "pathway_value"


def no_pathway_value(name: str, at: str):
    """Outside a running pathway (the dry run, form rules) nothing is recorded elsewhere."""
    return None


def pathway_value_for(task):
    """`pathway_value` as seen from `task`: searches the whole pathway `task` belongs to."""
    def pathway_value(name: str, at: str):
        top = task.workflow.top_workflow
        for workflow in (top, *top.subprocesses.values()):
            for other in workflow.tasks.values():
                if other.task_spec.bpmn_id == at and other.has_state(_LIVE) and name in other.data:
                    return other.data[name]
        return None
    return pathway_value


def with_pathway(task, external_context):
    """The script engine's extra names for `task`: `pathway_value` bound to its pathway."""
    return {NAME: pathway_value_for(task), **(external_context or {})}


def uses_pathway_value(expression) -> bool:
    return isinstance(expression, str) and f"{NAME}(" in expression
