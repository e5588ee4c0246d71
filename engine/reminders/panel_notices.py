"""Panel business by e-mail (issue 11 §1, §7): the panel calendar's notices, sent through the
reminders' channel to the people concerned, once each.

| notice | to | when | rows |
|---|---|---|---|
| `invitation`, one per child | the social worker; the team manager (and Practice Lead, where the role exists) copied; with the papers deadline and a link to the calendar file | from `invitation_days_before` (14) | N2, B14, C7 |
| `children_list`, one per panel | panel administrators: every child, grouped by team manager | from `invitation_days_before` | B14 |
| `agenda`, one per panel | core members (chair, administrator), service managers, and the social workers and team managers of the children on it (their own children) | from noon (London) on the agenda day: BCP's Monday afternoon | N1 |
| `papers`, one per child | the social worker and team manager, when papers are still missing | from the papers deadline (a week before) | N3, B15 |
| `service_papers`, one per panel | service managers: the children whose papers are missing, to ensure attendance and preparation | from the papers deadline | C5 |

The worker reads the calendar at most once an hour (`reminder_progress.panel_hour`, claimed
under a lock, then read without one), from the same agendas the panel page and the inbox show
(`cohorts.panel_agendas`). A notice is unique per person, kind, panel date and item, so a
second sweep or a second worker never writes it twice; only people with an address who want
e-mails are considered. Composing follows each person's choice: `each` gets one e-mail per
kind and panel at once, `digest` has them in the day's one digest (`composing.compose`);
a child's notice is dropped if the person may no longer see the child (`engine.access`).
"""
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import Child, Database, PanelNotice, ReminderEmail, ReminderSettings, Team, User, UserRole
from workflows import local_settings
from workflows.roles import (
    PANEL_ADMINISTRATOR, PANEL_CHAIR, SERVICE_MANAGER, TEAM_MANAGER,
)

from .. import clock
from ..access import may_see_child
from ..panel_calendar import PRACTICE_LEAD
from ..reporting import cohorts
from ..reporting.scope import Scope
from .composing import SERVICE, day as short_day
from .config import ReminderConfig
from .writing import _may_act, _progress, _subscribers

INVITATION, CHILDREN_LIST, AGENDA, PAPERS, SERVICE_PAPERS = (
    "invitation", "children_list", "agenda", "papers", "service_papers")
KINDS = (AGENDA, INVITATION, CHILDREN_LIST, PAPERS, SERVICE_PAPERS)
SUBJECTS = {INVITATION: "Invitation to the Permanence Panel", CHILDREN_LIST: "Children on the Permanence Panel",
            AGENDA: "The Permanence Panel agenda is out", PAPERS: "Papers missing for the Permanence Panel",
            SERVICE_PAPERS: "Your service's children with papers missing for the Permanence Panel"}
AGENDA_HOUR = 12       # "Monday afternoon" (BCP §4): the agenda goes from noon, London
PANELS_AHEAD = 3


def long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def ics_link(config: ReminderConfig, day: date) -> str:
    return f"{config.service_url.rstrip('/')}/panel/{day.isoformat()}/invitation.ics"


def write_panel_notices(db: Database, config: ReminderConfig, now: datetime | None = None) -> int:
    """Notices due by now that are not yet written; at most one reading an hour."""
    now = now or clock.now()
    local = now.astimezone(clock.LONDON)
    hour, today = local.strftime("%Y-%m-%dT%H"), local.date()
    with db.transaction() as session:      # one worker an hour reads the calendar
        progress = _progress(session)
        if progress.panel_hour == hour:
            return 0
        progress.panel_hour = hour
    settings = local_settings.panel()
    days = [d for d in settings.panel_dates(today, PANELS_AHEAD)
            if min(settings.invitations_on(d), settings.agenda_out_on(d), settings.papers_due_on(d)) <= today]
    if not days:
        return 0
    with db.reading() as session:          # no write lock held while the agendas are worked out
        subscribers = _subscribers(session)
        if not subscribers:
            return 0
        staff = _staff(session)
        agendas = cohorts.panel_agendas(session, Scope(None, None, frozenset()), days, details=False)
        notices = [n for agenda in agendas
                   for n in _for_panel(config, settings, agenda, subscribers, staff, local)]
    with db.transaction() as session:
        return _add(session, notices, now)


def _staff(session) -> dict:
    """Team ids by name, and the active team managers and Practice Leads by team."""
    teams = dict(session.execute(select(Team.name, Team.id)).all())
    by_team = defaultdict(lambda: defaultdict(list))
    for user_id, name, team_id, role in session.execute(
            select(User.id, User.display_name, User.team_id, UserRole.role)
            .join(UserRole, UserRole.user_id == User.id)
            .where(User.active, UserRole.role.in_((TEAM_MANAGER, PRACTICE_LEAD)))):
        by_team[team_id][role].append((user_id, name))
    return {"teams": teams, "by_team": by_team}


def _for_panel(config, settings, agenda, subscribers, staff, local) -> list[tuple]:
    day, today = agenda.panel_date, local.date()
    if today > day:
        return []
    children = [(cohort.title, c) for cohort in agenda.cohorts for c in cohort.children]
    for _title, child in children:
        child["team_id"] = staff["teams"].get(child["team"])
    papers_due = agenda.papers_due_on
    notices = []   # (user_id, kind, day, item, child_id, text)

    def told(person_ids, kind, item, child, text):
        for user_id in dict.fromkeys(person_ids):
            person = subscribers.get(user_id)
            if person and (child is None or _may_act(person, child["team_id"])):
                notices.append((user_id, kind, day, item, child["child_id"] if child else None, text))

    def managers(child, role=TEAM_MANAGER):
        return staff["by_team"][child["team_id"]][role]

    def holding(*roles):
        return [p.id for p in subscribers.values() if p.roles & set(roles)]

    if agenda.invitations_on <= today:
        for title, child in children:
            who, item = _name(config, child), f"child:{child['child_id']}"
            missing = f" Missing now: {'; '.join(child['missing_papers'])}." if child["missing_papers"] else ""
            copied = [name for _id, name in managers(child) + managers(child, PRACTICE_LEAD)]
            what = (f"{who} ({title}), at the panel on {long(day)} from {settings.starts_at}. "
                    f"Papers on record by {long(papers_due)}: an up-to-date plan and the latest "
                    f"PPM minutes.{missing}")
            told([child["social_worker_id"]], INVITATION, item, child,
                 f"You are invited: {what} Copied to {', '.join(copied) or 'the team manager'}.")
            told([i for i, _n in managers(child) + managers(child, PRACTICE_LEAD)], INVITATION, item, child,
                 f"Copy: {child['social_worker'] or 'the social worker'} is invited: {what}")
        if children:   # sent once: an empty list would stand for the panel's later one
            told(holding(PANEL_ADMINISTRATOR), CHILDREN_LIST, "", None,
                 _grouped(config, children, staff, ""))
    agenda_from = agenda.agenda_sent_on
    if today > agenda_from or (today == agenda_from and local.hour >= AGENDA_HOUR):
        whole = _listing(config, children) or "No children are on the agenda."
        told(holding(PANEL_CHAIR, PANEL_ADMINISTRATOR, SERVICE_MANAGER), AGENDA, "", None,
             f"The agenda for the panel on {long(day)} from {settings.starts_at}:\n{whole}")
        for user_id in {i for _t, c in children for i in [c["social_worker_id"]] + [m for m, _n in managers(c)]}:
            person = subscribers.get(user_id)
            if person is None or user_id in holding(PANEL_CHAIR, PANEL_ADMINISTRATOR, SERVICE_MANAGER):
                continue
            theirs = [(t, c) for t, c in children if c["social_worker_id"] == user_id
                      or (TEAM_MANAGER in person.roles and _may_act(person, c["team_id"]))]
            if theirs:
                told([user_id], AGENDA, "", None, f"The agenda for the panel on {long(day)} from "
                     f"{settings.starts_at} is out. Your children on it:\n{_listing(config, theirs)}")
    if papers_due <= today:
        short = [(t, c) for t, c in children if c["missing_papers"]]
        for title, child in short:
            told([child["social_worker_id"]] + [i for i, _n in managers(child)], PAPERS,
                 f"child:{child['child_id']}", child,
                 f"{_name(config, child)}: papers for the panel on {long(day)} were due by "
                 f"{long(papers_due)}. Missing: {'; '.join(child['missing_papers'])}.")
        if short:
            told(holding(SERVICE_MANAGER), SERVICE_PAPERS, "", None,
                 f"Papers are missing for these children on the panel on {long(day)} (due by "
                 f"{long(papers_due)}). Please make sure their social workers and team managers "
                 f"prepare the case and attend (BCP §4).\n" + _grouped(config, short, staff, ""))
    return notices


def _name(config, child) -> str:
    return f"{child['name']} ({child['reference']})" if config.child_names else child["reference"]


def _listing(config, children) -> str:
    return "\n".join(f"- {_name(config, c)}, {c['team']}, {c['social_worker'] or 'no social worker'} "
                     f"({title})" for title, c in children)


def _grouped(config, children, staff, empty: str) -> str:
    """The children grouped by team manager (HAL ToR "Timing")."""
    groups = defaultdict(list)
    for title, child in children:
        names = [n for _i, n in staff["by_team"][child.get("team_id")][TEAM_MANAGER]]
        groups[(", ".join(sorted(names)) or "No team manager", child["team"])].append((title, child))
    return "\n\n".join(f"Team manager: {manager} ({team})\n{_listing(config, rows)}"
                       for (manager, team), rows in sorted(groups.items())) or empty


def _add(session, notices, now) -> int:
    if not notices:
        return 0
    existing = {tuple(row) for row in session.execute(
        select(PanelNotice.user_id, PanelNotice.kind, PanelNotice.panel_date, PanelNotice.item)
        .where(PanelNotice.panel_date.in_(sorted({n[2] for n in notices}))))}
    made = 0
    for user_id, kind, day, item, child_id, text in notices:
        if (user_id, kind, day, item) in existing:
            continue
        existing.add((user_id, kind, day, item))
        try:
            with session.begin_nested():
                session.add(PanelNotice(user_id=user_id, kind=kind, panel_date=day, item=item,
                                        child_id=child_id, text=text, status="waiting", created_at=now))
            made += 1
        except IntegrityError:   # another worker wrote it a moment ago
            continue
    return made


def compose_panel_notices(db: Database, config: ReminderConfig, now: datetime | None = None) -> int:
    """E-mails made of waiting notices for people who want each one at once (a digest takes
    its notices in `composing.compose`); notices for people who want none are dropped."""
    now = now or clock.now()
    with db.reading() as session:
        waiting = defaultdict(list)
        for notice_id, user_id in session.execute(select(PanelNotice.id, PanelNotice.user_id)
                                                  .where(PanelNotice.status == "waiting")
                                                  .order_by(PanelNotice.id)):
            waiting[user_id].append(notice_id)
    made = 0
    for user_id, ids in waiting.items():
        try:
            with db.transaction() as session:
                made += _compose_for(session, config, user_id, ids, now)
        except IntegrityError:   # another worker composed these first
            continue
    return made


def _compose_for(session, config, user_id, ids, now) -> int:
    user, settings = session.get(User, user_id), session.get(ReminderSettings, user_id)
    if settings is not None and settings.email and settings.frequency == "digest":
        return 0     # the day's digest takes them
    live = for_email(session, user, settings, ids)
    if not live:
        return 0
    status = "pending" if config.sends else "kept"
    groups = defaultdict(list)
    for notice in live:
        groups[(notice.panel_date, notice.kind)].append(notice)
    for (day, kind), notices in groups.items():
        _email(session, f"panel:{notices[0].id}", user, settings.email,
               f"{SUBJECTS[kind]} on {short_day(day)}",
               digest_part(config, notices) + "\n\n" + _footer(config), status, now, notices)
    return len(groups)


def waiting_users(session) -> set[int]:
    return set(session.scalars(select(PanelNotice.user_id).where(PanelNotice.status == "waiting").distinct()))


def for_email(session, user, settings, ids=None) -> list[PanelNotice]:
    """The person's waiting notices still to send; those they may no longer have (no address,
    no e-mails wanted, the child out of their sight) are dropped."""
    query = select(PanelNotice).where(PanelNotice.user_id == user.id, PanelNotice.status == "waiting")
    if ids is not None:
        query = query.where(PanelNotice.id.in_(ids))
    live = []
    for notice in session.scalars(query.order_by(PanelNotice.panel_date, PanelNotice.id)):
        child = session.get(Child, notice.child_id) if notice.child_id else None
        if (settings is None or not settings.email or settings.frequency == "none" or not user.active
                or (child is not None and not may_see_child(user, child))):
            notice.status = "skipped"
        else:
            live.append(notice)
    return live


def mark_sent_in(notices, email_id: int) -> None:
    for notice in notices:
        notice.status, notice.email_id = "composed", email_id


def digest_part(config, notices) -> str:
    """The notices, by panel date and kind, each under its heading."""
    parts = []
    for (day, kind), group in _in_order(notices):
        lines = "\n\n".join(n.text for n in group)
        part = f"# {SUBJECTS[kind]} on {long(day)}\n\n{lines}"
        if kind == INVITATION:
            part += f"\n\nAdd it to your calendar: {ics_link(config, day)}"
        parts.append(part)
    return "\n\n".join(parts)


def _footer(config) -> str:
    return (f"Sign in to {SERVICE} to see the panel and the children's details: "
            f"{config.service_url.rstrip('/')}/inbox")


def _in_order(notices):
    groups = defaultdict(list)
    for notice in notices:
        groups[(notice.panel_date, notice.kind)].append(notice)
    return sorted(groups.items(), key=lambda kv: (kv[0][0], KINDS.index(kv[0][1])))


def _email(session, key, user, address, subject, body, status, now, notices) -> None:
    email = ReminderEmail(key=key, user_id=user.id, email=address, subject=subject[:200], body=body,
                          status=status, attempts=0, created_at=now)
    session.add(email)
    session.flush()
    mark_sent_in(notices, email.id)
