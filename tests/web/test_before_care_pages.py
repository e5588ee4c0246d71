"""Registering a child before care on the page (A10, B1, E18): errors by field with what was
typed kept, the child's page marked "Before care", the list and the task that ends it."""
import re
from html import unescape

import pytest

from engine import open_tasks, publish
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS, set_clock
from .conftest import page_text, sign_in

EDGE = {"reference": "EOC-7", "name": "Eddie Edge", "before_care": "edge_of_care", "team": "North",
        "social_worker": "sw", "date_of_birth-day": "1", "date_of_birth-month": "6", "date_of_birth-year": "2015",
        "known_on-day": "2", "known_on-month": "3", "known_on-year": "2026"}


@pytest.fixture
def before_care(staff):
    publish(staff, load_directory(DIAGRAMS, "before_care"), "tests")
    return staff


def test_A10_B1_registering_an_edge_of_care_child_opens_the_LGM_and_marks_the_child_before_care(client, before_care):
    sign_in(client, "sw")
    form = client.get("/children/before-care").get_data(as_text=True)
    assert re.search(r'<option value="sw" selected>', form)
    response = client.post("/children/before-care", data=EDGE)
    assert response.status_code == 302, page_text(response)[:600]
    text = page_text(client.get(response.headers["Location"]))
    # Referred on Monday 2 March 2026: the LGM 10 working days on, Monday 16 March (R21).
    assert "Eddie Edge is registered before care" in text
    assert "Hold the Legal Gateway Meeting: edge of care for the Legal team, due 16 March 2026 (R21)" in text
    assert "Eddie Edge Before care" in text
    assert "Known to the council On the edge of care" in text and "Referred 2 March 2026" in text
    assert "Legal status Not looked after" in text and "Looked after since" not in text
    # The plan's heading is not left empty: no plan until the child is looked after.
    assert "Permanence plan No permanence plan yet: it starts when the child becomes looked after." in text
    listed = page_text(client.get("/children?search=EOC-7"))
    assert "Eddie Edge Before care EOC-7 · On the edge of care" in listed


def test_E18_an_unborn_baby_with_mistakes_is_sent_back_by_field_with_what_was_typed_kept(client, before_care):
    sign_in(client, "sw")
    bad = {**EDGE, "reference": "UNB-7", "name": "Baby of Jane Smith", "before_care": "unborn",
           "expected_birth_on-day": "20", "expected_birth_on-month": "13", "expected_birth_on-year": "2026",
           "known_on-day": ""}
    response = client.post("/children/before-care", data=bad)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    box = html.split("govuk-error-summary__body")[1].split("</ul>")[0]
    # In the order the page asks them (GOV.UK): the birth dates come before the date told.
    assert [(href, unescape(text)) for href, text in re.findall(r'<a href="(#[\w-]+)">([^<]+)</a>', box)] == [
        ("#date_of_birth-day", "An unborn baby has no date of birth yet: give the expected date"),
        ("#expected_birth_on-day", "Expected date of birth must be a real date"),
        ("#known_on-day", "Date the council was told or the child referred must include a day")]
    for name, typed in (("reference", "UNB-7"), ("expected_birth_on-month", "13"), ("known_on-year", "2026")):
        assert re.search(rf'name="{name}"[^>]*value="{typed}"', html), name
    assert re.search(r'name="before_care"[^>]*value="unborn"[^>]*checked', html) or \
        re.search(r'value="unborn"[^>]*checked', html)
    good = {**bad, "expected_birth_on-month": "5", "known_on-day": "2",
            "date_of_birth-day": "", "date_of_birth-month": "", "date_of_birth-year": ""}
    response = client.post("/children/before-care", data=good)
    assert response.status_code == 302
    text = page_text(client.get(response.headers["Location"]))
    # Expected on 20 May 2026: the notification and counselling are due before it (R18).
    assert "Record the notification and the counselling offered before the birth for the Social Worker, " \
           "due 20 May 2026 (R18)" in text
    assert "Expected date of birth 20 May 2026" in text and "Council told 2 March 2026" in text


def test_E18_the_notification_page_starts_from_the_registration(client, before_care):
    sign_in(client, "sw")
    good = {**EDGE, "reference": "UNB-8", "name": "Baby of Ann Lee", "before_care": "unborn",
            "expected_birth_on-day": "20", "expected_birth_on-month": "5", "expected_birth_on-year": "2026",
            "date_of_birth-day": "", "date_of_birth-month": "", "date_of_birth-year": ""}
    response = client.post("/children/before-care", data=good)
    child_id = int(response.headers["Location"].rsplit("/", 1)[1])
    [task] = [t for t in open_tasks(before_care, child_id=child_id)
              if t["name"].startswith("Record the notification")]
    response = client.get(f"/tasks/{task['task_id']}")
    html = response.get_data(as_text=True)
    # The task page's header says the date is the expected one, as the child's page does.
    assert "Expected date of birth 20 May 2026" in page_text(response) and "Date of birth 20 May" not in page_text(response)
    assert re.search(r'name="council_notified_on-day"[^>]*value="2"', html)
    assert re.search(r'name="expected_birth_on-month"[^>]*value="5"', html)


def test_E18_the_initial_PPM_page_starts_from_the_pre_birth_meeting(client, before_care):
    from engine import complete_task, register_before_care
    publish(before_care, load_directory(DIAGRAMS, "permanence_pathway"), "tests")
    set_clock(2026, 2, 2)
    child = register_before_care(before_care, {
        "reference": "UNB-9", "name": "Baby of Mo Lee", "before_care": "unborn", "known_on": "2026-02-02",
        "expected_birth_on": "2026-03-10", "team": "North", "social_worker": "sw"}, "sw").child_id

    def do(name, answers):
        [task] = [t for t in open_tasks(before_care, child_id=child) if t["name"].startswith(name)]
        complete_task(before_care, task["task_id"], answers, "sw")
    do("Record the notification", {
        "council_notified_on": "2026-02-02", "expected_birth_on": "2026-03-10",
        "mother_counselling_offered_on": "2026-02-02", "mother_counselling_response": "declined",
        "mother_counselling_by": "Sam Worker", "mother_options_explained": [
            "stay_with_mother", "short_term_foster_care", "wider_family", "adoption"],
        "mother_legal_implications_explained": True, "father_counselling": "father_not_known"})
    do("Hold the pre-birth planning meeting", {"prebirth_meeting_on": "2026-02-02", "plan_at_birth": "foster_care",
                                              "relinquishment_requested": True})
    set_clock(2026, 3, 12)
    do("Record that the child became looked after", {
        "care_outcome": "looked_after", "entered_care_on": "2026-03-12", "entry_legal_status": "s20",
        "entry_placement": "Foster carers", "entry_placement_type": "in_house_foster",
        "entry_placement_area": "local", "born_on": "2026-03-09"})
    [ppm] = [t for t in open_tasks(before_care, child_id=child) if t["name"] == "Hold the initial PPM"]
    sign_in(client, "sw")
    html = client.get(f"/tasks/{ppm['task_id']}").get_data(as_text=True)
    assert re.search(r'name="relinquished_baby"[^>]*value="true"[^>]*checked', html) or \
        re.search(r'value="true"[^>]*checked[^>]*name="relinquished_baby"', html), \
        re.findall(r'<input[^>]*relinquished_baby[^>]*>', html)


def test_A10_becoming_looked_after_on_the_page_says_the_pathway_has_begun_not_that_it_is_complete(client, before_care):
    """Walking it: the inbox's banner listed the permanence pathway's first tasks and then said
    "Kai Turner's pathway is complete", the before-care instance's status, not the new one's."""
    publish(before_care, load_directory(DIAGRAMS, "permanence_pathway"), "tests")
    sign_in(client, "sw")
    child_id = int(client.post("/children/before-care", data=EDGE).headers["Location"].rsplit("/", 1)[1])
    [task] = [t for t in open_tasks(before_care, child_id=child_id) if t["name"].startswith("Record that the child")]
    url = f"/tasks/{task['task_id']}"
    form = page_text(client.get(url))
    assert "(optional) (optional)" not in form and "Before the birth of a baby known then" not in form
    answers = {"care_outcome": "looked_after", "entered_care_on-day": "2", "entered_care_on-month": "3",
               "entered_care_on-year": "2026", "entry_legal_status": "s20", "entry_placement": "Foster carers",
               "intent": "continue"}
    # D22: the placement's type and area are asked, for the child's placement history.
    refused = client.post(url, data=answers)
    assert refused.status_code == 400
    assert "Select the type of placement" in page_text(refused)
    assert "Select whether the placement is local or out of area" in page_text(refused)
    kept = refused.get_data(as_text=True)
    assert 'value="Foster carers"' in kept or ">Foster carers</textarea>" in kept
    answers.update(entry_placement_type="in_house_foster", entry_placement_area="local")
    assert client.post(url, data=answers).headers["Location"] == url + "/check"
    assert client.post(url + "/check").headers["Location"] == "/inbox"
    banner = page_text(client.get("/inbox")).split("Kind of task")[0]
    assert "Record that the child became looked after, or that care is no longer considered for Eddie Edge is done" in banner
    assert "Hold the initial PPM for the Social Worker" in banner
    assert "pathway is complete" not in banner
    # Walking it: the LGM referral page said "No placement recorded yet"; the placement
    # the child became looked after in is the first of their placement history (D22).
    referral = page_text(client.get(f"/children/{child_id}/events/new?kind=lgm_referral"))
    assert "Current placement: In-house foster carers with Foster carers, since 2 March 2026." in referral
    assert "In-house foster carers Foster carers Local 2 March 2026 Current" \
        in page_text(client.get(f"/children/{child_id}"))
