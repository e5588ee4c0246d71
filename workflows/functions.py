"""Everything a diagram expression (condition, script, timer, dueDate, form rule) may call:
the deadline functions, the council's own numbers, and today's date from whoever asks."""
from datetime import date
from typing import Callable

from .calendar import DIAGRAM_FUNCTIONS as DEADLINE_FUNCTIONS
from .local_settings import panel, setting
from .pathway_values import NAME as PATHWAY_VALUE, no_pathway_value


def panel_setting(name: str):
    """A council's Permanence Panel setting (`workflows.panel_settings`), e.g. follow_up_chain."""
    if name not in PANEL_FLAGS:
        raise ValueError(f"there is no panel setting {name!r}; known: {', '.join(PANEL_FLAGS)}")
    return getattr(panel(), name)


#: The panel settings a diagram may read.
PANEL_FLAGS = ("follow_up_chain",)


def diagram_functions(today: Callable[[], date]) -> dict[str, Callable]:
    # pathway_value is bound to the evaluating task by the script engine; alone it finds nothing
    return {**DEADLINE_FUNCTIONS, "setting": setting, "panel_setting": panel_setting, "today": today,
            PATHWAY_VALUE: no_pathway_value}
