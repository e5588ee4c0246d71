"""Audit events as the sentences a child's timeline shows: who did what, in plain words."""
from datetime import date

from engine import audit

from .dates import long_date, role_in_words


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


def describe(event: dict, technical: bool = False) -> str:
    """One event as a sentence in plain words; `technical` (administrators, who fix
    pathways) adds the diagram's own words: versions and timers."""
    d, kind = event["detail"], event["kind"]
    if kind == audit.STARTED:
        version = f" (diagram version {d['version']})" if technical and d.get("version") else ""
        return f"Pathway started{version}"
    if kind == audit.TASK_OPENED:
        return f"Task opened: {d.get('task', '')} for {role_in_words(d.get('lane'))}{_due(d)}"
    if kind == audit.TASK_COMPLETED:
        return f"Task completed: {d.get('task', '')}"
    if kind == audit.REALLOCATED:
        return reallocated(d)
    if kind == audit.TIMER_FIRED:
        return f"Timer fired: {d.get('event', '')}" if technical else \
            f"A time limit was reached: {d.get('event', '')}"
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
        return ("Pathway moved to a new diagram version" if technical
                else "The pathway was updated to the council's current way of working")
    if kind == audit.CASE_EVENT:
        heard = f"; heard by {', '.join(d['caught_by'])}" if d.get("caught_by") else ""
        try:
            on = long_date(date.fromisoformat(str(d.get("occurred_on"))[:10]))
        except ValueError:
            on = str(d.get("occurred_on", ""))
        return f"Case event: {d.get('label', d.get('event', ''))} on {on}{heard}"
    if kind in CASEWORK:
        return CASEWORK[kind](d)
    if kind in _ACTIONS:
        return _ACTIONS[kind](d)
    return kind.replace("_", " ").capitalize()


#: engine.casework's audit kinds. A sibling is never named: the reader may not see them.
CASEWORK = {
    "case_details_changed": lambda d: (
        f"{_SECTIONS.get(d.get('section'), 'Case details')} recorded (version {d.get('version')})"
        + (f": {d['reason']}" if d.get("reason") else "")),
    "sibling_linked": lambda d: "Linked with a brother or sister in a sibling group",
    "sibling_unlinked": lambda d: "A child left the sibling group" + (
        f": {d['reason']}" if d.get("reason") else ""),
}
_SECTIONS = {"identity": "Identity and needs", "family_time": "Family time",
             "sibling_assessment": "Together or apart assessment",
             "route_choice": "Choosing the permanence option", "family_network": "Family network",
             "health_assessments": "Health assessments"}


#: PPM actions (engine.ppm_actions): set, done, missed and escalated, answered.
_ACTIONS = {
    "ppm_action_set": lambda d: f"Action set for {d.get('owner', '')}: {d.get('action', '')}{_due(d)}",
    "ppm_action_done": lambda d: "Action done" + ("" if d.get("on_time", True) else " (late)"),
    "ppm_action_escalated": lambda d: f"Action missed and escalated to the team manager{_due(d)}",
    "ppm_action_escalation_answered": lambda d: f"Missed action answered by the team manager: {d.get('note', '')}",
}


def who(event: dict) -> str:
    return "Automatic" if event["actor"] == audit.SYSTEM else event["actor"]


def reallocated(d: dict) -> str:
    """"Social worker changed from Sam Worker to Sue Second from 5 March 2026: reason"."""
    changes = []
    if d.get("from_worker") != d.get("to_worker"):
        changes.append(f"social worker changed from {d.get('from_worker') or 'no one'} to "
                       f"{d.get('to_worker') or 'no one'}")
    if d.get("from_team") != d.get("to_team"):
        changes.append(f"team changed from {d.get('from_team')} to {d.get('to_team')}")
    when = ""
    if d.get("on"):
        try:
            when = f" from {long_date(date.fromisoformat(str(d['on'])))}"
        except ValueError:
            when = f" from {d['on']}"
    moved = d.get("tasks_moved") or 0
    tasks = f"; {moved} open task{'s' if moved != 1 else ''} moved with them" if moved else ""
    text = " and ".join(changes) or "allocation confirmed"
    reason = f": {d['reason']}" if d.get("reason") else ""
    return f"{text[:1].upper()}{text[1:]}{when}{reason}{tasks}"
