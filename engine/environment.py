"""The one script engine every diagram expression runs in: restricted, with the deadline
functions and `today()` read from the application clock."""
from datetime import date

from workflows.calendar import DIAGRAM_FUNCTIONS
from workflows.scripting import make_script_engine

from . import clock


def _today() -> date:
    return clock.today()


SCRIPT_ENGINE = make_script_engine({**DIAGRAM_FUNCTIONS, "today": _today})
