"""Fostering for Adoption as the rest of the case sees it (E20, E21, C15).

Three things the adoption route's own steps cannot do alone:
- a PPM that proposes FfA is remembered by its date (`ffa_proposed_on`), so one proposal can be
  told from the next;
- the ADM's reg 25A decision is carried onto every live step of the pathway (as a case event's
  data is), with the proposal it decided (`ffa_decided_for`): a change of plan cancels the
  adoption route and its data, and when the route starts again the decision already given is
  not asked for again, while a newer proposal is;
- the FfA placement is a move like any other: it is written into the child's placement history
  as a "placement changed" case event (D22, D23), ends the placement before it, and sets the
  placement facts the tracker and cohorts read.
"""
from sqlalchemy.orm import Session

from models import CaseEvent, Child, PathwayInstance
from workflows.calendar import as_date

from . import audit
from .case_event_kinds import Checked, placement_checked
from .case_events import _record_placement, case_as_it_stands, current_placement, deliver_message, set_case_data
from .errors import FormInvalid

APPROVAL_STEP = "approve_ffa_carers"
PLACEMENT_STEP = "record_ffa_placement"
#: The case event the FfA placement is recorded as, and its placement type.
PLACEMENT_EVENT, PLACEMENT_TYPE = "placement_changed", "ffa"
#: The placement check's fields, as the FfA placement form names them (for its errors).
_FORM_FIELD = {"started_on": "ffa_placed_on", "area": "ffa_area", "carers": "ffa_placed_on"}


def before_run(task, bpmn_id: str, answers: dict) -> None:
    """A PPM that proposes FfA: remember which meeting proposed it."""
    if answers.get("ffa_proposed") is True and task.data.get("held_on"):
        task.data["ffa_proposed_on"] = task.data["held_on"]


def after_run(workflow, task, bpmn_id: str) -> None:
    """The reg 25A decision, carried beyond the adoption route (see the module's docstring)."""
    if bpmn_id != APPROVAL_STEP:
        return
    data = task.data
    set_case_data(workflow, {"ffa_decided_for": data.get("ffa_proposed_on"),
                             "ffa_decided_on": data.get("ffa_decided_on"),
                             "ffa_approved": data.get("ffa_approved"), "ffa_carers": data.get("ffa_carers")})


def check_placement(session: Session, child: Child, instance: PathwayInstance, answers: dict,
                    case_data: dict, typed: dict) -> Checked | None:
    """The FfA placement (`answers`, as the form checked them) checked as a placement change
    is, against the placement history as it stands; refused by the form's own fields with
    everything `typed` kept."""
    data = {"started_on": answers.get("ffa_placed_on"), "carers": case_data.get("ffa_carers") or "",
            "area": answers.get("ffa_area") or _area_before(session, child)}
    out = Checked()
    placement_checked(data, case_as_it_stands(session, child, instance), out, PLACEMENT_TYPE)
    if out.errors:
        errors: dict = {}
        for name, messages in out.errors.items():
            errors.setdefault(_FORM_FIELD.get(name, "ffa_placed_on"), []).extend(messages)
        raise FormInvalid(errors, typed)
    out.message = PLACEMENT_EVENT
    out.data.update(placement_type=PLACEMENT_TYPE, recorded_on_step=PLACEMENT_STEP)
    return out


def _area_before(session: Session, child: Child) -> str:
    """A pathway on a version whose FfA form did not ask where the carers live: the area of the
    placement before, else local (the council's own approved adopters' usual case)."""
    before = current_placement(session, child.id)
    return before.area if before is not None else "local"


def hear_placement(workflow, checked: Checked) -> list[str]:
    """Set the placement facts on the live steps and deliver the move, as a case event does."""
    set_case_data(workflow, checked.case_data)
    return deliver_message(workflow, checked.message, checked.data)


def record_placement(session: Session, user, child: Child, instance: PathwayInstance,
                     checked: Checked, caught: list[str], now) -> CaseEvent:
    """The case event and the placement history entry, audited as any case event is."""
    event = CaseEvent(child_id=child.id, instance_id=instance.id, kind=PLACEMENT_EVENT,
                      occurred_on=as_date(checked.occurred_on), data=checked.data,
                      message=checked.message, caught_by=caught, recorded_by_id=user.id, recorded_at=now)
    session.add(event)
    session.flush()
    _record_placement(session, child, event, checked)
    audit.record(session, audit.CASE_EVENT, now, actor=user, child_id=child.id, instance_id=instance.id,
                 event=PLACEMENT_EVENT, label="Placement changed: Fostering for Adoption",
                 occurred_on=checked.occurred_on, data=checked.data, caught_by=caught)
    return event
