"""Statutory health assessments of a looked-after child (E25: MER §7.5, "the child remains
looked after and thus subject to all relevant procedures including reviews and medicals").

The frequency is the Care Planning, Placement and Case Review (England) Regulations 2010,
reg 7 and Schedule 1, and the statutory guidance "Promoting the health and well-being of
looked-after children" (2015): an initial health assessment within 20 working days of the
child becoming looked after, in time for the first review; then a review health assessment
at least every 6 months before the child's fifth birthday and every 12 months after it.
Outside RULES.md (no rule there sets it; R3, the CLA review cycle, is the nearest)."""
from datetime import date
from functools import lru_cache

from workflows.calendar import add_months, add_working_days, as_date

from .fields import FieldReader

KINDS = {"initial": "Initial health assessment", "review": "Review health assessment"}
INITIAL_WORKING_DAYS = 20

FIELDS = [
    ("kind", "Which assessment", "choice", KINDS),
    ("held_on", "Date it was carried out", "date", None),
    ("carried_out_by", "Who carried it out (for example: the looked-after children's nurse)", "text", None),
    ("outcome", "What it found, and the health plan (dental, immunisations, sight, development)",
     "long", None),
]


def check(data: dict, today: date, born: date, current: dict | None,
          looked_after_on: date | None = None) -> tuple[dict, dict]:
    read = FieldReader(today, born, long_limit=4000)
    read.choice("kind", "Which assessment", data.get("kind"), KINDS, blank="Select which assessment it was",
                wrong="Select which assessment it was")
    read.date("held_on", "Date it was carried out", data.get("held_on"),
              blank="Enter the date it was carried out")
    for name, label, kind_of, _c in FIELDS[2:]:
        read.text(name, label, data.get(name), long=kind_of == "long")
    read.require("carried_out_by", "Say who carried it out")
    read.require("outcome", "Say what the assessment found and the health plan")
    values, fail = read.values, read.fail
    done = (current or {}).get("assessments", [])
    # An assessment before care is not a looked-after child's statutory one, of either kind.
    if values["kind"] in KINDS and values["held_on"] and looked_after_on \
            and as_date(values["held_on"]) < looked_after_on and read.ok("held_on"):
        which = "The initial" if values["kind"] == "initial" else "A review"
        fail("held_on", f"{which} health assessment follows becoming looked after on "
                        f"{looked_after_on.day} {looked_after_on:%B %Y}: check the date")
    if values["kind"] == "initial" and any(a["kind"] == "initial" for a in done):
        fail("kind", "The initial health assessment is already recorded: choose a review health assessment")
    if values["kind"] == "review" and not any(a["kind"] == "initial" for a in done):
        fail("kind", "A review health assessment follows the initial one: record the initial health "
                     "assessment first")
    if values["kind"] == "review" and values["held_on"] and done \
            and values["held_on"] in {a["held_on"] for a in done}:
        fail("held_on", "An assessment on that date is already recorded")
    return read.result()


def with_assessment(current: dict | None, values: dict) -> dict:
    found = [*(current or {}).get("assessments", []), values]
    return {"assessments": sorted(found, key=lambda a: a["held_on"])}


def entered_care(child) -> date | None:
    """The date the child became looked after; None before care (A10, E18: no statutory
    health assessment is due for a child not looked after)."""
    return None if child.before_care else child.looked_after_on


def next_due(data: dict | None, born: date, looked_after_on: date | None) -> tuple[date | None, str]:
    """When the next statutory health assessment is due, and why then."""
    done = (data or {}).get("assessments", [])
    if not done:
        if looked_after_on is None:
            return None, ""
        due = _initial_due(looked_after_on)
        return due, (f"the initial health assessment, {INITIAL_WORKING_DAYS} working days after "
                     f"becoming looked after on {looked_after_on.day} {looked_after_on:%B %Y}")
    last = max(as_date(a["held_on"]) for a in done)
    fifth = as_date(add_months(born, 60))
    if last < fifth:
        due = as_date(add_months(last, 6))
        return due, (f"6 months after the last on {last.day} {last:%B %Y}: every 6 months "
                     "before the fifth birthday (Care Planning Regulations 2010, Sch 1)")
    due = as_date(add_months(last, 12))
    return due, (f"12 months after the last on {last.day} {last:%B %Y}: every 12 months from "
                 "the fifth birthday (Care Planning Regulations 2010, Sch 1)")


@lru_cache(maxsize=4096)
def _initial_due(looked_after_on: date) -> date:
    """20 working days on, counted a day at a time: the inbox asks it for every one of a
    social worker's children on every page, and the answer depends on the date alone (the
    bank holidays are the fixed English calendar), so it is kept."""
    return as_date(add_working_days(looked_after_on, INITIAL_WORKING_DAYS))


def view(data: dict | None, born: date, looked_after_on: date | None, today: date) -> dict:
    due, why = next_due(data, born, looked_after_on)
    done = list(reversed((data or {}).get("assessments", [])))
    return {"assessments": [dict(a, kind_text=KINDS.get(a["kind"], "")) for a in done],
            "due_on": due, "due_reason": why, "overdue": bool(due and due < today)}


def history_rows(data: dict | None) -> list[tuple[str, str]]:
    return [(f"{KINDS.get(a['kind'], '')}, {a['held_on']}", f"{a['carried_out_by']}: {a['outcome']}")
            for a in (data or {}).get("assessments", [])]
