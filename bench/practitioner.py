"""A practitioner's pages over a large council (dashboard.py's builder: real-width pathway
rows, children over ten teams, 3 open tasks each at real diagram steps).

search_ms: median server time of GET /children?q=<part of a name>, the header's search, for a
  head of service (every child may be found) with 100,000 children; search_team_ms the same
  for a team manager (one team's tenth), search_reference_ms a reference typed without its
  hyphen. Target: under 50 ms, on SQLite and PostgreSQL.
inbox_ms: median server time of GET /inbox for a head of service with about 2,000 open tasks
  in scope (700 children), every section counted and its first 25 rows. Target: under 100 ms.
Each page is warmed first (five requests), as a server that has been running would answer it.
"""
from sqlalchemy import func, select

from engine import clock
from models import HumanTask

from .common import council, median_ms, timed
from .dashboard import PROCESS, SAMPLES, _fill, _signed_in
from web import create_app
from web.settings import Settings

SEARCHES = (("hos", "/children?q=child%200421", "search_ms"),
            ("tm", "/children?q=0421", "search_team_ms"),
            ("hos", "/children?q=c004217", "search_reference_ms"))
INBOX = (("hos", "/inbox", "inbox_ms"),)


def _measure(db, pages) -> dict[str, float]:
    app = create_app(Settings(database_url=db.url, secret_key="bench", process_id=PROCESS,
                              clock=clock.now().isoformat()), db=db)
    clients = [(_signed_in(app, db, username), path, name) for username, path, name in pages]
    for client, path, _ in clients * 5:
        assert client.get(path).status_code == 200, path
    return {name: round(median_ms([timed(lambda: client.get(path)) for _ in range(SAMPLES)]), 1)
            for client, path, name in clients}


def _council(url, name: str, children: int, pages) -> dict:
    with council(url, name, PROCESS) as db:
        _fill(db, children)
        figures = _measure(db, pages)
        with db.transaction() as session:
            figures["open_tasks"] = session.scalar(select(func.count(HumanTask.id))
                                                   .where(HumanTask.status == "open"))
        return figures


def run(url: str | None = None, total: int = 100_000, inbox_children: int = 700) -> dict:
    inbox = _council(url, "practitioner_inbox", inbox_children, INBOX)
    figures = {"inbox_open_tasks": inbox.pop("open_tasks"), **inbox}
    search = _council(url, "practitioner_search", total, SEARCHES)
    search.pop("open_tasks")
    figures.update({"search_children": total, **search})
    return figures
