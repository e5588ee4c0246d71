"""Sections of case details kept as versions: reading the current one, the history, and
writing the next (never changing an earlier one). Every write is audited with what changed."""
from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import Session

from models import CaseDetailVersion, User

from .. import audit, clock

CASE_DETAILS_CHANGED = audit.CASE_DETAILS_CHANGED

IDENTITY, FAMILY_TIME, SIBLING_ASSESSMENT = "identity", "family_time", "sibling_assessment"
ROUTE_CHOICE, FAMILY_NETWORK, HEALTH = "route_choice", "family_network", "health_assessments"
SECTION_TITLES = {IDENTITY: "Identity and needs", FAMILY_TIME: "Family time",
                  SIBLING_ASSESSMENT: "Together or apart assessment",
                  ROUTE_CHOICE: "Choosing the permanence option",
                  FAMILY_NETWORK: "Family network", HEALTH: "Health assessments"}


def child_subject(child_id: int) -> str:
    return f"child-{child_id}"


def group_subject(group_id: int) -> str:
    return f"siblings-{group_id}"


def current(session: Session, subject: str, section: str) -> CaseDetailVersion | None:
    return session.scalar(select(CaseDetailVersion).where(
        CaseDetailVersion.subject == subject, CaseDetailVersion.section == section)
        .order_by(CaseDetailVersion.version.desc()).limit(1))


def current_of(session: Session, subject: str, sections) -> dict[str, CaseDetailVersion]:
    """The current version of each of a subject's sections at once (the child page shows
    five), with who recorded it: one query instead of one a section and one a recorder. Rows
    of the columns `as_dict` shows (the recorder's name as `recorded_by_name`), not whole
    versions and recorders."""
    query = _CURRENT_OF.get(tuple(sections))
    if query is None:
        latest = (select(CaseDetailVersion.section, func.max(CaseDetailVersion.version).label("version"))
                  .where(CaseDetailVersion.subject == bindparam("subject"),
                         CaseDetailVersion.section.in_(list(sections)))
                  .group_by(CaseDetailVersion.section).subquery())
        query = _CURRENT_OF[tuple(sections)] = (
            select(CaseDetailVersion.section, CaseDetailVersion.version, CaseDetailVersion.data,
                   CaseDetailVersion.reason, CaseDetailVersion.recorded_at,
                   User.display_name.label("recorded_by_name"))
            .join(latest, and_(latest.c.section == CaseDetailVersion.section,
                               latest.c.version == CaseDetailVersion.version))
            .outerjoin(User, User.id == CaseDetailVersion.recorded_by_id)
            .where(CaseDetailVersion.subject == bindparam("subject")))
    return {row.section: row for row in session.connection().execute(query, {"subject": subject})}


#: `current_of`'s statement for each set of sections, built once (statements are immutable).
_CURRENT_OF: dict[tuple, object] = {}


def history(session: Session, subject: str, section: str) -> list[CaseDetailVersion]:
    """Every version, newest first."""
    return list(session.scalars(select(CaseDetailVersion).where(
        CaseDetailVersion.subject == subject, CaseDetailVersion.section == section)
        .order_by(CaseDetailVersion.version.desc())))


def write(session: Session, subject: str, section: str, data: dict, reason: str, user: User,
          *, child_id: int | None = None, group_id: int | None = None,
          audit_child_ids: tuple = ()) -> CaseDetailVersion:
    """The next version. A concurrent writer of the same next version fails on the unique
    constraint and its transaction is rolled back: nothing half-written."""
    now = clock.now()
    latest = session.scalar(select(func.max(CaseDetailVersion.version)).where(
        CaseDetailVersion.subject == subject, CaseDetailVersion.section == section)) or 0
    before = current(session, subject, section)
    row = CaseDetailVersion(subject=subject, section=section, version=latest + 1,
                            child_id=child_id, sibling_group_id=group_id, data=data,
                            reason=reason, recorded_by_id=user.id, recorded_at=now)
    session.add(row)
    session.flush()
    old = before.data if before else {}
    changed = sorted(k for k in set(old) | set(data) if old.get(k) != data.get(k))
    for audited in (audit_child_ids or (child_id,)):
        audit.record(session, CASE_DETAILS_CHANGED, now, actor=user, child_id=audited,
                     section=section, version=row.version, changed=changed, reason=reason,
                     before={k: old.get(k) for k in changed}, after={k: data.get(k) for k in changed})
    return row


def as_dict(row) -> dict | None:
    """A version (or a row of `current_of`) as pages show it."""
    if row is None:
        return None
    if isinstance(row, CaseDetailVersion):
        by = row.recorded_by.display_name if row.recorded_by else None
    else:
        by = row.recorded_by_name
    return {"version": row.version, "data": row.data, "reason": row.reason,
            "recorded_by": by if by is not None else audit.SYSTEM,
            "recorded_at": row.recorded_at, "section": row.section}
