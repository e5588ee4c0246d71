"""The children list: search by name or reference, filter by team, stage, route and overdue,
50 a page, most pressing first (by the next date due: an open task's or a running
statutory clock's). Children with nothing dated come last, by name.

Sorting 100,000 children by a minimum over their tasks would read every task; instead the
first page walks the tasks and clocks in date order (an index) until it has met 50 children.
A narrow search or filter (up to SMALL children) is simply sorted in full.
"""
from ..before_care import KINDS as BEFORE_CARE_KINDS
from dataclasses import dataclass
from datetime import date
from heapq import merge

from sqlalchemy import and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session, aliased

from models import Child, Deadline, HumanTask, PathwayInstance, Team, User
from workflows.stages import ROUTE_LABELS, STAGE_ORDER

from .child_search import search_condition
from .scope import Scope, current_instance

PER_PAGE = 50
SMALL = 300
NO_ROUTE = "none"
COMPLETE = "Pathway complete"


@dataclass(frozen=True)
class ChildFilters:
    search: str = ""
    team: str = ""        # a team's name; "" for every team in scope
    stage: str = ""
    route: str = ""       # a route id, NO_ROUTE for no plan yet, "" for any
    overdue: bool = False
    # The dashboard's overdue tables link here (I2): children with an overdue "tasks" or
    # "deadlines" item, under `overdue_rule` if one is given, counted as the tables count.
    overdue_of: str = ""
    overdue_rule: str = ""
    needs: str = ""       # one of NEEDS (engine.casework's projection), "" for any


#: The children list's filter on the case details (K4, K6, K10, K11, K12).
NEEDS = {"siblings": "In a sibling group", "uasc": "Unaccompanied asylum-seeking",
         "disability": "Disability", "out_of_area": "Placed or to be placed out of area",
         "family_time_due": "Family time review due"}


@dataclass(frozen=True)
class ChildrenPage:
    rows: list[dict]
    total: int
    page: int
    pages: int
    teams: list[str]
    stages: list[str]
    routes: list[tuple[str, str]]


def children_page(session: Session, scope: Scope, filters: ChildFilters, page: int,
                  today: date, narrow: tuple = ()) -> ChildrenPage:
    """`narrow`: further conditions on Child (a practitioner's own children, `mine`)."""
    conditions = [*_conditions(scope, filters, today), *narrow]
    # A narrow search or filter is read once: its children are few, so count them here.
    few = session.scalars(select(Child.id).where(*conditions).limit(SMALL + 1)).all()
    total = len(few) if len(few) <= SMALL else session.scalar(
        select(func.count(Child.id)).where(*conditions))
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    offset = (page - 1) * PER_PAGE
    if total <= SMALL:
        chosen = _sorted_in_full(session, few)[offset:offset + PER_PAGE]
    else:
        dated = _walk_in_date_order(session, conditions, offset + PER_PAGE)
        chosen = dated[offset:offset + PER_PAGE]
        if len(dated) < offset + PER_PAGE:  # the dated ran out: the undated follow, by name
            chosen += _undated(session, conditions, max(0, offset - len(dated)),
                               offset + PER_PAGE - max(offset, len(dated)))
    return ChildrenPage(_rows(session, chosen, today), total, page, pages,
                        [name for _, name in scope.teams(session)], [*STAGE_ORDER, COMPLETE],
                        [*ROUTE_LABELS.items(), (NO_ROUTE, "No plan yet")])


def _conditions(scope: Scope, filters: ChildFilters, today: date) -> list:
    conditions = [] if scope.every_team else [Child.team_id == scope.team_id]
    if filters.team:
        conditions.append(Child.team_id == select(Team.id).where(Team.name == filters.team)
                          .scalar_subquery())
    if filters.search.strip():
        conditions.append(search_condition(filters.search))
    if filters.stage:
        conditions.append(_current_pathway(PathwayInstance.stage == filters.stage))
    if filters.route == NO_ROUTE:
        conditions.append(_current_pathway(PathwayInstance.route == ""))
    elif filters.route:
        route = PathwayInstance.route
        r = filters.route
        conditions.append(_current_pathway(or_(route == r, route.like(f"{r} + %"),
                                               route.like(f"% + {r}"), route.like(f"% + {r} + %"))))
    if filters.needs in NEEDS:
        conditions.append(_needs(filters.needs, today))
    if filters.overdue:
        conditions.append(or_(
            exists().where(HumanTask.child_id == Child.id, HumanTask.status == "open",
                           HumanTask.due_on < today),
            exists().where(Deadline.child_id == Child.id, Deadline.status == "running",
                           Deadline.due_on < today)))
    if filters.overdue_of in OVERDUE_OF:
        conditions.append(_overdue_of(filters.overdue_of, filters.overdue_rule, today))
    return conditions


#: What the dashboard's two overdue tables count.
OVERDUE_OF = {"tasks": "an overdue task", "deadlines": "an overdue statutory deadline"}


def _needs(key: str, today: date):
    from models import ChildCasework
    condition = {"siblings": ChildCasework.sibling_group_id.is_not(None),
                 "uasc": ChildCasework.uasc.is_(True), "disability": ChildCasework.disability.is_(True),
                 "out_of_area": ChildCasework.out_of_area.is_(True),
                 "family_time_due": ChildCasework.family_time_review_due_on <= today}[key]
    return exists().where(ChildCasework.child_id == Child.id, condition)


def _overdue_of(kind: str, rule: str, today: date):
    """As `overview.overdue` counts: an open task past its date; a deadline past its date and
    still running, or missed while the work it guards (a task under its rule) is still open."""
    if kind == "tasks":
        return exists().where(HumanTask.child_id == Child.id, HumanTask.status == "open",
                              HumanTask.due_on < today, *([HumanTask.rule == rule] if rule else []))
    task = aliased(HumanTask)
    still_open = exists().where(task.instance_id == Deadline.instance_id, task.status == "open",
                                task.rule == Deadline.rule)
    return exists().where(Deadline.child_id == Child.id, *([Deadline.rule == rule] if rule else []),
                          or_(and_(Deadline.status == "running", Deadline.due_on < today),
                              and_(Deadline.status == "missed", still_open)))


def _current_pathway(condition):
    return exists().where(current_instance(Child.id), condition)


def _dated(conditions, limit: int | None = None):
    """Open tasks and running clocks with a date, in date order, for children matching."""
    queries = []
    for table, open_status in ((HumanTask, "open"), (Deadline, "running")):
        query = (select(table.due_on, table.child_id, table.rule)
                 .where(table.status == open_status, table.due_on.is_not(None))
                 .order_by(table.due_on, table.child_id))
        if conditions:
            query = query.join(Child, Child.id == table.child_id).where(*conditions)
        queries.append(query.limit(limit) if limit else query)
    return queries


def _walk_in_date_order(session, conditions, wanted: int) -> list[tuple]:
    """The first `wanted` children in order of their next date: (child_id, due_on, rule)."""
    batch = max(4 * wanted, 200)
    while True:
        fetched = [session.execute(q).all() for q in _dated(conditions, batch)]
        truncated = [rows[-1][:2] for rows in fetched if len(rows) == batch]
        boundary = min(truncated) if truncated else None
        seen: dict[int, tuple] = {}
        for due_on, child_id, rule in merge(*fetched):
            if boundary is not None and (due_on, child_id) > boundary:
                break
            seen.setdefault(child_id, (child_id, due_on, rule))
        if len(seen) >= wanted or boundary is None:
            return list(seen.values())
        batch *= 4


def _sorted_in_full(session, ids: list[int]) -> list[tuple]:
    first: dict[int, tuple] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for table, open_status in ((HumanTask, "open"), (Deadline, "running")):
            # By the child_id index alone: a child has a handful of rows, filtered here, and a
            # status condition in the query tempts a planner without statistics to scan every
            # open row by the status index instead.
            query = (select(table.due_on, table.child_id, table.rule, table.status)
                     .where(table.child_id.in_(chunk)))
            for due_on, child_id, rule, status in session.execute(query):
                if status != open_status or due_on is None:
                    continue
                if child_id not in first or (due_on, rule or "") < first[child_id][1:]:
                    first[child_id] = (child_id, due_on, rule or "")
    dated = sorted(first.values(), key=lambda row: (row[1], row[0]))
    undated = [i for i in ids if i not in first]
    return dated + _by_name(session, undated)


def _by_name(session, ids: list[int]) -> list[tuple]:
    """The few children with nothing dated, by name: read by their ids alone, since the two
    queries above already found they have nothing dated."""
    named = []
    for start in range(0, len(ids), 500):
        named += session.execute(select(Child.name, Child.id)
                                 .where(Child.id.in_(ids[start:start + 500]))).all()
    return [(child_id, None, "") for _, child_id in sorted(named)]


def _undated(session, conditions, offset: int, limit: int | None) -> list[tuple]:
    """Children matching with nothing dated open, by name."""
    query = (select(Child.id).where(
        *conditions,
        not_(exists().where(HumanTask.child_id == Child.id, HumanTask.status == "open",
                            HumanTask.due_on.is_not(None))),
        not_(exists().where(Deadline.child_id == Child.id, Deadline.status == "running")))
        .order_by(Child.name, Child.id).offset(offset))
    if limit is not None:
        query = query.limit(limit)
    return [(child_id, None, "") for child_id in session.scalars(query)]


def _rows(session, chosen: list[tuple], today: date) -> list[dict]:
    if not chosen:
        return []
    ids = [child_id for child_id, _, _ in chosen]
    found = {row[0]: row for row in session.execute(
        select(Child.id, Child.reference, Child.name, Child.date_of_birth, Child.legal_status,
               Child.looked_after_on, Team.name, User.display_name, PathwayInstance.stage,
               PathwayInstance.route, PathwayInstance.status, PathwayInstance.facts, Child.before_care)
        .join(Team, Team.id == Child.team_id).outerjoin(User, User.id == Child.social_worker_id)
        .outerjoin(PathwayInstance, current_instance(Child.id))
        .where(Child.id.in_(ids)))}
    rows = []
    for child_id, due_on, rule in chosen:
        if child_id not in found:
            continue
        _, ref, name, born, status, since, team, worker, stage, route, state, facts, before = found[child_id]
        rows.append({
            "child_id": child_id, "reference": ref, "name": name, "date_of_birth": born,
            "legal_status": (facts or {}).get("legal_status") or status, "looked_after_on": since,
            "team": team, "social_worker": worker, "stage": stage or "", "route": route or "",
            "pathway_status": state, "next_due_on": due_on, "next_rule": rule,
            "overdue": due_on is not None and due_on < today,
            # A10, E18: known before care: marked, with no looked-after date or status.
            "before_care": BEFORE_CARE_KINDS.get(before) if before else None})
    return rows
