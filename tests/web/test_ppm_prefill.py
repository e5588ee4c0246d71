"""A review PPM's page starts from the last PPM (D2, D24): the same areas as the first, and
the contingency plan carried forward, ready to update; what the social worker types is kept."""
from engine import complete_task, open_tasks, publish, register_child
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS, child_details, set_clock
from ..scenarios.conftest import PPM_AREAS
from .conftest import page_text, sign_in


def _child_with_a_plan(db):
    publish(db, load_directory(DIAGRAMS, "permanence_pathway"), "tests")
    set_clock(2026, 3, 2)
    child = register_child(db, child_details(), "sw", process_id="permanence_pathway").child_id
    set_clock(2026, 3, 9)
    [initial] = [t for t in open_tasks(db, child_id=child) if t["name"] == "Hold the initial PPM"]
    outcome = complete_task(db, initial["task_id"], {
        **PPM_AREAS, "held_on": "2026-03-09", "reunification_discussed": True, "plan_identified": True,
        "routes": ["long_term_fostering"], "health": "Asthma, well managed.",
        "contingency_plan": "Special guardianship with her aunt"}, "sw")
    assert outcome.error is None
    return child


def _review_task(db, child):
    return next(t for t in open_tasks(db, child_id=child) if t["name"] == "Hold the review PPM")


def test_D2_D24_a_review_ppm_starts_with_the_last_ppms_areas_and_contingency(client, staff):
    child = _child_with_a_plan(staff)
    task = _review_task(staff, child)
    sign_in(client, "sw")
    page = client.get(f"/tasks/{task['task_id']}").get_data(as_text=True)
    text = page_text(client.get(f"/tasks/{task['task_id']}"))
    assert "Contingency plan" in text and "Health" in text and "Background" in text
    assert "Special guardianship with her aunt</textarea>" in page
    assert "Asthma, well managed.</textarea>" in page
    # Not the meeting's own answers: nothing about progress or the date is carried.
    assert 'name="progress"' in page and "On track" not in page


def test_D24_the_contingency_changed_at_a_review_ppm_is_the_next_ones_start(client, staff):
    child = _child_with_a_plan(staff)
    set_clock(2026, 4, 20)
    outcome = complete_task(staff, _review_task(staff, child)["task_id"], {
        "held_on": "2026-04-20", "progress": "Matching under way.", "wishes_and_feelings": "Happy.",
        "change_of_plan_proposed": False, "contingency_plan": "Residential care close to school"}, "sw")
    assert outcome.error is None
    sign_in(client, "sw")
    page = client.get(f"/tasks/{_review_task(staff, child)['task_id']}").get_data(as_text=True)
    assert "Residential care close to school</textarea>" in page
    assert "Special guardianship with her aunt" not in page
    # Areas the review left as they were still come from the initial PPM (D2).
    assert "Asthma, well managed.</textarea>" in page
