"""Reallocation: a team manager gives a child another social worker or team, from a date and
for a reason; the open Social Worker tasks follow the child to the new worker, tasks opened
later go to them too, and the change is in the timeline and the audit trail. SQLite and
PostgreSQL, the demo pathway run by the engine."""
import pytest
from sqlalchemy import select

from engine import complete_task, open_tasks, register_child
from models import AuditEvent, Child, HumanTask, Team, User

from ..conftest import child_details
from .conftest import page_text, sign_in

CHANGE = {"team": "North", "social_worker": "sw2", "on-day": "2", "on-month": "3", "on-year": "2026",
          "reason": "Caseload balancing"}


@pytest.fixture
def child(staff):
    return register_child(staff, child_details(), "sw", process_id="demo_pathway").child_id


def _assignees(db, child_id):
    with db.transaction() as session:
        return session.execute(select(HumanTask.name, User.username)
                               .join(User, User.id == HumanTask.assignee_id)
                               .where(HumanTask.child_id == child_id, HumanTask.status == "open")).all()


def test_a_team_manager_reallocates_and_the_open_tasks_follow(client, staff, child):
    assert _assignees(staff, child) == [("Record initial PPM", "sw")]
    sign_in(client, "tm")
    form = client.get(f"/children/{child}/allocation")
    assert form.status_code == 200 and "Now allocated to Sam Worker in North" in page_text(form)
    done = client.post(f"/children/{child}/allocation", data=CHANGE)
    assert done.headers["Location"] == f"/children/{child}"
    assert _assignees(staff, child) == [("Record initial PPM", "sw2")]
    text = page_text(client.get(f"/children/{child}"))
    assert "Alex Example is now allocated to Sue Second in North" in text
    assert "Social worker Sue Second, since 2 March 2026" in text
    assert ("Social worker changed from Sam Worker to Sue Second from 2 March 2026: Caseload "
            "balancing; 1 open task moved with them Tina Manager") in text
    with staff.transaction() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.kind == "reallocated")).one()
        assert event.detail["reason"] == "Caseload balancing" and event.actor_name == "Tina Manager"
    sign_in(client, "sw2")
    assert "Alex Example" in page_text(client.get("/inbox")).split("My team's tasks (")[0]
    sign_in(client, "sw")
    assert "Alex Example" not in page_text(client.get("/inbox")).split("My team's tasks (")[0]


def test_tasks_that_open_later_go_to_the_new_worker(client, staff, child):
    sign_in(client, "tm")
    client.post(f"/children/{child}/allocation", data=CHANGE)
    [ppm] = open_tasks(staff, child_id=child)
    complete_task(staff, ppm["task_id"], {"held_on": "2026-03-02", "plan": "adoption",
                                          "contingency_plan": "Fostering"}, "sw2")
    assert _assignees(staff, child) == [("Record review PPM", "sw2")]


def test_moving_a_child_to_another_team(client, staff, child):
    sign_in(client, "tm")
    moved = client.post(f"/children/{child}/allocation",
                        data={**CHANGE, "team": "South", "social_worker": "sw_south"})
    assert moved.status_code == 302
    assert client.get(f"/children/{child}").status_code == 404   # North's manager no longer sees them
    sign_in(client, "sw_south")
    assert "Alex Example" in page_text(client.get("/children"))
    with staff.transaction() as session:
        assert session.get(Child, child).team.name == "South"
    # The team kept with each task (the inboxes read a team's tasks by it) moved too.
    assert "Alex Example" in page_text(client.get("/inbox")).split("My team's tasks (")[0]
    sign_in(client, "tm_south")
    assert "My team's tasks (1)" in page_text(client.get("/inbox"))
    sign_in(client, "tm")
    assert "My team's tasks (0)" in page_text(client.get("/inbox"))
    [ppm] = open_tasks(staff, child_id=child)
    complete_task(staff, ppm["task_id"], {"held_on": "2026-03-02", "plan": "adoption",
                                          "contingency_plan": "Fostering"}, "sw_south")
    with staff.transaction() as session:
        teams = session.execute(select(HumanTask.status, Team.name).join(Team, Team.id == HumanTask.team_id)
                                .where(HumanTask.child_id == child).order_by(HumanTask.id)).all()
    assert teams == [("completed", "South"), ("open", "South")]   # and one opened since


@pytest.mark.parametrize("change, field, message", [
    ({"social_worker": "sw_south"}, "social_worker", "Select a social worker in North: Sid South is not in that team"),
    ({"social_worker": ""}, "social_worker", "Select the social worker"),
    ({"social_worker": "tm"}, "social_worker", "Select a social worker who is working now"),
    ({"on-day": "9"}, "on", "The date the change takes effect must be today or in the past"),
    ({"on-month": ""}, "on", "Date the change takes effect must include a month"),
    ({"reason": "  "}, "reason", "Enter the reason for the change"),
    ({"social_worker": "sw"}, "social_worker", "Select a different social worker or team"),
])
def test_a_wrong_answer_is_named_and_nothing_changes(client, staff, child, change, field, message):
    sign_in(client, "tm")
    response = client.post(f"/children/{child}/allocation", data={**CHANGE, **change})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in page_text(response)
    assert f'href="#{field}' in html
    assert _assignees(staff, child) == [("Record initial PPM", "sw")]
    if change.get("reason") is None:
        assert "Caseload balancing</textarea>" in html   # what was typed is kept


def test_only_managers_see_the_change_link(client, child):
    sign_in(client, "sw")
    assert f"/children/{child}/allocation" not in client.get(f"/children/{child}").get_data(as_text=True)
    sign_in(client, "tm")
    assert f"/children/{child}/allocation" in client.get(f"/children/{child}").get_data(as_text=True)


def test_the_glossary_is_linked_from_every_page(client):
    sign_in(client, "sw")
    assert 'href="/glossary"' in client.get("/inbox").get_data(as_text=True)
    text = page_text(client.get("/glossary"))
    assert "PPM Permanency Planning Meeting" in text and "IRO Independent Reviewing Officer" in text
