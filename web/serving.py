"""How `permanence serve` and `permanence worker` run: one waitress process with the timer
worker in a thread, or N gunicorn web processes (gthread) and a timer worker process beside
them on PostgreSQL.

A web process keeps nothing of its own between requests (sessions are signed cookies checked
against `app_user.session_generation`, sign-in failures, task drafts and idempotency keys are
tables, caches only hold immutable diagram versions), so any process may answer any request.

SQLite takes one serving process: a second `serve` or `worker` on the same file is refused
at start, by an exclusive lock on `<database>.lock` held for the process's life (the kernel
drops it when the process ends, however it ends).
"""
import fcntl
import gc
import logging
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from .settings import Settings

SQLITE_ONE_PROCESS = ("SQLite serves one process. Set DATABASE_URL to a PostgreSQL database "
                      "(postgresql+psycopg://user@host/db) to run several web or timer workers.")
_held: list = []   # the lock file stays open (and locked) while this process lives


class _OncePerMinute(logging.Filter):
    """Lets a repeated warning through once a minute: waitress warns "Task queue depth is N"
    on every request that waits for a thread, one line per request under load."""

    def __init__(self):
        super().__init__()
        self._last = float("-inf")

    def filter(self, record):
        if record.created - self._last < 60:
            return False
        self._last = record.created
        return True


#: SpiffWorkflow's loggers, quietened: its others inherit from 'spiff', but 'spiff.task' is
#: named too, as SpiffWorkflow adds the task's data to each record unless its own level is set.
SPIFF_LOGGERS = ("spiff", "spiff.task")


def configure_logging() -> None:
    """INFO for what the service says (sign-ins refused, sweeps, errors), but SpiffWorkflow's
    own INFO lines stay off: it logs every task state change (hundreds in one completion), which
    at INFO filled the log and cost each completion a formatted, locked write per change."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    for name in SPIFF_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger("waitress.queue").addFilter(_OncePerMinute())


def sqlite_path(database_url: str) -> Path | None:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).resolve()


def claim_sqlite(settings: Settings, workers: int = 1) -> None:
    """Refuse plainly, before anything starts, a second serving process on one SQLite file
    (or several web processes asked of it): they would queue on its one write lock."""
    path = sqlite_path(settings.database_url)
    if path is None:
        return
    if workers > 1:
        raise ValueError(f"--workers {workers}: {SQLITE_ONE_PROCESS}")
    lock_path = path.with_name(path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise ValueError(f"the SQLite database {path} is already served by {holder} "
                         f"(`permanence serve` or `permanence worker`). {SQLITE_ONE_PROCESS}") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"process {os.getpid()}")
    handle.flush()
    _held.append(handle)


def settle(app):
    """The app as built (modules, mappers, routes, settings: some 165,000 objects that live
    as long as the process) moved out of the garbage collector's sight, so its full
    collections, which SpiffWorkflow's many small objects set off under load, walk only what
    requests made. Done once per web process, after the app is built (after the fork)."""
    gc.collect()
    gc.freeze()
    return app


def serve_one(settings: Settings, host: str, port: int, threads: int, timers: bool) -> None:
    """One process: waitress, with the timer worker in a thread unless told otherwise."""
    from waitress import serve as waitress_serve
    from engine.worker import start_worker_thread
    from . import create_app, database
    app = settle(create_app(settings))
    stop = (start_worker_thread(database(app), settings.sweep_seconds, settings.reminders)
            if timers else None)
    try:
        waitress_serve(app, host=host, port=port, threads=threads)
    finally:
        if stop is not None:
            stop.set()


def serve_many(settings: Settings, host: str, port: int, workers: int, threads: int,
               timers: bool) -> None:
    """N gunicorn web processes sharing one socket, each with its own database connections
    (the app is made after the fork), and one `permanence worker` process for the timers.

    A process takes a connection only when one of its threads is free (`worker_connections`
    is the thread count) and closes it after the answer (no keep-alive), so the socket's
    queue is the one queue all processes draw from, first come first served: a request never
    waits behind a busy process while another is idle. A process that took whatever came
    would share its core among all it had taken, so the heaviest pages (the inbox, a
    completion) waited longest; and a kept-alive connection tied its client to one process.
    The council's proxy keeps the browsers' own connections alive."""
    from gunicorn.app.base import BaseApplication

    class WebProcesses(BaseApplication):
        def load_config(self):
            for key, value in {"bind": f"{host}:{port}", "workers": workers,
                               "worker_class": "gthread", "threads": threads,
                               "timeout": 120, "graceful_timeout": 30,
                               "worker_connections": threads, "keepalive": 0,
                               "accesslog": None, "errorlog": "-", "loglevel": "info",
                               "proc_name": "permanence-web"}.items():
                self.cfg.set(key, value)

        def load(self):
            from . import create_app
            return settle(create_app(settings))

    timer_process = None
    if timers:
        timer_process = subprocess.Popen(
            [sys.executable, "-c", "from web.cli import main; main()", "worker"])
    try:
        WebProcesses().run()
    finally:
        if timer_process is not None:
            timer_process.terminate()
            timer_process.wait(60)
