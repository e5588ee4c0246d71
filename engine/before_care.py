"""A child known to the council before they are looked after (A10, A12, B1, E18, E19).

A child on the edge of care (referred to the Legal Gateway Meeting, perhaps into
pre-proceedings) or an unborn baby (the council told before the birth) is registered with the
`before_care` diagram, not the permanence pathway: no looked-after clock runs, and they are in
no looked-after cohort, drift list or figure (`Child.before_care` is set). Recording that the
child became looked after ends that instance and starts their permanence pathway from the real
date of entry, carrying what was recorded before care so nothing is typed twice.
"""
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from models import Child, Database, PathwayInstance, TaskRecord, User
from workflows.calendar import as_date
from workflows.typed_input import date_message

from . import audit, clock
from . import figures  # noqa: F401  (its session events keep the dashboards' running figures)
from .children import Registered, add_child, check_details
from .errors import FormInvalid
from .pathway import DEFAULT_PROCESS, start_in
from .records import current_records
from .users import user_by_name

PROCESS = "before_care"
KINDS = {"edge_of_care": "On the edge of care", "unborn": "Unborn: known before the birth"}
#: The legal status of a child who is not (yet) looked after.
NOT_LOOKED_AFTER = "none"
#: The step that ends the work before care (diagrams/before_care.bpmn).
LOOKED_AFTER_STEP = "record_looked_after"
#: The step recording the notification and counselling before the birth; the adoption
#: route's relinquishment step starts from its answers (engine.adoption_carry).
PREBIRTH_STEP = "record_prebirth_notification"
#: What the permanence pathway starts with from the work before care (A10, B1, E18), kept
#: together as `before_care_record`: the LGM's decision, the letter before proceedings and the
#: pre-proceedings review (R13's history), the notification and the plan at birth. The
#: edge-of-care LGM's answers have names of their own (`edge_lgm_decision`), so a later LGM's
#: answer is never mistaken for this one; TOP_LEVEL ones are the case's from then on.
CARRIED = ("known_on", "edge_lgm_held_on", "edge_threshold_met", "edge_lgm_decision", "legal_plan", "plo_letter_on",
           "plo_reviewed_on", "plo_outcome", "pre_proceedings_meeting_on", "assessments_agreed",
           "fgc_referred_on", "council_notified_on", "expected_birth_on", "prebirth_meeting_on",
           "plan_at_birth", "relinquishment_requested")
TOP_LEVEL = ("known_on", "plo_letter_on", "council_notified_on", "expected_birth_on")
#: How far ahead an expected date of birth may be: a pregnancy is at most about 42 weeks.
EXPECTED_BIRTH_AHEAD = timedelta(weeks=42)

FIELDS = ("reference", "name", "before_care", "known_on", "date_of_birth", "expected_birth_on",
          "team", "social_worker")
KNOWN_LABEL = "Date the council was told or the child referred"


def register_before_care(db: Database, details: dict, actor: str) -> Registered:
    """Register a child not yet looked after and start their `before_care` instance; nothing
    is stored unless both happen. Errors by field, with everything typed kept."""
    with db.transaction() as session:
        user = user_by_name(session, actor)
        values, errors = check_before_care(session, details)
        if errors:
            raise FormInvalid(errors, details)
        child = add_child(session, values, user)
        return Registered(child.id, start_in(session, child, user, PROCESS))


def check_before_care(session, details: dict) -> tuple[dict, dict]:
    """The values and errors per field: the looked-after registration's checks of reference,
    name, team and social worker, then the kind and the dates before care."""
    today = clock.today()
    values, errors = check_details(session, {**details, "legal_status": "s20",
                                              "date_of_birth": today.isoformat(),
                                              "looked_after_on": today.isoformat()})

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    kind = str(details.get("before_care") or "").strip()
    if kind not in KINDS:
        fail("before_care", "Select why the council knows the child: "
             + " or ".join(label.lower() for label in KINDS.values()))
    known_on = _past_date(details, "known_on", KNOWN_LABEL, today, fail)
    if kind == "unborn":
        expected = _date(details, "expected_birth_on", "Expected date of birth", fail)
        if expected is not None:
            if expected > today + EXPECTED_BIRTH_AHEAD:
                fail("expected_birth_on", "Expected date of birth must be within 42 weeks of today")
            elif known_on is not None and expected < known_on:
                fail("expected_birth_on", "Expected date of birth must be on or after the date the "
                     "council was told: a baby already born is registered as a child on the edge of care")
        born = expected
        if str(details.get("date_of_birth") or "").strip():
            fail("date_of_birth", "An unborn baby has no date of birth yet: give the expected date")
    else:
        born = _past_date(details, "date_of_birth", "Date of birth", today, fail)
        if str(details.get("expected_birth_on") or "").strip():
            fail("expected_birth_on", "An expected date of birth is for an unborn baby only")
        if born is not None and known_on is not None and known_on < born:
            fail("known_on", f"{KNOWN_LABEL} must be on or after their birth")
    for field in ("date_of_birth", "looked_after_on", "legal_status"):
        values.pop(field, None)
    values.update(before_care=kind, known_on=known_on, date_of_birth=born,
                  looked_after_on=known_on, legal_status=NOT_LOOKED_AFTER)
    return values, errors


def _date(details, field, label, fail):
    try:
        return as_date(details.get(field))
    except (TypeError, ValueError):
        fail(field, f"{label} must be a real date, like 2026-03-02")
        return None


def _past_date(details, field, label, today, fail):
    value = _date(details, field, label, fail)
    if value is None:
        return None
    if value > today:
        fail(field, f"{label} must be today or in the past")
        return None
    if message := date_message(label, value, today):
        fail(field, message)
        return None
    return value


@dataclass(frozen=True)
class Entered:
    instance_id: int
    opened: list[dict]


def after_record(session, instance: PathwayInstance, answers: dict, user: User, now) -> Entered | None:
    """After "Record that the child became looked after": the child's details become those of
    a looked-after child and their permanence pathway starts, carrying the case so far. Care
    no longer considered: the child stays known, with no pathway running."""
    child = instance.child
    if answers.get("care_outcome") != "looked_after" or child.before_care is None:
        return None
    was = child.before_care
    if was == "unborn":
        child.date_of_birth = as_date(answers["born_on"])
    child.looked_after_on = as_date(answers["entered_care_on"])
    child.legal_status = answers["entry_legal_status"]
    child.before_care = None
    audit.record(session, audit.CASE_DETAILS_CHANGED, now, actor=user, child_id=child.id,
                 instance_id=instance.id, became_looked_after=child.looked_after_on,
                 legal_status=child.legal_status, placement=answers.get("entry_placement"),
                 before_care=was)
    session.flush()
    record = {"known_on": child.known_on, **_answers_before_care(session, instance.id)}
    carried = {name: record[name] for name in TOP_LEVEL if name in record}
    placement = _first_placement(answers, child.looked_after_on)
    carried.update(before_care_record=record, entry_placement=answers.get("entry_placement"),
                   **_placement_facts(placement))
    started = start_in(session, child, user, DEFAULT_PROCESS, carried=carried)
    if started.error:
        raise FormInvalid({"care_outcome": [f"The permanence pathway could not start: {started.error}"]},
                          answers)
    if placement:
        _record_first_placement(session, child, started.instance_id, placement, user, now)
    if answers.get("fgc_before_care_on"):   # A9, H12, P11: the pathway's FGC, held before care
        from .children import _fgc_held_before_care
        started = _fgc_held_before_care(session, started, user, {
            "fgc_held_on": answers["fgc_before_care_on"], "fgc_outcome": answers["fgc_before_care_outcome"]},
            answers)
    opened = started.opened
    if _pre_proceedings_running(record) and child.legal_status not in IN_PROCEEDINGS:
        opened = _pre_proceedings_go_on(session, child, record, answers, user, now, started)
    return Entered(started.instance_id, opened)


def _first_placement(answers: dict, entered_on) -> dict | None:
    """The placement the child became looked after in (D22), as a placement change records
    one; None on a version of the form that did not ask its type."""
    if not answers.get("entry_placement_type"):
        return None
    return {"placement_type": answers["entry_placement_type"], "carers": answers.get("entry_placement") or "",
            "area": answers.get("entry_placement_area") or "local", "started_on": entered_on}


def _placement_facts(placement: dict | None) -> dict:
    if not placement:
        return {}
    return {"placement_type": placement["placement_type"], "placement_area": placement["area"],
            "placement_started_on": placement["started_on"].isoformat()}


def _record_first_placement(session, child: Child, instance_id: int, placement: dict, user: User, now) -> None:
    """The first entry of the placement history, written as a placement change is (a case event
    and its placement), so every page that reads the history knows where the child lives."""
    from models import CaseEvent, Placement
    from .case_event_kinds import placement_type_text
    data = {**placement, "started_on": placement["started_on"].isoformat(), "recorded_on_step": "record_looked_after"}
    event = CaseEvent(child_id=child.id, instance_id=instance_id, kind="placement_changed",
                      occurred_on=placement["started_on"], data=data, message="placement_changed",
                      caught_by=[], recorded_by_id=user.id, recorded_at=now)
    session.add(event)
    session.flush()
    session.add(Placement(child_id=child.id, case_event_id=event.id, **placement))
    audit.record(session, audit.CASE_EVENT, now, actor=user, child_id=child.id, instance_id=instance_id,
                 event="placement_changed",
                 label=f"Placement changed: {placement_type_text(placement['placement_type'])}",
                 occurred_on=data["started_on"], data=data, caught_by=[])


#: Entering care on these, proceedings are issued: pre-proceedings have ended.
IN_PROCEEDINGS = ("ico", "epo", "co", "pwp", "po")
LGM_STEP = "lgm_decision"


def _pre_proceedings_running(record: dict) -> bool:
    return record.get("edge_lgm_decision") == "plo" and bool(record.get("plo_letter_on")) \
        and not record.get("plo_outcome")


def _pre_proceedings_go_on(session, child, record, answers, user, now, started) -> list[dict]:
    """B1, R13: pre-proceedings still running when the child becomes looked after (under
    s20, say) go on in the pathway's `legal_proceedings`, from the same letter: the child is
    referred to the LGM on the day they entered care (the `lgm_referral` case event) and the
    meeting already held before care is recorded as its decision, so the review is due 3
    months after the letter and the Head of Service escalation 6 months after it, as before."""
    from .case_events import deliver_in
    from .pathway import complete_in
    delivered = deliver_in(session, user, child, "lgm_referral", {
        "referred_on": answers["entered_care_on"],
        "recommendation": "Pre-proceedings begun before care continue: letter before proceedings on "
                          + str(record["plo_letter_on"])}, now)
    if delivered.error:
        raise FormInvalid({"care_outcome": [f"Pre-proceedings could not be carried on: {delivered.error}"]},
                          answers)
    lgm = next((t for t in delivered.opened if t.get("name") and _is_step(session, t["task_id"], LGM_STEP)), None)
    if lgm is None:
        raise FormInvalid({"care_outcome": ["Pre-proceedings could not be carried on: the pathway has no "
                                            "Legal Gateway Meeting step to record them on"]}, answers)
    done = complete_in(session, lgm["task_id"], {
        "lgm_held_on": record["edge_lgm_held_on"], "threshold_met": bool(record.get("edge_threshold_met")),
        "decision": "plo", "s20_endorsed": False, "plo_letter_on": record["plo_letter_on"],
        **({"legal_plan": record["legal_plan"]} if record.get("legal_plan") else {})},
        user, at_registration=True)
    if done.error:
        raise FormInvalid({"care_outcome": [f"Pre-proceedings could not be carried on: {done.error}"]}, answers)
    return started.opened + [t for t in delivered.opened if t["task_id"] != lgm["task_id"]] + done.opened


def _is_step(session, task_id: str, bpmn_id: str) -> bool:
    from models import HumanTask
    return session.scalar(select(HumanTask.bpmn_id).where(HumanTask.task_id == task_id)) == bpmn_id


def _answers_before_care(session, instance_id: int) -> dict:
    """The carried answers of every step done before care (its branches' data is not on
    the closing step's), the latest over the earlier, as corrected."""
    answers: dict = {}
    for record in session.scalars(current_records(select(TaskRecord).where(
            TaskRecord.instance_id == instance_id)).order_by(TaskRecord.completed_at, TaskRecord.id)):
        answers.update({k: v for k, v in (record.answers or {}).items()
                        if k in CARRIED and v is not None})
    return answers


def prebirth_answers(session, child_id: int) -> dict:
    """E18, E19: the notification and counselling recorded before the birth, for the adoption
    route's relinquishment step to start from."""
    record = session.scalar(current_records(select(TaskRecord).where(
        TaskRecord.child_id == child_id, TaskRecord.bpmn_id == PREBIRTH_STEP))
        .order_by(TaskRecord.completed_at.desc(), TaskRecord.id.desc()).limit(1))
    return dict(record.answers or {}) if record is not None else {}


def notification_starting_answers(db: Database, child_id: int, username: str) -> dict:
    """E18: the notification step starts from the registration: the date the council was told
    and the expected date of birth, not typed twice."""
    from .records import seen_child
    with db.reading() as session:
        child = seen_child(session, child_id, user_by_name(session, username))
        if child.before_care != "unborn":
            return {}
        return {"council_notified_on": child.known_on.isoformat(),
                "expected_birth_on": child.date_of_birth.isoformat()}


#: The pathway's steps whose pages start from what was recorded before care.
ENTRY_LGM_STEP, INITIAL_PPM_STEP = "entry_lgm", "initial_ppm"
ASSESSMENT_WORDS = {"fgc_referral": "a Family Group Conference referral",
                    "independent_assessment": "an independent (social work) assessment",
                    "comprehensive_evaluation": "a comprehensive evaluation",
                    "parenting_assessment": "a parenting assessment",
                    "connected_person_assessment": "a connected person assessment"}


def pathway_starting_answers(db: Database, child_id: int, username: str, bpmn_id: str) -> dict:
    """A10, A12, E18: the entry LGM on an interim order starts from the legal plan and the
    assessments agreed before care; the initial PPM from whether the mother asked, before the
    birth, for the baby to be placed for adoption. Nothing for a child not known before care."""
    from .records import seen_child
    with db.reading() as session:
        seen_child(session, child_id, user_by_name(session, username))
        record = {}
        for answers in session.scalars(current_records(select(TaskRecord.answers).where(
                TaskRecord.child_id == child_id, TaskRecord.bpmn_id.in_(
                    ["edge_lgm", "pre_proceedings_meeting", "prebirth_planning"])))
                .order_by(TaskRecord.completed_at, TaskRecord.id)):
            record.update({k: v for k, v in (answers or {}).items() if v not in (None, "", [])})
    if bpmn_id == ENTRY_LGM_STEP:
        answers = {"legal_plan": record.get("legal_plan")}
        agreed = [ASSESSMENT_WORDS.get(a, a) for a in record.get("assessments_agreed") or []]
        if agreed:
            answers["assessments"] = ("Agreed at the pre-proceedings meeting on "
                                      f"{record.get('pre_proceedings_meeting_on')}: " + "; ".join(agreed))
        return {k: v for k, v in answers.items() if v}
    if bpmn_id == INITIAL_PPM_STEP and record.get("relinquishment_requested") is not None:
        return {"relinquished_baby": record["relinquishment_requested"]}
    return {}
