"""Rehearsing a draft: a sample child on the parsed diagrams, steps replayed from the start each
time with the clock frozen at each step, nothing stored anywhere.

The sample child became looked after on Monday 16 February 2026 (workflows.dry_run.CASE:
14 days before the sample "today", 2 March), so the initial PPM is due 10 working days later,
on Monday 2 March (R7), and its clock is overdue from 00:00 London on Tuesday 3 March."""
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from engine import clock
from engine.authoring import (
    SampleChild, Step, StepRefused, completing, later, rehearse, sample_answers, take_step,
    to_next_timer,
)
from workflows.diagrams import DiagramBundle, load_directory, parse_bundle

from ..conftest import DEMO_DIAGRAMS, DIAGRAMS

FRAGILE = Path(__file__).parent / "diagrams" / "fragile"


@pytest.fixture(scope="module")
def pathway():
    return parse_bundle(load_directory(DIAGRAMS, "permanence_pathway"))


@pytest.fixture(scope="module")
def demo():
    return parse_bundle(load_directory(DEMO_DIAGRAMS, "demo_pathway"))


def _task(rehearsal, bpmn_id):
    [task] = [t for t in rehearsal.open_tasks if t.bpmn_id == bpmn_id]
    return task


def _clock(rehearsal, bpmn_id):
    [row] = [c for c in rehearsal.clocks if c.bpmn_id == bpmn_id]
    return row


def test_the_pathway_starts_with_the_initial_ppm_due_in_ten_working_days(pathway):
    start = rehearse(pathway, SampleChild(), [])
    assert start.child.looked_after_on == date(2026, 2, 16)
    assert start.now == datetime(2026, 2, 16, 9, tzinfo=timezone.utc)
    ppm = _task(start, "initial_ppm")
    assert (ppm.name, ppm.lane, ppm.due_on, ppm.rule, ppm.process, ppm.stage, ppm.form) == (
        "Hold the initial PPM", "Social Worker", date(2026, 3, 2), "R7", "permanency_planning",
        "Initial PPM", "ppm.json")
    assert ppm.due_reason == "10 working days after becoming looked after on 16 February 2026"
    assert ppm.key == "initial_ppm#0"
    deadline = _clock(start, "initial_ppm_deadline")
    assert (deadline.rule, deadline.due_on, deadline.status) == ("R7", date(2026, 3, 2), "running")
    assert "Opened 'Hold the initial PPM' for the Social Worker, due 2 March 2026 (R7)" in [h.text for h in start.log]
    assert start.next_timer == datetime(2026, 3, 3, 0, 0, tzinfo=timezone.utc)
    assert not start.finished and start.stopped is None


def test_the_looked_after_date_moves_every_deadline(pathway):
    start = rehearse(pathway, SampleChild(looked_after_on=date(2026, 3, 2)), [])
    assert _task(start, "initial_ppm").due_on == date(2026, 3, 16)
    assert _task(start, "first_review").due_on == date(2026, 3, 30)   # R1: 20 working days


def test_completing_the_initial_ppm_meets_its_clock_and_opens_the_review(pathway):
    start = rehearse(pathway, SampleChild(), [])
    answers = sample_answers(pathway, start, "initial_ppm#0")
    assert answers["held_on"] == "2026-02-16"      # the sample "today" is the rehearsal's
    after = take_step(pathway, start.child, start.steps, completing(start, "initial_ppm#0", answers))
    assert "initial_ppm" not in {t.bpmn_id for t in after.open_tasks}
    assert _clock(after, "initial_ppm_deadline").status == "met"
    assert _clock(after, "initial_ppm_deadline").met_on == date(2026, 2, 16)
    assert "'Hold the initial PPM' was completed" in [h.text for h in after.log]
    assert len(after.steps) == 1


def test_moving_the_clock_past_a_deadline_fires_its_escalation(pathway):
    start = rehearse(pathway, SampleChild(), [])
    after = take_step(pathway, start.child, start.steps, to_next_timer(start))
    assert after.now == datetime(2026, 3, 3, 0, 1, tzinfo=timezone.utc)
    assert _clock(after, "initial_ppm_deadline").status == "missed"
    escalation = _task(after, "initial_ppm_escalation")
    assert (escalation.lane, escalation.rule, escalation.due_on) == ("Team Manager", "R7", date(2026, 3, 5))
    texts = [h.text for h in after.log]
    assert "Timer fired: Hold the initial PPM: deadline" in texts
    assert _task(after, "initial_ppm").due_on == date(2026, 3, 2)   # still open, still due then


def test_steps_replay_to_the_same_rehearsal(pathway):
    start = rehearse(pathway, SampleChild(), [])
    one = take_step(pathway, start.child, start.steps,
                    completing(start, "initial_ppm#0", sample_answers(pathway, start, "initial_ppm#0")))
    two = take_step(pathway, one.child, one.steps, later(one, 60))
    as_json = [s.to_json() for s in two.steps]
    again = rehearse(pathway, SampleChild(), [Step.from_json(s) for s in as_json])
    assert [t.key for t in again.open_tasks] == [t.key for t in two.open_tasks]
    assert [(c.bpmn_id, c.status) for c in again.clocks] == [(c.bpmn_id, c.status) for c in two.clocks]
    assert [h.text for h in again.log] == [h.text for h in two.log]
    assert again.now == two.now == datetime(2026, 4, 17, 8, tzinfo=timezone.utc)   # 09:00 BST


def test_answers_that_fail_the_form_are_refused_with_the_fields_errors(demo):
    start = rehearse(demo, SampleChild(), [])
    with pytest.raises(StepRefused) as refused:
        take_step(demo, start.child, start.steps,
                  completing(start, "record_initial_ppm#0", {"held_on": "2026-03-20", "plan": "adoption"}))
    assert refused.value.errors["held_on"] == ["Date the meeting was held must be today or in the past"]
    assert "contingency_plan" in refused.value.errors


def test_a_step_that_cannot_be_taken_is_refused(demo):
    start = rehearse(demo, SampleChild(), [])
    with pytest.raises(StepRefused, match="no open task 'record_review_ppm'"):
        take_step(demo, start.child, start.steps, Step(start.now, "record_review_ppm", 0, {}))
    with pytest.raises(StepRefused, match="backwards"):
        take_step(demo, start.child, start.steps, Step(datetime(2026, 1, 1, tzinfo=timezone.utc)))


def test_steps_the_draft_no_longer_has_end_the_replay_and_say_so(demo):
    start = rehearse(demo, SampleChild(), [])
    answers = sample_answers(demo, start, "record_initial_ppm#0")
    steps = [completing(start, "record_initial_ppm#0", answers)]
    bundle = load_directory(DEMO_DIAGRAMS, "demo_pathway")
    renamed = DiagramBundle("demo_pathway", {"demo_pathway.bpmn": bundle.bpmn_files["demo_pathway.bpmn"]
                                             .replace("record_initial_ppm", "record_first_ppm")}, bundle.form_files)
    replayed = rehearse(parse_bundle(renamed), SampleChild(), steps)
    assert replayed.steps == []
    assert replayed.replay_problem.startswith("Step 1 could not be taken again")
    assert "record_initial_ppm" in replayed.replay_problem
    assert [t.bpmn_id for t in replayed.open_tasks] == ["record_first_ppm"]


def test_a_failing_script_stops_the_rehearsal_as_it_would_stop_a_pathway():
    fragile = parse_bundle(load_directory(FRAGILE, "fragile"))
    start = rehearse(fragile, SampleChild(legal_status="s20"), [])
    stopped = take_step(fragile, start.child, start.steps, to_next_timer(start))
    assert "Work out the ratio (divide)" in stopped.stopped and "division by zero" in stopped.stopped
    with pytest.raises(StepRefused, match="stopped"):
        take_step(fragile, stopped.child, stopped.steps, later(stopped, 1))


def test_scripts_run_only_in_the_restricted_engine(demo):
    bundle = load_directory(DEMO_DIAGRAMS, "demo_pathway")
    xml = bundle.bpmn_files["demo_pathway.bpmn"].replace(
        '<bpmn:sequenceFlow id="flow_to_plan" sourceRef="record_initial_ppm" targetRef="plan_gateway" />',
        '<bpmn:sequenceFlow id="flow_to_plan" sourceRef="record_initial_ppm" targetRef="sneaky" />'
        '<bpmn:scriptTask id="sneaky" name="Sneaky"><bpmn:script>secret = open("/etc/passwd").read()</bpmn:script>'
        '</bpmn:scriptTask><bpmn:sequenceFlow id="flow_sneaky" sourceRef="sneaky" targetRef="plan_gateway" />')
    parsed = parse_bundle(DiagramBundle("demo_pathway", {"demo_pathway.bpmn": xml}, bundle.form_files))
    start = rehearse(parsed, SampleChild(), [])
    after = take_step(parsed, start.child, start.steps, completing(
        start, "record_initial_ppm#0", sample_answers(parsed, start, "record_initial_ppm#0")))
    assert "Sneaky (sneaky)" in after.stopped and "'open' is not available" in after.stopped


def test_a_rehearsal_leaves_the_clock_as_it_found_it(demo):
    before = clock.now()
    start = rehearse(demo, SampleChild(), [])
    take_step(demo, start.child, start.steps, later(start, 30))
    assert clock.now() == before == datetime(2026, 3, 2, 9, tzinfo=timezone.utc)


@pytest.mark.parametrize("bad", [
    "not a step", {"at": "2026-03-02T09:00:00"}, {"at": "yesterday"},
    {"at": "2026-03-02T09:00:00+00:00", "task": 5}, {"at": "2026-03-02T09:00:00+00:00", "nth": -1},
    {"at": "2026-03-02T09:00:00+00:00", "task": "x", "answers": []},
])
def test_a_step_from_the_page_is_checked(bad):
    with pytest.raises(ValueError):
        Step.from_json(bad)
