"""A panel invitation to add to a calendar (issue 11 §1; SEEDS-COVERAGE N2, B14, C7): an
iCalendar file (RFC 5545) per panel date, for one member of staff.

Who may have it, checked here for every request (`engine.access`, through the same scope the
panel page and the inbox use): a social worker with a child of theirs on the panel, a team
manager (or Practice Lead, where the council has that role) of a team with a child on it,
and the panel's own roles (chair, administrator, service managers, heads of service). Anyone
else is refused; a date that is not a panel day is not found.

A practitioner's file has one event per child of theirs, at the child's 15-minute slot in
the agenda's order (as the panel page lays them out, from the council's `starts_at`); the
panel's roles have one event for the whole sitting. Children are named by reference only:
calendars are synchronised to phones and shared more widely than this service.
"""
from datetime import date, datetime, timedelta, timezone

from models import Database
from workflows import local_settings
from workflows.roles import SOCIAL_WORKER, TEAM_MANAGER

from . import clock
from .errors import NotAllowed, NotFound
from .reporting import cohorts
from .reporting.mine import child_scope
from .reporting.scope import PANEL_ROLES
from .users import user_by_name

SLOT = timedelta(minutes=15)
PRACTICE_LEAD = "Practice Lead"   # HAL §4 (C7); present only once workflows.roles has it
PRODID = "-//Permanence Pathway//Panel invitations//EN"


def invited_children(db: Database, username: str, day: date) -> tuple[list[dict], bool, str]:
    """The user's children on the panel on `day`, each with its slot, whether the user sits
    for the whole panel, and the user's display name."""
    settings = local_settings.panel()
    if not settings.is_panel_day(day):
        raise NotFound(f"There is no Permanence Panel on {day:%-d %B %Y}")
    with db.reading() as session:
        user = user_by_name(session, username)
        whole = bool(user.roles & PANEL_ROLES)
        practitioner = user.roles & {SOCIAL_WORKER, TEAM_MANAGER, PRACTICE_LEAD}
        if not whole and not practitioner:
            raise NotAllowed("Only the people invited to this panel may add it to a calendar")
        scope = child_scope(user)
        [agenda] = cohorts.panel_agendas(session, scope, [day], details=False)
        start = datetime.combine(day, datetime.strptime(settings.starts_at, "%H:%M").time(), clock.LONDON)
        children, at = [], start
        for cohort in agenda.cohorts:
            for child in cohort.children:
                mine = whole or (user.roles & {TEAM_MANAGER, PRACTICE_LEAD}) or child["social_worker_id"] == user.id
                if mine:
                    children.append({**child, "cohort_title": cohort.title, "starts": at, "ends": at + SLOT})
                at += SLOT
        if not whole and not children:
            raise NotAllowed(f"None of your children is on the panel on {day:%-d %B %Y}")
        if whole:
            children = [{"starts": start, "ends": max(at, start + SLOT), "children": children}]
        return children, whole, user.display_name


def invitation_ics(db: Database, username: str, day: date, service_url: str = "") -> str:
    """The iCalendar text of the user's invitation to the panel on `day`."""
    events, whole, _name = invited_children(db, username, day)
    stamp = _utc(clock.now())
    link = f"{service_url.rstrip('/')}/panel?panel_date-day={day.day}&panel_date-month={day.month}&panel_date-year={day.year}"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH"]
    for event in events:
        if whole:
            refs = [f"{c['reference']} ({c['cohort_title']})" for c in event["children"]]
            summary = f"Permanence Panel: {len(refs)} child{'ren' if len(refs) != 1 else ''}"
            description = "The children on the agenda: " + ("; ".join(refs) or "none yet")
            uid = f"panel-{day.isoformat()}-{username}"
        else:
            summary = f"Permanence Panel: {event['reference']}"
            description = (f"{event['reference']} is on the Permanence Panel ({event['cohort_title']}). "
                           f"Papers on record by {local_settings.panel().papers_due_on(day):%-d %B %Y}: "
                           "an up-to-date plan and the latest PPM minutes.")
            uid = f"panel-{day.isoformat()}-{username}-{event['child_id']}"
        lines += ["BEGIN:VEVENT", f"UID:{uid}@permanence-pathway", f"DTSTAMP:{stamp}",
                  f"DTSTART:{_utc(event['starts'])}", f"DTEND:{_utc(event['ends'])}",
                  f"SUMMARY:{_text(summary)}", f"DESCRIPTION:{_text(description + ' ' + link)}",
                  f"URL:{link}" if service_url else None, "TRANSP:OPAQUE", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines if line)


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """RFC 5545 §3.3.11: backslash, semicolon, comma and new lines escaped."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """RFC 5545 §3.1: lines of at most 75 octets, continued after CRLF and a space."""
    data, parts, limit = line.encode(), [], 75
    while len(data) > limit:
        cut = limit
        while (data[cut] & 0xC0) == 0x80:   # never split a UTF-8 character
            cut -= 1
        parts.append(data[:cut])
        data, limit = data[cut:], 74
    parts.append(data)
    return "\r\n ".join(p.decode() for p in parts)
