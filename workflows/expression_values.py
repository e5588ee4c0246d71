"""What an expression must give, checked on what it gave with sample data.

An expression that evaluates is not enough: a `dueDate` that gives a number, or a timer that
gives "next week", runs at validation and fails only when a child reaches it (SpiffWorkflow
reads a timer's value as ISO 8601 text: `42` fails with "'int' object has no attribute
'lower'"). Each check here says, in the process owner's words, what was given and what was
wanted; None means the value will do.
"""
from datetime import date

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition, DurationTimerEventDefinition, TimerEventDefinition)

from .calendar import as_date

_EXAMPLES = {
    "date": 'an ISO 8601 date and time with its offset, such as "2026-03-17T00:00:00+00:00" '
            "(overdue_from(add_working_days(looked_after_on, 10)) gives one)",
    "duration": 'an ISO 8601 duration in quotes, such as "P10D" (ten days) or "PT10M" (ten minutes)',
    "cycle": 'an ISO 8601 cycle in quotes, such as "R3/P6W" (three times, six weeks apart)',
}


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def date_problem(value) -> str | None:
    """A dueDate or metOn must give a date (a date, a datetime, or ISO text of one)."""
    if isinstance(value, bool) or not isinstance(value, (date, str)):
        return f"gives {_shown(value)} ({type(value).__name__}), not a date"
    try:
        as_date(value)
    except (ValueError, TypeError):
        return f"gives {_shown(value)}, which is not a date (write dates as 2026-03-17)"
    return None


def timer_kind(definition: TimerEventDefinition) -> str:
    if isinstance(definition, DurationTimerEventDefinition):
        return "duration"
    if isinstance(definition, CycleTimerEventDefinition):
        return "cycle"
    return "date"


def timer_problem(definition: TimerEventDefinition, value) -> str | None:
    """A timer must give ISO 8601 text of its kind, as SpiffWorkflow will parse it."""
    kind = timer_kind(definition)
    wanted = f"it must give {_EXAMPLES[kind]}"
    if not isinstance(value, str):
        return f"gives {_shown(value)} ({type(value).__name__}), not text: {wanted}"
    try:
        if kind == "duration":
            TimerEventDefinition.get_timedelta_from_start(TimerEventDefinition.parse_iso_duration(value))
        elif kind == "cycle":
            TimerEventDefinition.parse_iso_recurring_interval(value)
        elif isinstance(TimerEventDefinition.parse_time_or_duration(value), dict):
            return f"gives the duration {_shown(value)} but is a date timer (timeDate): {wanted}"
    except Exception:  # SpiffWorkflow raises bare Exception, ValueError or AttributeError
        return f"gives {_shown(value)}, which is not an ISO 8601 {kind}: {wanted}"
    return None


def count_problem(value) -> str | None:
    """A multi-instance cardinality (loopCardinality) must give a whole number."""
    if isinstance(value, bool) or not isinstance(value, int):
        return f"gives {_shown(value)} ({type(value).__name__}), not a whole number"
    return None


def collection_problem(name: str, value) -> str | None:
    """A multi-instance collection must be a list or a mapping (one instance per item)."""
    if isinstance(value, (list, tuple, dict)):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return None  # SpiffWorkflow accepts a count as the collection
    return f"its collection '{name}' is {_shown(value)} ({type(value).__name__}), not a list"
