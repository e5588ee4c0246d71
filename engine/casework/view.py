"""The case details as one user may see them, for the child page, the plan and the panel
papers (read-only there), and the projection lists and the inbox read."""
from datetime import date

from sqlalchemy.orm import Session

from models import Child, ChildCasework, User

from ..case_events import current_placement
from ..plan import child_plan
from . import family_network, family_time, health, identity, route_choice, siblings, versions
from .versions import (FAMILY_NETWORK, FAMILY_TIME, HEALTH, IDENTITY, ROUTE_CHOICE, SIBLING_ASSESSMENT,
                       child_subject, group_subject)


def refresh(session: Session, child_id: int) -> None:
    """Rewrite the child's row of `child_casework` from the current versions and link."""
    row = session.get(ChildCasework, child_id)
    if row is None:
        row = ChildCasework(child_id=child_id)
        session.add(row)
    link = siblings.current_link(session, child_id)
    ident = versions.current(session, child_subject(child_id), IDENTITY)
    contact = versions.current(session, child_subject(child_id), FAMILY_TIME)
    for name, value in identity.flags(ident.data if ident else None).items():
        setattr(row, name, value)
    row.sibling_group_id = link.group_id if link else None
    row.family_time_review_due_on = family_time.review_due(contact.data if contact else None)[0]
    session.flush()


#: The sections kept for the child themself (the together-or-apart assessment is the group's).
CHILD_SECTIONS = (IDENTITY, FAMILY_TIME, FAMILY_NETWORK, HEALTH, ROUTE_CHOICE)


def case_details(session: Session, child: Child, user: User, today: date,
                 placements: list[dict] | None = None, plan=None) -> dict:
    """Everything of sections 6 to 8 for one child, as `user` may see it. `placements`: the
    child's, newest first (`engine.case_events.placements`), when the caller read them already:
    the current one is the first not ended. `plan`: the child's (`engine.plan.child_plan`),
    when the caller read it already."""
    current = versions.current_of(session, child_subject(child.id), CHILD_SECTIONS)
    ident, contact = current.get(IDENTITY), current.get(FAMILY_TIME)
    if placements is None:
        placement = current_placement(session, child.id)
        started, area = (placement.started_on, placement.area) if placement else (None, None)
    else:
        placement = next((p for p in placements if p["ended_on"] is None), None)
        started, area = (placement["started_on"], placement["area"]) if placement else (None, None)
    contact_data = contact.data if contact else {"arrangements": [], "reviews": []}
    due_on, due_reason = family_time.review_due(contact_data)
    arrangements = [dict(a, agreed_after_placement=family_time.agreed_after_placement(a, started))
                    for a in contact_data.get("arrangements", [])]
    values = ident.data if ident else {}
    out_of_area_unexplained = bool(placement and area == "out_of_area" and not (
        values.get("placement_locality") == "out_of_area" and values.get("out_of_area_reason")))
    return {
        "identity": versions.as_dict(ident),
        "out_of_area_warning": (f"Placed out of the council's area since "
                                f"{started.day} {started:%B %Y}, without "
                                "the reasons recorded: a local placement is the default (K10)")
        if out_of_area_unexplained else "",
        "identity_rows": identity.shown(ident.data if ident else None),
        "family_time": {"version": versions.as_dict(contact), "placement_started_on": started,
                        "arrangements": arrangements,
                        "live": [a for a in arrangements if not a.get("ended_on")],
                        "reviews": list(reversed(contact_data.get("reviews", []))),
                        "review_due_on": due_on, "review_due_reason": due_reason,
                        "review_overdue": bool(due_on and due_on < today)},
        "siblings": sibling_view(session, child, user, plan),
        "family_network": network_view(session, child, today, current),
        "health": health_view(session, child, today, current),
        "route_choice": route_choice_view(session, child, current),
    }


def _current(session: Session, child: Child, section: str, known: dict | None):
    """A section's current version: from those read already (`known`), or read now."""
    if known is not None:
        return known.get(section)
    return versions.current(session, child_subject(child.id), section)


def network_view(session: Session, child: Child, today: date, known: dict | None = None) -> dict:
    """A9, E6: the family network, who could still care and is not assessed, any warning."""
    row = _current(session, child, FAMILY_NETWORK, known)
    return {"version": versions.as_dict(row),
            **family_network.summary(row.data if row else None, today)}


def health_view(session: Session, child: Child, today: date, known: dict | None = None) -> dict:
    """E25: the statutory health assessments and when the next is due."""
    row = _current(session, child, HEALTH, known)
    return {"version": versions.as_dict(row),
            **health.view(row.data if row else None, child.date_of_birth,
                          health.entered_care(child), today)}


def route_choice_view(session: Session, child: Child, known: dict | None = None) -> dict:
    """E32: the decision aid's answers, the count of fitting statements and any warning."""
    row = _current(session, child, ROUTE_CHOICE, known)
    data = row.data if row else None
    return {"version": versions.as_dict(row), **route_choice.shown(data), **route_choice.fit(data)}


def sibling_view(session: Session, child: Child, user: User, plan=None) -> dict | None:
    link = siblings.current_link(session, child.id)
    if link is None:
        return None
    shown = siblings.shown_members(session, user, link.group_id, child.id)
    assessment = versions.current(session, group_subject(link.group_id), SIBLING_ASSESSMENT)
    plan = plan if plan is not None else child_plan(session, child.id)
    warning = ""
    if assessment is None:
        warning = ("No together-or-apart assessment yet: it is made before the plan is agreed (K1)"
                   + (f"; the plan was agreed on {plan.agreed_on.day} {plan.agreed_on:%B %Y}"
                      if plan.agreed_on else ""))
    elif plan.agreed_on and assessment.data.get("assessed_on") \
            and date.fromisoformat(assessment.data["assessed_on"]) > plan.agreed_on:
        warning = (f"The plan was agreed on {plan.agreed_on.day} {plan.agreed_on:%B %Y}, before the "
                   "together-or-apart assessment: the plan should be looked at again with it (K1)")
    return {"group_id": link.group_id, "members": shown,
            "others": [m for m in shown if not m["this_child"]],
            "hidden": sum(1 for m in shown if not m["visible"]),
            "assessment": versions.as_dict(assessment),
            "assessment_rows": siblings.shown_assessment(assessment.data if assessment else None),
            "recommendation": siblings.RECOMMENDATIONS.get(
                (assessment.data if assessment else {}).get("recommendation", ""), ""),
            "warning": warning}
