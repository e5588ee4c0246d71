"""The performance indicators as tables: one shape for the page, the Corporate Parenting Board
PDF and the XLSX, so the three never disagree. Cells keep their figures (a share, days, a
count); `text` words them."""
from dataclasses import dataclass
from datetime import date

from engine.reporting.performance import Days, Performance, Share


@dataclass
class Table:
    key: str
    title: str
    explanation: str
    columns: list[str]           # the first column heads the row labels
    rows: list[tuple[str, str, list]]   # (row key, label, cells)


def text(cell) -> str:
    if isinstance(cell, Share):
        if not cell.counted:
            return "None due"
        return f"{cell.percent}% ({cell.met} of {cell.counted})"
    if isinstance(cell, Days):
        if not cell.children:
            return "None"
        shown = f"{cell.median:g}"
        return f"{shown} days ({cell.children} {'child' if cell.children == 1 else 'children'})"
    return "" if cell is None else str(cell)


def tables(board: Performance) -> list[Table]:
    columns = ["Indicator", *board.columns]
    headline = Table("headline", "Headline figures",
                     "A plan by the second CLA review and the clocks are counted in the period their "
                     "date falls in; FGC use is of the children who entered care in the period "
                     "(the second number is how many entered care).",
                     columns, [
                         ("R4", board.plan_by_second_review.label, board.plan_by_second_review.cells),
                         ("fgc", board.fgc.label, board.fgc.cells),
                         ("all", "Every statutory clock met on time", board.all_clocks.cells)])
    clocks = Table("clocks", "Statutory clocks met on time, by rule",
                   "Each clock due in the period that has been met, was met late, was missed or "
                   "is overdue; on time means met by its date.",
                   ["Rule", *board.columns],
                   [(row.key, f"{row.key}: {row.label}", row.cells) for row in board.clocks])
    days = Table("days", "Median days from entering care",
                 "Of the children whose plan, decision, order or permanence fell in the period, "
                 "counted from the day they became looked after.",
                 columns, [(row.key, row.label, row.cells) for row in board.days])
    months = Table("months", "By month",
                   "Clocks due each month met on time, children entering care and plans "
                   "identified, for " + ("the council" if board.scope.every_team else board.columns[0]) + ".",
                   ["Month", "Clocks met on time", "Entered care", "Plans identified"],
                   [(m.month.isoformat(), month_name(m.month), [m.clocks, m.entered_care, m.plans])
                    for m in board.months])
    return [headline, clocks, days, months]


def month_name(first: date) -> str:
    return f"{first:%B %Y}"


def short_month(first: date) -> str:
    return f"{first:%b %Y}"
