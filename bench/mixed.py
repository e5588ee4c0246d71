"""A busy council on the embedded database: managers reading, the timer worker sweeping and
social workers writing, all at once on one SQLite file, through the real app and engine.

sqlite_mixed_errors: requests or sweeps that failed (an error status, an exception such as
  "database is locked", a tracker CSV cut off or torn) in a 20-second mixed run; target 0.
sqlite_mixed_requests: how many requests and sweeps were made in that time.

`drive` is also run for a few seconds by tests/web/test_concurrency.py, which asserts that it
sees no error: the same mix, so the suite and the benchmark cannot drift apart.
"""
import csv
import io
import itertools
import multiprocessing
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from engine import clock, open_tasks, register_child, sweep
from models import Database, User

#: The mix's clock: children registered as looked after on 2 March are past their first
#: PPM's escalation date, so every one registered gives the sweep a timer to fire.
MIX_CLOCK = datetime(2026, 3, 20, 9, tzinfo=timezone.utc)
READER_PAGES = ["/dashboard", "/children", "/inbox", "/dashboard/tracker.csv", "/status"]
PPM = {"held_on-day": "2", "held_on-month": "3", "held_on-year": "2026", "plan": "adoption",
       "contingency_plan": "Long-term fostering"}


@dataclass
class MixReport:
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, error: str | None = None) -> None:
        with self.lock:
            self.requests += 1
            if error:
                self.errors.append(error)


def child(reference: str) -> dict:
    return {"reference": reference, "name": f"Child {reference}", "date_of_birth": "2019-05-04",
            "legal_status": "ico", "looked_after_on": "2026-03-02", "team": "North",
            "social_worker": "sw"}


def signed_in(app, username: str):
    """A test client with the user's session, as the sign-in page leaves it."""
    from web.identity import SESSION_KEY
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session[SESSION_KEY] = _user_id(app, username)
    return client


def _user_id(app, username: str) -> int:
    with app.extensions["permanence.db"].reading() as session:
        return session.query(User.id).filter_by(username=username).scalar()


def drive(app, db: Database, seconds: float, readers: int = 4, writers: int = 2,
          process_id: str = "demo_pathway") -> MixReport:
    """Run the mix for `seconds`: `readers` managers cycling through the dashboard, the
    children list, the inbox, the status page and the tracker CSV; the timer worker
    sweeping in a process of its own; `writers` social workers registering children and
    completing their initial PPMs on the task page."""
    report = MixReport()
    stop = time.monotonic() + seconds
    references = itertools.count(1)

    def guarded(work):
        def run():
            while time.monotonic() < stop:
                try:
                    work()
                except Exception as exc:  # noqa: BLE001 (every failure is what is counted)
                    report.count(f"{threading.current_thread().name}: {type(exc).__name__}: {exc}")
        return run

    def reader(username):
        client = signed_in(app, username)
        pages = itertools.cycle(READER_PAGES)

        def read():
            page = next(pages)
            response = client.get(page)
            body = response.get_data()
            problem = None if response.status_code == 200 else f"{page} answered {response.status_code}"
            if problem is None and page.endswith(".csv"):
                problem = _torn_csv(body)
            report.count(problem and f"{username} {problem}")
        return read

    sweeper = _sweeper_process(db.url, seconds)

    def writer(n):
        client = signed_in(app, "sw")

        def write():
            registered = register_child(db, child(f"MIX-{n}-{next(references):05}"), "sw",
                                        process_id=process_id)
            report.count()
            [task] = [t for t in open_tasks(db, child_id=registered.child_id)
                      if t["name"] == "Record initial PPM"]
            response = client.post(f"/tasks/{task['task_id']}", data=PPM)
            report.count(None if response.status_code == 302
                         else f"completion answered {response.status_code}")
        return write

    threads = [threading.Thread(target=guarded(reader(name)), name=f"reader-{name}")
               for name in itertools.islice(itertools.cycle(["tm", "sm", "hos", "tm"]), readers)]
    threads += [threading.Thread(target=guarded(writer(n)), name=f"writer-{n}") for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sweeps, errors = sweeper.get(timeout=seconds + 60)
    report.requests += sweeps
    report.errors += errors
    return report


def _sweeper_process(url: str, seconds: float):
    """The timer worker in a process of its own, as `permanence worker` runs beside the web
    application: its queue gives back (sweeps made, errors) when its time is up."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    context.Process(target=_sweep_for, args=(url, clock.now().isoformat(), seconds, results),
                    daemon=True).start()
    return results


def _sweep_for(url: str, now: str, seconds: float, results) -> None:
    clock.set_fixed(datetime.fromisoformat(now))
    db = Database(url)
    stop = time.monotonic() + seconds
    sweeps, errors = 0, []
    while time.monotonic() < stop:
        sweeps += 1
        try:
            report = sweep(db)
            errors += [f"sweeper: {message}" for _, message in report.errors]
        except Exception as exc:  # noqa: BLE001
            errors.append(f"sweeper: {type(exc).__name__}: {exc}")
    db.dispose()
    results.put((sweeps, errors))


def _torn_csv(body: bytes) -> str | None:
    """A tracker cut off mid-stream ends without its line ending, or with a short row."""
    text = body.decode("utf-8-sig")
    if not text.endswith("\r\n"):
        return "tracker.csv cut off"
    rows = list(csv.reader(io.StringIO(text)))
    short = [row for row in rows if len(row) != len(rows[0])]   # every row as wide as the header
    return f"tracker.csv has {len(short)} torn rows" if short else None


def prepare(db: Database, children: int = 20) -> None:
    """Staff for the mix beside the council's, and children waiting at their first PPM."""
    from engine.people import add_user
    from workflows import roles
    with db.transaction() as session:
        if not session.query(User).filter_by(username="sm").count():
            add_user(session, "sm", "Sal Service", [roles.SERVICE_MANAGER])
            add_user(session, "hos", "Hal Head", [roles.HEAD_OF_SERVICE])
    clock.set_fixed(MIX_CLOCK)
    for n in range(children):
        register_child(db, child(f"START-{n:03}"), "sw", process_id="demo_pathway")


def run(url: str | None = None, seconds: float = 20.0) -> dict:
    if url is not None:
        return {}  # the figure is about the embedded database
    from .common import council
    with council(None, "bench_mixed") as db:
        return _measure(db, seconds)


def _measure(db, seconds: float) -> dict:
    from engine.people import add_user, ensure_team
    from web import create_app
    from web.settings import Settings
    from workflows import roles
    with db.transaction() as session:
        add_user(session, "tm", "Tina Manager", [roles.TEAM_MANAGER], ensure_team(session, "North"))
    prepare(db)
    app = create_app(Settings(database_url=db.url, secret_key="bench", process_id="demo_pathway",
                              clock=MIX_CLOCK.isoformat()), db=db)
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    report = drive(app, db, seconds)
    for error in report.errors[:5]:
        print(f"# {error}", flush=True)
    return {"sqlite_mixed_errors": len(report.errors), "sqlite_mixed_requests": report.requests}
