"""Delivering a case event to a child's pathway (DESIGN.md "Growing it": case events).

One function, `deliver_event`, for the child page, the command line and later an API. In one
transaction it checks the event against the case as it stands, records it (and the
placement history), updates the case data every live step of the pathway reads, delivers
the event as a BPMN message to the steps that listen for it, rewrites the projections
(stage, tasks, deadlines, facts) and audits it. Bad input is refused per field with nothing
written; a concurrent change to the same pathway is retried from the start.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState

from models import CaseEvent, Child, Database, HumanTask, PathwayInstance, Placement, User
from workflows.calendar import as_date

from . import audit, clock
from .access import may_act_on_child, may_see_child
from .case_event_kinds import KINDS, Case, Checked, check, kinds_for, placement_type_text
from .errors import Conflict, FormInvalid, InstanceInError, NotAllowed, NotFound
from .pathway import _run, mark_error, stop_unreadable
from .runtime import advance, open_workflow, save
from .specs import loaded_version
from .records import seen_child
from .users import user_by_name

CASE_EVENT = audit.CASE_EVENT
_RETRIES = 3
_LIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED
#: The legal steps that, while open, mean a child is already with Legal (no new LGM referral).
LEGAL_STEPS = ("lgm_decision", "plo_review", "record_issued", "s20_drift")


@dataclass(frozen=True)
class Delivered:
    """What an event led to, for the confirmation a user sees."""
    event_id: int
    kind: str
    caught_by: list[str]          # the diagram steps that heard it (empty: a fact only)
    opened: list[dict]
    closed: list[str]             # tasks the event completed or made unnecessary
    error: str | None = None


def deliver_event(db: Database, child_id: int, kind: str, data: dict, actor: str) -> Delivered:
    for _attempt in range(_RETRIES):
        try:
            return _deliver_once(db, child_id, kind, data, actor)
        except StaleDataError:
            continue  # the pathway changed meanwhile: check the event again against it
    raise Conflict("The child's pathway kept changing while the event was being recorded. "
                   "Nothing was saved: please try again.")


def _deliver_once(db, child_id, kind, data, actor) -> Delivered:
    with db.transaction() as session:
        user = user_by_name(session, actor)
        child = session.get(Child, child_id)
        if child is None or not may_see_child(user, child):
            raise NotFound(f"There is no child {child_id} that you can see")
        return deliver_in(session, user, child, kind, data, clock.now())


def deliver_in(session: Session, user, child: Child, kind: str, data: dict, now) -> Delivered:
    """Deliver an event inside the caller's transaction (engine.before_care: pre-proceedings
    still running when a child becomes looked after go on in `legal_proceedings`)."""
    if not may_act_on_child(user, child):
        raise NotAllowed(f"You cannot record case events for {child.name}")
    if kind in KINDS and not KINDS[kind].roles & user.roles:
        raise NotAllowed(f"'{KINDS[kind].label}' is recorded by "
                         + ", ".join(sorted(KINDS[kind].roles)) + ": you do not hold those roles")
    if child.before_care:   # A10, E18: nothing for a looked-after pathway to hear yet
        raise FormInvalid({"kind": [f"{child.name} is not looked after yet: record the work before care "
                                    "on its steps, and that they became looked after, first"]}, data)
    instance = session.scalar(select(PathwayInstance).where(
        PathwayInstance.child_id == child.id).order_by(PathwayInstance.id.desc()).limit(1))
    if instance is None or instance.status == "completed":
        raise InstanceInError(f"{child.name} has no running pathway to record events on")
    if instance.status != "active":
        raise InstanceInError(f"{child.name}'s pathway is {instance.status}"
                              + (f": {instance.error_message}" if instance.error_message else ""))
    # The version-checked UPDATE first: a concurrent event or completion fails here
    # (retried) before anything is read for the checks or written.
    instance.updated_at = now
    session.flush()
    checked = check(kind, data, case_as_it_stands(session, child, instance))
    if checked.errors:
        raise FormInvalid(checked.errors, data)
    event = CaseEvent(child_id=child.id, instance_id=instance.id, kind=kind,
                      occurred_on=checked.occurred_on, data=checked.data,
                      message=",".join((checked.message, *checked.also)), caught_by=[],
                      recorded_by_id=user.id,
                      recorded_at=now)
    session.add(event)
    session.flush()
    _record_placement(session, child, event, checked)
    if kind == "placement_at_risk":      # A7: the meeting it calls for is someone's work
        from .ppm_actions import stability_meeting
        stability_meeting(session, child, checked.occurred_on, checked.data, user, now)
    if "legal_status" in checked.case_data:
        child.legal_status = checked.case_data["legal_status"]
    loaded = loaded_version(session, instance.diagram_version_id)
    try:
        workflow = open_workflow(instance, loaded)
    except Exception as exc:  # a stored state that cannot be read: stop this pathway
        message = stop_unreadable(session, instance, exc, now)
        return Delivered(event.id, kind, [], [], [], message)
    open_before = {str(t.id): t.task_spec.bpmn_name for t in
                   workflow.get_tasks(state=TaskState.READY, manual=True)}
    set_case_data(workflow, checked.case_data)
    caught: list[str] = []
    def hear(wf):
        for message in (checked.message, *checked.also):
            caught.extend(deliver_message(wf, message, checked.data))
        advance(wf)
    error = _run(workflow, hear)
    event.caught_by = caught
    audit.record(session, CASE_EVENT, now, actor=user, child_id=child.id,
                 instance_id=instance.id, event=kind, label=KINDS[kind].label,
                 occurred_on=checked.occurred_on, data=checked.data, caught_by=caught)
    changes = save(session, instance, workflow, now, None, user)
    if error:
        mark_error(session, instance, error, now)
    session.flush()
    still_ready = {str(t.id) for t in workflow.get_tasks(state=TaskState.READY, manual=True)}
    return Delivered(
        event.id, kind, caught,
        [{"task_id": r.task_id, "name": r.name, "lane": r.lane, "due_on": r.due_on,
          "rule": r.rule} for r in changes.opened],
        sorted(name for task_id, name in open_before.items() if task_id not in still_ready),
        error)


def case_as_it_stands(session: Session, child: Child, instance: PathwayInstance) -> Case:
    facts = instance.facts or {}
    placement = current_placement(session, child.id)
    issued_on = _date(facts.get("issued_on"))
    order_on = _date(facts.get("order_made_on"))
    if issued_on and order_on and order_on >= issued_on:
        issued_on = None  # those proceedings have ended in an order
    return Case(name=child.name, legal_status=facts.get("legal_status") or child.legal_status,
                looked_after_on=child.looked_after_on, today=clock.today(),
                placement=placement and {"placement_type": placement.placement_type,
                                         "carers": placement.carers, "area": placement.area,
                                         "started_on": placement.started_on.isoformat()},
                issued_on=issued_on, missing_since=_date(facts.get("missing_since")),
                legal_work_open=session.scalar(select(HumanTask.name).where(
                    HumanTask.instance_id == instance.id, HumanTask.status == "open",
                    HumanTask.bpmn_id.in_(LEGAL_STEPS)).limit(1)))


#: The current placements of several children (brothers and sisters), built once.
_CURRENT_PLACEMENTS = (select(Placement).where(Placement.child_id.in_(bindparam("child_ids", expanding=True)),
                                               Placement.ended_on.is_(None))
                       .order_by(Placement.started_on.desc(), Placement.id.desc()))


def current_placements(session: Session, child_ids: list[int]) -> dict[int, Placement]:
    """Each child's `current_placement`, by child, in one read."""
    found: dict[int, Placement] = {}
    if not child_ids:
        return found
    for placement in session.scalars(_CURRENT_PLACEMENTS, {"child_ids": list(child_ids)}):
        found.setdefault(placement.child_id, placement)
    return found


def current_placement(session: Session, child_id: int) -> Placement | None:
    return session.scalar(select(Placement).where(
        Placement.child_id == child_id, Placement.ended_on.is_(None))
        .order_by(Placement.started_on.desc(), Placement.id.desc()).limit(1))


def _record_placement(session: Session, child: Child, event: CaseEvent, checked: Checked) -> None:
    if checked.ends_placement:
        current = current_placement(session, child.id)
        if current is not None:
            current.ended_on, current.end_reason = checked.occurred_on, checked.ends_placement
    if checked.new_placement:
        session.add(Placement(child_id=child.id, case_event_id=event.id, **checked.new_placement))


def set_case_data(workflow, values: dict) -> None:
    """The case as the diagrams read it (`legal_status`, `issued_on`, ...), set on every live
    step (inside called processes too) and on the steps it came from, so that every branch
    of the pathway, and the facts kept from them, know it from now on. The steps it came from
    matter: SpiffWorkflow merges a waiting step's parent's data over its own each time it
    looks at it again."""
    if not values:
        return
    done = set()
    for task in workflow.get_tasks(state=_LIVE):
        while task is not None and task.id not in done:
            done.add(task.id)
            task.data.update(values)
            task = task.parent


def deliver_message(workflow, name: str, payload: dict) -> list[str]:
    """Deliver the event as the BPMN message `name` to the steps waiting for it (boundary
    and intermediate catch events anywhere in the pathway); the ids of those that caught it.
    A pathway where nothing listens for it is not an error: the event is a fact only."""
    event = BpmnEvent(MessageEventDefinition(name), payload=dict(payload))
    listening = [t.task_spec.bpmn_id for t in workflow.event_manager.tasks.values()
                 if t.task_spec.catches(t, event)]
    listening += _event_subprocess_starts(workflow, event)
    if listening:
        workflow.send_event(event)
    return sorted(set(filter(None, listening)))


def _event_subprocess_starts(workflow, event) -> list[str]:
    """The message start events of the pathway's event subprocesses that catch `event`: they
    are not waiting tasks (SpiffWorkflow starts one when its message arrives), so a pathway
    moved onto a version that added one hears it too (the LGM by referral, A10)."""
    found = []
    for name in workflow.spec.start.trigger_specs:
        spec = workflow.subprocess_specs.get(name)
        for start in getattr(spec, "bpmn_start_events", ()) if spec else ():
            if start.event_definition == event.event_definition:
                found.append(start.bpmn_id)
    return found


def event_form(db: Database, child_id: int, actor: str) -> dict:
    """What the "record a case event" page needs: the child, the case as it stands and the
    kinds this user may record (NotFound for a child they cannot see, NotAllowed if none)."""
    with db.reading() as session:
        user = user_by_name(session, actor)
        child = session.get(Child, child_id)
        if child is None or not may_see_child(user, child):
            raise NotFound(f"There is no child {child_id} that you can see")
        allowed = kinds_for(user.roles) if may_act_on_child(user, child) else []
        if not allowed:
            raise NotAllowed(f"Your role does not record case events for {child.name}")
        instance = session.scalar(select(PathwayInstance).where(
            PathwayInstance.child_id == child.id).order_by(PathwayInstance.id.desc()).limit(1))
        placement = current_placement(session, child.id)
        return {"id": child.id, "name": child.name, "reference": child.reference,
                "legal_status": ((instance.facts or {}).get("legal_status") if instance else None)
                or child.legal_status,
                "placement": placement and {"placement_type": placement.placement_type,
                                            "type_text": placement_type_text(placement.placement_type),
                                            "carers": placement.carers,
                                            "started_on": placement.started_on},
                "kinds": [k.key for k in allowed]}


#: The child page's two reads, built once: the events with who recorded them, and the
#: placements, newest first (the first not ended is the current one: `current_placement`).
_EVENTS = (select(CaseEvent.id, CaseEvent.kind, CaseEvent.occurred_on, CaseEvent.data,
                  CaseEvent.caught_by, CaseEvent.recorded_at, User.display_name)
           .outerjoin(User, User.id == CaseEvent.recorded_by_id)
           .where(CaseEvent.child_id == bindparam("child_id"))
           .order_by(CaseEvent.occurred_on.desc(), CaseEvent.id.desc()))
_PLACEMENTS = (select(Placement.placement_type, Placement.carers, Placement.area, Placement.started_on,
                      Placement.ended_on, Placement.end_reason)
               .where(Placement.child_id == bindparam("child_id"))
               .order_by(Placement.started_on.desc(), Placement.id.desc()))


def _seen(session: Session, child_id: int, actor: str) -> Child:
    return seen_child(session, child_id, user_by_name(session, actor))


def child_events(db: Database, child_id: int, actor: str) -> list[dict]:
    """A child's case events, newest first, and their placement history (for the page)."""
    with db.reading() as session:
        _seen(session, child_id, actor)
        rows = session.connection().execute(_EVENTS, {"child_id": child_id})
        return [{"id": e.id, "kind": e.kind, "label": KINDS[e.kind].label if e.kind in KINDS else e.kind,
                 "occurred_on": e.occurred_on, "data": e.data, "caught_by": e.caught_by,
                 "recorded_by": e.display_name if e.display_name is not None else audit.SYSTEM,
                 "recorded_at": e.recorded_at} for e in rows]


def placements(db: Database, child_id: int, actor: str) -> list[dict]:
    with db.reading() as session:
        _seen(session, child_id, actor)
        return [{"placement_type": p.placement_type, "carers": p.carers, "area": p.area,
                 "type_text": placement_type_text(p.placement_type),
                 "started_on": p.started_on, "ended_on": p.ended_on, "end_reason": p.end_reason}
                for p in session.connection().execute(_PLACEMENTS, {"child_id": child_id})]


def _date(value) -> date | None:
    try:
        return as_date(value) if value else None
    except (TypeError, ValueError):
        return None
