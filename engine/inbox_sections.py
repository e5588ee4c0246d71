"""The inbox a practitioner works from: their open tasks in three sections (my children, my
team's, escalations), each counted in the database, in strict due-date order, 25 a page,
filtered by kind of task, child and overdue.

The sections never overlap. "My children" is the user's own work: tasks in their lanes (for a
social worker only the children allocated to them, or whose tasks were given to them).
"My team's" is what the user oversees or could pick up: a social worker's colleagues'
children's tasks in their lanes; for managers every other open task of their team (every
team's, for service-wide managers). "Escalations" are the tasks a missed deadline opened
(`*_escalation`, `chase_*`) in the user's lanes or, for managers, in their scope.
Who may see which child is `engine.access`'s rule, here in SQL.
"""
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import and_, false, func, not_, or_, select, true

from models import Child, Database, HumanTask, User
from workflows.roles import SOCIAL_WORKER, TEAM_MANAGER, TEAM_SCOPED_ROLES, is_lane_role

from . import clock
from .access import COUNCIL_WIDE_ROLES
from .reporting.child_search import search_condition
from .users import user_by_name
from .paging import PER_PAGE, page_within
from .position import OPEN_ORDER
from .views import LISTED, SERVICE_WIDE_MANAGERS, listed_row

MINE, TEAM, ESCALATIONS = "mine", "team", "escalations"


@dataclass(frozen=True)
class InboxFilters:
    kind: str = ""       # a task's name ("Hold the review PPM"); "" for every kind
    child: str = ""      # part of a child's name or reference
    overdue: bool = False

    @property
    def active(self) -> bool:
        return bool(self.kind or self.child.strip() or self.overdue)


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    rows: list[dict]
    total: int
    page: int
    pages: int
    team: bool          # rows show whose task it is (the lane, the child's social worker)


@dataclass(frozen=True)
class Inbox:
    sections: list[Section]
    kinds: list[str] = field(default_factory=list)


def escalation():
    """Tasks a missed deadline opened, by the diagrams' naming of them."""
    return or_(HumanTask.bpmn_id.like("%\\_escalation", escape="\\"),
               HumanTask.bpmn_id.like("chase\\_%", escape="\\"))


def _is(column, value: int):
    """`column = value`, false (not unknown) where the column is empty: the sections are told
    apart with NOT, and NOT of an unknown drops the row (an IRO's task, named for nobody,
    vanished from its team manager's "My team's tasks")."""
    return and_(column.is_not(None), column == value)


def _may_act(user: "User | _Who"):
    """`engine.access.may_act_on_child`, as a condition on the task."""
    if user.roles & COUNCIL_WIDE_ROLES:
        return true()
    if user.roles & TEAM_SCOPED_ROLES and user.team_id is not None:
        return HumanTask.team_id == user.team_id   # the child's team, kept with the task
    return false()


def _oversight(user: "User | _Who"):
    """The children whose every task a manager oversees; None for non-managers."""
    if user.roles & SERVICE_WIDE_MANAGERS:
        return true()
    if TEAM_MANAGER in user.roles and user.team_id is not None:
        return HumanTask.team_id == user.team_id
    return None


def _sections(user: "User | _Who") -> list[tuple[str, str, object, bool]]:
    """(key, heading, condition, shows whose) for each section the user has."""
    lanes = [r for r in user.roles if is_lane_role(r)]
    in_my_lanes = and_(HumanTask.lane.in_(lanes), _may_act(user)) if lanes else false()
    # A task named for this person (a panel action they own, P6) is theirs whatever its lane.
    assigned = and_(_is(HumanTask.assignee_id, user.id), _may_act(user)) if lanes else false()
    in_my_lanes = or_(in_my_lanes, assigned)
    mine = in_my_lanes
    colleagues = None
    if SOCIAL_WORKER in user.roles:
        # The allocated children's tasks, but not one named for someone else (a panel action
        # a Service Manager owns), and any task named for this worker.
        allocated = or_(_is(HumanTask.assignee_id, user.id),
                        and_(_is(Child.social_worker_id, user.id), HumanTask.assignee_id.is_(None)))
        others = user.roles - {SOCIAL_WORKER}
        own_lane = HumanTask.lane == SOCIAL_WORKER
        mine = and_(in_my_lanes, or_(allocated, not_(own_lane) if others else false()))
        colleagues = and_(in_my_lanes, own_lane, not_(allocated))
    oversee = _oversight(user)
    team = colleagues
    if oversee is not None:
        team = and_(oversee, not_(mine))
    escalations = in_my_lanes if oversee is None else or_(in_my_lanes, oversee)
    sections = [(MINE, "My children" if SOCIAL_WORKER in user.roles else "My tasks",
                 and_(mine, not_(escalation())), False)]
    if team is not None:
        heading = ("Tasks across the service" if user.roles & SERVICE_WIDE_MANAGERS
                   else "My team's tasks")
        sections.append((TEAM, heading, and_(team, not_(escalation())), True))
    sections.append((ESCALATIONS, "Escalations", and_(escalations, escalation()), True))
    return sections


def _reach(user: "User | _Who") -> tuple:
    """The team every section of a team-scoped user lies in, said once beside the sections'
    ORs, so that the database reads that team's tasks rather than every open task in the
    council to sort out a team manager's; nothing for service-wide and council-wide users."""
    if user.roles & (COUNCIL_WIDE_ROLES | SERVICE_WIDE_MANAGERS):
        return ()
    if user.team_id is None:
        return (false(),)
    return (HumanTask.team_id == user.team_id,)   # the team kept with each task: its index


def _filtered(filters: InboxFilters, today) -> list:
    """What the filters keep, of the open tasks."""
    conditions = []
    if filters.kind:
        conditions.append(HumanTask.name == filters.kind)
    if filters.child.strip():
        conditions.append(search_condition(filters.child))
    if filters.overdue:
        conditions.append(HumanTask.due_on < today)
    return conditions


@dataclass(frozen=True)
class _Who:
    """What the sections are built from: who is asking (`_sections` reads only these)."""
    id: int
    roles: frozenset
    team_id: int | None


@dataclass(frozen=True, eq=False)      # kept and looked up by identity (statements' == builds SQL)
class _Plan:
    """The inbox's statements for one person, filters and day: built once and kept, as
    building the conditions is most of the time of the counting and listing."""
    sections: tuple          # (key, heading, condition, whose)
    by_kind: object          # each kind of task, and how many of it each section holds
    base: tuple

    def page(self, condition, page: int):
        return (select(*LISTED)
                .join(Child, Child.id == HumanTask.child_id)
                .outerjoin(User, User.id == Child.social_worker_id).where(*self.base, condition)
                .order_by(*OPEN_ORDER)
                .offset((page - 1) * PER_PAGE).limit(PER_PAGE))


@lru_cache(maxsize=512)
def _plan(who: _Who, filters: InboxFilters, today) -> _Plan:
    """Statements are values: the same person, filters and day give the same statements, and
    the rows are read afresh each time (nothing read is kept)."""
    reach = _reach(who)
    chosen = _filtered(filters, today)
    sections = tuple(_sections(who))
    every = or_(*[condition for _, _, condition, _ in sections])
    # One reading of the user's open tasks, by kind: the kinds to filter by (every kind, the
    # filters aside) and, summed, each section's count of the tasks the filters keep.
    by_kind = (select(HumanTask.name, *[func.count(HumanTask.id).filter(and_(*chosen, condition))
                                        for _, _, condition, _ in sections])
               .select_from(HumanTask).where(HumanTask.status == "open", *reach, every)
               .group_by(HumanTask.name).order_by(HumanTask.name))
    if Child.__table__ in by_kind.get_final_froms():
        # Only a social worker's sections (their allocated children) and the search by
        # child read the child: a manager's counts read the team's tasks alone.
        by_kind = by_kind.join(Child, Child.id == HumanTask.child_id)
    return _Plan(sections, by_kind, (HumanTask.status == "open", *chosen, *reach))


@lru_cache(maxsize=2048)
def _page(plan: _Plan, key: str, page: int):
    condition = next(c for k, _, c, _ in plan.sections if k == key)
    return plan.page(condition, page)


def inbox(db: Database, username: str, filters: InboxFilters = InboxFilters(),
          pages: dict[str, int] | None = None) -> Inbox:
    """The user's inbox: each section's count and its page of rows (`pages` by section key)."""
    pages = pages or {}
    with db.reading() as session:
        user = user_by_name(session, username)
        today = clock.today()
        plan = _plan(_Who(user.id, user.roles, user.team_id), filters, today)
        # Every section's count in one statement (the sections never overlap).
        by_kind = session.execute(plan.by_kind).all()
        totals = [sum(row[n] for row in by_kind) for n in range(1, len(plan.sections) + 1)]
        found = []
        for (key, heading, _, whose), total in zip(plan.sections, totals):
            page, count = page_within(total, pages.get(key, 1))
            rows = []
            if total:
                rows = [listed_row(r, today, user.id) for r in session.execute(_page(plan, key, page))]
            found.append(Section(key, heading, rows, total, page, count, whose))
        return Inbox(found, [row[0] for row in by_kind])
