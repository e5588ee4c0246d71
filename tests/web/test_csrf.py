"""Every form carries a CSRF token, and a POST without one is refused before it does
anything (the other web tests switch the check off to keep their requests short)."""
import re

import pytest

from engine import open_tasks, register_child

from ..conftest import child_details
from .conftest import make_app, page_text, sign_in


@pytest.fixture
def guarded(staff):
    app = make_app(staff, WTF_CSRF_ENABLED=True)
    return app.test_client()


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_a_task_posted_without_a_token_is_refused_and_not_completed(guarded, staff):
    child = register_child(staff, child_details(), "sw", process_id="demo_pathway")
    [task] = open_tasks(staff, child_id=child.child_id)
    sign_in(guarded, "sw")
    answers = {"held_on-day": "2", "held_on-month": "3", "held_on-year": "2026",
               "plan": "adoption", "contingency_plan": "Long-term fostering"}
    refused = guarded.post(f"/tasks/{task['task_id']}", data=answers)
    assert refused.status_code == 400
    assert "This form has expired or did not come from this service" in page_text(refused)
    assert open_tasks(staff, child_id=child.child_id)[0]["task_id"] == task["task_id"]

    page = guarded.get(f"/tasks/{task['task_id']}")
    token = _token(page.get_data(as_text=True))
    checked = guarded.post(f"/tasks/{task['task_id']}", data={**answers, "csrf_token": token})
    assert checked.headers["Location"] == f"/tasks/{task['task_id']}/check"
    assert guarded.post(checked.headers["Location"]).status_code == 400   # the check's form too
    done = guarded.post(checked.headers["Location"], data={"csrf_token": token})
    assert (done.status_code, done.headers["Location"]) == (302, "/inbox")
    assert open_tasks(staff, child_id=child.child_id)[0]["name"] == "Record review PPM"


@pytest.mark.parametrize("path", ["/sign-in", "/sign-out", "/children/new"])
def test_every_other_form_needs_its_token_too(guarded, staff, path):
    sign_in(guarded, "sw")
    assert guarded.post(path, data={"username": "sw", "password": "x"}).status_code == 400


def test_every_page_with_a_form_carries_the_token(guarded, staff):
    sign_in(guarded, "sw")
    for path in ("/inbox", "/children/new"):  # the sign-out button is on every page
        assert 'name="csrf_token"' in guarded.get(path).get_data(as_text=True)
    guarded.post("/sign-out", data={"csrf_token": _token(guarded.get("/inbox").get_data(as_text=True))})
    assert 'name="csrf_token"' in guarded.get("/sign-in").get_data(as_text=True)
