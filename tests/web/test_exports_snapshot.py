"""The tracker CSV under ordinary concurrency (issue 8, section 4): it streams from one
reading snapshot, so a writer holding the database mid-stream neither cuts it off nor shows
in it half way, and a page that only reads does not wait for a writer."""
import csv
import io
from datetime import date

import pytest
from sqlalchemy import update

from engine import register_child
from engine.reporting import tracker
from models import Child

from .conftest import sign_in
from .managers import TODAY, at, manager_app, publish_council


def _register(db, reference: str) -> None:
    register_child(db, {"reference": reference, "name": f"Child {reference}",
                        "date_of_birth": "2015-01-01", "legal_status": "co",
                        "looked_after_on": "2026-03-02", "team": "North", "social_worker": "sw"},
                   "sw", process_id="permanence_pathway")


@pytest.fixture
def busy(db, monkeypatch):
    """Five children, and the tracker read two at a time, so a download spans batches."""
    publish_council(db)
    at(date(2026, 3, 2))
    for n in range(5):
        _register(db, f"B-{n}")
    at(TODAY)
    monkeypatch.setattr(tracker, "BATCH", 2)
    client = manager_app(db).test_client()
    sign_in(client, "hos")
    return db, client


def _references(chunks: list[bytes]) -> list[str]:
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert len({len(row) for row in rows}) == 1  # every row whole: none cut off mid-line
    return [row[0] for row in rows[1:]]


def test_a_writer_holding_the_database_mid_stream_does_not_cut_the_csv_off(busy):
    db, client = busy
    response = client.get("/dashboard/tracker.csv", buffered=False)
    assert response.status_code == 200
    stream = iter(response.response)
    chunks = [next(stream), next(stream)]          # the headings and the first child
    with db.transaction() as session:              # a completion holding the write lock
        session.execute(update(Child).where(Child.reference == "B-4").values(name="Renamed"))
        chunks += list(stream)                      # the rest streams while it is held
    response.close()
    assert _references(chunks) == ["B-0", "B-1", "B-2", "B-3", "B-4"]
    assert b"Renamed" not in b"".join(chunks)


def test_a_child_registered_while_the_csv_streams_is_not_half_in_it(busy):
    db, client = busy
    response = client.get("/dashboard/tracker.csv", buffered=False)
    stream = iter(response.response)
    chunks = [next(stream)]
    _register(db, "B-9")                             # committed after the download began
    chunks += list(stream)
    response.close()
    assert _references(chunks) == ["B-0", "B-1", "B-2", "B-3", "B-4"]
    sign_in(client, "hos")
    assert "B-9" in client.get("/dashboard/tracker.csv").get_data(as_text=True)


@pytest.mark.parametrize("page", ["/dashboard", "/children", "/inbox", "/status", "/healthz"])
def test_pages_that_only_read_answer_while_a_writer_holds_the_database(busy, page):
    db, client = busy
    with db.transaction() as session:
        session.execute(update(Child).where(Child.reference == "B-0").values(name="Held"))
        response = client.get(page)
    assert response.status_code == 200, page
