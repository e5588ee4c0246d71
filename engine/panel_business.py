"""Panel business in the inbox of the people it concerns (issue 11 §7): invitations from two
weeks before a panel (HAL §4: B14, N2, C7) to the child's social worker with their team
manager copied, grouped by team manager; the papers check (B15, D14, N3, N7): from the
invitation on, the team manager and social worker see which of their children's papers are
missing, overdue after the papers deadline a week before; the agenda going out (BCP §4, N1)
for the panel chair and administrator. A missed panel action (R12, H6, C6) is not an alert:
it is the Service Manager's escalation task in the panel diagram, raised once.

Alerts are worked out when the inbox is read, from the same agendas the panel page shows
(`cohorts.panel_agendas`), so they can never disagree with it, and they go away when the
papers are on record. The inbox is the hot path, so only the roles concerned look, only at
panels whose invitations are out, a social worker only at their own children, and every such
panel is worked out from one reading of the children, their open tasks and their papers
(three statements however many panels are in the window); the alerts worked out from the
very same reading are kept, so an unchanged team's are not worked out again.
The same business is sent by e-mail by `engine.reminders.panel_notices`.
"""
from dataclasses import dataclass
from datetime import date

from models import Child, Database, User
from workflows import local_settings
from workflows.roles import PANEL_ADMINISTRATOR, PANEL_CHAIR, PRACTICE_LEAD, SOCIAL_WORKER, TEAM_MANAGER

from . import clock
from .errors import NotAllowed
from .kept import Kept
from .reporting import cohorts
from .reporting.mine import child_scope
from .reporting.scope import Scope
from .users import user_by_name

#: How many coming panels the alerts look at (BCP meets weekly: two weeks ahead is two).
PANELS_AHEAD = 3
#: The alerts last worked out, by everything they were worked out from: the person, the
#: dates and settings, and every row read (`cohorts.read_inputs`). Any write to those rows,
#: from this process or another, changes what is read, so a kept answer is only ever reused
#: for the very same inputs; reading them is a third of working the alerts out.
_KEPT: Kept[tuple] = Kept(16)


@dataclass(frozen=True)
class Alert:
    kind: str               # invitation, papers, agenda
    panel_date: date | None
    text: str
    child_id: int | None = None
    child: str = ""
    team: str = ""
    due_on: date | None = None
    overdue: bool = False


def panel_alerts(db: Database, username: str) -> list[Alert]:
    with db.reading() as session:
        user = user_by_name(session, username)
        settings, today = local_settings.panel(), clock.today()
        alerts: list[Alert] = []
        days = settings.panel_dates(today, PANELS_AHEAD)
        if user.roles & {PANEL_CHAIR, PANEL_ADMINISTRATOR}:
            alerts += [Alert("agenda", day, f"The agenda for the panel on {_long(day)} goes out "
                             f"on {_long(settings.agenda_out_on(day))}", due_on=settings.agenda_out_on(day))
                       for day in days if settings.agenda_out_on(day) <= today <= day]
        invited = [day for day in days if settings.invitations_on(day) <= today]
        if user.roles & {SOCIAL_WORKER, TEAM_MANAGER, PRACTICE_LEAD} and invited:
            alerts += _for_children(session, user, invited, settings, today)
        return sorted(alerts, key=lambda a: (a.team, a.panel_date or today, a.kind, a.child))


def _for_children(session, user: User, days: list[date], settings, today: date) -> list[Alert]:
    try:
        scope = child_scope(user)
    except NotAllowed:
        return []
    roles = user.roles
    managing = bool(roles & {TEAM_MANAGER, PRACTICE_LEAD})
    if not managing:
        # A social worker is told of their own children only: the rest of the team's are
        # not read at all (each child's place on an agenda is worked out on its own).
        scope = _Allocated(scope, user.id)
    # C7 (HAL §4): the Practice Lead is copied, and attends if the social worker cannot.
    copied = ("you are copied and attend if the social worker cannot" if PRACTICE_LEAD in roles
              else "the Practice Lead and team manager copied")
    inputs = cohorts.read_inputs(session, scope)
    key = (user.id, roles, tuple(days), today, repr(settings), local_settings.setting("s20_drift_weeks"), inputs)
    kept = _KEPT.get(key)
    if kept is not None:
        return list(kept)
    found = []
    for agenda in cohorts.panel_agendas(session, scope, days, details=False, inputs=inputs):
        day, papers_due = agenda.panel_date, agenda.papers_due_on
        on, missing_for = f"{day:%A} {_long(day)}", f"Papers missing for the panel on {_long(day)}: "
        for cohort in agenda.cohorts:
            for child in cohort.children:
                if not managing and child["social_worker_id"] != user.id:
                    continue
                who = "you" if child["social_worker_id"] == user.id else (child["social_worker"] or "the team")
                found.append(Alert("invitation", day, f"{child['name']} is on the Permanence Panel on "
                                   f"{on} ({cohort.title}): {who} to attend, {copied}",
                                   child["child_id"], child["name"], child["team"]))
                if child["missing_papers"]:
                    found.append(Alert("papers", day, missing_for + "; ".join(child["missing_papers"]),
                                       child["child_id"], child["name"], child["team"], papers_due,
                                       today > papers_due))
    _KEPT.put(key, tuple(found))
    return found


@dataclass(frozen=True)
class _Allocated:
    """A scope narrowed to the children allocated to one social worker."""
    scope: Scope
    social_worker_id: int

    def children(self, query, child=Child):
        return self.scope.children(query, child).where(child.social_worker_id == self.social_worker_id)

    def tasks(self, query):
        return self.scope.tasks(query)


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
