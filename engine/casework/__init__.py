"""The child's case details beyond the pathway (issue 12, sections 6 to 8): siblings and
their together-or-apart assessment, family time, identity and needs.

Each is kept as versions (`versions.py`): a change is a new version, never an overwrite,
and every change is audited. Who may read is `engine.access`'s rule for the child; who may
change them is a casework role acting for the child (`EDITING_ROLES`).
"""
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import String, cast, literal, select

from models import Child, ChildCasework, Database, User
from workflows.roles import HEAD_OF_SERVICE, SERVICE_MANAGER, SOCIAL_WORKER, TEAM_MANAGER

from .. import clock
from ..access import may_act_on_child, may_see_child
from ..errors import FormInvalid, NotAllowed, NotFound
from ..records import seen_child
from ..users import user_by_name
from . import family_network, family_time, health, identity, route_choice, siblings, versions
from .versions import (FAMILY_NETWORK, FAMILY_TIME, HEALTH, IDENTITY, ROUTE_CHOICE, SIBLING_ASSESSMENT,
                       child_subject, group_subject)
from .view import case_details, network_view, refresh

EDITING_ROLES = frozenset({SOCIAL_WORKER, TEAM_MANAGER, SERVICE_MANAGER, HEAD_OF_SERVICE})

__all__ = ["EDITING_ROLES", "add_family_time", "save_network_person", "add_health_assessment", "case_details", "details_for", "network_for", "editable_child",
           "history", "link_sibling", "review_family_time", "reviews_due", "save_assessment",
           "save_identity", "save_route_choice", "unlink_sibling"]


def _editable(session, child_id: int, actor: str) -> tuple[User, Child]:
    user = user_by_name(session, actor)
    child = seen_child(session, child_id, user)
    if not (may_act_on_child(user, child) and user.roles & EDITING_ROLES):
        raise NotAllowed(f"Your role does not change {child.name}'s case details")
    return user, child


def editable_child(db: Database, child_id: int, actor: str) -> dict:
    """The child and their current details, for a form (NotFound, NotAllowed as above)."""
    with db.reading() as session:
        user, child = _editable(session, child_id, actor)
        return {"id": child.id, "name": child.name, "reference": child.reference,
                "date_of_birth": child.date_of_birth,
                **case_details(session, child, user, clock.today())}


def details_for(db: Database, child_id: int, actor: str, placements: list[dict] | None = None,
                plan=None) -> dict:
    """The details as the child page shows them, with whether this user may change them
    (`placements`, `plan`: the child's, if read already, as `case_details` takes them)."""
    with db.reading() as session:
        user = user_by_name(session, actor)
        child = seen_child(session, child_id, user)
        return {**case_details(session, child, user, clock.today(), placements, plan),
                "may_change": bool(may_act_on_child(user, child) and user.roles & EDITING_ROLES)}


def network_for(db: Database, child_id: int, actor: str) -> dict:
    """The family network alone (A9, E6), as `details_for` gives it, for the task forms that
    weigh it: one section read, not all of them."""
    with db.reading() as session:
        user = user_by_name(session, actor)
        child = seen_child(session, child_id, user)
        return network_view(session, child, clock.today())


def history(db: Database, child_id: int, actor: str, section: str) -> dict:
    """The child, and every version of a section, newest first (earlier ones stay readable)."""
    with db.reading() as session:
        user = user_by_name(session, actor)
        child = seen_child(session, child_id, user)
        if section == SIBLING_ASSESSMENT:
            link = siblings.current_link(session, child.id)
            rows = versions.history(session, group_subject(link.group_id), section) if link else []
        else:
            rows = versions.history(session, child_subject(child.id), section)
        return {"child": {"id": child.id, "name": child.name, "reference": child.reference},
                "versions": [versions.as_dict(r) for r in rows]}


def _reason(reason: str, first: bool, errors: dict) -> str:
    from workflows.typed_input import control_message
    text = (reason or "").strip()
    if message := control_message("What has changed and why", text, multiline=True):
        errors.setdefault("reason", []).append(message)
    elif not first and not text:
        errors.setdefault("reason", []).append("Say what has changed and why: the earlier "
                                               "version is kept")
    return text


def save_identity(db: Database, child_id: int, data: dict, reason: str, actor: str) -> int:
    """K9 to K14: the next version of the child's identity and needs; its number."""
    with db.transaction() as session:
        user, child = _editable(session, child_id, actor)
        values, errors = identity.check(data)
        first = versions.current(session, child_subject(child.id), IDENTITY) is None
        reason = _reason(reason, first, errors)
        if errors:
            raise FormInvalid(errors, data)
        row = versions.write(session, child_subject(child.id), IDENTITY, values,
                             reason or "First recorded", user, child_id=child.id)
        refresh(session, child.id)
        return row.version


def save_route_choice(db: Database, child_id: int, data: dict, reason: str, actor: str) -> int:
    """E32: the next version of the decision aid (MER Appendix 1, the welfare checklist)."""
    with db.transaction() as session:
        user, child = _editable(session, child_id, actor)
        values, errors = route_choice.check(data)
        first = versions.current(session, child_subject(child.id), ROUTE_CHOICE) is None
        reason = _reason(reason, first, errors)
        if errors:
            raise FormInvalid(errors, data)
        row = versions.write(session, child_subject(child.id), ROUTE_CHOICE, values,
                             reason or "First recorded", user, child_id=child.id)
        return row.version


def add_family_time(db: Database, child_id: int, data: dict, actor: str) -> int:
    """K5 to K8: an arrangement added, as the next version of the child's family time."""
    with db.transaction() as session:
        user, child = _editable(session, child_id, actor)
        values, errors = family_time.check_arrangement(data, clock.today(), child.date_of_birth)
        if errors:
            raise FormInvalid(errors, data)
        current = versions.current(session, child_subject(child.id), FAMILY_TIME)
        new = family_time.with_arrangement(current.data if current else None, values)
        row = versions.write(session, child_subject(child.id), FAMILY_TIME, new,
                             f"Arrangement added: {values['with_whom']}", user, child_id=child.id)
        refresh(session, child.id)
        return row.version


def review_family_time(db: Database, child_id: int, data: dict, actor: str) -> int:
    with db.transaction() as session:
        user, child = _editable(session, child_id, actor)
        current = versions.current(session, child_subject(child.id), FAMILY_TIME)
        if current is None or not any(not a.get("ended_on") for a in current.data["arrangements"]):
            raise FormInvalid({"reviewed_on": [f"{child.name} has no family time arrangements "
                                               "in place to review"]}, data)
        values, errors = family_time.check_review(data, current.data["arrangements"],
                                                  clock.today(), child.date_of_birth)
        if errors:
            raise FormInvalid(errors, data)
        row = versions.write(session, child_subject(child.id), FAMILY_TIME,
                             family_time.with_review(current.data, values),
                             f"Reviewed on {values['reviewed_on']}", user, child_id=child.id)
        refresh(session, child.id)
        return row.version


def save_network_person(db: Database, child_id: int, data: dict, actor: str,
                        number: int | None = None, reason: str = "") -> int:
    """A9, E6: a person added to the child's family network, or (given `number`) their entry
    changed with its reason; the next version's number."""
    with db.transaction() as session:
        user, child = _editable(session, child_id, actor)
        current = versions.current(session, child_subject(child.id), FAMILY_NETWORK)
        data_now = current.data if current else None
        if number is not None and family_network.person(data_now, number) is None:
            raise NotFound(f"There is no person {number} in {child.name}'s family network")
        values, errors = family_network.check_person(data, clock.today(), child.date_of_birth)
        if number is not None:
            reason = _reason(reason, False, errors)
        other = family_network.named(data_now, values["name"])
        if other is not None and other["number"] != number and "name" not in errors:
            errors.setdefault("name", []).append(f"{values['name']} is already in the network: "
                                                 "change their entry instead")
        if errors:
            raise FormInvalid(errors, {**data, "reason": reason})
        if number is None:
            new, number = family_network.with_person(data_now, values, source="Recorded by "
                                                     + user.display_name)
            why = f"{values['name']} ({values['relationship']}) added to the family network"
        else:
            new = family_network.with_change(data_now, number, values)
            why = f"{values['name']}: {reason}"
        row = versions.write(session, child_subject(child.id), FAMILY_NETWORK, new, why, user,
                             child_id=child.id)
        return row.version


def add_health_assessment(db: Database, child_id: int, data: dict, actor: str) -> int:
    """E25: a statutory health assessment recorded, as the next version of the child's list."""
    with db.transaction() as session:
        user, child = _editable(session, child_id, actor)
        current = versions.current(session, child_subject(child.id), HEALTH)
        values, errors = health.check(data, clock.today(), child.date_of_birth,
                                      current.data if current else None, health.entered_care(child))
        if errors:
            raise FormInvalid(errors, data)
        row = versions.write(session, child_subject(child.id), HEALTH,
                             health.with_assessment(current.data if current else None, values),
                             f"{health.KINDS[values['kind']]} on {values['held_on']}", user,
                             child_id=child.id)
        return row.version


def link_sibling(db: Database, child_id: int, reference: str, actor: str) -> int:
    """K4: link a brother or sister (by reference) into the child's sibling group. The user
    must be able to see both children; one they cannot see is "not found" like any other."""
    with db.transaction() as session:
        user, child = _editable(session, child_id, actor)
        reference = (reference or "").strip()
        if not reference:
            raise FormInvalid({"sibling": ["Enter the brother's or sister's reference number"]},
                              {"sibling": reference})
        sibling = session.scalar(select(Child).where(Child.reference == reference))
        if sibling is None or not may_see_child(user, sibling):
            raise FormInvalid({"sibling": [f"There is no child with reference {reference} that "
                                           "you can see"]}, {"sibling": reference})
        try:
            group_id = siblings.link(session, user, child, sibling)
        except FormInvalid as exc:
            raise FormInvalid(exc.errors, {"sibling": reference}) from None
        for member in siblings.members(session, group_id):
            refresh(session, member.id)
        return group_id


def unlink_sibling(db: Database, child_id: int, reason: str, actor: str) -> None:
    with db.transaction() as session:
        user, child = _editable(session, child_id, actor)
        errors: dict = {}
        reason = _reason(reason, False, errors)
        if errors:
            errors["reason"] = [m.replace("Say what has changed and why: the earlier version is kept",
                                          "Say why the child is no longer in this sibling group")
                                for m in errors["reason"]]
            raise FormInvalid(errors, {"reason": reason})
        before = [c.id for c in siblings.members(session, siblings.current_link(
            session, child.id).group_id)] if siblings.current_link(session, child.id) else [child.id]
        siblings.unlink(session, user, child, reason)
        for member_id in before:
            refresh(session, member_id)


def save_assessment(db: Database, child_id: int, data: dict, reason: str, actor: str) -> int:
    """K1 to K3: the next version of the group's together-or-apart assessment."""
    with db.transaction() as session:
        user, child = _editable(session, child_id, actor)
        link = siblings.current_link(session, child.id)
        if link is None:
            raise NotFound(f"{child.name} is not in a sibling group")
        group = siblings.members(session, link.group_id)
        values, errors = siblings.check_assessment(data, clock.today(),
                                                   min(c.date_of_birth for c in group))
        subject = group_subject(link.group_id)
        reason = _reason(reason, versions.current(session, subject, SIBLING_ASSESSMENT) is None,
                         errors)
        if errors:
            raise FormInvalid(errors, data)
        row = versions.write(session, subject, SIBLING_ASSESSMENT, values,
                             reason or "First recorded", user, group_id=link.group_id,
                             audit_child_ids=tuple(c.id for c in group))
        return row.version


@dataclass(frozen=True)
class ReviewDue:
    child_id: int
    name: str
    reference: str
    due_on: date
    overdue: bool
    reason: str


def reviews_due(db: Database, actor: str, within_days: int = 7) -> list[ReviewDue]:
    """Family time reviews due within a week or overdue (K6), for the inbox: a social
    worker's own children, a team manager's team. Other roles see them on the child page."""
    today = clock.today()
    with db.reading() as session:
        user = user_by_name(session, actor)
        if TEAM_MANAGER in user.roles:
            whose = (Child.team_id.key, user.team_id)
        elif SOCIAL_WORKER in user.roles:
            whose = (Child.social_worker_id.key, user.id)
        else:
            return []
        found = []
        for child, due in session.execute(_reviews_query(today + timedelta(days=within_days), whose)).all():
            if may_see_child(user, child):
                current = versions.current(session, child_subject(child.id), FAMILY_TIME)
                why = family_time.review_due(current.data if current else None)[1]
                found.append(ReviewDue(child.id, child.name, child.reference, due, due < today, why))
        return found


@lru_cache(maxsize=256)
def _reviews_query(by: date, whose: tuple):
    """The inbox's family time reviews statement, a value of its arguments (the last day, and
    whose children: the team's or the social worker's), built once."""
    column, value = whose
    return (select(Child, ChildCasework.family_time_review_due_on)
            .join(ChildCasework, ChildCasework.child_id == Child.id)
            .where(ChildCasework.family_time_review_due_on <= by, getattr(Child, column) == value)
            .order_by(ChildCasework.family_time_review_due_on, Child.id).limit(50))


def sibling_names(db: Database, actor: str, child_ids: list[int]) -> dict[int, list[str]]:
    """For lists (the panel agenda, K4): each listed child's brothers and sisters by name, or
    "a sibling you do not have access to". Children in no group are left out."""
    from models import SiblingLink
    if not child_ids:
        return {}
    with db.reading() as session:
        user = user_by_name(session, actor)
        mine = dict(session.execute(select(SiblingLink.child_id, SiblingLink.group_id).where(
            SiblingLink.child_id.in_(child_ids), SiblingLink.removed_at.is_(None))).all())
        found: dict[int, list[str]] = {}
        for group_id in set(mine.values()):
            group = siblings.members(session, group_id)
            for child_id in (c for c, g in mine.items() if g == group_id):
                found[child_id] = [m.name if may_see_child(user, m) else siblings.HIDDEN.lower()
                                   for m in group if m.id != child_id]
        return found


def health_assessments_due(db: Database, actor: str, within_days: int = 28) -> list[ReviewDue]:
    """E25: statutory health assessments due within four weeks or overdue, for the inbox of
    the social worker who arranges them, for their own looked-after children (two queries: the
    children, then their current health versions). Others see the due date on the child page."""
    from models import CaseDetailVersion, PathwayInstance
    today = clock.today()
    with db.reading() as session:
        user = user_by_name(session, actor)
        looked_after = select(PathwayInstance.child_id).where(PathwayInstance.status != "completed")
        # The columns the list and the access check read, not the children's object graphs.
        query = (select(Child.id, Child.name, Child.reference, Child.team_id, Child.date_of_birth,
                        Child.looked_after_on, Child.before_care)
                 .where(Child.id.in_(looked_after)).order_by(Child.id))
        if SOCIAL_WORKER not in user.roles:
            return []
        query = query.where(Child.social_worker_id == user.id)
        rows = session.connection()      # Core rows: the same columns without ORM loading
        children = [c for c in rows.execute(query.limit(500)).all() if may_see_child(user, c)]
        subjects = {child_subject(c.id): c for c in children}
        # The same children's subjects (as `versions.child_subject` writes them) as a subquery:
        # one statement however many children, not a list of them to send on every page.
        theirs = query.with_only_columns(literal("child-", String) + cast(Child.id, String)).order_by(None)
        latest: dict[str, dict] = {}
        for subject, data in rows.execute(select(CaseDetailVersion.subject, CaseDetailVersion.data).where(
                CaseDetailVersion.section == HEALTH, CaseDetailVersion.subject.in_(theirs))
                .order_by(CaseDetailVersion.version)).all() if subjects else []:
            latest[subject] = data
        found = []
        for subject, child in subjects.items():
            due, why = health.next_due(latest.get(subject), child.date_of_birth, health.entered_care(child))
            if due is not None and due <= today + timedelta(days=within_days):
                found.append(ReviewDue(child.id, child.name, child.reference, due, due < today, why))
        return sorted(found, key=lambda r: (r.due_on, r.child_id))[:50]
