"""The database going away (issue 8, section 4): a real PostgreSQL server stopped and started
again, and a SQLite file that cannot be opened. Pages answer 503 with a plain message, a
submitted task form's answers are shown back and can be sent again, `/healthz` answers JSON
503, and the service recovers by itself when the database is back."""
import re
import shutil
from html import unescape

import pytest

from engine import open_tasks, register_child
from models import Database
from models.migrate import upgrade

from ..conftest import child_details, make_council
from ..postgresql import PostgresServer
from .conftest import add_more_staff, make_app, page_text, sign_in

PPM = {"held_on-day": "2", "held_on-month": "3", "held_on-year": "2026", "plan": "adoption",
       "contingency_plan": "Long-term fostering",
       "background": "Known to the service since 2024.\nTwo moves of placement."}


class PostgresOutage:
    def __init__(self):
        self.server = PostgresServer()
        self.db = Database(self.server.start())
        upgrade(self.db)

    def stop(self):
        self.server.pause()

    def start(self):
        self.server.resume()

    def close(self):
        self.db.dispose()
        self.server.stop()


class SqliteOutage:
    """The file's folder moved away (a volume unmounted): no connection can open the file."""

    def __init__(self, tmp_path, template):
        self.live, self.away = tmp_path / "live", tmp_path / "away"
        self.live.mkdir()
        shutil.copy(template, self.live / "test.db")
        self.db = Database(f"sqlite:///{self.live / 'test.db'}")

    def stop(self):
        self.db.dispose()  # the connections open before are gone too, as after a remount
        self.live.rename(self.away)

    def start(self):
        self.away.rename(self.live)

    def close(self):
        self.db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def outage(request, tmp_path, sqlite_template):
    kind = PostgresOutage() if request.param == "postgresql" else SqliteOutage(tmp_path, sqlite_template)
    try:
        add_more_staff(make_council(kind.db))
        yield kind
    finally:
        kind.close()


def _hidden_fields(response) -> list[tuple[str, str]]:
    html = response.get_data(as_text=True)
    form = html[html.index('<form method="post" action="/tasks/'):]
    return [(unescape(n), unescape(v)) for n, v in
            re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', form)
            if n != "csrf_token"]


def test_pages_answer_503_answers_are_kept_and_the_service_recovers(outage):
    db = outage.db
    child = register_child(db, child_details(), "sw", process_id="demo_pathway")
    [task] = open_tasks(db, child_id=child.child_id)
    client = make_app(db).test_client()
    sign_in(client, "sw")
    assert client.get("/inbox").status_code == 200

    outage.stop()
    page = client.get("/inbox")
    assert page.status_code == 503
    assert "Sorry, the service is unavailable" in page_text(page)
    assert "cannot reach its database" in page_text(page)
    health = client.get("/healthz")
    assert (health.status_code, health.is_json) == (503, True)
    assert health.get_json()["status"] == "unavailable"
    assert client.get("/healthz", headers={"Accept": "text/html"}).is_json

    submitted = client.post(f"/tasks/{task['task_id']}", data=PPM)
    assert submitted.status_code == 503
    text = page_text(submitted)
    assert "What you submitted has not been saved" in text
    assert "has been lost" not in text
    for shown in ("Held on 2/3/2026", "Plan adoption", "Contingency plan Long-term fostering",
                  "Known to the service since 2024. Two moves of placement."):
        assert shown in text
    kept = _hidden_fields(submitted)
    assert sorted(kept) == sorted(PPM.items())

    outage.start()
    assert client.get("/inbox").status_code == 200
    assert client.get("/healthz").get_json()["status"] == "ok"
    again = client.post(f"/tasks/{task['task_id']}", data=dict(kept))
    assert again.status_code == 302 and again.headers["Location"].endswith("/check")
    assert client.post(again.headers["Location"]).status_code == 302  # checked, then completed
    assert task["task_id"] not in [t["task_id"] for t in open_tasks(db, child_id=child.child_id)]


def test_a_sign_in_during_an_outage_never_shows_the_password_back(outage):
    client = make_app(outage.db).test_client()
    outage.stop()
    response = client.post("/sign-in", data={"username": "sw", "password": "s3cret-typed"})
    assert response.status_code == 503
    assert "s3cret-typed" not in response.get_data(as_text=True)
    outage.start()
