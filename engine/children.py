"""Registering a child who has become looked after, and starting their pathway with them.

The details are the ones a council has on entry to care. Bad details are refused with a
message per field, and nothing is stored unless the pathway starts too.
"""
import re
from dataclasses import dataclass

from sqlalchemy import select

from models import Child, Database, HumanTask, Team, User
from workflows.calendar import as_date
from workflows.roles import SOCIAL_WORKER
from workflows.typed_input import control_message, date_message

from . import clock, outbox
from . import figures  # noqa: F401  (its session events keep the dashboards' running figures)
from .errors import FormInvalid, NotFound
from .pathway import DEFAULT_PROCESS, Outcome, complete_in, start_in
from .users import user_by_name

LEGAL_STATUSES = {
    "s20": "Accommodated under section 20",
    "ico": "Interim care order",
    "co": "Care order",
    "pwp": "Placed with parents under a care order",
    "epo": "Emergency protection order",
    "po": "Placement order",
    "remand": "Remanded to local authority accommodation",
}

FIELDS = ("reference", "name", "date_of_birth", "legal_status", "looked_after_on", "team",
          "social_worker", "fgc_before_care_on", "fgc_before_care_outcome")

#: A9, P11 (MER §4: a Family Group Conference "when consideration is being given to a child
#: becoming looked after"): one held at the edge of care is the pathway's FGC, not asked again.
FGC_STEP = "hold_fgc"
FGC_BEFORE_CARE_OUTCOMES = {"family_plan_agreed": "The family agreed a plan",
                            "no_plan": "No family plan was agreed"}
FGC_BEFORE_CARE_LABEL = "Date the Family Group Conference was held"


@dataclass(frozen=True)
class Registered:
    child_id: int
    outcome: Outcome


def register_child(db: Database, details: dict, actor: str,
                   process_id: str = DEFAULT_PROCESS, recording_history: bool = False) -> Registered:
    """`recording_history`: an administrator bringing an existing child on (engine/importing)."""
    with db.transaction() as session:
        user = user_by_name(session, actor)
        values, errors = check_details(session, details)
        fgc, fgc_errors = check_fgc_before_care(details, values.get("looked_after_on"))
        errors.update(fgc_errors)
        if errors:
            raise FormInvalid(errors, details)
        child = add_child(session, values, user)
        started = start_in(session, child, user, process_id, recording_history)
        if fgc and started.error is None:
            started = _fgc_held_before_care(session, started, user, fgc, details)
        return Registered(child.id, started)


def add_child(session, values: dict, user) -> Child:
    """The new child's row and the outbox's "child registered": the same for a child in care
    and one known before care (engine/before_care.py)."""
    child = Child(created_at=clock.now(), **values)
    session.add(child)
    session.flush()
    outbox.record(session, outbox.CHILD_REGISTERED, child.created_at, child=child,
                  registered_by=user.username)
    return child


def check_fgc_before_care(details: dict, looked_after_on) -> tuple[dict | None, dict]:
    """The edge-of-care FGC's answers for the pathway's FGC form (or None), and errors: a
    real date, not in the future, not after the child became looked after, with its outcome."""
    errors: dict[str, list[str]] = {}
    raw = str(details.get("fgc_before_care_on") or "").strip()
    outcome = str(details.get("fgc_before_care_outcome") or "").strip()
    if not raw:
        if outcome:
            errors["fgc_before_care_on"] = ["Enter the date the Family Group Conference was held, "
                                            "or leave its outcome blank"]
        return None, errors
    try:
        held_on = as_date(raw)
    except (TypeError, ValueError):
        held_on = None
        errors["fgc_before_care_on"] = [f"{FGC_BEFORE_CARE_LABEL} must be a real date, like 2026-03-02"]
    today = clock.today()
    if held_on is not None:
        if held_on > today:
            errors["fgc_before_care_on"] = [f"{FGC_BEFORE_CARE_LABEL} must be today or in the past"]
        elif message := date_message(FGC_BEFORE_CARE_LABEL, held_on, today):
            errors["fgc_before_care_on"] = [message]
        elif looked_after_on is not None and held_on > looked_after_on:
            errors["fgc_before_care_on"] = [f"{FGC_BEFORE_CARE_LABEL} must be on or before the date the "
                                            "child became looked after (a later one is recorded on the pathway)"]
    if outcome not in FGC_BEFORE_CARE_OUTCOMES:
        errors["fgc_before_care_outcome"] = ["Select what came of the Family Group Conference: "
                                             + " or ".join(FGC_BEFORE_CARE_OUTCOMES.values()).lower()]
    if errors:
        return None, errors
    return {"fgc_held_on": held_on.isoformat(), "fgc_outcome": outcome}, {}


def _fgc_held_before_care(session, started: Outcome, user: User, answers: dict, details: dict) -> Outcome:
    """Record the FGC step done with the registration, on the day it was held (R6 met then)."""
    task_id = session.scalar(select(HumanTask.task_id).where(
        HumanTask.instance_id == started.instance_id, HumanTask.bpmn_id == FGC_STEP,
        HumanTask.status == "open"))
    if task_id is None:
        raise FormInvalid({"fgc_before_care_on": ["This pathway has no Family Group Conference step "
                                                  "to record it on"]}, details)
    done = complete_in(session, task_id, answers, user, at_registration=True)
    return Outcome(started.instance_id, [t for t in started.opened if t["task_id"] != task_id] + done.opened,
                   done.status, done.error)


def check_details(session, details: dict) -> tuple[dict, dict]:
    """The details' values and errors per field (registration and the import alike)."""
    errors: dict[str, list[str]] = {}
    values: dict = {}

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    reference = str(details.get("reference") or "").strip()
    if not reference:
        fail("reference", "Enter the child's reference number")
    elif not re.fullmatch(r"[A-Za-z0-9/_-]{1,40}", reference):
        fail("reference", "Reference must be up to 40 letters, digits, '-', '_' or '/'")
    elif session.scalar(select(Child.id).where(Child.reference == reference)):
        fail("reference", f"A child with reference {reference} is already registered")
    values["reference"] = reference
    unusable = {field: message for field, label in (("name", "Name"), ("team", "Team"),
                                                      ("social_worker", "Social worker"))
                if (message := control_message(label, str(details.get(field) or "")))}
    if unusable:  # nothing with a control character goes near the database
        for field, message in unusable.items():
            fail(field, message)
        return values, errors
    name = str(details.get("name") or "").strip()
    if not name:
        fail("name", "Enter the child's name")
    elif len(name) > 200:
        fail("name", "Name must be 200 characters or fewer")
    values["name"] = name
    today = clock.today()
    for field, label in (("date_of_birth", "Date of birth"),
                         ("looked_after_on", "Date the child became looked after")):
        try:
            values[field] = as_date(details.get(field))
        except (TypeError, ValueError):
            fail(field, f"{label} must be a real date, like 2026-03-02")
            continue
        if values[field] > today:
            fail(field, f"{label} must be today or in the past")
        elif message := date_message(label, values[field], today):
            fail(field, message)
    if "date_of_birth" in values and "looked_after_on" in values \
            and values["looked_after_on"] < values["date_of_birth"]:
        fail("looked_after_on", "Date the child became looked after must be on or after their birth")
    status = str(details.get("legal_status") or "").strip()
    if status not in LEGAL_STATUSES:
        fail("legal_status", "Select the legal status: " + ", ".join(LEGAL_STATUSES))
    values["legal_status"] = status
    team = session.scalar(select(Team).where(Team.name == str(details.get("team") or "")))
    if team is None:
        fail("team", f"There is no team called '{details.get('team') or ''}'")
    else:
        values["team_id"] = team.id
    worker_name = str(details.get("social_worker") or "").strip()
    if worker_name:
        worker = session.scalar(select(User).where(User.username == worker_name))
        if worker is None or not worker.active or SOCIAL_WORKER not in worker.roles:
            fail("social_worker", f"'{worker_name}' is not an active social worker")
        elif team is not None and worker.team_id != team.id:
            fail("social_worker", f"'{worker_name}' is not in {team.name}")
        else:
            values["social_worker_id"] = worker.id
    return values, errors


def find_child(db: Database, ident: str, actor: str | None = None) -> int:
    """A child's id from their id or reference. With an actor, a child they may not see is
    "not found" in the same words as one that does not exist, naming what they typed."""
    from .access import may_see_child
    with db.transaction() as session:
        child = session.scalar(select(Child).where(Child.reference == ident))
        if child is None and ident.isdigit():
            child = session.get(Child, int(ident))
        if child is not None and actor is not None and not may_see_child(
                user_by_name(session, actor), child):
            child = None
        if child is None:
            raise NotFound(f"There is no child {ident}" + (" that you can see" if actor else ""))
        return child.id
