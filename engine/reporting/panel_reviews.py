"""Two checks the Halton seed asks of every agenda, beside the day's cohorts.

G4 (HAL §4, "the Panel will review all children with a permanence plan until they are placed
in a suitably approved long term placement"): a child with a plan, not yet in an approved
long-term placement (no ratified match, permanence not achieved), whose panel review is due
by the panel date at the interval the panel set (the open "Record the Permanence Panel
review", R12, B6), comes to this panel even when they fit none of the day's cohorts. The
first panel (R10) is the cohorts' business. `review_until_placed` (a council setting) turns
it off.

G12 (HAL ToR: "children services alongside partners in health and education, will actively
review children's care plans at a panel ... at least annually"): each child listed whose last
panel with a health and an education representative attending (the outcome's attendance) is
longer ago than `multi_agency_months`, or who has never had one, is flagged.
"""
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import TaskRecord
from workflows.panel_settings import EDUCATION, HEALTH, PanelSettings

from ..records import current_records
from . import cohort_rules

#: The open task that means the review the panel set is due.
REVIEW_TASKS = ("next_panel",)
OUTCOME_STEPS = ("first_panel", "next_panel")
REVIEW_DUE = "review_due"
REVIEW_DUE_TITLE = "Panel review due: a plan, not yet in an approved long-term placement (HAL §4)"


def placed_long_term(child: dict) -> bool:
    facts = child["facts"]
    return bool(facts.get("achieved_route")) or facts.get("ratified") is True


def may_be_due(child: dict) -> bool:
    """A plan, not yet placed long-term: whose review the panel set can bring them back (G4)."""
    return not cohort_rules.no_plan(child) and not placed_long_term(child)


def reviews_due(children: list[dict], panel_date: date, reviews: dict[int, list[date]]) -> dict[int, str]:
    """child id -> why their review brings them to this panel (G4); `reviews`: each child's
    open panel reviews' due dates (`cohorts._open_tasks`)."""
    due: dict[int, str] = {}
    for child in children:
        if child["child_id"] not in reviews or not may_be_due(child):
            continue
        for due_on in reviews[child["child_id"]]:
            if due_on <= panel_date:
                due[child["child_id"]] = (f"Panel review due {cohort_rules.long(due_on)}, as the panel set; "
                                          "a plan, not yet placed long-term (HAL §4)")
    return due


def multi_agency_flags(session: Session, children: list[dict], panel_date: date,
                       settings: PanelSettings) -> None:
    """Sets each child's `multi_agency` to a warning, or "" when seen in time (G12)."""
    months = settings.multi_agency_months
    for child in children:
        child["multi_agency"] = ""
    if months is None or not children:
        return
    last: dict[int, date] = {}
    ids = sorted({c["child_id"] for c in children})
    for start in range(0, len(ids), 500):
        for child_id, answers in session.execute(current_records(
                select(TaskRecord.child_id, TaskRecord.answers).where(
                    TaskRecord.child_id.in_(ids[start:start + 500]),
                    TaskRecord.bpmn_id.in_(OUTCOME_STEPS)))):
            attended = set((answers or {}).get("attendance") or [])
            held = cohort_rules.date_or_none((answers or {}).get("panel_held_on"))
            if held and held <= panel_date and attended & HEALTH and attended & EDUCATION:
                last[child_id] = max(held, last.get(child_id, held))
    since = _months_before(panel_date, months)
    for child in children:
        seen = last.get(child["child_id"])
        if seen is None:
            child["multi_agency"] = ("Never reviewed at panel with health and education represented "
                                     f"(HAL ToR: at least every {months} months)")
        elif seen < since:
            child["multi_agency"] = (f"Last reviewed with health and education represented on "
                                     f"{cohort_rules.long(seen)}: over {months} months ago (HAL ToR)")


def _months_before(day: date, months: int) -> date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    return date(year, month, 28)
