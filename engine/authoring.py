"""Rehearsing a draft diagram before it is published: a process owner starts a pathway for a
sample child on the draft, completes tasks, moves the clock on and sees what opens, when it
is due, under which rule, and which escalations fire.

Nothing is kept between requests: a rehearsal is the sample child's case data plus the list
of steps taken (complete this task with these answers, move the clock to then), replayed from
the start every time on the parsed draft, with the engine's restricted script engine and the
application clock frozen at each step's instant. The same steps on the same draft always give
the same rehearsal, so the steps can live in the page.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from SpiffWorkflow.util.task import TaskState

from workflows.calendar import LONDON, as_date
from workflows.diagrams import ParsedDiagram
from workflows.dry_run import CASE
from workflows.form_fields import FormDefinitionError
from workflows.properties import element_properties

from . import clock
from .pathway import describe_error
from .projections import due_reason, next_timer_due, render_instructions
from .statutory_clocks import fire_date, how_met, statutory_clocks
from .runtime import advance, new_workflow, waiting_timers
from .specs import LoadedVersion

MAX_STEPS = 300
#: How far the clock may be moved: a pathway can run until the child leaves care at 21.
HORIZON = timedelta(days=366 * 22)


class StepRefused(Exception):
    """A step that cannot be taken: the task is not open, the answers fail its form (`errors`
    by field, as the task page shows them), or the clock would go backwards."""

    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(message)
        self.errors = errors or {}


@dataclass(frozen=True)
class SampleChild:
    """The case data every pathway starts with (`workflows.dry_run.CASE`), with the date the
    child became looked after and the legal status chosen by the process owner."""
    looked_after_on: date = CASE["looked_after_on"]
    legal_status: str = CASE["legal_status"]

    def case_data(self) -> dict:
        return {**CASE, "looked_after_on": self.looked_after_on, "legal_status": self.legal_status}

    @property
    def starts_at(self) -> datetime:
        """09:00 in London on the day the child became looked after."""
        return datetime.combine(self.looked_after_on, time(9), LONDON).astimezone(timezone.utc)


@dataclass(frozen=True)
class Step:
    """Complete the `nth` open task with BPMN id `task` with `answers`, or (task None) move the
    clock to `at`."""
    at: datetime
    task: str | None = None
    nth: int = 0
    answers: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {"at": self.at.isoformat()}
        if self.task is not None:
            out.update(task=self.task, nth=self.nth, answers=self.answers)
        return out

    @classmethod
    def from_json(cls, obj) -> "Step":
        """A step from the page; anything malformed is a ValueError (the page is not trusted)."""
        if not isinstance(obj, dict):
            raise ValueError("a step must be an object")
        at = datetime.fromisoformat(str(obj.get("at")))
        if at.tzinfo is None:
            raise ValueError("a step's time needs its offset")
        task, nth, answers = obj.get("task"), obj.get("nth", 0), obj.get("answers", {})
        if task is not None and not isinstance(task, str):
            raise ValueError("a step's task must be a BPMN id")
        if not isinstance(nth, int) or isinstance(nth, bool) or not 0 <= nth < 1000:
            raise ValueError("a step's nth must be a small whole number")
        if not isinstance(answers, dict):
            raise ValueError("a step's answers must be an object")
        return cls(at.astimezone(timezone.utc), task, nth, answers)


@dataclass(frozen=True)
class RehearsedTask:
    key: str            # "bpmn_id#nth": which open task a step means, stable across replays
    bpmn_id: str
    nth: int
    name: str
    process: str
    lane: str
    form: str | None
    due_on: date | None
    due_error: str | None
    rule: str | None
    due_reason: str | None
    stage: str
    instructions: str
    data: dict          # the task's data: what a form's rules read beside the answers


@dataclass
class RehearsedClock:
    """A statutory clock (a timer event with a `rule`), as the child page shows deadlines."""
    label: str
    bpmn_id: str
    rule: str
    due_on: date | None
    status: str = "running"   # running, met, late, missed, cancelled
    met_on: date | None = None


@dataclass(frozen=True)
class Happening:
    at: datetime
    text: str


@dataclass
class Rehearsal:
    child: SampleChild
    steps: list[Step]
    now: datetime
    open_tasks: list[RehearsedTask]
    clocks: list[RehearsedClock]
    log: list[Happening]
    finished: bool
    next_timer: datetime | None
    stopped: str | None = None        # the pathway stopped with this problem
    replay_problem: str | None = None  # steps from the page that no longer replay

    def task(self, key: str) -> RehearsedTask | None:
        return next((t for t in self.open_tasks if t.key == key), None)


def rehearse(parsed: ParsedDiagram, child: SampleChild, steps: list[Step]) -> Rehearsal:
    """Replay `steps` from the start; a step that no longer replays (the draft changed) ends
    the replay there, and says why."""
    run = _Run(parsed, child)
    for number, step in enumerate(steps[:MAX_STEPS], start=1):
        if run.stopped:
            break
        try:
            run.take(step)
        except StepRefused as exc:
            run.replay_problem = f"Step {number} could not be taken again, so the rehearsal stops before it: {exc}"
            break
    return run.result()


def take_step(parsed: ParsedDiagram, child: SampleChild, steps: list[Step], step: Step) -> Rehearsal:
    """The rehearsal after `steps` and then `step`; StepRefused if `step` cannot be taken."""
    if len(steps) >= MAX_STEPS:
        raise StepRefused(f"A rehearsal has at most {MAX_STEPS} steps: start again")
    run = _Run(parsed, child)
    for number, earlier in enumerate(steps, start=1):
        try:
            run.take(earlier)
        except StepRefused as exc:
            raise StepRefused(f"step {number} could not be taken again: {exc}") from None
    if run.stopped:
        raise StepRefused(f"the pathway has stopped: {run.stopped}")
    run.take(step)
    return run.result()


def sample_answers(parsed: ParsedDiagram, rehearsal: Rehearsal, key: str) -> dict:
    """The open task's form's sample answers on the rehearsal's day, as JSON the page keeps
    (the same answers the publishing checks try expressions with)."""
    task = rehearsal.task(key)
    form = parsed.forms.get(task.form or "") if task else None
    today = rehearsal.now.astimezone(LONDON).date()
    return _jsonable(form.sample_data(today)) if form else {}


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


class _Run:
    """One replay: the workflow, the clock, and what has been seen so far."""

    def __init__(self, parsed: ParsedDiagram, child: SampleChild):
        self.parsed, self.child = parsed, child
        self.now = child.starts_at
        self.steps: list[Step] = []
        self.log: list[Happening] = []
        self.due: dict = {}        # task id -> (due_on, due_error), worked out when it opened
        self.clocks: dict = {}     # timer task id -> RehearsedClock
        self.stopped = self.replay_problem = None
        loaded = LoadedVersion(0, parsed.spec.name, 0, parsed.spec, parsed.subprocess_specs, parsed.forms)
        with clock.frozen_at(self.now):
            self.workflow = new_workflow(loaded, child.case_data())
            self._act(advance, "The pathway started for the sample child")

    def take(self, step: Step) -> None:
        if step.at < self.now:
            raise StepRefused("the clock cannot go backwards")
        if step.at > self.child.starts_at + HORIZON:
            raise StepRefused("the clock cannot go more than 22 years past the start")
        with clock.frozen_at(step.at):
            if step.task is None:
                self.now = step.at
                self._act(advance, f"The clock moved to {_when(step.at)}")
            else:
                task = self._open_task(step.task, step.nth)
                clean = self._checked_answers(task, step.answers)
                name = task.task_spec.bpmn_name or task.task_spec.bpmn_id
                self.now = step.at

                def complete(workflow):
                    task.set_data(**clean)
                    task.run()
                    advance(workflow)
                self._act(complete, f"'{name}' was completed")
        self.steps.append(step)

    def _open_task(self, bpmn_id: str, nth: int):
        same = [t for t in self._ready() if t.task_spec.bpmn_id == bpmn_id]
        if nth >= len(same):
            raise StepRefused(f"there is no open task '{bpmn_id}' to complete")
        return same[nth]

    def _checked_answers(self, task, answers: dict) -> dict:
        form_name = element_properties(task.task_spec).form
        if not form_name:
            return {}
        form = self.parsed.forms.get(form_name)
        if form is None:
            raise StepRefused(f"the form '{form_name}' is not in the draft")
        try:
            clean, errors = form.validate(answers, today=clock.today(), context=task.data)
        except FormDefinitionError as exc:
            raise StepRefused(f"the form is wrong: {exc}") from exc
        if errors:
            raise StepRefused(f"the answers do not pass the form {form_name}", errors)
        return clean

    def _ready(self) -> list:
        return self.workflow.get_tasks(state=TaskState.READY, manual=True)

    def _act(self, action, description: str) -> None:
        """Run `action` and log what it led to: timers fired, tasks opened, the end."""
        before = {t.id for t in self._ready()}
        waiting = waiting_timers(self.workflow)
        try:
            action(self.workflow)
        except Exception as exc:  # raised from inside the diagram, as the engine would meet it
            self.stopped = describe_error(exc)
        texts = [description]
        texts += [f"Timer fired: {t.task_spec.bpmn_name or t.task_spec.bpmn_id}"
                  for t in waiting if t.has_state(TaskState.COMPLETED)]
        for task in self._ready():
            if task.id not in before:
                texts.append(self._opened(task))
        self._watch_clocks()
        if self.workflow.is_completed():
            texts.append("The pathway is complete")
        if self.stopped:
            texts.append(f"The pathway stopped with a problem: {self.stopped}")
        self.log += [Happening(self.now, text) for text in texts]

    def _opened(self, task) -> str:
        props = element_properties(task.task_spec)
        due_on, due_error = None, None
        if props.due_date:
            try:
                due_on = as_date(self.workflow.script_engine.evaluate(task, props.due_date))
            except Exception as exc:  # shown beside the task, as the inbox would show it
                due_error = f"The due date could not be worked out ({props.due_date}): {exc}"
        self.due[task.id] = (due_on, due_error)
        due = f", due {_day(due_on)}" if due_on else ""
        rule = f" ({props.rule})" if props.rule else ""
        name = task.task_spec.bpmn_name or task.task_spec.bpmn_id
        return f"Opened '{name}' for the {task.task_spec.lane or 'no lane'}{due}{rule}"

    def _watch_clocks(self) -> None:
        """Statutory clocks as the projections keep them: running while waiting, missed when
        fired, met when the work they guard was done first."""
        for found in statutory_clocks(self.workflow.get_tasks()):
            row = self.clocks.get(found.key)
            if row is None:
                if found.status != "waiting":
                    continue  # over before it was ever seen running
                row = self.clocks[found.key] = RehearsedClock(
                    found.spec.bpmn_name or found.spec.bpmn_id, found.spec.bpmn_id,
                    found.props.rule, self._clock_due(found))
            if row.status != "running" or found.status == "waiting":
                continue
            if found.status == "fired":
                row.status = "missed"
            else:
                row.status, row.met_on = how_met(found)
                if row.status == "met" and row.met_on and row.due_on and row.met_on > row.due_on:
                    row.status = "late"

    def _clock_due(self, found) -> date | None:
        if found.props.due_date:
            try:
                return as_date(self.workflow.script_engine.evaluate(found.task, found.props.due_date))
            except Exception:
                pass
        return fire_date(found.task)

    def result(self) -> Rehearsal:
        return Rehearsal(self.child, list(self.steps), self.now, self._open_tasks(),
                         list(self.clocks.values()), list(self.log), self.workflow.is_completed(),
                         next_timer_due(self.workflow), self.stopped, self.replay_problem)

    def _open_tasks(self) -> list[RehearsedTask]:
        seen: dict[str, int] = {}
        tasks = []
        for task in self._ready():
            spec, props = task.task_spec, element_properties(task.task_spec)
            nth = seen[spec.bpmn_id] = seen.get(spec.bpmn_id, -1) + 1
            due_on, due_error = self.due.get(task.id, (None, None))
            tasks.append(RehearsedTask(
                f"{spec.bpmn_id}#{nth}", spec.bpmn_id, nth, spec.bpmn_name or spec.bpmn_id,
                task.workflow.spec.name, spec.lane or "", props.form, due_on, due_error, props.rule,
                due_reason(spec, task.data) if due_on else None, props.stage or "",
                render_instructions(props.instructions, task.data), dict(task.data)))
        return tasks


def later(rehearsal: Rehearsal, days: int) -> Step:
    """A step moving the clock on by whole days (to 09:00 London on that day)."""
    day = rehearsal.now.astimezone(LONDON).date() + timedelta(days=days)
    return Step(datetime.combine(day, time(9), LONDON).astimezone(timezone.utc))


def to_next_timer(rehearsal: Rehearsal) -> Step | None:
    """A step moving the clock to a minute after the next timer is due (a timer fires once
    its time has passed, as the timer worker sweeping each minute would find it), or None."""
    if rehearsal.next_timer is None:
        return None
    return Step(max(rehearsal.next_timer + timedelta(minutes=1), rehearsal.now).astimezone(timezone.utc))


def completing(rehearsal: Rehearsal, key: str, answers: dict) -> Step:
    task = rehearsal.task(key)
    if task is None:
        raise StepRefused("that task is no longer open")
    return Step(rehearsal.now, task.bpmn_id, task.nth, answers)


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _when(instant: datetime) -> str:
    local = instant.astimezone(LONDON)
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"
