"""Audit events as the sentences a child's timeline shows: who did what, in plain words."""
from datetime import date

from engine import audit

from .dates import long_date


def _due(detail: dict) -> str:
    due = detail.get("due_on")
    if not due:
        return ""
    try:
        text = long_date(date.fromisoformat(str(due)[:10]))
    except ValueError:
        text = str(due)
    rule = f" ({detail['rule']})" if detail.get("rule") else ""
    return f", due {text}{rule}"


def describe(event: dict) -> str:
    """One event as a sentence; an unknown kind still says what it was."""
    d, kind = event["detail"], event["kind"]
    if kind == audit.STARTED:
        version = f" (version {d['version']})" if d.get("version") else ""
        return f"Pathway started{version}"
    if kind == audit.TASK_OPENED:
        return f"Task opened: {d.get('task', '')} for the {d.get('lane', '')}{_due(d)}"
    if kind == audit.TASK_COMPLETED:
        return f"Task completed: {d.get('task', '')}"
    if kind == audit.TIMER_FIRED:
        return f"Timer fired: {d.get('event', '')}"
    if kind == audit.DEADLINE_MISSED:
        return f"Deadline missed: {d.get('deadline', '')}{_due(d)}"
    if kind == audit.ERROR:
        return f"The pathway met a problem: {d.get('message', '')}"
    if kind == audit.RESUMED:
        return "Pathway resumed"
    if kind == audit.RECORD_CORRECTED:
        return (f"Record corrected: {d.get('task', '')} (revision {d.get('revision', '')}): "
                f"{d.get('reason', '')}")
    if kind == audit.MIGRATED:
        return "Pathway moved to a new diagram version"
    if kind == audit.CASE_EVENT:
        heard = f"; heard by {', '.join(d['caught_by'])}" if d.get("caught_by") else ""
        try:
            on = long_date(date.fromisoformat(str(d.get("occurred_on"))[:10]))
        except ValueError:
            on = str(d.get("occurred_on", ""))
        return f"Case event: {d.get('label', d.get('event', ''))} on {on}{heard}"
    return kind.replace("_", " ").capitalize()


def who(event: dict) -> str:
    return "Automatic" if event["actor"] == audit.SYSTEM else event["actor"]
