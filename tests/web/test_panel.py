"""The Permanence Panel page: the Thursday, the cohorts with their exclusions, the agenda in
15-minute slots, and the outcome and actions recorded through the pathway's own panel tasks."""
import re
from datetime import date, datetime
from html import unescape

import pytest

from engine import clock, complete_task, open_tasks, register_child

from .conftest import page_text, sign_in
from .managers import TODAY, at, client, council, manager_app, publish_council  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def _every_cohort(every_cohort_weekly):
    """These tests show every cohort on one Thursday; the rotation has its own tests."""


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _section(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return _words(html[start:html.index("</section>", start)])


def _agenda(html: str) -> list[tuple[str, str]]:
    """(slot, child) in the order the agenda lists them."""
    return re.findall(r"(\d\d:\d\d to \d\d:\d\d) (\w+ \w+) [NS]-\d", _words(html))


def test_the_next_thursdays_panel_with_its_cohorts_and_agenda(client):
    sign_in(client, "chair")
    html = client.get("/panel").get_data(as_text=True)
    text = _words(html)
    assert "Thursday 10 September 2026" in text
    assert "Agenda sent on Monday 7 September 2026 (afternoon)." in text
    assert "5 children, 15 minutes each, from 10:00 to 11:15." in text
    assert _agenda(html) == [("10:00 to 10:15", "Ben Brown"), ("10:15 to 10:30", "Eve Evans"),
                             ("10:30 to 10:45", "Isla Irwin"), ("10:45 to 11:00", "Finn Foster"),
                             ("11:00 to 11:15", "Ava Adams")]
    assert "Cohort 1: Section 20 beyond 12 weeks" in _section(html, "cohort-1")
    assert "Section 20 since 2 March 2026 (12 weeks on 25 May 2026)" in _section(html, "cohort-1")
    assert "Cohort 2: Placed with parents under a care order 1" in _section(html, "cohort-2")
    assert "Long-term fostering: the match is not yet ratified at panel" in _section(html, "cohort-4")
    assert "No permanence plan recorded" in _section(html, "cohort-5")
    assert "Gus Green" not in text   # at the panel on 20 August, within the five-week rotation


def test_who_is_left_out_and_why(client):
    sign_in(client, "hos")
    html = client.get("/panel").get_data(as_text=True)
    excluded = _words(html[html.index('id="excluded"'):html.index('id="recorded"')])
    assert re.findall(r"(\w+ \w+) [NS]-\d .*? Cohort (\d) .*? (Section 20 endorsed|In care proceedings|Aged 17 or over)",
                      excluded) == [("Cara Clark", "3", "Section 20 endorsed"),
                                    ("Hana Hill", "3", "In care proceedings"),
                                    ("Dan Davies", "4", "Aged 17 or over")]
    assert "the Placement and Resource Panel (R24)" in excluded
    assert "reviewed at the Legal Gateway Meeting" in excluded


def test_the_chair_follows_a_child_to_their_panel_task_and_others_see_it_without_a_link(client, council):
    db, kids, _ = council
    [task] = [t for t in open_tasks(db, child_id=kids["B"].child_id)
              if t["name"] == "Record the first Permanence Panel outcome"]
    sign_in(client, "chair")
    html = client.get("/panel").get_data(as_text=True)
    ben = _section(html, "cohort-1")
    assert "Record the first Permanence Panel outcome Panel Chair, due 27 April 2026 (R10) Overdue" in ben
    assert f'href="/tasks/{task["task_id"]}?panel_date=2026-09-10"' in html   # the date comes with it
    assert client.get(f'/tasks/{task["task_id"]}').status_code == 200
    sign_in(client, "sm")
    html = client.get("/panel").get_data(as_text=True)
    assert "Record the first Permanence Panel outcome" in _section(html, "cohort-1")
    assert f'href="/tasks/{task["task_id"]}' not in html
    # Eve's action from her last panel is shown with her row.
    assert "Complete the panel action" in _section(html, "cohort-2")


def test_another_date_and_start_time(client):
    sign_in(client, "paneladmin")
    html = client.get("/panel?panel_date-day=24&panel_date-month=9&panel_date-year=2026&start=9:30").get_data(as_text=True)
    assert "Thursday 24 September 2026" in _words(html)
    assert "Agenda sent on Monday 21 September 2026" in _words(html)
    agenda = _agenda(html)
    assert agenda[0] == ("09:30 to 09:45", "Ben Brown")
    # Five weeks after his panel on 20 August, Gus (no plan) is back in cohort 5.
    assert [name for _, name in agenda[-2:]] == ["Ava Adams", "Gus Green"]
    assert 'value="24"' in html and 'value="9:30"' in html


@pytest.mark.parametrize("query, message", [
    ("panel_date-day=9&panel_date-month=9&panel_date-year=2026",
     "The panel meets on Thursdays: 9 September 2026 is a Wednesday"),
    ("panel_date-day=31&panel_date-month=9&panel_date-year=2026", "Enter the panel date as a real date"),
    ("start=25:00", "Enter the start time as hours and minutes"),
])
def test_a_wrong_date_or_time_is_explained(client, query, message):
    sign_in(client, "chair")
    response = client.get(f"/panel?{query}")
    assert response.status_code == 400
    text = page_text(response)
    assert "There is a problem" in text and message in text
    assert "Agenda" not in text


def test_the_default_panel_on_a_thursday_is_that_day():
    from web.panel import next_thursday
    assert next_thursday(date(2026, 9, 10)) == date(2026, 9, 10)
    assert next_thursday(date(2026, 9, 11)) == date(2026, 9, 17)
    assert next_thursday(TODAY) == date(2026, 9, 10)


@pytest.fixture
def panel_day(db):
    """A council on Thursday 5 March 2026, after the panel: Nia (no plan) was on it."""
    publish_council(db)
    at(date(2026, 3, 2))
    child = register_child(db, {"reference": "P-1", "name": "Nia Newton", "date_of_birth": "2015-01-01",
                                "legal_status": "co", "looked_after_on": "2026-03-02", "team": "North",
                                "social_worker": "sw"}, "sw", process_id="permanence_pathway").child_id
    app = manager_app(db)
    clock.set_fixed(datetime(2026, 3, 5, 15, tzinfo=clock.LONDON))
    return app.test_client(), db, child


def _task(db, child_id, name):
    [task] = [t for t in open_tasks(db, child_id=child_id) if t["name"] == name]
    return task["task_id"]


def test_a_task_opened_from_the_agenda_goes_back_to_it_when_done(panel_day):
    """The chair works down the day's children: the agenda's date goes through the form and
    the check, and completing the task shows the agenda again; anything else in its place is
    ignored (back to the inbox)."""
    client, db, child = panel_day
    sign_in(client, "chair")
    outcome = _task(db, child, "Record the first Permanence Panel outcome")
    answers = {"panel_held_on-day": "5", "panel_held_on-month": "3", "panel_held_on-year": "2026",
               "recommendation": "Agree a plan by the next PPM.", "legal_advice_needed": "false"}
    page = client.get(f"/tasks/{outcome}?panel_date=2026-03-05").get_data(as_text=True)
    assert f'action="/tasks/{outcome}?panel_date=2026-03-05"' in page
    response = client.post(f"/tasks/{outcome}?panel_date=2026-03-05", data=answers)
    assert response.headers["Location"] == f"/tasks/{outcome}/check?panel_date=2026-03-05"
    response = client.post(f"/tasks/{outcome}/check?panel_date=not-a-date")
    assert response.headers["Location"] == "/inbox"
    sign_in(client, "paneladmin")
    actions = _task(db, child, "Record the panel actions")
    client.post(f"/tasks/{actions}?panel_date=2026-03-05", data={"actions-rows": "0"})
    response = client.post(f"/tasks/{actions}/check?panel_date=2026-03-05")
    assert response.headers["Location"] == ("/panel?panel_date-day=5&panel_date-month=3"
                                            "&panel_date-year=2026#agenda")
    assert "Record the panel actions for Nia Newton is done" in _words(
        client.get(response.headers["Location"]).get_data(as_text=True))


def test_the_outcome_and_actions_are_recorded_through_the_panel_tasks(panel_day):
    client, db, child = panel_day
    sign_in(client, "chair")
    html = client.get("/panel").get_data(as_text=True)
    assert "Thursday 5 March 2026" in _words(html)
    assert "Outcome not recorded" in _section(html, "cohort-5")
    outcome = _task(db, child, "Record the first Permanence Panel outcome")
    assert f'href="/tasks/{outcome}?panel_date=2026-03-05"' in html
    response = client.post(f"/tasks/{outcome}", data={
        "panel_date-day": "", "panel_held_on-day": "5", "panel_held_on-month": "3",
        "panel_held_on-year": "2026", "recommendation": "Agree a plan by the next PPM.",
        "legal_advice_needed": "false"})
    assert response.headers["Location"] == f"/tasks/{outcome}/check"   # check your answers first
    assert client.post(response.headers["Location"]).status_code == 302

    sign_in(client, "paneladmin")
    html = client.get("/panel").get_data(as_text=True)
    assert "Outcome recorded, actions to record" in _section(html, "cohort-5")
    recorded = _words(html[html.index('id="recorded"'):])
    assert "Nia Newton P-1" in recorded and "Record the panel actions" in recorded
    actions = _task(db, child, "Record the panel actions")
    assert f'href="/tasks/{actions}?panel_date=2026-03-05"' in html
    response = client.post(f"/tasks/{actions}", data={
        "actions-rows": "1", "actions-0-action": "Book the family group conference",
        "actions-0-owner": "Sam Worker", "actions-0-due_on-day": "20", "actions-0-due_on-month": "3",
        "actions-0-due_on-year": "2026"})
    assert response.headers["Location"] == f"/tasks/{actions}/check"
    assert client.post(response.headers["Location"]).status_code == 302

    html = client.get("/panel").get_data(as_text=True)
    cohort = _section(html, "cohort-5")
    assert "Actions recorded" in cohort
    assert ("Book the family group conference (owner: Sam Worker). The panel's recommendation: "
            "Agree a plan by the next PPM. Due 20 March 2026") in cohort
    sign_in(client, "sw")
    inbox = page_text(client.get("/inbox"))
    assert "Complete the panel action" in inbox and "Nia Newton" in inbox


def test_G11_D15_D19_C6_the_chairs_panel_day_from_the_agenda_to_the_minutes_pdf(panel_day):
    """The date comes from the agenda and the council's considerations are laid out; the
    owner is picked from staff and gets the task; the minutes are a page and a PDF, and each
    child's part is on their record as "Permanence Panel Actions (date)"."""
    import io

    from pypdf import PdfReader
    client, db, child = panel_day
    sign_in(client, "chair")
    outcome = _task(db, child, "Record the first Permanence Panel outcome")
    html = client.get(f"/tasks/{outcome}?panel_date=2026-03-05").get_data(as_text=True)
    assert 'name="panel_held_on-day" type="text" value="5"' in html.replace("\n", " ") or 'value="5"' in html
    assert 'name="considerations-rows" value="5"' in html      # BCP §5's five
    assert "Whether legal advice is needed on the child&#39;s current legal status (BCP §5 iii)" in html
    # A date that is not a panel date is not filled in.
    assert 'name="considerations-rows" value="5"' in client.get(f"/tasks/{outcome}?panel_date=2026-03-04").get_data(as_text=True)
    form = {"panel_held_on-day": "5", "panel_held_on-month": "3", "panel_held_on-year": "2026",
            "attendance": ["social_worker", "team_manager"], "considerations-rows": "2",
            "considerations-0-consideration": "plan_by_second_review",
            "considerations-0-finding": "No plan yet: the second review is on 22 June.",
            "considerations-1-consideration": "legal_advice",
            "considerations-1-finding": "Legal advice on the care order is not needed.",
            "recommendation": "Agree a plan of long-term fostering at the next PPM.",
            "legal_advice_needed": "false", "fgc_used": "not_yet", "review_weeks": "6"}
    response = client.post(f"/tasks/{outcome}", data=form)
    assert response.headers["Location"] == f"/tasks/{outcome}/check"
    assert client.post(response.headers["Location"]).status_code == 302

    sign_in(client, "paneladmin")
    actions = _task(db, child, "Record the panel actions")
    html = client.get(f"/tasks/{actions}").get_data(as_text=True)
    assert re.search(r'<option value="sm"[^>]*>Sal Service \(Service Manager\)</option>', html)   # picked from staff
    response = client.post(f"/tasks/{actions}", data={
        "actions-rows": "1", "actions-0-type": "convene_ppm", "actions-0-action": "Convene a PPM and record the plan",
        "actions-0-owner": "sm", "actions-0-due_on-day": "19", "actions-0-due_on-month": "3",
        "actions-0-due_on-year": "2026"})
    assert response.headers["Location"] == f"/tasks/{actions}/check"
    assert client.post(response.headers["Location"]).status_code == 302

    sign_in(client, "sm")
    inbox = page_text(client.get("/inbox"))
    assert "My tasks (1)" in inbox and "Complete the panel action" in inbox and "Nia Newton" in inbox
    sign_in(client, "chair")
    minutes = page_text(client.get("/panel/minutes?panel_date-day=5&panel_date-month=3&panel_date-year=2026"))
    for words in ("Permanence Panel Actions (5 March 2026)", "Nia Newton", "No plan yet: the second review is on 22 June.",
                  "Agree a plan of long-term fostering at the next PPM.", "Social worker", "Not yet: the panel asks for one",
                  "Convene a PPM and record the plan", "Sal Service", "19 March 2026"):
        assert words in minutes, words
    pdf = client.get("/panel/minutes.pdf?panel_date-day=5&panel_date-month=3&panel_date-year=2026")
    assert pdf.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Permanence Panel Actions (5 March 2026)" in text and "Convene a PPM and record the plan" in text
    # On the child's record, under the council's title (BCP §6).
    assert "Permanence Panel Actions (5 March 2026)" in page_text(client.get(f"/children/{child}"))
    # The agenda prints, with the papers check.
    agenda = page_text(client.get("/panel/agenda?panel_date-day=5&panel_date-month=3&panel_date-year=2026"))
    assert "Permanence Panel agenda, Thursday 5 March 2026" in agenda and "Nia Newton (P-1)" in agenda
    assert client.get("/panel/agenda.pdf?panel_date-day=5&panel_date-month=3&panel_date-year=2026").data[:4] == b"%PDF"


def test_the_minutes_refuse_a_date_that_is_not_a_panel(client):
    sign_in(client, "chair")
    response = client.get("/panel/minutes?panel_date-day=9&panel_date-month=9&panel_date-year=2026")
    assert response.status_code == 400
    assert "The panel meets on Thursdays: 9 September 2026 is a Wednesday" in page_text(response)


def test_B20_D20_an_owner_records_interim_progress_and_the_panel_sees_it(panel_day):
    client, db, child = panel_day
    outcome = _task(db, child, "Record the first Permanence Panel outcome")
    complete_task(db, outcome, {"panel_held_on": "2026-03-05", "recommendation": "Agree a plan.",
                                "legal_advice_needed": False}, "chair")
    actions = _task(db, child, "Record the panel actions")
    complete_task(db, actions, {"actions": [{"action": "Book the FGC", "owner": "sm", "due_on": "2026-03-19"}]},
                  "paneladmin")
    action = _task(db, child, "Complete the panel action")
    sign_in(client, "sm")
    assert "Record progress on this action" in page_text(client.get(f"/tasks/{action}"))
    response = client.post(f"/actions/{action}/progress", data={"note": "   "})
    assert response.status_code == 400 and "Enter the progress made on the action" in page_text(response)
    response = client.post(f"/actions/{action}/progress", data={"note": "FGC co-ordinator booked for 17 March."})
    assert response.status_code == 302
    assert "FGC co-ordinator booked for 17 March." in page_text(client.get(response.headers["Location"]))
    sign_in(client, "chair")
    html = client.get("/panel").get_data(as_text=True)
    assert "Progress 5 March 2026, Sal Service: FGC co-ordinator booked for 17 March." in _words(html)
    # The chair may read it, but progress is the owner's and the managers' to record.
    assert client.post(f"/actions/{action}/progress", data={"note": "x"}).status_code == 403
    sign_in(client, "sw_south")     # another team's social worker: the action is not theirs to see
    assert client.get(f"/actions/{action}/progress").status_code == 404


def test_G8_G9_the_chair_escalates_delay_to_a_named_manager_and_advises_amending_the_plan(panel_day):
    client, db, child = panel_day
    sign_in(client, "chair")
    outcome = _task(db, child, "Record the first Permanence Panel outcome")
    form = client.get(f"/tasks/{outcome}").get_data(as_text=True)
    # The senior manager is picked from staff, never typed.
    assert 'name="delay_escalated_to"' in form and '<option value="hos"' in form
    answers = {"panel_held_on-day": "5", "panel_held_on-month": "3", "panel_held_on-year": "2026",
               "recommendation": "Agree a plan by the next PPM.", "legal_advice_needed": "false",
               "delay_escalated_to": "hos", "delay_factors": "", "plan_amendment_advised": "true",
               "plan_amendment_advice": "Consider family and friends."}
    bad = client.post(f"/tasks/{outcome}", data=answers)
    assert bad.status_code == 400
    assert "Say what is delaying permanence" in page_text(bad) and "Consider family and friends." in bad.get_data(as_text=True)
    response = client.post(f"/tasks/{outcome}", data={**answers, "delay_factors": "No carers found in 12 weeks."})
    assert response.headers["Location"] == f"/tasks/{outcome}/check"
    assert client.post(response.headers["Location"]).status_code == 302
    sign_in(client, "hos")
    assert "Act on the delay the panel escalated" in page_text(client.get("/inbox"))
    sign_in(client, "tm")
    assert "Review the change of plan the panel advised" in page_text(client.get("/inbox"))
