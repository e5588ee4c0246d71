"""With 5,000 timers due, the pages keep answering while the timer worker works through
them (issue 15 section 4), on SQLite and on PostgreSQL; and the running figures it keeps
meanwhile still equal a recount. (How many a second: `python -m bench backlog`.)"""
from bench.backlog import Backlog, due_remaining, fill_due, pages
from bench.common import START, days
from engine import clock, figures
from web import create_app
from web.settings import Settings

DUE = 5_000


def test_pages_answer_while_the_worker_fires_5000_due_timers(council):
    child_id = fill_due(council, DUE)
    clock.set_fixed(START + days(16))   # every initial PPM's escalation is due
    app = create_app(Settings(database_url=council.url, secret_key="test",
                              process_id="demo_pathway", clock=(START + days(16)).isoformat()),
                     db=council)
    app.config["TESTING"] = True
    asked = pages(app, child_id)
    with Backlog(council) as backlog:
        statuses = [client.get(path).status_code for client, path in asked * 2]
        still_due = due_remaining(council)
    assert statuses == [200] * len(statuses)
    assert 0 < still_due < DUE + 1 and backlog.fired > 0   # answered during the backlog
    assert figures.check(council, "demo_pathway") == []
