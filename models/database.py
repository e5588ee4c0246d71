"""The database: one engine and two kinds of unit of work, writing and reading.

SQLite (the default, nothing to install) runs in WAL mode with a busy timeout so a web
worker and the timer worker can share the file. A writing transaction takes SQLite's write
lock up front (`BEGIN IMMEDIATE`), so writers queue for it instead of one failing with
"database is locked" when it upgrades a read; a reading transaction (`reading()`) is a
deferred one, which in WAL mode never waits for a writer and sees one snapshot throughout.
On PostgreSQL a reading transaction is REPEATABLE READ, READ ONLY: one snapshot too, so a
streamed export is consistent, and a stray write in a page that only reads is refused.
"""
import contextvars
import threading
from collections import deque
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, PendingRollbackError
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_connection, _record):
    # Take over transaction control from pysqlite so that `_sqlite_begin` can take the
    # write lock up front: two writers then queue on busy_timeout instead of one failing
    # with "database is locked" when it upgrades a read lock.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # 16 MiB of page cache (the default is 2 MiB): reports join every overdue task to its
    # child, and a council's child table should stay in memory while they do.
    cursor.execute("PRAGMA cache_size=-16384")
    cursor.close()


#: Rows of each index SQLite's ANALYZE samples (`PRAGMA analysis_limit`).
ANALYSIS_LIMIT = 1000

#: The execution option that marks a connection's transactions as reads.
READING = "permanence_reading"


class WriterQueue:
    """The process's writers to one SQLite file, let in first come, first served.

    SQLite's own wait for the write lock is a poll (every 100 ms once it has waited a
    while), so a writer in a loop, such as the timer worker going through a backlog, takes
    the lock again before a page's write notices it is free: pages then wait their whole
    busy timeout and fail with "database is locked". Queued here, in the process (SQLite
    serves one process: see README), each waiting writer gets its turn between two of the
    worker's claims."""

    def __init__(self):
        self._turns = threading.Condition()
        self._waiting: deque = deque()
        self._held = False

    def enter(self) -> None:
        me = object()
        with self._turns:
            self._waiting.append(me)
            while self._held or self._waiting[0] is not me:
                self._turns.wait()
            self._waiting.popleft()
            self._held = True

    def leave(self) -> None:
        with self._turns:
            self._held = False
            self._turns.notify_all()


_HOLDS_TURN = "permanence_holds_write_turn"


def _sqlite_begin(connection, writers: WriterQueue):
    options = connection.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT":
        # Each statement commits by itself (ANALYZE, VACUUM): a BEGIN here would open a
        # transaction that nothing commits, and what was done would be rolled back.
        return
    if options.get(READING):
        connection.exec_driver_sql("BEGIN")
        return
    writers.enter()
    connection.info[_HOLDS_TURN] = writers
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        _sqlite_end(connection)
        raise


def _sqlite_end(connection, *_args):
    """The writer's turn ends with its transaction (commit or rollback), or at the latest
    when its connection goes back to the pool."""
    try:
        info = connection.info
    except PendingRollbackError:   # interrupted mid-statement (Ctrl-C): ends at check-in
        return
    writers = info.pop(_HOLDS_TURN, None)
    if writers is not None:
        writers.leave()


def _sqlite_checkin(_dbapi_connection, record):
    writers = record.info.pop(_HOLDS_TURN, None)
    if writers is not None:
        writers.leave()


def _postgresql_begin(connection, repeatable_read):
    """A reading transaction is REPEATABLE READ, READ ONLY; a writing one the server's
    default. Said on psycopg's connection before it begins, so the transaction opens with
    one `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY` instead of a BEGIN and a SET
    TRANSACTION (a round trip less on every page). Set at every begin, both ways: a pooled
    connection carries nothing over from its last use."""
    dbapi = connection.connection.dbapi_connection
    if connection.get_execution_options().get(READING):
        dbapi.isolation_level, dbapi.read_only = repeatable_read, True
    elif dbapi.read_only is not None or dbapi.isolation_level is not None:
        dbapi.isolation_level, dbapi.read_only = None, None


#: Statements psycopg keeps prepared on one connection (its default is 100; it prepares a
#: statement at its fifth use there).
PREPARED_MAX = 500


def _postgresql_prepared(dbapi_connection, _record):
    """Room on each pooled connection for the statements of every page and of a completion
    to stay prepared, so that the server neither parses and plans them afresh nor
    deallocates them to make room."""
    dbapi_connection.prepared_max = PREPARED_MAX


class Database:
    def __init__(self, url: str, **engine_options):
        self.url = url
        # A connection the server dropped (a restart, a failover) is found and replaced
        # before use, so the service recovers without a restart of its own. (A SQLite
        # connection is a file handle: there is no server to drop it.)
        if not url.startswith("sqlite"):
            engine_options.setdefault("pool_pre_ping", True)
        if ":memory:" not in url and url.rstrip("/") != "sqlite:":
            # A page holds its reading snapshot while it writes (two connections a thread):
            # room for a web process's threads (`serve --threads`) and the timer worker.
            engine_options.setdefault("pool_size", 10)
            engine_options.setdefault("max_overflow", 20)
            # The connection used last is used next: the few a quiet moment needs stay
            # warm, their statements prepared (PostgreSQL), and the rest wait idle.
            engine_options.setdefault("pool_use_lifo", True)
        self.engine: Engine = create_engine(url, **engine_options)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            writers = WriterQueue()
            event.listen(self.engine, "begin", lambda conn: _sqlite_begin(conn, writers))
            event.listen(self.engine, "checkin", _sqlite_checkin)
            event.listen(self.engine, "commit", _sqlite_end)
            event.listen(self.engine, "rollback", _sqlite_end)
        elif self.engine.dialect.name == "postgresql":
            from psycopg import IsolationLevel
            event.listen(self.engine, "connect", _postgresql_prepared)
            event.listen(self.engine, "begin",
                         lambda conn: _postgresql_begin(conn, IsolationLevel.REPEATABLE_READ))
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.read_sessions = sessionmaker(self.engine.execution_options(**{READING: True}),
                                          expire_on_commit=False)
        #: Set by `one_snapshot()`: the reading session every `reading()` inside it shares.
        self._snapshot: contextvars.ContextVar = contextvars.ContextVar(f"snapshot-{id(self)}",
                                                                        default=None)

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits at the end of the block, or rolls back on error."""
        with self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self, own: bool = False) -> Iterator[Session]:
        """A session for pages and reports that only read: it never takes the write lock,
        never waits for a writer, and sees one consistent snapshot until the block ends.
        Inside `one_snapshot()` every reading block shares that one session, unless `own`
        (a streamed response reads on after the page's snapshot has closed)."""
        shared = None if own else self._snapshot.get()
        if shared is None:
            with self.read_sessions() as session, session.begin():
                yield session
            return
        if not shared:
            session = self.read_sessions()
            session.begin()
            shared.append(session)
        try:
            yield shared[0]
        except Exception as exc:
            if isinstance(exc, DBAPIError):   # the transaction is unusable: start afresh
                self._close_snapshot(shared)
            raise

    @contextmanager
    def one_snapshot(self) -> Iterator[None]:
        """One reading session for a whole page: the page's many `reading()` blocks (who is
        asking, the child, its tasks, records, plan) share one connection and transaction
        instead of each checking one out, beginning, and committing. Writes inside still take
        `transaction()` of their own; reads then see the snapshot taken at the first read."""
        shared: list = []
        token = self._snapshot.set(shared)
        read_to_the_end = False
        try:
            yield
            read_to_the_end = True
        finally:
            self._snapshot.reset(token)
            self._close_snapshot(shared, read_to_the_end)

    @staticmethod
    def _close_snapshot(shared: list, read_to_the_end: bool = False) -> None:
        """A snapshot that only read ends with COMMIT, as `reading()` blocks do: the same for
        the data, but psycopg forgets every prepared statement of the connection at a
        ROLLBACK, so pages that ended so had each statement parsed and planned afresh on
        PostgreSQL. After an error it rolls back."""
        while shared:
            session = shared.pop()
            try:
                if read_to_the_end:
                    session.commit()
                else:
                    session.rollback()
            finally:
                session.close()

    def maintain_statistics(self) -> None:
        """Give the query planner fresh statistics. SQLite has none until ANALYZE runs, and
        without them it chooses the wrong index at scale (the sweep's claim, the reports);
        `analysis_limit` keeps it to a sample of each index, a fraction of a second on a
        council's file. PostgreSQL's autovacuum analyzes by itself: nothing to do."""
        if self.engine.dialect.name != "sqlite":
            return
        with self.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
            conn.exec_driver_sql("ANALYZE")
            conn.exec_driver_sql("PRAGMA optimize")

    def dispose(self) -> None:
        self.engine.dispose()
