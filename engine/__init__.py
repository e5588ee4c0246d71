"""The runtime: start a child's pathway, complete a task, fire timers, publish diagrams.
No Flask here; the only package that touches SpiffWorkflow's runtime objects.

The names below are imported when first used (PEP 562), not when `engine` is: SpiffWorkflow
and SQLAlchemy take most of a second to load, and `permanence --help` needs neither.
"""
import sys
import types
from importlib import import_module

from .errors import (  # noqa: F401  (light: plain exceptions, used by every caller)
    Conflict, DiagramInvalid, EngineError, FormInvalid, InstanceInError, NotAllowed, NotFound,
    ProcessIdTaken, TaskNotOpen,
)

#: Each public name and the module it lives in.
_LAZY = {
    "deliver_event": "case_events",
    "find_child": "children", "register_child": "children", "register_before_care": "before_care",
    "complete_task": "pathway", "start_pathway": "pathway",
    "position": "position",
    "publish": "publishing",
    "sweep": "sweep",
    "open_tasks": "tasks",
    "child_diagram": "views", "child_open_tasks": "views", "child_timeline": "views",
    "registration_choices": "views", "task_page": "views",
    "Inbox": "inbox_sections", "InboxFilters": "inbox_sections", "inbox": "inbox_sections",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(import_module(f".{module}", __name__), name)
    elif not name.startswith("__"):
        try:   # a submodule read as an attribute (`engine.staff`) after a bare `import engine`
            value = import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


class _Engine(types.ModuleType):
    """`engine.position` and `engine.sweep` are functions named like their modules: loading
    the module (`from engine.sweep import ...`) must not put the module in the function's place."""

    def __setattr__(self, name, value):
        if isinstance(value, types.ModuleType) and _LAZY.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Engine


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
