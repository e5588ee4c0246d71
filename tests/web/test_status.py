"""The status page and the health check, through Flask's test client, on SQLite and on
PostgreSQL (the `council` fixture is parametrized over both)."""
from datetime import date

import pytest

from engine import complete_task, open_tasks, register_child
from web import create_app
from web.settings import Settings

from engine.people import add_user
from workflows import roles

from ..conftest import child_details, set_clock
from .conftest import sign_in

FIXED = "2026-03-02T09:00:00+00:00"  # the same instant as the `fixed_clock` fixture


@pytest.fixture
def client(council):
    # The app configures the process clock from its settings: give it the tests' fixed
    # instant, so that creating the app does not put the clock back to real time.
    settings = Settings(database_url=council.url, secret_key="test", clock=FIXED, process_id="demo_pathway")
    app = create_app(settings, db=council)
    app.config.update(TESTING=True)
    return app.test_client()


def _health(client) -> dict:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def test_health_reports_the_database_the_diagrams_and_no_pathways_yet(client, council):
    body = _health(client)
    assert body["status"] == "ok"
    assert body["database"] == council.engine.dialect.name  # "sqlite" or "postgresql"
    assert body["database"] in {"sqlite", "postgresql"}
    assert body["clock"] == FIXED
    assert body["pathways"] == {}
    assert body["timers_due"] == 0
    assert body["diagrams"] == {"demo_pathway": 1}


def test_health_counts_pathways_by_status(client, council):
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    reunified = register_child(council, child_details(reference="C-002", name="Bo Example"), "sw", process_id="demo_pathway")
    # Take the second child down the reunification route to its end: initial PPM with a
    # plan of reunification, then the Team Manager confirms the support plan.
    [ppm] = open_tasks(council, child_id=reunified.child_id)
    outcome = complete_task(council, ppm["task_id"], {
        "held_on": "2026-03-02", "plan": "reunification", "contingency_plan": "Kinship care"}, "sw")
    [confirm] = outcome.opened
    assert (confirm["name"], confirm["lane"]) == ("Confirm reunification support plan", "Team Manager")
    assert complete_task(council, confirm["task_id"], {
        "agreed_on": "2026-03-02", "support_plan": "Weekly family support"}, "tm").status == "completed"

    body = _health(client)
    assert body["pathways"] == {"active": 1, "completed": 1}
    assert body["timers_due"] == 0


def test_health_counts_timers_due_from_the_moment_the_deadline_is_missed(client, council):
    registered = register_child(council, child_details(), "sw", process_id="demo_pathway")
    [task] = open_tasks(council, child_id=registered.child_id)
    # Looked after Mon 2 March 2026; R7 is 10 working days, the day itself not counted:
    # 3-6 March (4), 9-13 March (9), Mon 16 March (10). Overdue from 00:00 London on
    # 17 March (GMT then, so 00:00 UTC): that is when the escalation timer is due.
    assert task["due_on"] == date(2026, 3, 16)
    assert _health(client)["timers_due"] == 0

    set_clock(2026, 3, 16, 23, 59)  # the last minute of the due date: not yet due
    assert _health(client)["timers_due"] == 0

    set_clock(2026, 3, 17, 0, 0)
    body = _health(client)
    assert body["timers_due"] == 1
    assert body["clock"] == "2026-03-17T00:00:00+00:00"
    assert body["pathways"] == {"active": 1}

    set_clock(2026, 3, 30)  # long after: still one pathway whose timer is waiting
    assert _health(client)["timers_due"] == 1


def test_the_status_page_lists_the_published_diagram_and_the_pathways(client, council):
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    set_clock(2026, 3, 17)
    assert client.get("/status").status_code == 302  # like every page, it needs a user
    sign_in(client, "sw")
    response = client.get("/status")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Service status</h1>' in html
    assert "demo_pathway: version 1" in html
    assert f"running on the {council.engine.dialect.name} database" in html
    assert "active: 1" in html
    assert "timers due now: 1" in html
    assert "None yet" not in html  # neither the pathways nor the diagrams list is empty


def test_an_empty_database_is_healthy_and_the_status_page_says_how_to_start(db):
    # `db` is migrated but has nothing published: what an operator sees before `init`.
    app = create_app(Settings(database_url=db.url, secret_key="test", clock=FIXED, process_id="demo_pathway"), db=db)
    app.config.update(TESTING=True)
    client = app.test_client()
    body = _health(client)
    assert (body["status"], body["pathways"], body["timers_due"], body["diagrams"]) == (
        "ok", {}, 0, {})
    with db.transaction() as session:
        add_user(session, "operator", "Olive Operator", [roles.ADMINISTRATOR])
    sign_in(client, "operator")
    html = client.get("/status").get_data(as_text=True)
    assert "None yet: run <code>permanence init</code>" in html
