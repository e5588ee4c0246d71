"""PPM actions as work (A5): each action agreed at a PPM becomes a task for its owner, a
member of staff picked from a list, with a due date; missed, it is escalated to the owner's
team manager, who records what was agreed (and may set a new date). An IRO or a manager can
also ask for an up-to-date assessment (C12), which becomes an action of the child's social
worker; and where the PPM's decisions were not yet told to the child, family and carers,
the social worker is given that as an action, its done date being the date they were told (J6).

The boundary, kept small so that it can be merged with the panel's owned actions:
`from_record` (a completed PPM makes its actions), `escalate_missed` (the sweep),
`complete`, `answer_escalation`, `request_assessment`; the readers (`action_page`,
`inbox_actions`, `child_actions`) are in `engine.ppm_action_views`.
"""
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models import Child, Database, PpmAction, TaskRecord, User
from workflows.calendar import add_working_days, as_date
from workflows.forms import form_from_dicts
from workflows.local_settings import setting
from workflows.roles import HEAD_OF_SERVICE, IRO, SERVICE_MANAGER, TEAM_MANAGER

from . import audit, clock, outbox
from .access import (may_complete_action, may_handle_escalation, may_see_child)
from .errors import FormInvalid, NotAllowed, NotFound
from .records import child_card
from .users import user_by_name
from .ppm_action_views import _long, seen_action

PPM_SOURCE, ASSESSMENT_SOURCE, DELAY_SOURCE = "PPM", "Assessment requested", "Delay escalated by a PPM"
STABILITY_SOURCE, ADM_PROCESS_SOURCE = "Placement at risk", "Adoption considered"
RESOURCE_PANEL_SOURCE = "Care-leaving PPM"
RESOURCE_PANEL_ACTION = "Refer to the Placement and Resource Panel"
#: Working days to hold a placement stability meeting once a risk is known (A7), and to start
#: the Agency Decision Maker's process once adoption is considered (B22: "immediate").
STABILITY_MEETING_WORKING_DAYS = ADM_PROCESS_WORKING_DAYS = 5
#: Who may ask for an up-to-date assessment (C12: "a Practice Lead or IRO"; the Practice
#: Lead's role here is the team manager's or a service manager's).
ASSESSMENT_REQUESTERS = frozenset({IRO, TEAM_MANAGER, SERVICE_MANAGER, HEAD_OF_SERVICE})
#: Working days the social worker has to tell the child, family and carers of the decisions.
TELL_WORKING_DAYS = 5

SET, DONE, ESCALATED, ANSWERED = (
    "ppm_action_set", "ppm_action_done", "ppm_action_escalated", "ppm_action_escalation_answered")

_DATE = {"type": "string", "format": "date", "x-notInFuture": True}
DONE_FORM = form_from_dicts("ppm-action-done", {
    "title": "Action done", "type": "object", "required": ["done_on"],
    "properties": {
        "done_on": {**_DATE, "title": "Date the action was done", "x-errorName": "the date the action was done"},
        "note": {"type": "string", "title": "What was done", "maxLength": 2000},
    }}, {"note": {"ui:widget": "textarea"}})
ESCALATION_FORM = form_from_dicts("ppm-action-escalation", {
    "title": "Missed action", "type": "object", "required": ["note"],
    "properties": {
        "note": {"type": "string", "title": "What you agreed with the owner", "maxLength": 2000},
        "new_due_on": {"type": "string", "format": "date", "title": "New due date",
                       "description": "Leave blank to keep the date it was due."},
    }}, {"note": {"ui:widget": "textarea"}})
ASSESSMENT_FORM = form_from_dicts("assessment-request", {
    "title": "Ask for an up-to-date assessment", "type": "object", "required": ["what", "due_on"],
    "properties": {
        "what": {"type": "string", "title": "What the assessment must bring up to date",
                 "description": "For example: the parenting assessment, since the mother's move.",
                 "maxLength": 1000},
        "due_on": {"type": "string", "format": "date", "title": "Due date",
                   "x-errorName": "the date it is due"},
    }}, {"what": {"ui:widget": "textarea"}})


# --- making actions ---------------------------------------------------------------------

def from_record(session: Session, record: TaskRecord, child: Child, actor: User,
                now: datetime) -> list[PpmAction]:
    """A completed PPM's actions become owned work, in the completion's transaction. An owner
    who is not (or no longer) an active member of staff makes no task: records from before
    owners were picked from staff keep their typed owner and show on the plan as they were."""
    if "resource_panel_referral_needed" in (record.form or {}).get("schema", {}).get("properties", {}):
        return resource_panel_referral(session, record, child, actor, now)
    if record.kind != "ppm":
        return []
    answers = record.answers or {}
    held_on = as_date(answers.get("held_on")) if answers.get("held_on") else now.date()
    made = []
    for item in answers.get("actions") or []:
        owner = _staff(session, item.get("owner"))
        if owner is None or not item.get("due_on"):
            continue
        made.append(_add(session, child, PPM_SOURCE, held_on, item.get("action", ""), owner,
                         as_date(item["due_on"]), actor, now, record))
    senior = _staff(session, answers.get("delay_escalated_to"))
    if senior is not None and answers.get("delay_factors"):
        # H14 (MER §6): the meeting escalates what may delay permanence to senior management.
        made.append(_add(session, child, DELAY_SOURCE, held_on,
                         f"The PPM on {_long(held_on)} escalated what may delay permanence: "
                         f"{answers['delay_factors']} Record what you have done.", senior,
                         as_date(add_working_days(held_on, setting("escalation_working_days"))),
                         actor, now, record))
    if answers.get("adoption_considered") and child.social_worker is not None and not _has_action(
            session, child.id, ADM_PROCESS_SOURCE):
        # B22 (DEV): adoption recognised as an option starts the ADM's process at once, not at
        # the adoption route's next PPM.
        made.append(_add(session, child, ADM_PROCESS_SOURCE, held_on,
                         "Adoption is being considered: start the Agency Decision Maker's process now "
                         "(the Child's Permanence Report, the medical, legal advice and the parents' "
                         "views) and book the ADM's consideration", child.social_worker,
                         as_date(add_working_days(held_on, ADM_PROCESS_WORKING_DAYS)), actor, now, record))
    if "decisions_shared" in (record.form or {}).get("schema", {}).get("properties", {}) \
            and not answers.get("decisions_shared") and child.social_worker is not None:
        made.append(_add(session, child, PPM_SOURCE, held_on,
                         "Tell the child, the family and the carers the decisions of the PPM, "
                         "and record the date they were told", child.social_worker,
                         as_date(add_working_days(held_on, TELL_WORKING_DAYS)), actor, now, record))
    return made


def resource_panel_referral(session: Session, record: TaskRecord, child: Child, actor: User,
                            now: datetime) -> list[PpmAction]:
    """L3 (BCP §5): a care-leaving PPM that says a referral to the Placement and Resource
    Panel is needed, not yet made, gives the social worker that referral as an action, due by
    the date the meeting set; a later care-leaving PPM recording the referral made closes it."""
    answers = record.answers or {}
    held_on = as_date(answers["confirmed_on"]) if answers.get("confirmed_on") else now.date()
    still_open = session.scalars(select(PpmAction).where(
        PpmAction.child_id == child.id, PpmAction.source == RESOURCE_PANEL_SOURCE,
        PpmAction.status == "open")).all()
    if answers.get("resource_panel_referred"):
        for action in still_open:
            action.status, action.done_on = "done", max(held_on, action.set_on)
            action.done_note = f"Recorded as referred at the care-leaving PPM on {_long(held_on)}"
            action.done_by_id = actor.id if actor else None
            audit.record(session, DONE, now, actor=actor, child_id=child.id, action_id=action.id,
                         done_on=action.done_on, on_time=action.done_on <= action.due_on)
        return []
    if not answers.get("resource_panel_referral_needed") or still_open or child.social_worker is None:
        return []
    due = as_date(answers["resource_panel_refer_by"]) if answers.get("resource_panel_refer_by") \
        else as_date(add_working_days(held_on, TELL_WORKING_DAYS))
    return [_add(session, child, RESOURCE_PANEL_SOURCE, held_on,
                 f"{RESOURCE_PANEL_ACTION}: the care-leaving PPM on {_long(held_on)} asked for the "
                 "young person's accommodation and support needs to go to the panel (BCP §5); "
                 "record the date the referral was made", child.social_worker, due, actor, now, record)]


def from_panel_actions(session: Session, record: TaskRecord, child: Child, actor: User,
                       now: datetime, held=None) -> list[PpmAction]:
    """D18, BCP §6 iv: a panel action of type request_assessment becomes an assessment request
    (C12's): the child's social worker does the assessment by the action's due date, and it
    escalates like any missed action. The action's owner still has their panel action."""
    if record.bpmn_id != "record_panel_actions":
        return []
    made = []
    for item in (record.answers or {}).get("actions") or []:
        if item.get("type") != "request_assessment" or not item.get("due_on"):
            continue
        doer = child.social_worker or _staff(session, item.get("owner_username"))
        if doer is None:
            continue
        made.append(_add(session, child, ASSESSMENT_SOURCE, now.astimezone(clock.LONDON).date(),
                         f"Assessment asked for by the Permanence Panel{_on(held)}: {item.get('action', '')}",
                         doer, as_date(item["due_on"]), actor, now, record))
    return made


def stability_meeting(session: Session, child: Child, at_risk_on: date, data: dict, actor: User,
                      now: datetime) -> PpmAction | None:
    """A7 (DEV): a placement whose stability is at risk calls for a placement stability meeting
    with the providers and carers: the social worker's action (the team manager's, if none),
    escalated like any missed action."""
    owner = child.social_worker if child.social_worker is not None and child.social_worker.active else None
    if owner is None:
        return None
    from .case_event_kinds import STABILITY_RISKS
    return _add(session, child, STABILITY_SOURCE, at_risk_on,
                f"Hold a placement stability meeting with the carers and the providers: "
                f"{STABILITY_RISKS.get(data.get('risk'), 'a risk to the placement')} "
                f"({data.get('details', '').strip()})", owner,
                as_date(add_working_days(at_risk_on, STABILITY_MEETING_WORKING_DAYS)), actor, now)


def _has_action(session: Session, child_id: int, source: str) -> bool:
    return session.scalar(select(PpmAction.id).where(PpmAction.child_id == child_id,
                                                     PpmAction.source == source).limit(1)) is not None


def _on(day) -> str:
    return f" on {_long(as_date(day))}" if day else ""


def _staff(session: Session, username) -> User | None:
    if not isinstance(username, str) or not username:
        return None
    user = session.scalars(select(User).where(User.username == username)).unique().first()
    return user if user is not None and user.active else None


def _add(session, child, source, set_on, text, owner, due_on, actor, now, record=None) -> PpmAction:
    if record is not None and record.id is None:
        session.flush()   # the record the action was set in gets the id the action links to
    action = PpmAction(child_id=child.id, child=child, record_id=record.id if record is not None else None,
                       source=source, set_on=set_on, action=text, owner_id=owner.id, owner=owner, due_on=due_on,
                       status="open", set_by_id=actor.id if actor else None, created_at=now)
    session.add(action)
    session.flush()   # for its id, which the audit trail names
    # The event by a plain INSERT now, just after that flush: through the unit of work it
    # cost a flush of its own later (a completion's next statement), with a RETURNING.
    audit.record_now(session, SET, now, actor=actor, child_id=child.id, action_id=action.id,
                     action=text, owner=owner.username, due_on=due_on, source=source)
    return action


def _requester_and_child(session: Session, child_id: int, username: str) -> tuple[User, Child]:
    user = user_by_name(session, username)
    child = session.get(Child, child_id)
    if child is None or not may_see_child(user, child):
        raise NotFound(f"There is no child {child_id} that you can see")
    if not user.roles & ASSESSMENT_REQUESTERS:
        raise NotAllowed("Only an IRO or a manager may ask for an up-to-date assessment")
    return user, child


def assessment_child(db: Database, child_id: int, username: str) -> dict:
    """The child, for the page that asks for an assessment (refused as the request would be)."""
    with db.reading() as session:
        return child_card(_requester_and_child(session, child_id, username)[1])


def request_assessment(db: Database, child_id: int, username: str, data: dict) -> PpmAction:
    """C12: an IRO or a manager asks for an up-to-date assessment; the child's social worker
    owns it, with the due date asked for, and it escalates like any missed action."""
    now = clock.now()
    with db.transaction() as session:
        user, child = _requester_and_child(session, child_id, username)
        clean, errors = ASSESSMENT_FORM.validate(data, today=clock.today(), context={})
        if not errors and clean["due_on"] < clock.today():
            errors = {"due_on": ["The due date must be today or later"]}
        if not errors and child.social_worker is None:
            errors = {"what": [f"{child.name} has no allocated social worker to do it: allocate one first"]}
        if errors:
            raise FormInvalid(errors, data)
        action = _add(session, child, ASSESSMENT_SOURCE, clock.today(),
                      f"Up-to-date assessment asked for by {user.display_name}: {clean['what']}",
                      child.social_worker, clean["due_on"], user, now)
        return action


# --- doing and escalating ---------------------------------------------------------------

def complete(db: Database, action_id: int, username: str, data: dict) -> None:
    now = clock.now()
    with db.transaction() as session:
        user, action = seen_action(session, action_id, username)
        if not may_complete_action(user, action):
            raise NotAllowed("Only the action's owner, or the child's social worker or team manager, may mark it done")
        if action.status != "open":
            raise NotAllowed(f"This action was already marked done on {_long(action.done_on)}")
        clean, errors = DONE_FORM.validate(data, today=clock.today(), context={})
        if not errors and clean["done_on"] < action.set_on:
            errors = {"done_on": [f"The date the action was done must be on or after {_long(action.set_on)}, when it was set"]}
        if errors:
            raise FormInvalid(errors, data)
        action.status, action.done_on, action.done_note = "done", clean["done_on"], clean.get("note")
        action.done_by_id = user.id
        audit.record(session, DONE, now, actor=user, child_id=action.child_id, action_id=action.id,
                     done_on=action.done_on, on_time=action.done_on <= action.due_on)


def missed_actions(now: datetime):
    """The ids of open actions due before today and not yet escalated (the sweep first asks
    whether there are any, in a read, so that an idle sweep never takes the write lock)."""
    today = now.astimezone(clock.LONDON).date()
    return select(PpmAction.id).where(PpmAction.status == "open", PpmAction.escalated_at.is_(None),
                                      PpmAction.due_on < today)


def escalate_missed(db: Database, now: datetime | None = None) -> int:
    """The sweep's part: an open action whose due date has passed (overdue from 00:00 on the
    day after it) is escalated once to its owner's team manager; how many were."""
    now = now or clock.now()
    with db.transaction() as session:
        # Lock the actions alone (not the owners joined to them): two sweepers escalate each once.
        ids = list(session.scalars(missed_actions(now).order_by(PpmAction.due_on, PpmAction.id)
                                   .with_for_update(skip_locked=True)))
        missed = session.scalars(select(PpmAction).where(PpmAction.id.in_(ids))
                                 .options(joinedload(PpmAction.owner), joinedload(PpmAction.child))
                                 .order_by(PpmAction.due_on, PpmAction.id)).unique().all() if ids else []
        for action in missed:
            action.escalated_at = now
            action.escalated_to_team_id = action.owner.team_id or action.child.team_id
            action.escalation_note = action.escalation_handled_at = action.escalation_handled_by_id = None
            audit.record(session, ESCALATED, now, child_id=action.child_id, action_id=action.id,
                         owner=action.owner.username, due_on=action.due_on)
            outbox.record(session, outbox.ESCALATION, now, child=action.child, ppm_action_id=action.id,
                          action=action.action, owner=action.owner.username, due_on=action.due_on,
                          reason="a PPM action was not done by its due date")
        return len(missed)


def answer_escalation(db: Database, action_id: int, username: str, data: dict) -> None:
    """The team manager records what was agreed; a new due date restarts the clock (and a
    second miss escalates again)."""
    now = clock.now()
    with db.transaction() as session:
        user, action = seen_action(session, action_id, username)
        if not may_handle_escalation(user, action):
            raise NotAllowed("Only the team manager this action was escalated to may answer it")
        if action.escalation_handled_at is not None:
            raise NotAllowed("This escalation has already been answered")
        clean, errors = ESCALATION_FORM.validate(data, today=clock.today(), context={})
        new_due = clean.get("new_due_on")
        if not errors and new_due is not None and new_due < clock.today():
            errors = {"new_due_on": ["The new due date must be today or later"]}
        if errors:
            raise FormInvalid(errors, data)
        action.escalation_note, action.escalation_handled_at = clean["note"], now
        action.escalation_handled_by_id = user.id
        audit.record(session, ANSWERED, now, actor=user, child_id=action.child_id, action_id=action.id,
                     note=clean["note"], new_due_on=new_due, due_on_before=action.due_on)
        if new_due is not None and action.status == "open":
            action.due_on, action.escalated_at = new_due, None
