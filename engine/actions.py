"""Actions set at a meeting, owned by a named member of staff (BCP §6: "who is responsible
for undertaking each action with a specified date"; P6, C6, D18). The panel's actions now;
PPM actions can use the same machinery by naming their step in ACTION_STEPS.

- The owner is picked from staff (a username, or a display name only one person has), must be
  active and able to act for the child; the action is kept with the owner's id, so its task
  lands in that person's inbox whatever their role (a named Service Manager), and only they
  (or the lane's holders) may do it.
- The type says what the action starts (D18; the diagram reads `type`): the LGM, a PPM, an
  additional CLA review, dispute resolution; an assessment request is C12's
  (`engine.ppm_actions.from_panel_actions`).
- A missed action is escalated once as a task for the Service Managers (H6, C6: the diagram's
  timer on each action) and brings the child back to the next panel for their cohort
  (`reporting.cohorts`).
- The outcome may escalate delay to a named senior manager, whose task it is (G8); a PPM may
  escalate delay factors to senior management (H14).
- Owners record interim progress between panels (`engine.action_progress`).
"""
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Child, User
from workflows.roles import HEAD_OF_SERVICE, SENIOR_MANAGER, SERVICE_MANAGER

from .access import may_act_on_child
from .errors import FormInvalid
from .form_choices import staff_choices
from .users import is_service_user

#: The steps whose answers hold actions: step id -> the list field of actions.
ACTION_STEPS = {"record_panel_actions": "actions"}
#: The panel outcomes, whose delay may be escalated to a named senior manager (G8).
OUTCOME_STEPS = ("first_panel", "next_panel")
#: Tasks that are the work of the person named in their data, not of the lane's holders:
#: an action's owner (P6), the senior manager a delay was escalated to (G8).
ASSIGNED_BY = {"complete_panel_action": ("action", "owner_id"),
               "delay_escalation_sm": (None, "delay_escalated_to_id"),
               "delay_escalation_hos": (None, "delay_escalated_to_id")}
DELAY_ROLES = (HEAD_OF_SERVICE, SERVICE_MANAGER)
#: H14 (MER §6): a PPM escalates delay factors to senior management, a Senior Manager too.
PPM_DELAY_ROLES = (SENIOR_MANAGER, HEAD_OF_SERVICE, SERVICE_MANAGER)
#: What each type of action starts or asks for (BCP §6 i-v).
ACTION_TYPES = {
    "convene_ppm": "Convene a permanence planning meeting and record the plan",
    "refer_lgm": "Refer to the Legal Gateway Meeting with a recommendation",
    "convene_cla_review": "Convene a CLA review",
    "dispute_resolution": "Start the dispute resolution process",
    "request_assessment": "Request an assessment (placement with parents, parenting, sibling)",
    "support": "Support or intervention to achieve permanence",
    "other": "Other",
}


def owner_choices(db) -> list[tuple[str, str]]:
    with db.reading() as session:
        return staff_choices(session)


def _owner(session: Session, text: str) -> User | list[User] | None:
    text = (text or "").strip()
    user = session.scalars(select(User).where(User.username == text)).unique().first()
    if user is not None:
        return user
    found = list(session.scalars(select(User).where(func.lower(User.display_name) == text.lower())).unique())
    return found[0] if len(found) == 1 else (found or None)


def check_owners(session: Session, bpmn_id: str, child: Child, clean: dict, data: dict) -> None:
    """Each action's owner as a member of staff who may act for the child; their id and
    name kept with the action. FormInvalid with row errors otherwise (nothing written)."""
    if bpmn_id in OUTCOME_STEPS:
        return check_delay_escalation(session, child, clean, data)
    if clean.get("delay_escalated_to"):   # a PPM's (H14)
        check_delay_escalation(session, child, clean, data, PPM_DELAY_ROLES)
    field = ACTION_STEPS.get(bpmn_id)
    if field is None:
        return
    errors = {}
    for index, action in enumerate(clean.get(field) or []):
        owner = _owner(session, action.get("owner", ""))
        problem = None
        if owner is None:
            problem = f"There is no member of staff called {action.get('owner', '')!r}: select the owner from the list"
        elif isinstance(owner, list):
            problem = f"More than one member of staff is called {action['owner']}: select the owner by their username"
        elif is_service_user(session, owner):
            problem = f"{owner.display_name} is a connected system, not a member of staff: select a person"
        elif not owner.active:
            problem = f"{owner.display_name}'s account is disabled: select someone else"
        elif not may_act_on_child(owner, child):
            problem = f"{owner.display_name} cannot act for {child.name}: select someone in the child's team or a council-wide role"
        if problem:
            errors[index] = {"owner": [problem]}
            continue
        action.update(owner=owner.display_name, owner_username=owner.username, owner_id=owner.id)
        action.setdefault("type", "other")
    if errors:
        raise FormInvalid({field: errors}, data)


def check_delay_escalation(session: Session, child: Child, clean: dict, data: dict,
                           allowed: tuple = DELAY_ROLES) -> None:
    """G8, H14: a delay escalated to a named senior manager who may act for the child; their
    id, name and role kept so the task is theirs (FormInvalid otherwise)."""
    text = clean.get("delay_escalated_to")
    if not text:
        return
    person = _owner(session, text)
    problem = None
    if not isinstance(person, User):
        problem = f"There is no member of staff called {text!r}: select the manager from the list"
    elif not person.active:
        problem = f"{person.display_name}'s account is disabled: select someone else"
    elif not person.roles & set(allowed):
        names = sorted(allowed)
        problem = (f"{person.display_name} is not a {', '.join(names[:-1])} or {names[-1]}: "
                   "select a senior manager")
    elif not may_act_on_child(person, child):
        problem = f"{person.display_name} cannot act for {child.name}: select someone who can"
    if problem:
        raise FormInvalid({"delay_escalated_to": [problem]}, data)
    role = next(r for r in allowed if r in person.roles)
    clean.update(delay_escalated_to_id=person.id, delay_escalated_to_name=person.display_name,
                 delay_escalated_to_role=role)


def action_owner_id(task_data: dict, bpmn_id: str = "complete_panel_action") -> int | None:
    """The member of staff named for a task (`engine.projections` assigns it): the owner of
    the action it is for, or the manager a delay was escalated to."""
    key, field = ASSIGNED_BY.get(bpmn_id, (None, None))
    if field is None:
        return None
    holder = task_data.get(key) if key else task_data
    owner = holder.get(field) if isinstance(holder, dict) else None
    return owner if isinstance(owner, int) and not isinstance(owner, bool) else None
