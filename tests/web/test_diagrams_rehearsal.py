"""Rehearsing a draft in the browser: a sample child who became looked after on Monday 16
February 2026, tasks completed with sample or typed answers, the clock moved on to see
escalations fire; everything carried by the page and replayed on each request."""
import json
import re
from html import unescape

from .conftest import page_text
from .diagrams.support import (  # noqa: F401  (fixtures)
    diagram_app, draft_from_files, edit_demo, new_draft, po,
)
from ..conftest import DIAGRAMS


def _state(response) -> dict:
    """The hidden fields that carry the rehearsal, as the page would post them back."""
    html = response.get_data(as_text=True)
    fields = dict(re.findall(r'<input type="hidden" name="(rehearsal-(?:steps|child))" value="([^"]*)"', html))
    return {name: unescape(value) for name, value in fields.items()}


def _act(client, draft, previous, action, **fields):
    return client.post(f"/diagrams/drafts/{draft}/rehearsal",
                       data={**_state(previous), "rehearsal-action": action, **fields})


def _task_row(response, key) -> str:
    html = response.get_data(as_text=True)
    match = re.search(rf'<tr class="govuk-table__row" data-task="{re.escape(key)}">(.*?)</tr>', html, re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", match.group(1)))).strip() if match else ""


def test_a_rehearsal_starts_with_the_first_task_due_and_its_clock_running(po):
    draft = new_draft(po)
    page = po.get(f"/diagrams/drafts/{draft}/rehearsal")
    text = page_text(page)
    assert "Clock: 16 February 2026 at 9am" in text
    row = _task_row(page, "record_initial_ppm#0")
    assert row.startswith("Record initial PPM demo_pathway · Initial PPM · initial-ppm.json Social Worker Mon 2 Mar 2026")
    assert "(R7)" in row
    assert "Initial PPM deadline R7" in text and "Running" in text
    assert json.loads(_state(page)["rehearsal-steps"]) == []
    assert "Opened 'Record initial PPM' for the Social Worker, due 2 March 2026 (R7)" in text


def test_the_real_pathway_rehearses_from_a_draft_of_its_files(po):
    names = [p.name for p in sorted(DIAGRAMS.iterdir()) if p.suffix in (".bpmn", ".json")]
    draft = draft_from_files(po, *names, folder=DIAGRAMS)
    po.post(f"/diagrams/drafts/{draft}/process", data={"process_id": "permanence_pathway"})
    page = po.get(f"/diagrams/drafts/{draft}/rehearsal")
    row = _task_row(page, "initial_ppm#0")
    assert row.startswith("Hold the initial PPM permanency_planning · Initial PPM · ppm.json Social Worker Mon 2 Mar 2026")
    assert "10 working days after becoming looked after on 16 February 2026 (R7)" in row


def test_completing_with_sample_answers_opens_what_comes_next(po):
    draft = new_draft(po)
    start = po.get(f"/diagrams/drafts/{draft}/rehearsal")
    done = _act(po, draft, start, "sample:record_initial_ppm#0")
    assert done.status_code == 200
    text = page_text(done)
    assert "'Record initial PPM' was completed" in text
    assert _task_row(done, "record_initial_ppm#0") == ""
    assert _task_row(done, "confirm_reunification#0").startswith("Confirm reunification support plan")  # sample plan
    assert "Team Manager Mon 30 Mar 2026" in _task_row(done, "confirm_reunification#0")  # 6 weeks after held on
    assert "Met on 16 February 2026" in text
    [step] = json.loads(_state(done)["rehearsal-steps"])
    assert step["task"] == "record_initial_ppm" and step["answers"]["plan"] == "reunification"


def test_nothing_is_kept_on_the_server_the_page_carries_the_steps(po):
    draft = new_draft(po)
    done = _act(po, draft, po.get(f"/diagrams/drafts/{draft}/rehearsal"), "sample:record_initial_ppm#0")
    shown = _act(po, draft, done, "show")
    assert _task_row(shown, "confirm_reunification#0") == _task_row(done, "confirm_reunification#0")
    fresh = po.get(f"/diagrams/drafts/{draft}/rehearsal")    # without the page's steps: the start again
    assert _task_row(fresh, "record_initial_ppm#0") and not _task_row(fresh, "confirm_reunification#0")


def test_typed_answers_go_through_the_form_as_the_task_page_renders_it(po):
    draft = new_draft(po)
    start = po.get(f"/diagrams/drafts/{draft}/rehearsal")
    filling = _act(po, draft, start, "fill:record_initial_ppm#0")
    html = filling.get_data(as_text=True)
    assert 'id="rehearsal-form"' in html and 'name="held_on-day" type="text" value="16"' in html   # sample answers
    typed = {"rehearsal-filling": "record_initial_ppm#0", "held_on-day": "20", "held_on-month": "3",
             "held_on-year": "2026", "plan": "adoption", "contingency_plan": ""}
    wrong = _act(po, draft, filling, "complete:record_initial_ppm#0", **typed)
    assert wrong.status_code == 400
    text = page_text(wrong)
    assert "There is a problem" in text and "Date the meeting was held must be today or in the past" in text
    assert "Enter the contingency plan" in text
    assert 'value="adoption" checked' in wrong.get_data(as_text=True)        # what was typed is kept
    right = _act(po, draft, wrong, "complete:record_initial_ppm#0",
                 **{**typed, "held_on-day": "16", "held_on-month": "2", "contingency_plan": "Fostering"})
    assert right.status_code == 200
    assert "review-ppm.json Social Worker Mon 30 Mar 2026" in _task_row(right, "record_review_ppm#0")


def test_moving_the_clock_fires_the_escalation_and_misses_the_deadline(po):
    draft = new_draft(po)
    start = po.get(f"/diagrams/drafts/{draft}/rehearsal")
    assert "Move to the next timer: 3 March 2026 at midnight" in page_text(start)
    later = _act(po, draft, start, "later", **{"rehearsal-days": "20"})
    text = page_text(later)
    assert "Clock: 8 March 2026 at 9am" in text
    assert "Timer fired: Initial PPM deadline" in text and "Missed" in text
    chase = _task_row(later, "chase_initial_ppm#0")
    assert chase.startswith("Chase overdue initial PPM") and "Team Manager Thu 5 Mar 2026" in chase
    assert "Overdue" in chase                                            # as at the rehearsal's clock
    timer = _act(po, draft, start, "timer")
    assert "Clock: 3 March 2026 at 12:01am" in page_text(timer)
    assert _task_row(timer, "chase_initial_ppm#0")


def test_undo_and_start_again(po):
    draft = new_draft(po)
    start = po.get(f"/diagrams/drafts/{draft}/rehearsal")
    later = _act(po, draft, start, "later", **{"rehearsal-days": "20"})
    undone = _act(po, draft, later, "undo")
    assert "Clock: 16 February 2026 at 9am" in page_text(undone) and not _task_row(undone, "chase_initial_ppm#0")
    again = _act(po, draft, later, "start", **{"setup-looked_after_on-day": "2", "setup-looked_after_on-month": "3",
                                               "setup-looked_after_on-year": "2026", "setup-legal_status": "s20"})
    text = page_text(again)
    assert "became looked after on 2 March 2026 (Accommodated under section 20)" in text
    assert "Mon 16 Mar 2026" in _task_row(again, "record_initial_ppm#0")
    bad = _act(po, draft, later, "start", **{"setup-looked_after_on-day": "31", "setup-looked_after_on-month": "2",
                                             "setup-looked_after_on-year": "2026"})
    assert "Enter the date the sample child became looked after as a real date" in page_text(bad)


def test_a_rehearsal_the_page_cannot_carry_back_starts_again(po):
    draft = new_draft(po)
    for steps in ['[{"at": "not a time"}]', "{]", '[{"at": "2026-03-02T09:00:00+00:00", "task": 1}]']:
        response = po.post(f"/diagrams/drafts/{draft}/rehearsal",
                           data={"rehearsal-steps": steps, "rehearsal-child": "{}", "rehearsal-action": "later"})
        assert response.status_code == 400
        assert "could not be read back, so it has started again" in page_text(response)


def test_steps_the_changed_draft_no_longer_has_are_dropped_with_a_reason(po):
    draft = new_draft(po)
    done = _act(po, draft, po.get(f"/diagrams/drafts/{draft}/rehearsal"), "sample:record_initial_ppm#0")
    edit_demo(po, draft, *[("record_initial_ppm", "record_first_ppm")] )
    replayed = _act(po, draft, done, "show")
    assert "Step 1 could not be taken again" in page_text(replayed)
    assert _task_row(replayed, "record_first_ppm#0")


def test_a_draft_that_does_not_parse_cannot_be_rehearsed(po):
    draft = new_draft(po)
    po.post(f"/diagrams/drafts/{draft}/process", data={"process_id": "no_such_process"})
    response = po.get(f"/diagrams/drafts/{draft}/rehearsal")
    assert response.status_code == 400 and "cannot be rehearsed until its diagrams can be read" in page_text(response)
