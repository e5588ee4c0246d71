"""Performance indicators over a chosen period, per team and for the council (I3, I4): the
share of each statutory clock met on time, a plan by the second review (R4), Family Group
Conference use (R6), the median days from entering care to the plan, the ADM decision, the
order and permanence by route, and the months' trend.

What counts, so a Corporate Parenting Board can trust the figures:
- a clock counts in the period its due date falls in, once it has been settled (met, late or
  missed) or has passed its date still running; it is on time only when met by its date;
- FGC use is of the children who entered care in the period: an FGC held (with or without a
  family plan) against declined or not (yet) held;
- each "days to" figure is of the children whose event fell in the period, counted from the
  day they became looked after; the plan is the PPM that identified it, the ADM decision the
  Agency Decision Maker's record, the order the first final order recorded in proceedings,
  permanence the day recorded as achieved, under the route achieved.

Each figure is read as plain columns (dates, a rule, a status, a team) or a record's answers
for the few records of that kind in the period; no workflow or object graph is loaded.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from statistics import median

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models import Child, Deadline, PathwayInstance, TaskRecord
from models.facts import fact, fact_is
from workflows.rules import rule_label

from ..records import current_records
from .overview import route_ids, route_text, rule_order
from .scope import Scope, looked_after

SETTLED = ("met", "late", "missed")
PLAN_STEPS = ("initial_ppm", "review_ppm", "called_ppm")   # the PPMs of planning: where a plan is identified
ORDER_STEPS = ("final_hearing", "record_order")
FGC_HELD = ("family_plan_agreed", "no_plan")
COUNCIL = "Council"


@dataclass
class Share:
    """How many counted, how many on time (or used), as a percentage of those counted."""
    counted: int = 0
    met: int = 0

    @property
    def percent(self) -> int | None:
        """Rounded half up (62.5% is 63%), as a board paper would."""
        return None if not self.counted else (200 * self.met + self.counted) // (2 * self.counted)

    def add(self, on_time: bool, n: int = 1) -> None:
        self.counted += n
        self.met += n if on_time else 0


@dataclass
class Days:
    """Days from entering care to an event, for each child whose event fell in the period."""
    values: list[int] = field(default_factory=list)

    @property
    def children(self) -> int:
        return len(self.values)

    @property
    def median(self) -> float | None:
        return median(self.values) if self.values else None


@dataclass
class Row:
    """One indicator: its figure for each column (the teams in scope, then the council)."""
    key: str
    label: str
    cells: list


@dataclass
class Month:
    month: date                  # its first day
    clocks: Share
    entered_care: int
    plans: int


@dataclass
class Performance:
    scope: Scope
    start: date
    end: date
    as_of: date
    columns: list[str]           # team names, then "Council" when more than one team is seen
    clocks: list[Row]            # per rule: Share cells
    all_clocks: Row
    plan_by_second_review: Row   # R4
    fgc: Row                     # Share: FGC held / entered care
    entered_care: Row            # int cells
    days: list[Row]              # Days cells
    months: list[Month]


class _Columns:
    """Adds a figure to its team's column and to the council's."""

    def __init__(self, teams: list[tuple[int, str]], every_team: bool):
        self.index = {team_id: i for i, (team_id, _) in enumerate(teams)}
        self.names = [name for _, name in teams] + ([COUNCIL] if every_team else [])
        self.council = len(teams) if every_team else None

    def new(self, make) -> list:
        return [make() for _ in self.names]

    def of(self, cells: list, team_id: int) -> list:
        """The cells a child of `team_id` counts in (none if the team is out of scope)."""
        if team_id not in self.index:
            return []
        return [cells[self.index[team_id]]] + ([cells[self.council]] if self.council is not None else [])


def performance(session: Session, scope: Scope, start: date, end: date, as_of: date) -> Performance:
    columns = _Columns(scope.teams(session), scope.every_team)
    months = {m: Month(m, Share(), 0, 0) for m in _months(start, end)}
    clocks, all_clocks = _clocks(session, scope, columns, start, end, as_of, months)
    fgc, entered = _fgc(session, scope, columns, start, end, months)
    days = [_days_to_plan(session, scope, columns, start, end, months),
            _days_to_adm(session, scope, columns, start, end),
            _days_to_order(session, scope, columns, start, end),
            *_days_to_permanence(session, scope, columns, start, end)]
    r4 = next((row for row in clocks if row.key == "R4"),
              Row("R4", rule_label("R4"), columns.new(Share)))
    return Performance(scope, start, end, as_of, columns.names, clocks, all_clocks,
                       Row("R4", "Plan by the second CLA review (R4)", r4.cells), fgc, entered,
                       days, list(months.values()))


def _months(start: date, end: date) -> list[date]:
    first, found = start.replace(day=1), []
    while first <= end:
        found.append(first)
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return found


def _clocks(session, scope, columns, start, end, as_of, months):
    """Each rule's clocks due in the period, grouped in the database by team, rule, status and
    due date: a council's years of clocks come back as a few thousand counts."""
    query = (select(Child.team_id, Deadline.rule, Deadline.status, Deadline.due_on, func.count())
             .join(Child, Child.id == Deadline.child_id)
             .where(Deadline.due_on >= start, Deadline.due_on <= end,
                    Deadline.status.in_((*SETTLED, "running")))
             .group_by(Child.team_id, Deadline.rule, Deadline.status, Deadline.due_on))
    by_rule: dict[str, list[Share]] = {}
    total = columns.new(Share)
    for team_id, rule, status, due_on, n in session.execute(scope.children(query)):
        if status == "running" and due_on >= as_of:
            continue   # still to come: not yet a figure
        on_time = status == "met"
        if rule not in by_rule:
            by_rule[rule] = columns.new(Share)
        cells = by_rule[rule]
        for share in columns.of(cells, team_id) + columns.of(total, team_id):
            share.add(on_time, n)
        if columns.of(cells, team_id):
            months[due_on.replace(day=1)].clocks.add(on_time, n)
    rows = [Row(rule, rule_label(rule) or rule, cells)
            for rule, cells in sorted(by_rule.items(), key=lambda kv: rule_order(kv[0]))]
    return rows, Row("all", "Every statutory clock", total)


def _entered(session, scope, start, end):
    query = select(Child.id, Child.team_id, Child.looked_after_on).where(
        Child.looked_after_on >= start, Child.looked_after_on <= end, looked_after())
    return session.execute(scope.children(query)).all()


def _fgc(session, scope, columns, start, end, months):
    """Of the children who entered care in the period, those whose FGC was held."""
    children = _entered(session, scope, start, end)
    held = set(session.scalars(current_records(
        select(TaskRecord.child_id).where(
            TaskRecord.bpmn_id == "hold_fgc", fact(TaskRecord.answers, "fgc_outcome").in_(FGC_HELD),
            TaskRecord.child_id.in_(scope.children(select(Child.id).where(
                Child.looked_after_on >= start, Child.looked_after_on <= end, looked_after())))))))
    shares, entered = columns.new(Share), columns.new(lambda: [0])
    for child_id, team_id, since in children:
        for share in columns.of(shares, team_id):
            share.add(child_id in held)
        for count in columns.of(entered, team_id):
            count[0] += 1
        if columns.of(shares, team_id):
            months[since.replace(day=1)].entered_care += 1
    return (Row("fgc", "Family Group Conference held (R6), of the children who entered care", shares),
            Row("entered", "Children who entered care", [c[0] for c in entered]))


def _event_days(session, scope, steps, date_key, start, end, *conditions):
    """child -> (first date, team, entered care, pathway) for the records of `steps` whose
    first `date_key` answer falls in the period. The database picks each child's first date
    from the records completed since the period began (a meeting recorded earlier was held
    earlier), so only one row a child comes back and no record's answers are decoded here."""
    on = fact(TaskRecord.answers, date_key)
    query = current_records(
        select(TaskRecord.child_id, Child.team_id, Child.looked_after_on, func.min(on),
               func.max(TaskRecord.instance_id))
        .join(Child, Child.id == TaskRecord.child_id)
        .where(TaskRecord.bpmn_id.in_(steps), TaskRecord.completed_at >= _instant(start),
               on.is_not(None), *conditions)
        .group_by(TaskRecord.child_id, Child.team_id, Child.looked_after_on))
    found = {}
    for child_id, team_id, since, first, instance_id in session.execute(scope.children(query)):
        day = _day(first)
        if day is not None and start <= day <= end:
            found[child_id] = (day, team_id, since, instance_id)
    return found


def _days_row(columns, key, label, found):
    cells = columns.new(Days)
    for on, team_id, since, *_ in found.values():
        for days in columns.of(cells, team_id):
            days.values.append((on - since).days)
    return Row(key, label, cells)


def _days_to_plan(session, scope, columns, start, end, months):
    found = _event_days(session, scope, PLAN_STEPS, "held_on", start, end,
                        fact_is(TaskRecord.answers, "plan_identified", True))
    for on, team_id, *_ in found.values():
        if team_id in columns.index:
            months[on.replace(day=1)].plans += 1
    return _days_row(columns, "plan", "Days from entering care to the permanence plan", found)


def _days_to_adm(session, scope, columns, start, end):
    found = _event_days(session, scope, ("adm_decision",), "adm_decided_on", start, end)
    return _days_row(columns, "adm", "Days from entering care to the ADM decision (R15)", found)


def _days_to_order(session, scope, columns, start, end):
    outcome = fact(TaskRecord.answers, "hearing_outcome")
    found = _event_days(session, scope, ORDER_STEPS, "order_made_on", start, end,
                        fact(TaskRecord.answers, "order_type").not_in(("", "none")),
                        or_(outcome.is_(None), outcome == "final_order"))
    return _days_row(columns, "order", "Days from entering care to the final order (R14)", found)


def _days_to_permanence(session, scope, columns, start, end):
    """One row per route achieved in the period, in the pathway's order of preference."""
    found = _event_days(session, scope, ("record_achieved",), "achieved_on", start, end)
    routes = _routes_achieved(session, {f[3] for f in found.values()})
    by_route: dict[str, dict] = {}
    for child_id, value in found.items():
        by_route.setdefault(routes.get(value[3], ""), {})[child_id] = value
    order = ["reunification", "family_and_friends", "adoption", "long_term_fostering", "residential"]
    return [_days_row(columns, f"permanence:{route}",
                      f"Days from entering care to permanence: {route_text(route) if route else 'route not recorded'}",
                      by_route[route])
            for route in sorted(by_route, key=lambda r: (order.index(r) if r in order else len(order), r))]


def _routes_achieved(session, instance_ids) -> dict[int, str]:
    if not instance_ids:
        return {}
    routes = {}
    for instance_id, route, facts in session.execute(
            select(PathwayInstance.id, PathwayInstance.route, PathwayInstance.facts)
            .where(PathwayInstance.id.in_(instance_ids))):
        achieved = (facts or {}).get("achieved_route")
        routes[instance_id] = achieved if isinstance(achieved, str) and achieved else \
            next(iter(route_ids(route)), "")
    return routes


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _instant(day: date):
    """The start of `day` in London, as the UTC instant records are kept in (with a day's
    margin: a record completed just before midnight UTC may be the next day in London)."""
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc) - timedelta(days=1)
