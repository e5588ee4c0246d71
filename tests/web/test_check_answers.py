"""Check before completing, and never lose work: "Check your answers" with change links comes
before a task is completed; Enter (the form's default button) never completes; "Save and
come back later" and the 30-second autosave keep a draft per task and user, restored when
the task is reopened; answers sent after the session expired are kept until their author
signs in again. On SQLite and PostgreSQL, through the real pages and the demo pathway."""
import re

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from engine import complete_task, open_tasks, register_child
from models import AuditEvent, TaskDraft, User

from ..conftest import child_details
from .conftest import make_app, page_text, sign_in
from .test_task_page import PPM

PASSWORD = "correct horse battery"


@pytest.fixture
def ppm_task(staff):
    child = register_child(staff, child_details(), "sw", process_id="demo_pathway")
    [task] = open_tasks(staff, child_id=child.child_id)
    return task


def _still_open(db, task) -> bool:
    return any(t["task_id"] == task["task_id"] for t in open_tasks(db, child_id=task["child_id"]))


def test_continuing_shows_every_answer_with_a_change_link_and_completes_nothing(client, staff, ppm_task):
    sign_in(client, "sw")
    url = f"/tasks/{ppm_task['task_id']}"
    assert client.post(url, data={**PPM, "intent": "continue"}).headers["Location"] == url + "/check"
    check = client.get(url + "/check")
    assert check.status_code == 200
    text = page_text(check)
    assert "Check your answers" in text
    assert "Date the meeting was held Monday 2 March 2026 Change date the meeting was held" in text
    assert "Plan Adoption Change plan" in text
    assert "Background Known to the service since 2024 Change" in text
    assert "The child's wishes and feelings Not answered Change" in text
    html = check.get_data(as_text=True)
    assert f'href="{url}#held_on-day"' in html and f'href="{url}#plan"' in html
    assert _still_open(staff, ppm_task)


def test_enter_in_a_field_never_completes_the_task(client, staff, ppm_task):
    """Enter presses the form's first button: the hidden "Continue" (intent=continue);
    a browser that sends no button at all is treated the same."""
    sign_in(client, "sw")
    url = f"/tasks/{ppm_task['task_id']}"
    html = client.get(url).get_data(as_text=True)
    form = html[html.index("<form method=\"post\" action=\"" + url):]
    first_button = re.search(r"<button[^>]*>", form).group(0)
    assert 'name="intent" value="continue"' in first_button
    for data in ({**PPM, "intent": "continue"}, PPM):
        response = client.post(url, data=data)
        assert response.headers["Location"] == url + "/check"
        assert _still_open(staff, ppm_task)


def test_changing_an_answer_from_the_check_page(client, staff, ppm_task):
    sign_in(client, "sw")
    url = f"/tasks/{ppm_task['task_id']}"
    client.post(url, data=PPM)
    back = client.get(url).get_data(as_text=True)   # the change link's page: answers kept
    assert 'id="held_on-day" name="held_on-day" type="text" value="2"' in back
    assert re.search(r'value="adoption" checked', back)
    client.post(url, data={**PPM, "plan": "long_term_fostering"})
    assert "Plan Long-term fostering Change" in page_text(client.get(url + "/check"))
    assert client.post(url + "/check").headers["Location"] == "/inbox"
    with staff.transaction() as session:
        done = session.scalars(select(AuditEvent).where(AuditEvent.kind == "task_completed")).one()
        assert done.detail["data"]["plan"] == "long_term_fostering"
        assert session.scalar(select(func.count(TaskDraft.id))) == 0   # the draft is gone


def test_the_check_page_without_answers_goes_back_to_the_form(client, ppm_task):
    sign_in(client, "sw")
    url = f"/tasks/{ppm_task['task_id']}"
    assert client.get(url + "/check").headers["Location"] == url


def test_wrong_answers_never_reach_the_check_page(client, ppm_task):
    sign_in(client, "sw")
    url = f"/tasks/{ppm_task['task_id']}"
    response = client.post(url, data={**PPM, "held_on-day": "20"})
    assert response.status_code == 400
    assert "must be today or in the past" in page_text(response)
    assert 'value="20"' in response.get_data(as_text=True)


def test_a_task_completed_meanwhile_cannot_be_completed_again_from_the_check_page(client, staff, ppm_task):
    sign_in(client, "sw")
    url = f"/tasks/{ppm_task['task_id']}"
    client.post(url, data=PPM)
    complete_task(staff, ppm_task["task_id"], {"held_on": "2026-03-02", "plan": "adoption",
                                               "contingency_plan": "Fostering"}, "sw2")
    late = client.post(url + "/check")
    assert late.status_code == 409 and "already completed by Sue Second" in page_text(late)


def test_save_and_come_back_later_keeps_a_draft_for_that_user_only(client, staff, ppm_task):
    sign_in(client, "sw")
    url = f"/tasks/{ppm_task['task_id']}"
    saved = client.post(url, data={**PPM, "plan": "", "intent": "save"})   # half done: no plan yet
    assert saved.headers["Location"] == "/inbox"
    assert "Your answers to Record initial PPM for Alex Example are saved" in page_text(client.get("/inbox"))
    assert _still_open(staff, ppm_task)
    again = client.get(url).get_data(as_text=True)
    assert 'id="draft-restored"' in again and "Known to the service since 2024</textarea>" in again
    assert not re.search(r'value="adoption" checked', again)
    sign_in(client, "sw2")   # a colleague who may do the task has no draft of their own
    other = client.get(url).get_data(as_text=True)
    assert 'id="draft-restored"' not in other and "Known to the service" not in other


def test_autosave_keeps_the_draft_and_answers_only_those_who_may_do_the_task(client, ppm_task):
    url = f"/tasks/{ppm_task['task_id']}"
    sign_in(client, "sw")
    saved = client.post(url + "/draft", data={**PPM, "background": "Typed before lunch"})
    assert saved.status_code == 200 and saved.get_json()["saved"] == "Saved at 9am"
    assert "Typed before lunch</textarea>" in client.get(url).get_data(as_text=True)
    for user, code in (("tm", 403), ("sw_south", 404), ("iro", 403)):
        sign_in(client, user)
        assert client.post(url + "/draft", data=PPM).status_code == code


def test_answers_sent_after_the_session_expired_are_kept_until_signing_in_again(staff, ppm_task):
    with staff.transaction() as session:
        for user in session.scalars(select(User).where(User.username.in_(["sw", "sw_south"]))).unique():
            user.password_hash = generate_password_hash(PASSWORD)
    app = make_app(staff, WTF_CSRF_ENABLED=True)
    browser = app.test_client()   # its session cookie has expired: it sends none
    url = f"/tasks/{ppm_task['task_id']}"
    sent = browser.post(url, data={**PPM, "background": "Typed all afternoon", "csrf_token": "stale"})
    assert sent.status_code == 302
    assert sent.headers["Location"].startswith("/sign-in?next=") and "expired=1" in sent.headers["Location"]
    sign_in_page = browser.get(sent.headers["Location"]).get_data(as_text=True)
    assert "What you typed has been kept" in sign_in_page
    token = re.search(r'name="csrf_token" value="([^"]+)"', sign_in_page).group(1)
    signed_in = browser.post("/sign-in", data={"username": "sw", "password": PASSWORD,
                                               "next": url, "csrf_token": token})
    assert signed_in.headers["Location"] == url
    restored = browser.get(url).get_data(as_text=True)
    assert 'id="draft-restored"' in restored and "Typed all afternoon</textarea>" in restored
    assert re.search(r'value="adoption" checked', restored)
    assert _still_open(staff, ppm_task)


def test_a_kept_form_is_not_given_to_someone_who_may_not_do_the_task(staff, ppm_task):
    with staff.transaction() as session:
        session.query(User).filter_by(username="sw_south").one().password_hash = generate_password_hash(PASSWORD)
    browser = make_app(staff, WTF_CSRF_ENABLED=True).test_client()
    browser.post(f"/tasks/{ppm_task['task_id']}", data={**PPM, "csrf_token": "stale"})
    page = browser.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    browser.post("/sign-in", data={"username": "sw_south", "password": PASSWORD, "csrf_token": token})
    with staff.transaction() as session:
        assert session.scalar(select(func.count(TaskDraft.id))) == 0


def test_completing_discards_every_draft_of_the_task_with_the_completion(client, staff, ppm_task):
    """The drafts go in the completion's own transaction: everyone's, once it is done."""
    sign_in(client, "sw2")
    url = f"/tasks/{ppm_task['task_id']}"
    client.post(url, data={**PPM, "plan": "", "intent": "save"})   # a colleague's half-done draft
    sign_in(client, "sw")
    client.post(url, data=PPM)
    with staff.reading() as session:
        assert session.scalar(select(func.count(TaskDraft.id))) == 2
    assert client.post(url + "/check").headers["Location"] == "/inbox"
    assert "Record initial PPM for Alex Example is done" in page_text(client.get("/inbox"))
    with staff.reading() as session:
        assert session.scalar(select(func.count(TaskDraft.id))) == 0
    assert not _still_open(staff, ppm_task)


def test_a_completion_refused_as_invalid_keeps_the_draft_and_what_was_typed(client, staff, ppm_task):
    sign_in(client, "sw")
    url = f"/tasks/{ppm_task['task_id']}"
    client.post(url, data={**PPM, "plan": "", "intent": "save"})   # saved without a plan
    refused = client.post(url + "/check")
    assert refused.status_code == 400
    assert "There is a problem" in page_text(refused)
    assert "Known to the service since 2024</textarea>" in refused.get_data(as_text=True)
    assert _still_open(staff, ppm_task)
    with staff.reading() as session:
        [draft] = session.scalars(select(TaskDraft)).all()
        assert draft.answers["plan"] == "" and "Known to the service" in str(draft.answers)
