"""Everything a diagram expression (condition, script, timer, dueDate, form rule) may call:
the deadline functions, the council's own numbers, and today's date from whoever asks."""
from datetime import date
from typing import Callable

from .calendar import DIAGRAM_FUNCTIONS as DEADLINE_FUNCTIONS
from .local_settings import setting


def diagram_functions(today: Callable[[], date]) -> dict[str, Callable]:
    return {**DEADLINE_FUNCTIONS, "setting": setting, "today": today}
