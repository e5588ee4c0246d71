"""Everything a diagram expression (condition, script, timer, dueDate, form rule) may call:
the deadline functions, the council's own numbers, and today's date from whoever asks."""
from datetime import date
from typing import Callable

from .calendar import DIAGRAM_FUNCTIONS as DEADLINE_FUNCTIONS
from .local_settings import setting
from .pathway_values import NAME as PATHWAY_VALUE, no_pathway_value


def diagram_functions(today: Callable[[], date]) -> dict[str, Callable]:
    # pathway_value is bound to the evaluating task by the script engine; alone it finds nothing
    return {**DEADLINE_FUNCTIONS, "setting": setting, "today": today, PATHWAY_VALUE: no_pathway_value}
