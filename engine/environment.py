"""The one script engine every diagram expression runs in: restricted, with the deadline
functions and `today()` read from the application clock."""
from datetime import date

from workflows.functions import diagram_functions
from workflows.scripting import make_script_engine

from . import clock


def _today() -> date:
    return clock.today()


SCRIPT_ENGINE = make_script_engine(diagram_functions(_today))
