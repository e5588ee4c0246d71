"""Bringing one child on by replaying their past through the real engine.

The child is registered with the clock at their entry to care; then the tasks their tracker
says were done are completed, in date order, through `complete_task` (as the importing
administrator, `recording_history`), with answers built from the row; before each step the
child's own timers are swept at the instants they came due, so every clock is met or missed
as it would have been; at the end the timers are swept up to now. Everything runs inside one
transaction for the child (each engine call a savepoint of it): the caller commits it, or
rolls it back for a dry run or on any failure, so a child is imported whole or not at all.
"""
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import HumanTask, PathwayInstance

from .. import clock
from ..children import register_child
from ..errors import EngineError, FormInvalid
from ..pathway import DEFAULT_PROCESS, complete_task
from ..sweep import sweep
from .rows import DEFAULT_NOTE, CheckedRow

PPMS = ("Hold the initial PPM", "Hold the review PPM")
CLA_REVIEWS = ("Hold the first CLA review", "Hold the second CLA review", "Hold the CLA review")
PANELS = ("Record the first Permanence Panel outcome", "Record the Permanence Panel review")
PANEL_ACTIONS = ("Record the panel actions",)
DISPUTE = ("Start dispute resolution: no permanence plan",)
HOUR = 9  # a recorded step happens at 09:00 London on its day


class ReplayFailed(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


class ChildTransaction:
    """A `Database` look-alike for one child: every `transaction()` the engine opens is a
    savepoint inside one outer transaction, which `close(commit)` ends."""

    def __init__(self, db):
        self.url, self.engine = db.url, db.engine
        self._connection = db.engine.connect()
        self._outer = self._connection.begin()

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def transaction(self):
        with Session(bind=self._connection, join_transaction_mode="create_savepoint",
                     expire_on_commit=False) as session, session.begin():
            yield session

    def reading(self, own: bool = False):
        """Reads see the child's writes so far: a savepoint of the one transaction too."""
        return self.transaction()

    def close(self, commit: bool) -> None:
        try:
            (self._outer.commit if commit else self._outer.rollback)()
        finally:
            self._connection.close()


@dataclass(order=True)
class Step:
    on: date
    order: int
    names: tuple = field(compare=False)
    column: str = field(compare=False)
    recorded_on: date | None = field(default=None, compare=False)  # the date the form records
    filler: bool = field(default=False, compare=False)  # a meeting between two the row names


@dataclass
class Series:
    """Meetings that recur (PPMs, CLA reviews, panels): the row names some; those between
    are taken as held on the day each fell due (README: what the import assumes)."""
    names: tuple
    column: str
    order: int
    named: list  # dates still to come, in order
    started: bool = False  # the first named is done: gaps after it are filled


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, HOUR, tzinfo=clock.LONDON)


def steps_and_series(row: CheckedRow) -> tuple[list[Step], list[Series]]:
    d = row.dates
    steps: list[Step] = []
    series: list[Series] = []

    def add(column, order, names, on=None):
        if column in d:
            steps.append(Step(max(on or d[column], d["looked_after_on"]), order, names, column, d[column]))

    ppms = sorted({d[c] for c in ("initial_ppm_on", "plan_on", "last_ppm_on") if c in d})
    for i, when in enumerate(ppms):
        column = "initial_ppm_on" if i == 0 else ("plan_on" if when == d.get("plan_on") else "last_ppm_on")
        steps.append(Step(when, 10, PPMS, column, when))
    series.append(Series(PPMS, "last_ppm_on", 10, ppms[:]))
    reviews = sorted({d[c] for c in ("first_cla_review_on", "last_cla_review_on") if c in d})
    for i, when in enumerate(reviews):
        steps.append(Step(when, 30, CLA_REVIEWS, "first_cla_review_on" if i == 0 else "last_cla_review_on", when))
    series.append(Series(CLA_REVIEWS, "last_cla_review_on", 30, reviews[:]))
    panels = sorted({d[c] for c in ("first_panel_on", "last_panel_on") if c in d})
    for i, when in enumerate(panels):
        column = "first_panel_on" if i == 0 and "first_panel_on" in d else "last_panel_on"
        steps.append(Step(when, 40, PANELS, column, when))
        steps.append(Step(when, 41, PANEL_ACTIONS, column, when))
    series.append(Series(PANELS, "last_panel_on", 40, panels[:]))
    add("proceedings_issued_on", 0, ("Record care proceedings issued",))
    add("fgc_on", 20, ("Hold a Family Group Conference",))
    add("cpr_sent_on", 50, ("Send the Child's Permanence Report to the ADM",))
    if "adm_decided_on" in d and "cpr_sent_on" not in d:
        steps.append(Step(d["adm_decided_on"], 50, ("Send the Child's Permanence Report to the ADM",),
                          "adm_decided_on", d["adm_decided_on"]))
    add("adm_decided_on", 51, ("Decide whether the child should be placed for adoption",))
    add("order_made_on", 60, ("Record the final hearing or an extension",))
    add("placement_authority_on", 70, ("Record the placement order or s19 consent",))
    add("matched_on", 80, ("Record the adoption match", "Propose the long-term fostering match"))
    add("placed_on", 90, ("Record the placement for adoption",))
    return sorted(steps), series


def answers(form: str | None, on: date, row: CheckedRow) -> dict:
    """The answers a task's form needs, from the row's dates and documented defaults."""
    iso, plan_on = on.isoformat(), row.dates.get("plan_on")
    identified = plan_on is not None and on >= plan_on
    t = row.text
    by_form = {
        "ppm.json": lambda: {
            "held_on": iso, "invited": ["fostering_team", "adoption_team", "family_and_friends_team", "iro", "childrens_guardian"],
            "wishes_and_feelings": "Not recorded before the service was used.", "child_consulted_how": "met_alone",
            "views_of_parents": "Not recorded before the service was used.", "advocacy_information_given": False,
            "parallel_plan_explained": True, "route_evidence": "As the council's tracker recorded it.",
            "previous_assessments": "As the council's tracker recorded it.", "race_equality": "As the council's tracker recorded it.",
            "resources_available": True,
            "higher_options_ruled_out": "As the council's tracker recorded it.", "chaired_by": "social_worker", "background": DEFAULT_NOTE,
            "options_and_outcomes": DEFAULT_NOTE, "reunification_discussed": True,
            "plan_identified": identified, "contingency_plan": t["contingency_plan"],
            **({"routes": row.routes} if identified else {})},
        "ppm-review.json": lambda: {"held_on": iso, "progress": DEFAULT_NOTE, "wishes_and_feelings": DEFAULT_NOTE,
                                    "change_of_plan_proposed": False},
        "cla-review.json": lambda: {"review_held_on": iso, "plan_identified": identified},
        "panel-outcome.json": lambda: {"panel_held_on": iso, "recommendation": DEFAULT_NOTE,
                                       "legal_advice_needed": False},
        "panel-actions.json": lambda: {"actions": []},
        "dispute-resolution.json": lambda: {"raised_on": iso, "raised_with": DEFAULT_NOTE},
        "fgc.json": lambda: {"fgc_held_on": iso, "fgc_outcome": t["fgc_outcome"]},
        "proceedings-issued.json": lambda: {"issued_on": iso},
        "proceedings-hearing.json": lambda: {"hearing_outcome": "final_order",
                                             "order_type": t["final_order"], "order_made_on": iso},
        "cpr.json": lambda: {"cpr_sent_on": iso, "ffa_considered": True, "summary": DEFAULT_NOTE},
        "adm-decision.json": lambda: {"adm_decided_on": iso, "adm_decision": "placed_for_adoption",
                                      "reasons": DEFAULT_NOTE},
        "adoption-authority.json": lambda: {"authority": t["placement_authority"], "authority_on": iso},
        # A tracker does not hold the siblings or contact considered at the match (E22): recorded
        # as no brothers or sisters to place, contact as imported (README, importing).
        "adoption-match.json": lambda: {"matched_on": iso, "adopters": t["matched_with"],
                                        "siblings_placement": "no_siblings", "contact_arrangements": DEFAULT_NOTE},
        # A tracker does not say how the carers came to the match (E24, E26): the matched
        # carers are taken as sought for the child, a council carer (README, importing).
        "ltf-match.json": lambda: {"match_proposed_on": iso, "carers": t["matched_with"],
                                   "carers_origin": "sought", "halton_option": "council_carer"},
        "adoption-placement.json": lambda: {"placed_on": iso},
    }
    if form not in by_form:
        raise KeyError(form)
    return by_form[form]()


def replay(db: ChildTransaction, row: CheckedRow, actor: str, process_id: str = DEFAULT_PROCESS) -> int:
    """Register the child at entry to care and replay their past up to now; the child's id."""
    end = clock.now()
    with clock.frozen_at(at(row.dates["looked_after_on"])):
        registered = register_child(db, row.details, actor, process_id, recording_history=True)
    if registered.outcome.error:
        raise ReplayFailed("looked_after_on", f"The pathway could not start: {registered.outcome.error}")
    instance_id = registered.outcome.instance_id
    steps, series = steps_and_series(row)
    current = at(row.dates["looked_after_on"])
    while steps:
        step = _next_filler(db, instance_id, series, steps[0] if steps else None)
        if step is None:
            step = steps.pop(0)
            for s in series:  # a named meeting is done: the next gap is up to the one after
                if step.names == s.names and s.named and s.named[0] == step.on:
                    s.named.pop(0)
                    s.started = True
        instant = max(current, at(step.on))
        if instant > end:
            instant = end
        _sweep_until(db, instance_id, instant)
        _complete(db, instance_id, step, instant, row, actor)
        current = instant
        reviews_to_come = any(s.names == CLA_REVIEWS and s.named for s in series)
        if step.names == CLA_REVIEWS and reviews_to_come and _open(db, instance_id, DISPUTE):
            # No plan at the second review: the later reviews the row lists show the IRO's
            # dispute resolution was started (that day), or they could not have been held.
            _complete(db, instance_id, Step(step.on, 31, DISPUTE, step.column, step.on),
                      instant, row, actor)
    _sweep_until(db, instance_id, end)
    return registered.child_id


def _open(db, instance_id: int, names: tuple) -> list[HumanTask]:
    with db.transaction() as session:
        return list(session.scalars(select(HumanTask).where(
            HumanTask.instance_id == instance_id, HumanTask.status == "open",
            HumanTask.name.in_(names)).order_by(HumanTask.due_on, HumanTask.id)))


def _next_filler(db, instance_id, series: list[Series], named: Step | None) -> Step | None:
    """A recurring meeting that fell due before the next one the row names: held that day."""
    best = None
    for s in series:
        if not (s.started and s.named):
            continue
        for task in _open(db, instance_id, s.names):
            if task.due_on and task.due_on < s.named[0]:
                candidate = Step(task.due_on, s.order, s.names, s.column, task.due_on, filler=True)
                if (named is None or candidate < named) and (best is None or candidate < best):
                    best = candidate
                break
    return best


def _complete(db, instance_id, step: Step, instant: datetime, row: CheckedRow, actor: str) -> None:
    tasks = _open(db, instance_id, step.names)
    if len({t.name for t in tasks}) > 1:
        tasks = [t for t in tasks if t.name == step.names[0]]
    if not tasks:
        with db.transaction() as session:
            open_now = sorted(session.scalars(select(HumanTask.name).where(
                HumanTask.instance_id == instance_id, HumanTask.status == "open")))
        raise ReplayFailed(step.column, (
            f"On {step.on:%-d %B %Y} the pathway had no '{' or '.join(step.names)}' to record "
            f"this date against; open then: {', '.join(open_now) or 'nothing'}"))
    task = tasks[0]
    with clock.frozen_at(instant):
        try:
            data = answers(task.form, step.recorded_on or step.on, row)
        except KeyError:
            raise ReplayFailed(step.column, f"'{task.name}' asks for answers the template does "
                                            f"not hold (form {task.form})") from None
        try:
            outcome = complete_task(db, task.task_id, data, actor, recording_history=True)
        except FormInvalid as exc:
            detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.errors.items())
            raise ReplayFailed(step.column, f"'{task.name}' refused the row's answers: {detail}") from None
        except EngineError as exc:
            raise ReplayFailed(step.column, f"'{task.name}' could not be recorded: {exc}") from None
    if outcome.error:
        raise ReplayFailed(step.column, f"The pathway failed at '{task.name}': {outcome.error}")
    if step.filler and step.names == PANELS:  # a panel between two named: its actions, none
        _complete(db, instance_id, Step(step.on, 41, PANEL_ACTIONS, step.column, step.on),
                  instant, row, actor)


def _sweep_until(db, instance_id: int, until: datetime) -> None:
    """Fire the child's timers at the instants they came due, up to `until`."""
    last_due, retried = None, False
    while True:
        with db.transaction() as session:
            instance = session.get(PathwayInstance, instance_id)
            due, status, message = instance.next_due_at, instance.status, instance.error_message
        if status == "error":
            raise ReplayFailed("looked_after_on", f"The pathway stopped in error: {message}")
        if status != "active" or due is None or due > until:
            return
        instant = due
        if due == last_due:  # nothing fired at that instant: once more, a minute on
            if retried:
                raise ReplayFailed("looked_after_on", f"A timer due at {due.isoformat()} does not fire")
            instant, retried = min(due + timedelta(minutes=1), until), True
        else:
            retried = False
        report = sweep(db, now=instant, instance_id=instance_id)
        if report.errors:
            raise ReplayFailed("looked_after_on", f"A timer failed: {report.errors[0][1]}")
        last_due = due
