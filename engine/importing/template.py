"""The import template: the columns of a council's permanence tracker that the import reads,
and reading a filled-in tracker (CSV or XLSX) into plain rows.

One row per child. The dates are the ones the pathway counts from; a blank date means "has
not happened yet". Column names are matched ignoring case, spaces and punctuation, so a
tracker exported with headings such as "Date of birth" reads as `date_of_birth`.
"""
import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    meaning: str
    example: str
    required: bool = False


COLUMNS = (
    Column("reference", "Reference", "the child's reference in the case system; identifies the "
           "child, so a rerun skips children already present", "LA-1001", True),
    Column("name", "Name", "the child's name", "Alex Example", True),
    Column("date_of_birth", "Date of birth", "YYYY-MM-DD (or a spreadsheet date)", "2019-05-14", True),
    Column("legal_status", "Legal status", "s20, ico, co, pwp, epo, po or remand", "ico", True),
    Column("team", "Team", "the name of a team in the service", "North", True),
    Column("social_worker", "Social worker", "username of an active social worker in that team; "
           "blank: unallocated", "asha.sw"),
    Column("looked_after_on", "Looked after on", "the date the child became looked after: "
           "every clock runs from it", "2026-01-05", True),
    Column("fgc_on", "FGC held on", "the Family Group Conference (R6)", "2026-01-16"),
    Column("fgc_outcome", "FGC outcome", "family_plan_agreed, no_plan or declined (needed with "
           "an FGC date)", "family_plan_agreed"),
    Column("initial_ppm_on", "Initial PPM on", "the initial Permanency Planning Meeting (R7)",
           "2026-01-16"),
    Column("plan_on", "Plan identified on", "the PPM at which the permanence plan was identified "
           "(the initial PPM, the last PPM, or one between)", "2026-02-27"),
    Column("routes", "Routes", "the plan's route, or two or more for twin- or multi-track (HAL §4), separated by ';': "
           "reunification, family_and_friends, adoption, long_term_fostering, residential",
           "adoption;long_term_fostering"),
    Column("contingency_plan", "Contingency plan", "the plan if the routes fail (free text)",
           "Long-term fostering with the current carers"),
    Column("last_ppm_on", "Last PPM on", "the most recent PPM (R8: the next is due 6 weeks on)",
           "2026-04-10"),
    Column("first_cla_review_on", "First CLA review on", "the first looked-after review (R1)",
           "2026-01-30"),
    Column("last_cla_review_on", "Last CLA review on", "the most recent looked-after review "
           "(R2, R3)", "2026-04-28"),
    Column("first_panel_on", "First panel on", "the first Permanence Panel (R10); blank with a "
           "last panel: that was the first", "2026-02-26"),
    Column("last_panel_on", "Last panel on", "the most recent Permanence Panel (R12)", "2026-02-26"),
    Column("proceedings_issued_on", "Proceedings issued on", "care proceedings issued (R14)",
           "2025-12-19"),
    Column("final_order", "Final order", "the order made at the final hearing: co, po, sgo, "
           "cao, supervision or none", "po"),
    Column("order_made_on", "Order made on", "the date of the final order", "2026-06-12"),
    Column("cpr_sent_on", "CPR sent on", "the Child's Permanence Report sent to the ADM; blank "
           "with an ADM decision: the day of the decision", "2026-04-20"),
    Column("adm_decided_on", "ADM decided on", "the Agency Decision Maker's decision that the "
           "child should be placed for adoption (R15)", "2026-04-27"),
    Column("placement_authority", "Authority to place", "placement_order or s19_consent (blank: "
           "placement_order)", "placement_order"),
    Column("placement_authority_on", "Authority to place on", "the placement order or consent "
           "(R18)", "2026-06-12"),
    Column("matched_on", "Matched on", "adoption: the match with adopters; long-term fostering: "
           "the match proposed", "2026-09-01"),
    Column("matched_with", "Matched with", "the adopters or carers (blank: 'Imported from the "
           "council's tracker')", "Mr and Mrs A"),
    Column("placed_on", "Placed on", "placed for adoption (R17)", "2026-09-20"),
)
NAMES = tuple(c.name for c in COLUMNS)
DATE_COLUMNS = tuple(c.name for c in COLUMNS if c.name.endswith("_on") or c.name == "date_of_birth")
MAX_ROWS = 5000


class TrackerUnreadable(ValueError):
    """The file as a whole cannot be read (not a row's fault)."""


def _key(heading) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(heading or "").strip().lower()).strip("_")


_ALIASES = {_key(c.label): c.name for c in COLUMNS} | {c.name: c.name for c in COLUMNS}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_tracker(filename: str, content: bytes) -> list[dict]:
    """Rows as {column: text} (dates as YYYY-MM-DD text), with `row` the line number a
    spreadsheet user sees (the heading is row 1)."""
    lower = (filename or "").lower()
    if lower.endswith(".xlsx"):
        table = _xlsx_rows(content)
    elif lower.endswith(".csv") or lower.endswith(".txt"):
        table = _csv_rows(content)
    else:
        raise TrackerUnreadable("The tracker must be a CSV or XLSX file (.csv or .xlsx)")
    table = iter(table)
    headings = next(table, None)
    if not headings or not any(_cell(h) for h in headings):
        raise TrackerUnreadable("The tracker is empty: its first row must name the columns")
    columns = [_ALIASES.get(_key(h)) for h in headings]
    unknown = [str(h) for h, c in zip(headings, columns) if c is None and _cell(h)]
    if unknown:
        raise TrackerUnreadable("Unknown column(s): " + ", ".join(unknown)
                                + ". The template's columns are: " + ", ".join(NAMES))
    missing = [c.name for c in COLUMNS if c.required and c.name not in columns]
    if missing:
        raise TrackerUnreadable("The tracker has no column for: " + ", ".join(missing))
    rows = []
    for number, values in enumerate(table, start=2):
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise TrackerUnreadable(f"The tracker has more than {MAX_ROWS} children: split it")
        row = {name: "" for name in NAMES}
        row.update({c: v for c, v in zip(columns, cells) if c})
        row["row"] = number
        rows.append(row)
    return rows


def _csv_rows(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TrackerUnreadable("The CSV file is not UTF-8 text: save it as 'CSV UTF-8'") from None
    return list(csv.reader(io.StringIO(text)))


def _xlsx_rows(content: bytes):
    from openpyxl import load_workbook
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise TrackerUnreadable(f"The XLSX file cannot be read ({type(exc).__name__})") from None
    try:
        return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(NAMES)
    writer.writerow([c.example for c in COLUMNS])
    return out.getvalue()


def template_xlsx() -> bytes:
    """The template as a workbook: the columns with one example row, and a sheet saying what
    each column means."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    book = Workbook()
    sheet = book.active
    sheet.title = "Children"
    sheet.append(list(NAMES))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append([c.example for c in COLUMNS])
    guide = book.create_sheet("Columns")
    guide.append(["column", "required", "meaning", "example"])
    for c in COLUMNS:
        guide.append([c.name, "yes" if c.required else "", c.meaning, c.example])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
