"""The task page: the child, the instructions and the form; errors shown beside their
fields with everything typed kept; a completed task (after checking the answers: see
test_check_answers.py) named with a link to what opens next; lists of
objects whose rows are added and removed without JavaScript."""
import re
from pathlib import Path

import pytest

from engine import complete_task, open_tasks, publish, register_child
from workflows.diagrams import load_directory

from ..conftest import child_details
from .conftest import page_text, sign_in

PANEL = Path(__file__).parent / "diagrams" / "panel_actions"
PPM = {"held_on-day": "2", "held_on-month": "3", "held_on-year": "2026", "plan": "adoption",
       "contingency_plan": "Long-term fostering", "background": "Known to the service since 2024"}


@pytest.fixture
def ppm_task(staff):
    child = register_child(staff, child_details(), "sw", process_id="demo_pathway")
    [task] = open_tasks(staff, child_id=child.child_id)
    return task


def test_the_page_shows_the_child_the_due_date_and_its_reason_and_the_form(client, ppm_task):
    sign_in(client, "sw")
    response = client.get(f"/tasks/{ppm_task['task_id']}")
    assert response.status_code == 200
    text = page_text(response)
    assert "Alex Example (C-001) Record initial PPM" in text
    assert "Date of birth 4 May 2019" in text
    assert "Legal status Interim care order" in text
    assert "Due Mon 16 Mar 2026" in text
    assert "Initial Permanency Planning Meeting within 10 working days of becoming looked after (R7)" in text
    assert "Hold the initial Permanency Planning Meeting for Alex Example and record it here." in text
    html = response.get_data(as_text=True)
    for name in ("held_on-day", "held_on-month", "held_on-year", "background", "contingency_plan"):
        assert f'name="{name}"' in html
    assert html.count('name="plan"') == 5  # radios: one per option
    assert "Background (optional)" in text and "Contingency plan (optional)" not in text


def test_a_wrong_answer_comes_back_beside_its_field_with_everything_typed_kept(client, ppm_task):
    sign_in(client, "sw")
    answers = {**PPM, "held_on-day": "20", "contingency_plan": ""}  # 20 March: in the future
    response = client.post(f"/tasks/{ppm_task['task_id']}", data=answers)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert '<a href="#held_on-day">Date the meeting was held must be today or in the past</a>' in html
    assert '<a href="#contingency_plan">Enter the contingency plan</a>' in html
    assert re.search(r'id="held_on-error"[^>]*>\s*<span class="govuk-visually-hidden">Error:</span> '
                     r'Date the meeting was held must be today or in the past', html)
    assert 'id="held_on-day" name="held_on-day" type="text" value="20"' in html
    assert 'id="held_on-year" name="held_on-year" type="text" value="2026"' in html
    assert re.search(r'value="adoption" checked', html)
    assert "Known to the service since 2024</textarea>" in html
    assert page_text(response).startswith("Error: Record initial PPM for Alex Example")
    assert open_tasks(client.application.extensions["permanence.db"],
                      child_id=ppm_task["child_id"])[0]["task_id"] == ppm_task["task_id"]


def test_a_date_missing_a_part_marks_that_part(client, ppm_task):
    sign_in(client, "sw")
    response = client.post(f"/tasks/{ppm_task['task_id']}", data={**PPM, "held_on-month": ""})
    html = response.get_data(as_text=True)
    assert '<a href="#held_on-month">Date the meeting was held must include a month</a>' in html
    assert re.search(r'class="govuk-input govuk-date-input__input govuk-input--width-2 '
                     r'govuk-input--error" id="held_on-month"', html)
    assert not re.search(r'govuk-input--error" id="held_on-day"', html)


def test_completing_the_task_names_and_links_what_opens_next(client, staff, ppm_task):
    sign_in(client, "sw")
    response = client.post(f"/tasks/{ppm_task['task_id']}", data=PPM)
    check = f"/tasks/{ppm_task['task_id']}/check"
    assert (response.status_code, response.headers["Location"]) == (302, check)
    done = client.post(check)
    assert (done.status_code, done.headers["Location"]) == (302, "/inbox")
    inbox = client.get("/inbox")
    text = page_text(inbox)
    assert "Record initial PPM for Alex Example is done" in text
    assert "Next: Record review PPM for the Social Worker, due Mon 13 Apr 2026 (R8)" in text
    [review] = open_tasks(staff, child_id=ppm_task["child_id"])
    assert (f'<a class="govuk-notification-banner__link" href="/tasks/{review["task_id"]}">'
            "Record review PPM</a>") in inbox.get_data(as_text=True)
    assert "is done" not in page_text(client.get("/inbox"))  # said once


def test_a_task_someone_else_completed_says_who_and_when(client, staff, ppm_task):
    sign_in(client, "sw")
    page = client.get(f"/tasks/{ppm_task['task_id']}")
    assert page.status_code == 200
    complete_task(staff, ppm_task["task_id"], {"held_on": "2026-03-02", "plan": "adoption",
                                               "contingency_plan": "Fostering"}, "sw2")
    late = client.post(f"/tasks/{ppm_task['task_id']}", data=PPM)
    assert late.status_code == 409
    assert "'Record initial PPM' was already completed by Sue Second on 2 March 2026 at 09:00" in page_text(late)
    assert 'name="held_on-day"' not in late.get_data(as_text=True)
    again = client.get(f"/tasks/{ppm_task['task_id']}")
    assert again.status_code == 200 and "already completed by Sue Second" in page_text(again)


@pytest.fixture
def panel_task(staff):
    publish(staff, load_directory(PANEL, "panel_actions"), "tests")
    child = register_child(staff, child_details(), "sw", process_id="panel_actions")
    [task] = open_tasks(staff, child_id=child.child_id)
    return task


def _rows(html: str) -> int:
    return int(re.search(r'name="actions-rows" value="(\d+)"', html).group(1))


PANEL_BASE = {"panel_on-day": "2", "panel_on-month": "3", "panel_on-year": "2026",
              "support": ["fgc", "legal"], "endorsed": "true"}


def test_rows_are_added_and_removed_without_javascript_keeping_what_was_typed(client, panel_task):
    sign_in(client, "paneladmin")
    url = f"/tasks/{panel_task['task_id']}"
    first = client.get(url).get_data(as_text=True)
    assert _rows(first) == 1 and 'name="actions-0-owner"' in first
    assert "Add another action" in first and "Remove action 1" in first
    typed = {**PANEL_BASE, "actions-rows": "1", "actions-0-action": "Book the FGC",
             "actions-0-owner": "sw"}
    added = client.post(url, data={**typed, "row-action": "add:actions"})
    html = added.get_data(as_text=True)
    assert added.status_code == 200 and _rows(html) == 2
    assert ">Book the FGC</textarea>" in html and 'name="actions-1-action"' in html
    assert re.search(r'value="legal" checked', html) and re.search(r'value="true" checked', html)
    assert "There is a problem" not in html  # adding a row is not submitting
    assert 'data-focus="actions-1-action"' in html   # the new row's first box, not the page top
    removed = client.post(url, data={**typed, "actions-rows": "2", "actions-1-action": "Second",
                                     "row-action": "remove:actions:0"}).get_data(as_text=True)
    assert 'data-focus="actions-heading"' in removed and 'id="actions-heading" tabindex="-1"' in removed
    assert _rows(removed) == 1
    assert ">Second</textarea>" in removed and "Book the FGC" not in removed


def test_errors_in_a_row_are_shown_in_that_row_and_named_by_it(client, panel_task):
    sign_in(client, "paneladmin")
    url = f"/tasks/{panel_task['task_id']}"
    data = {**PANEL_BASE, "actions-rows": "3",
            "actions-0-action": "Book the FGC", "actions-0-owner": "sw",
            "actions-0-due_on-day": "9", "actions-0-due_on-month": "3", "actions-0-due_on-year": "2026",
            "actions-2-action": "Legal advice", "actions-2-due_on-day": "1",
            "actions-2-due_on-month": "3", "actions-2-due_on-year": "2026"}  # row 2 left empty
    response = client.post(url, data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert _rows(html) == 2  # the empty row is dropped, the others keep their order
    assert '<a href="#actions-1-owner">Action 2: Enter the owner</a>' in html
    assert ('<a href="#actions-1-due_on-day">Action 2: Due date must be the same as or after '
            'the date of the panel</a>') in html
    assert 'id="actions-1-owner-error"' in html and 'id="actions-0-owner-error"' not in html
    assert ">Legal advice</textarea>" in html


def test_a_list_with_no_rows_filled_in_asks_for_one(client, staff, panel_task):
    sign_in(client, "paneladmin")
    url = f"/tasks/{panel_task['task_id']}"
    response = client.post(url, data={**PANEL_BASE, "actions-rows": "1"})
    assert response.status_code == 400
    assert "Actions must have at least 1 entry" in page_text(response)
    assert _rows(response.get_data(as_text=True)) == 1  # somewhere to type it
    done = client.post(url, data={**PANEL_BASE, "actions-rows": "1", "actions-0-action": "Book the FGC",
                                  "actions-0-owner": "sw", "actions-0-due_on-day": "9",
                                  "actions-0-due_on-month": "3", "actions-0-due_on-year": "2026"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/check")
    assert client.post(done.headers["Location"]).status_code == 302
    assert "pathway is complete" in page_text(client.get("/inbox"))


def test_a_row_error_in_a_list_whose_rows_have_no_name_names_the_list(client, staff, tmp_path):
    """Walking the initial PPM (ppm.json's actions have no item title): the summary said
    "Row 1: Enter the due date" on a form with three lists. It says which list now."""
    import json
    import shutil
    folder = tmp_path / "panel_actions"
    shutil.copytree(PANEL, folder)
    form = json.loads((folder / "panel-actions.json").read_text())
    del form["properties"]["actions"]["items"]["title"]
    (folder / "panel-actions.json").write_text(json.dumps(form))
    publish(staff, load_directory(folder, "panel_actions"), "tests")
    child = register_child(staff, child_details(), "sw", process_id="panel_actions")
    [task] = open_tasks(staff, child_id=child.child_id)
    sign_in(client, "paneladmin")
    response = client.post(f"/tasks/{task['task_id']}", data={
        **PANEL_BASE, "actions-rows": "1", "actions-0-action": "Book the FGC", "actions-0-owner": "sw"})
    assert response.status_code == 400
    assert '<a href="#actions-0-due_on-day">Actions, row 1: Enter the due date</a>' in response.get_data(as_text=True)
