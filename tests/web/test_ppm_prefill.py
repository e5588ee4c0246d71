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


def _child_with_a_reunification_plan(staff):
    publish(staff, load_directory(DIAGRAMS, "permanence_pathway"), "tests")
    set_clock(2026, 3, 2)
    child = register_child(staff, child_details(), "sw", process_id="permanence_pathway").child_id
    set_clock(2026, 3, 9)
    [initial] = [t for t in open_tasks(staff, child_id=child) if t["name"] == "Hold the initial PPM"]
    assert complete_task(staff, initial["task_id"], {
        **PPM_AREAS, "held_on": "2026-03-09", "reunification_discussed": True, "plan_identified": True,
        "routes": ["reunification"], "contingency_plan": "Kinship care"}, "sw").error is None
    [agree] = [t for t in open_tasks(staff, child_id=child) if t["name"] == "Agree the reunification support plan"]
    assert complete_task(staff, agree["task_id"], {
        "agreed_on": "2026-03-09", "explained_on": "2026-03-09", "explained_how": ["in_writing"],
        "family_language": "Polish", "support_plan": "Family support", "sustaining_support": "Early help",
        "conditions": [{"condition": "Finish the parenting course", "who": "Mother", "by_when": "2026-04-06"},
                       {"condition": "A tenancy with a second bedroom", "who": "Father", "by_when": "2026-05-04"}]},
        "sw").error is None
    return child


def test_E3_E5_the_review_ppm_follows_up_each_condition_and_the_support_to_sustain_the_return_home(client, staff):
    """MER §10.1: what must happen for the return home, and by when, comes to the review PPM,
    which says where each condition stands; the next review starts from where it left them."""
    child = _child_with_a_reunification_plan(staff)
    sign_in(client, "sw")
    review = _review_task(staff, child)
    page = client.get(f"/tasks/{review['task_id']}").get_data(as_text=True)
    assert "Reunification: where each condition for the return home stands" in page
    assert "Finish the parenting course" in page and "A tenancy with a second bedroom" in page
    assert "Early help</textarea>" in page   # the support to sustain the return home (E5)
    set_clock(2026, 4, 20)
    assert complete_task(staff, review["task_id"], {
        "held_on": "2026-04-20", "progress": "Course done.", "wishes_and_feelings": "Wants to go home.",
        "change_of_plan_proposed": False, "return_home_conditions": [
            {"condition": "Finish the parenting course", "who": "Mother", "by_when": "2026-04-06", "standing": "met"},
            {"condition": "A tenancy with a second bedroom", "who": "Father", "by_when": "2026-05-04",
             "standing": "on_track", "standing_note": "Offer made by the housing association"}],
        "sustaining_support": "Early help, and the school nurse weekly"}, "sw").error is None
    page = client.get(f"/tasks/{_review_task(staff, child)['task_id']}").get_data(as_text=True)
    assert "Offer made by the housing association" in page
    assert "Early help, and the school nurse weekly</textarea>" in page


def test_E3_E5_the_reunification_plan_record_and_its_print_read_back_what_the_family_was_told(client, staff):
    from sqlalchemy import select

    from models import TaskRecord
    child = _child_with_a_reunification_plan(staff)
    with staff.reading() as session:
        record = session.scalar(select(TaskRecord.id).where(TaskRecord.child_id == child,
                                                            TaskRecord.bpmn_id == "reunification_plan"))
    sign_in(client, "sw")
    for url in (f"/records/{record}", f"/records/{record}/print"):
        text = page_text(client.get(url))
        assert "What must happen for the child to return home" in text, url
        assert "A tenancy with a second bedroom" in text and "Monday 4 May 2026" in text
        assert "In writing, given to the family" in text and "Polish" in text
        assert "Support to sustain the return home" in text and "Early help" in text
