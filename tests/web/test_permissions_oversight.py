"""Permission matrix for the oversight pages (issue 11 §6: I3-I6) and the dashboard's links to
the children behind its counts (I2, I8), on SQLite and PostgreSQL. The performance page, the
Corporate Parenting Board report and the tracking meetings are the managers' (team, service
and senior managers, heads of service), like the dashboard; everyone else is refused. A
period or meeting date with a mistake answers 400 with the form. (What the pages show, and
that a team manager sees only their team, is tested in tests/scenarios/test_oversight*.py.)"""
import pytest

from .conftest import sign_in

USERS = ["anon", "gone", "sw", "sw2", "tm", "sw_south", "tm_south", "iro", "chair",
         "paneladmin", "adm", "legal", "sm", "hos", "po", "admin"]
MANAGERS = {"tm", "tm_south", "sm", "hos"}
PANEL = {"chair", "paneladmin", "sm", "hos"}     # the panel's look back (G5, G6, G7)
CHILD_LIST = set(USERS) - {"anon", "gone", "po"}
BAD_PERIOD = "from-day=31&from-month=2&from-year=2026&to-day=1&to-month=3&to-year=2026"

#: (method, route, who is let in, the code they get)
ROUTES = [
    ("GET", "/oversight/performance", MANAGERS, 200),
    ("GET", "/oversight/performance?from-day=1&from-month=1&from-year=2026&to-day=2&to-month=3&to-year=2026",
     MANAGERS, 200),
    ("GET", f"/oversight/performance?{BAD_PERIOD}", MANAGERS, 400),
    ("GET", "/oversight/performance/board", MANAGERS, 200),
    ("GET", "/oversight/performance/board.pdf", MANAGERS, 200),
    ("GET", "/oversight/performance/board.xlsx", MANAGERS, 200),
    ("GET", f"/oversight/performance/board.xlsx?{BAD_PERIOD}", MANAGERS, 400),
    ("GET", "/oversight/tracking", MANAGERS, 200),
    ("GET", "/oversight/tracking?band=6-18&meeting_on-day=2&meeting_on-month=3&meeting_on-year=2026",
     MANAGERS, 200),
    ("GET", "/oversight/tracking?band=old", MANAGERS, 400),
    ("GET", "/panel/learning", PANEL, 200),
    ("GET", f"/panel/learning?{BAD_PERIOD}", PANEL, 400),
    ("GET", "/panel/learning/print", PANEL, 200),
    ("GET", "/panel/learning.pdf", PANEL, 200),
    ("GET", f"/panel/learning.pdf?{BAD_PERIOD}", PANEL, 400),
    ("GET", "/children?overdue=deadlines&rule=R7&team=North", CHILD_LIST, 200),
    ("GET", "/children?overdue=tasks", CHILD_LIST, 200),
]


@pytest.mark.parametrize("method, route, allowed, code", ROUTES, ids=[r[1] for r in ROUTES])
def test_who_may_open_the_oversight_pages_I3_I4_I5_G5_G6_G7(app, method, route, allowed, code):
    wrong = []
    for user in USERS:
        client = app.test_client()
        if user != "anon":
            sign_in(client, user)
        response = client.get(route)
        expected = 302 if user in ("anon", "gone") else code if user in allowed else 403
        if response.status_code != expected:
            wrong.append((user, response.status_code, expected))
        elif expected == 302:
            assert response.headers["Location"].startswith("/sign-in")
    assert wrong == []
