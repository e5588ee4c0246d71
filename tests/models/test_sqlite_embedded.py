"""SQLite as the embedded default (issue 15 section 4): statistics that stay written, reads
that never take the write lock, writers let in first come, first served."""
import sqlite3
import threading

from sqlalchemy import select, text

from engine.people import ensure_team
from models import Database, Team
from models.database import WriterQueue
from models.migrate import upgrade


def _db(tmp_path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'embedded.db'}")
    upgrade(db)
    with db.transaction() as session:
        for n in range(20):
            ensure_team(session, f"Team {n}")
    return db


def test_statistics_are_kept_once_analyzed_not_rolled_back(tmp_path):
    db = _db(tmp_path)
    db.maintain_statistics()
    db.dispose()
    # A connection of its own, outside SQLAlchemy: the statistics were committed.
    with sqlite3.connect(tmp_path / "embedded.db") as raw:
        tables = {row[0] for row in raw.execute("SELECT tbl FROM sqlite_stat1")}
    assert "team" in tables


def test_a_read_never_takes_the_write_lock_and_never_waits_for_a_writer(tmp_path):
    db = _db(tmp_path)
    with db.reading() as session:
        assert len(session.scalars(select(Team)).all()) == 20
        # While the read is open, another process may take the write lock at once.
        other = sqlite3.connect(tmp_path / "embedded.db", timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO team (name) VALUES ('Written meanwhile')")
        # And a read started while that writer holds the lock answers without waiting.
        with db.reading() as second:
            assert second.execute(text("SELECT count(*) FROM team")).scalar() == 20
        other.execute("COMMIT")
        other.close()
        assert len(session.scalars(select(Team)).all()) == 20   # one snapshot throughout
    with db.reading() as session:
        assert session.execute(text("SELECT count(*) FROM team")).scalar() == 21


def test_writers_are_let_in_in_the_order_they_came():
    queue, order, ready = WriterQueue(), [], []
    queue.enter()   # held: the others queue behind it, one after another

    def writer(n):
        queue.enter()
        order.append(n)
        queue.leave()

    threads = []
    for n in range(5):
        thread = threading.Thread(target=writer, args=(n,))
        thread.start()
        threads.append(thread)
        while len(queue._waiting) < n + 1:   # noqa: SLF001  (each in line before the next)
            threading.Event().wait(0.001)
    queue.leave()
    for thread in threads:
        thread.join()
    assert order == [0, 1, 2, 3, 4]
