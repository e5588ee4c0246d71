"""Sibling groups and the together-or-apart assessment (K1 to K4).

Children are linked into one group (so the link runs both ways). Who may see which sibling
is `engine.access`'s rule: a sibling the user may not see is shown only as "a sibling you do
not have access to". The assessment is made in the manner of CoramBAAF's *Together or
Apart?*: the children's relationships, each child's needs and whether one home can meet them,
their wishes; together is the default and reasons are required for apart (K2), with the
siblings' contact when apart (K3)."""
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Child, SiblingGroup, SiblingLink, User
from workflows.typed_input import latest

from .. import audit, clock
from ..access import may_see_child
from ..errors import FormInvalid
from .fields import FieldReader

SIBLING_LINKED, SIBLING_UNLINKED = audit.SIBLING_LINKED, audit.SIBLING_UNLINKED
HIDDEN = "A sibling you do not have access to"

RECOMMENDATIONS = {"together": "Placed together",
                   "some_together": "Some together, some apart",
                   "apart": "Placed apart"}
#: (name, label, kind, choices or hint)
ASSESSMENT_FIELDS = [
    ("assessed_on", "Date the assessment was completed", "date", None),
    ("assessed_by", "Who carried out the assessment", "text", None),
    ("relationships", "The children's relationships with each other", "long",
     "Their shared history, attachment to each other, how they get on"),
    ("needs", "Each child's needs, and whether one home can meet them all", "long", None),
    ("wishes", "The children's wishes and feelings about living together", "long", None),
    ("recommendation", "The assessment's recommendation", "choice", RECOMMENDATIONS),
    ("reasons_apart", "Why they should not all live together", "long",
     "Required unless they are to be placed together: together is the default (K2)"),
    ("home_finding_by", "Date by which a home for them together should be found", "date",
     "The agreed timeframe for home-finding (K2)"),
    ("sibling_contact", "How the siblings will keep in touch when apart", "long",
     "How, where and how often they will see each other (K3)"),
]


def current_link(session: Session, child_id: int) -> SiblingLink | None:
    return session.scalar(select(SiblingLink).where(
        SiblingLink.child_id == child_id, SiblingLink.removed_at.is_(None)).limit(1))


def members(session: Session, group_id: int) -> list[Child]:
    return list(session.scalars(select(Child).join(SiblingLink, SiblingLink.child_id == Child.id)
                                .where(SiblingLink.group_id == group_id,
                                       SiblingLink.removed_at.is_(None))
                                .order_by(Child.date_of_birth, Child.id)))


def link(session: Session, user: User, child: Child, sibling: Child) -> int:
    """Put two children in one group (the child's, the sibling's, or a new one); the group id."""
    if sibling.id == child.id:
        raise FormInvalid({"sibling": ["A child cannot be their own sibling"]}, {})
    mine, theirs = current_link(session, child.id), current_link(session, sibling.id)
    if mine and theirs:
        if mine.group_id == theirs.group_id:
            raise FormInvalid({"sibling": [f"{sibling.name} is already in this sibling group"]}, {})
        raise FormInvalid({"sibling": [
            f"{sibling.name} is already in another sibling group: remove them from it first"]}, {})
    now = clock.now()
    if mine or theirs:
        group_id = (mine or theirs).group_id
    else:
        group = SiblingGroup(created_at=now, created_by_id=user.id)
        session.add(group)
        session.flush()
        group_id = group.id
    for joining in (c for c, found in ((child, mine), (sibling, theirs)) if found is None):
        session.add(SiblingLink(group_id=group_id, child_id=joining.id, added_at=now,
                                added_by_id=user.id))
    session.flush()
    for one, other in ((child, sibling), (sibling, child)):
        audit.record(session, SIBLING_LINKED, now, actor=user, child_id=one.id,
                     group_id=group_id, sibling_id=other.id)
    return group_id


def unlink(session: Session, user: User, child: Child, reason: str) -> int:
    found = current_link(session, child.id)
    if found is None:
        raise FormInvalid({"reason": [f"{child.name} is not in a sibling group"]}, {})
    found.removed_at, found.removed_by_id, found.removed_reason = clock.now(), user.id, reason
    session.flush()
    left = members(session, found.group_id)
    if len(left) == 1:   # a group of one is no group: the last child's link ends too
        last = current_link(session, left[0].id)
        last.removed_at, last.removed_by_id, last.removed_reason = found.removed_at, user.id, reason
        session.flush()
    for member in [child, *left]:
        audit.record(session, SIBLING_UNLINKED, found.removed_at, actor=user, child_id=member.id,
                     group_id=found.group_id, sibling_id=child.id, reason=reason)
    return found.group_id


def shown_members(session: Session, user: User, group_id: int, child_id: int) -> list[dict]:
    """The group's children as this user may see them (K4); hidden ones without any detail."""
    from ..case_event_kinds import placement_type_text
    from ..case_events import current_placements
    rows = []
    group = members(session, group_id)
    placed = current_placements(session, [m.id for m in group if may_see_child(user, m)])
    for member in group:
        if not may_see_child(user, member):
            rows.append({"visible": False, "id": None, "name": HIDDEN, "this_child": False})
            continue
        placement = placed.get(member.id)
        rows.append({"visible": True, "id": member.id, "name": member.name,
                     "reference": member.reference, "date_of_birth": member.date_of_birth,
                     "this_child": member.id == child_id,
                     "placement": placement and {"carers": placement.carers,
                                                 "placement_type": placement.placement_type,
                                                 "type_text": placement_type_text(placement.placement_type),
                                                 "started_on": placement.started_on}})
    return rows


def check_assessment(data: dict, today: date, earliest_birth: date) -> tuple[dict, dict]:
    read = FieldReader(today, earliest_birth)
    labels = {name: label for name, label, _k, _c in ASSESSMENT_FIELDS}
    for name, label, kind, choices in ASSESSMENT_FIELDS:
        raw = data.get(name)
        if kind == "choice":
            select = "Select the assessment's recommendation"
            read.choice(name, label, raw, choices, blank=select, wrong=select)
        elif kind == "date":   # the home-finding date is a plan, up to two years ahead
            read.date(name, label, raw, latest=None if name == "assessed_on" else latest(today))
        else:
            read.text(name, label, raw, long=kind == "long")
    values = read.values
    read.require("assessed_on", "Enter the date the assessment was completed")
    for name in ("assessed_by", "relationships", "needs"):
        read.require(name, f"Enter {labels[name].lower()}")
    apart = values["recommendation"] in ("apart", "some_together")
    if apart:
        read.require("reasons_apart", "Give the reasons the children should not all live together: "
                                      "placing siblings together is the default (K2)")
        read.require("sibling_contact", "Say how the siblings will keep in touch when apart (K3)")
    if values["recommendation"] in ("together", "some_together"):
        read.require("home_finding_by", "Enter the date by which a home for them together should be "
                                        "found (K2)")
    return read.result()


def shown_assessment(values: dict | None) -> list[tuple[str, str]]:
    from workflows.calendar import as_date
    rows = []
    for name, label, kind, choices in ASSESSMENT_FIELDS:
        value = (values or {}).get(name)
        if kind == "choice":
            text = choices.get(value or "", "")
        elif kind == "date" and value:
            day = as_date(value)
            text = f"{day.day} {day:%B %Y}"
        else:
            text = value or ""
        rows.append((label, text or "Not recorded"))
    return rows
