"""Drift: the children whose plans are stalling, each with the date that makes them drift.

Four lists, oldest drift first, each page read from the drift entries kept with the running
figures (engine.figures); `counted` finds the same from the projections, each list one query
over an index (see models/tables.py), to check them:
no plan by the second review (R4), s20 beyond 12 weeks (R21), no PPM in 6 weeks (R7, R8),
panel actions overdue (R12).
"""
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import Date, Integer, and_, bindparam, case, func, not_, select, union_all
from sqlalchemy.orm import Session

from models import Child, Deadline, DriftEntry, HumanTask, PathwayInstance as Pathway, Team, User
from models.facts import fact, fact_is
from workflows.calendar import add_working_days, as_date
from workflows.local_settings import setting

from .scope import Scope, last_day_aged, looked_after, not_looked_up, running, same_row, unindexed

ACHIEVED = "Permanence achieved"
#: The diagram element whose tasks are the panel's actions (permanence_panel.bpmn).
PANEL_ACTION = "complete_panel_action"


@dataclass(frozen=True)
class DriftKind:
    key: str
    title: str
    rule: str
    date_heading: str
    explanation: str


KINDS = {kind.key: kind for kind in (
    DriftKind("no-plan", "No permanence plan by the second review", "R4", "Plan due by",
              "The plan was due by the second looked-after review and no plan has been recorded."),
    DriftKind("s20", "Section 20 beyond 12 weeks", "R21", "Drifting since",
              "Aged 16 or under, accommodated under section 20 for 12 weeks or more, and the "
              "Legal Gateway Meeting has not endorsed section 20."),
    DriftKind("no-ppm", "No PPM in 6 weeks", "R8", "PPM due by",
              "No Permanency Planning Meeting in the last 6 weeks, or none yet and the initial "
              "PPM's 10 working days have passed; children not yet at permanence achieved."),
    DriftKind("panel-actions", "Panel actions overdue", "R12", "Action due by",
              "Actions the Permanence Panel set, not completed by their due date."),
)}


@dataclass(frozen=True)
class DriftList:
    kind: DriftKind
    total: int
    rows: list[dict]      # child_id, reference, name, team, social_worker, date, detail


def drift(session: Session, scope: Scope, key: str, today: date, offset: int = 0,
          limit: int = 10, total: int | None = None) -> DriftList:
    """A page of the list, oldest drift first, from the drift entries kept with the running
    figures (read along their index: the page's rows only), and its `total` (a figure, read
    here unless the caller has it)."""
    if total is None:
        from .running import Figures
        total = Figures(session, scope, today).drift_total(key)
    return pages(session, scope, {key: (total, offset, limit)}, today)[0]


def pages(session: Session, scope: Scope, wanted: dict[str, tuple[int, int, int]],
          today: date) -> list[DriftList]:
    """A page of each list in `wanted` ({key: (total, offset, limit)}), in one statement:
    each list's entries read along its index (the page's rows only), then who each child
    is, and for panel actions how many are overdue today and the first one's text."""
    read = [(key, offset, limit) for key, (total, offset, limit) in wanted.items() if total]
    found: dict[str, list[dict]] = {key: [] for key, _, _ in read}
    if read:
        params = {"today": today, "team_id": scope.team_id}
        for n, (key, offset, limit) in enumerate(read):
            params.update({f"page_list_{n}": key, f"page_offset_{n}": offset, f"page_limit_{n}": limit})
        for key, child_id, shown, detail, ref, name, team, worker, actions, first in \
                session.connection().execute(_pages_query(len(read), scope.every_team), params).all():
            if key == "panel-actions":
                detail = " ".join(filter(None, [
                    f"{actions} actions overdue." if actions > 1 else "", first or ""]))
            found[key].append({"child_id": child_id, "reference": ref, "name": name, "team": team,
                               "social_worker": worker, "date": shown, "detail": detail})
    for rows in found.values():
        rows.sort(key=lambda row: (row["date"], row["child_id"]))
    return [DriftList(KINDS[key], total, found.get(key, [])) for key, (total, _, _) in wanted.items()]


@lru_cache(maxsize=16)
def _pages_query(lists: int, every_team: bool):
    """The statement for pages of `lists` lists (parameters page_list_N, page_offset_N,
    page_limit_N, today and team_id), built once: building it costs more than running it."""
    today = bindparam("today", type_=Date)
    branches = []
    for n in range(lists):
        # Each list's entries along its index, each child looked up by its key as it comes:
        # only the page's rows are read.
        page = (select(DriftEntry.list, DriftEntry.child_id, DriftEntry.shown, DriftEntry.detail,
                       Child.reference, Child.name, Child.team_id, Child.social_worker_id)
                .join(Child, Child.id == DriftEntry.child_id)
                .where(DriftEntry.list == bindparam(f"page_list_{n}"), DriftEntry.since <= today,
                       DriftEntry.until > today)
                .order_by(DriftEntry.shown, DriftEntry.child_id)
                .offset(bindparam(f"page_offset_{n}", type_=Integer))
                .limit(bindparam(f"page_limit_{n}", type_=Integer)))
        if not every_team:
            page = page.where(DriftEntry.team_id == bindparam("team_id"))
        branches.append(select(page.subquery()))
    entries = (union_all(*branches) if lists > 1 else branches[0]).subquery("entries")
    overdue_action = and_(HumanTask.child_id == entries.c.child_id,
                          not_looked_up(HumanTask.status) == "open",
                          HumanTask.bpmn_id == PANEL_ACTION, HumanTask.due_on < today)
    is_panel = entries.c.list == "panel-actions"
    return (select(entries.c.list, entries.c.child_id, entries.c.shown, entries.c.detail,
                   entries.c.reference, entries.c.name, Team.name, User.display_name,
                   case((is_panel, select(func.count()).where(overdue_action).scalar_subquery())),
                   case((is_panel, select(HumanTask.instructions).where(overdue_action)
                         .order_by(HumanTask.due_on, HumanTask.id).limit(1).scalar_subquery())))
            .select_from(entries)
            .join(Team, Team.id == entries.c.team_id)
            .outerjoin(User, User.id == entries.c.social_worker_id))


def _overdue_actions(session, child_ids, today) -> dict[int, list[str]]:
    """The instructions of each listed child's overdue panel actions, earliest due first.
    Looked up by child (a page of them), never along every overdue action of the council."""
    if not child_ids:
        return {}
    found: dict[int, list[str]] = {}
    for child_id, text in session.execute(
            select(HumanTask.child_id, HumanTask.instructions)
            .where(not_looked_up(HumanTask.status) == "open", HumanTask.bpmn_id == PANEL_ACTION,
                   HumanTask.due_on < today, HumanTask.child_id.in_(child_ids))
            .order_by(HumanTask.due_on, HumanTask.id)):
        found.setdefault(child_id, []).append(text or "")
    return found


def counted(session: Session, scope: Scope, key: str, today: date, offset: int = 0,
            limit: int = 10) -> DriftList:
    """The same page and total counted over the projections by the list's own query (what
    the running figures and drift entries must equal: engine.figures.check)."""
    total, found = _QUERIES[key](session, scope, today, offset, limit)
    return _with_people(session, key, today, total, found)


def _with_people(session, key, today, total, found) -> DriftList:
    people = _children(session, [child_id for child_id, _, _ in found])
    actions = _overdue_actions(session, list(people), today) if key == "panel-actions" else {}
    first = {child_id: texts[0] for child_id, texts in actions.items()}
    rows = [{**people[child_id], "date": when,
             "detail": " ".join(filter(None, [detail, first.get(child_id)]))}
            for child_id, when, detail in found if child_id in people]
    return DriftList(KINDS[key], total, rows)


def _in_team(scope: Scope):
    """The team condition, written so that SQLite still starts from the list's own index
    rather than from every child of the team (see `scope.unindexed`)."""
    return unindexed(Child.team_id) == scope.team_id


def _in_scope(query, scope: Scope, child_id_column, joined: bool = False):
    if scope.every_team:
        return query
    if not joined:
        query = query.join(Child, Child.id == child_id_column)
    return query.where(_in_team(scope))


def _page(session, query, order: tuple[str, ...], offset: int, limit: int) -> tuple[int, list]:
    """One page of the list and its total in one statement: the matching rows are found
    first (a materialized CTE, so PostgreSQL does not walk an index in the page's order to
    find them), then counted and sorted; only the page's rows come back."""
    found = query.cte("found").prefix_with("MATERIALIZED")
    columns = list(found.c)
    rows = session.execute(select(*columns, func.count().over())
                           .order_by(*(found.c[name] for name in order))
                           .offset(offset).limit(limit)).all()
    if rows:
        return rows[0][-1], [tuple(row[:-1]) for row in rows]
    if offset == 0:
        return 0, []
    return session.scalar(select(func.count()).select_from(found)), []


def _no_plan(session, scope, today, offset, limit):
    """R4 missed, or running and past its date, and still no route on the pathway."""
    def late(*where):
        query = (select(Deadline.child_id, Deadline.due_on, Deadline.status)
                 .join(Pathway, and_(Pathway.child_id == Deadline.child_id,
                                     same_row(Pathway.id, Deadline.instance_id)))
                 .where(Deadline.rule == "R4", *where, running(), Pathway.route == ""))
        return _in_scope(query, scope, Deadline.child_id)
    # Two branches, each a range of the index on (rule, status, due_on): no OR across them.
    query = union_all(late(Deadline.status == "missed"),
                      late(Deadline.status == "running", Deadline.due_on < today))
    total, rows = _page(session, query, ("due_on", "child_id"), offset, limit)
    return total, [(c, due, "Deadline missed" if status == "missed" else "Overdue")
                   for c, due, status in rows]


def _s20(session, scope, today, offset, limit):
    """Legal status s20 (the latest known), aged 16 or under, 12 weeks (a council setting)
    since becoming looked after, not endorsed by an LGM, not found to be no longer s20, and
    no care proceedings issued (P13)."""
    weeks = setting("s20_drift_weeks")
    legal = fact(Pathway.facts, "legal_status")
    total, rows = 0, []
    # Two queries, not an OR: each is answered from its index without reading pathway rows
    # (the second only for pathways from before facts were kept).
    for is_s20 in (legal == "s20", and_(legal.is_(None), Child.legal_status == "s20")):
        query = (select(Child.looked_after_on, Child.id)
                 .join(Pathway, Pathway.child_id == Child.id)
                 .where(is_s20, running(), not_(fact_is(Pathway.facts, "s20_endorsed", True)),
                        # Proceedings issued (a case event or the LGM's route): not drifting.
                        fact(Pathway.facts, "issued_on").is_(None),
                        not_(fact_is(Pathway.facts, "still_s20", False)),
                        Child.looked_after_on <= today - timedelta(weeks=weeks),
                        Child.date_of_birth > last_day_aged(today, 16)))
        query = _in_scope(query, scope, Child.id, joined=True)
        count, found = _page(session, query, ("looked_after_on", "id"), 0, offset + limit)
        total, rows = total + count, rows + found
    return total, [(c, since + timedelta(weeks=weeks), f"Looked after under section 20 since {_long(since)}")
                   for since, c in sorted(rows)[offset:offset + limit]]


def _no_ppm(session, scope, today, offset, limit):
    """A last PPM more than 6 weeks ago (R8), or none yet and the initial PPM overdue (R7)."""
    held_on = fact(Pathway.facts, "held_on")
    weeks, working_days = setting("review_ppm_weeks"), setting("initial_ppm_working_days")
    still_planning = and_(running(), Pathway.stage != ACHIEVED)
    # Counted, then paged in the order of the index on the last PPM: the pathway rows are
    # read for the page only.
    overdue_review = _in_scope(select(Pathway.child_id).where(
        still_planning, held_on < (today - timedelta(weeks=weeks)).isoformat()), scope, Pathway.child_id)
    first_total = session.scalar(select(func.count()).select_from(overdue_review.subquery()))
    first = session.execute(overdue_review.add_columns(held_on).order_by(held_on)
                            .limit(offset + limit)).all()
    no_meeting = (select(Child.id, Child.looked_after_on)
                  .join(Pathway, Pathway.child_id == Child.id)
                  .where(still_planning, held_on.is_(None), looked_after(),
                         Child.looked_after_on <= _latest_start(today, working_days)))
    no_meeting = _in_scope(no_meeting, scope, Child.id, joined=True)
    second_total, second = _page(session, no_meeting, ("looked_after_on", "id"), 0, offset + limit)
    rows = [(as_date(held) + timedelta(weeks=weeks), c, f"Last PPM {_long(as_date(held))}")
            for c, held in first]
    rows += [(as_date(add_working_days(since, working_days)), c,
              f"No PPM yet; looked after since {_long(since)}") for c, since in second]
    return first_total + second_total, [(c, when, detail) for when, c, detail
                                        in sorted(rows)[offset:offset + limit]]


def _latest_start(today: date, working_days: int) -> date:
    """The last date of becoming looked after whose initial PPM is overdue today."""
    day = today
    while as_date(add_working_days(day, working_days)) >= today:
        day -= timedelta(days=1)
    return day


def _panel_actions(session, scope, today, offset, limit):
    """Open panel actions past their own due date, one row per child (earliest first)."""
    query = (select(HumanTask.child_id, func.min(HumanTask.due_on).label("due_on"),
                    func.count().label("actions"))
             .where(HumanTask.status == "open", HumanTask.bpmn_id == PANEL_ACTION,
                    HumanTask.due_on < today)
             .group_by(HumanTask.child_id))
    query = _in_scope(query, scope, HumanTask.child_id)
    total, rows = _page(session, query, ("due_on", "child_id"), offset, limit)
    return total, [(c, due, f"{n} actions overdue." if n > 1 else "") for c, due, n in rows]


_QUERIES = {"no-plan": _no_plan, "s20": _s20, "no-ppm": _no_ppm, "panel-actions": _panel_actions}


def _children(session, child_ids) -> dict[int, dict]:
    """Who each listed child is, for a page's rows (never more than a page of them)."""
    if not child_ids:
        return {}
    rows = session.execute(
        select(Child.id, Child.reference, Child.name, Team.name, User.display_name)
        .join(Team, Team.id == Child.team_id).outerjoin(User, User.id == Child.social_worker_id)
        .where(Child.id.in_(child_ids)))
    return {c: {"child_id": c, "reference": ref, "name": name, "team": team, "social_worker": worker}
            for c, ref, name, team, worker in rows}


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
