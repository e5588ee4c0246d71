"""Checking one tracker row: every field, with a message per field, before anything runs.

What is checked here is what the row says on its own and against the service (teams, staff,
children already present); whether the pathway agrees (a task the dates say was done was
open on that date) is found by the replay itself.
"""
from dataclasses import dataclass, field

from sqlalchemy import select

from models import Child
from workflows.calendar import as_date

from .. import clock
from ..children import check_details
from .template import COLUMNS, DATE_COLUMNS

ROUTES = ("reunification", "family_and_friends", "adoption", "long_term_fostering", "residential")
FGC_OUTCOMES = ("family_plan_agreed", "no_plan", "declined")
FINAL_ORDERS = ("co", "po", "sgo", "cao", "supervision", "none")
AUTHORITIES = ("placement_order", "s19_consent")
DEFAULT_NOTE = "Imported from the council's tracker"

#: Dates that must come in this order when both are given (earlier, later).
ORDER = (
    ("initial_ppm_on", "plan_on"), ("plan_on", "last_ppm_on"), ("initial_ppm_on", "last_ppm_on"),
    ("first_cla_review_on", "last_cla_review_on"), ("first_panel_on", "last_panel_on"),
    ("proceedings_issued_on", "order_made_on"),
    ("plan_on", "cpr_sent_on"), ("cpr_sent_on", "adm_decided_on"),
    ("adm_decided_on", "placement_authority_on"), ("placement_authority_on", "matched_on"),
    ("plan_on", "matched_on"), ("matched_on", "placed_on"),
)
#: A later date needs the earlier one (later, earlier, why).
NEEDS = (
    ("plan_on", "initial_ppm_on", "the plan is identified at a PPM after the initial one"),
    ("last_ppm_on", "initial_ppm_on", "the initial PPM comes first"),
    ("last_cla_review_on", "first_cla_review_on", "the first CLA review comes first"),
    ("order_made_on", "proceedings_issued_on", "a final order ends proceedings"),
    ("cpr_sent_on", "plan_on", "the report follows an adoption plan"),
    ("adm_decided_on", "plan_on", "the decision follows an adoption plan"),
    ("placement_authority_on", "adm_decided_on", "authority to place follows the ADM decision"),
    ("matched_on", "plan_on", "a match follows the plan"),
    ("placed_on", "matched_on", "placement follows the match"),
)


@dataclass
class CheckedRow:
    number: int
    reference: str
    name: str = ""
    details: dict = field(default_factory=dict)      # for register_child
    dates: dict = field(default_factory=dict)        # column -> date
    text: dict = field(default_factory=dict)         # column -> str
    routes: list = field(default_factory=list)
    errors: dict = field(default_factory=dict)       # column -> [message]
    present: bool = False                           # already in the service: skipped

    def fail(self, column: str, message: str) -> None:
        self.errors.setdefault(column, []).append(message)


def check_row(session, raw: dict, seen: set[str]) -> CheckedRow:
    reference = raw.get("reference", "").strip()
    row = CheckedRow(raw.get("row", 0), reference, raw.get("name", "").strip())
    if reference and reference in seen:
        row.fail("reference", f"Reference {reference} is already on an earlier row of this tracker")
        return row
    seen.add(reference)
    if reference and session.scalar(select(Child.id).where(Child.reference == reference)):
        row.present = True
        return row
    row.details = {k: raw.get(k, "").strip() for k in
                   ("reference", "name", "date_of_birth", "legal_status", "looked_after_on",
                    "team", "social_worker")}
    _, errors = check_details(session, row.details)
    for column, messages in errors.items():
        for message in messages:
            row.fail(column, message)
    _check_dates(row, raw)
    _check_choices(row, raw)
    return row


def _check_dates(row: CheckedRow, raw: dict) -> None:
    today = clock.today()
    labels = {c.name: c.label for c in COLUMNS}
    for column in DATE_COLUMNS:
        value = raw.get(column, "").strip()
        if not value:
            continue
        try:
            row.dates[column] = as_date(value)
        except (TypeError, ValueError):
            if column not in row.errors:
                row.fail(column, f"{labels[column]} must be a real date, like 2026-03-02 (not '{value}')")
            continue
        if column in ("date_of_birth", "looked_after_on"):
            continue  # checked with the child's details
        if row.dates[column] > today:
            row.fail(column, f"{labels[column]} must be today or in the past")
    born, entered = row.dates.get("date_of_birth"), row.dates.get("looked_after_on")
    for column, day in row.dates.items():
        if column in ("date_of_birth", "looked_after_on"):
            continue
        if born and day < born:
            row.fail(column, f"{labels[column]} is before the child's date of birth")
        elif entered and day < entered and column != "proceedings_issued_on":
            row.fail(column, f"{labels[column]} is before the child became looked after "
                             f"({entered.isoformat()})")
    for earlier, later in ORDER:
        a, b = row.dates.get(earlier), row.dates.get(later)
        if a and b and b < a:
            row.fail(later, f"{labels[later]} ({b.isoformat()}) is before "
                            f"'{labels[earlier]}' ({a.isoformat()})")
    for later, earlier, why in NEEDS:
        if later in row.dates and earlier not in row.dates and not raw.get(earlier, "").strip():
            row.fail(earlier, f"Enter '{labels[earlier]}': '{labels[later]}' is given, and {why}")


def _check_choices(row: CheckedRow, raw: dict) -> None:
    routes = [r.strip().lower().replace(" ", "_").replace("-", "_")
              for r in raw.get("routes", "").replace(",", ";").replace("|", ";").split(";") if r.strip()]
    unknown = [r for r in routes if r not in ROUTES]
    if unknown:
        row.fail("routes", f"Unknown route {', '.join(unknown)}: use " + ", ".join(ROUTES))
    elif len(set(routes)) != len(routes):
        row.fail("routes", "A route is named twice")
    row.routes = routes
    if routes and "plan_on" not in row.dates and not raw.get("plan_on", "").strip():
        row.fail("plan_on", "Enter the date the plan was identified: routes are given")
    if "plan_on" in row.dates and not routes and "routes" not in row.errors:
        row.fail("routes", "Enter the plan's route or routes: a plan date is given")
    for column, choices, needs in (("fgc_outcome", FGC_OUTCOMES, "fgc_on"),
                                   ("final_order", FINAL_ORDERS, "order_made_on"),
                                   ("placement_authority", AUTHORITIES, None)):
        value = raw.get(column, "").strip().lower()
        if value and value not in choices:
            row.fail(column, f"Unknown value '{value}': use " + ", ".join(choices))
        row.text[column] = value
        if needs and (needs in row.dates) != bool(value):
            if value:
                row.fail(needs, f"Enter the date for {column.replace('_', ' ')} '{value}'")
            else:
                row.fail(column, f"Enter the {column.replace('_', ' ')}: {needs} is given")
    adoption = "adoption" in routes
    for column in ("cpr_sent_on", "adm_decided_on", "placement_authority_on", "placed_on"):
        if column in row.dates and routes and not adoption:
            row.fail(column, f"Only an adoption plan has this date (the routes are {', '.join(routes)})")
    if "matched_on" in row.dates and routes and not ({"adoption", "long_term_fostering"} & set(routes)):
        row.fail("matched_on", "Only an adoption or long-term fostering plan has a match")
    if routes == ["adoption"] and "matched_on" in row.dates and "placement_authority_on" not in row.dates:
        row.fail("placement_authority_on", "Enter the authority to place: an adoption match follows it")
    if "placement_authority_on" in row.dates and not row.text["placement_authority"]:
        row.text["placement_authority"] = "placement_order"
    row.text["contingency_plan"] = raw.get("contingency_plan", "").strip() or DEFAULT_NOTE
    row.text["matched_with"] = raw.get("matched_with", "").strip() or DEFAULT_NOTE
