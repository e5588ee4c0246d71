"""A panel outcome opened from the agenda starts filled in with what the agenda knows: the
panel's date (never re-typed, and only a date in the council's calendar, not in the future)
and one row for each of the council's considerations (BCP §5's five; Halton ToR's eleven:
D15, D16), each waiting for what the panel found."""
from datetime import date

import copy
from dataclasses import replace

from engine import actions, clock
from workflows import local_settings

from .task_form import date_parts

#: The diagram steps that record a panel's outcome.
OUTCOME_STEPS = ("first_panel", "next_panel")


def prefilled(page, fields, answers: dict, args) -> dict:
    if page.task.get("bpmn_id") not in OUTCOME_STEPS:
        return answers
    settings = local_settings.panel()
    names = {f.name for f in fields}
    day = _panel_date(args.get("panel_date", ""))
    if day is not None and "panel_held_on" in names and settings.is_panel_day(day) and day <= clock.today():
        answers["panel_held_on"] = date_parts(day)
    if "considerations" in names:
        answers["considerations"] = [{"consideration": key, "finding": ""}
                                     for key in settings.considerations]
    return answers


def _panel_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def for_page(page, db):
    """The task page with its questions as shown: on a step that sets actions, the owner is
    picked from staff (a select of active staff, by username), never typed (P6, C6). The
    engine checks the owner again whatever is posted. On an outcome, attendance lists the
    council's core members first, by their titles there (C2, C9)."""
    if page.task.get("bpmn_id") in OUTCOME_STEPS and page.form is not None:
        return _attendance_by_council(page)
    list_name = actions.ACTION_STEPS.get(page.task.get("bpmn_id"))
    if list_name is None or page.form is None:
        return page
    choices = tuple(actions.owner_choices(db))
    out = []
    for f in page.form.fields:
        if f.name == list_name and f.kind == "list":
            items = tuple(replace(g, kind="choice", widget="select", options=choices)
                          if g.name == "owner" else g for g in f.item_fields)
            f = replace(f, item_fields=items)
        out.append(f)
    form = copy.copy(page.form)
    form.fields = tuple(out)
    return replace(page, form=form)


def _attendance_by_council(page):
    settings = local_settings.panel()
    core = [key for key, _title in settings.members]
    out = []
    for f in page.form.fields:
        if f.name == "attendance" and f.options:
            known = dict(f.options)
            first = [(k, f"{settings.attendee_title(k)} (core member)") for k in core if k in known]
            rest = [(k, label) for k, label in f.options if k not in core]
            f = replace(f, options=tuple(first + rest))
        out.append(f)
    form = copy.copy(page.form)
    form.fields = tuple(out)
    return replace(page, form=form)
