"""The service under HTTP load, as an operator runs it: `permanence serve` processes on
PostgreSQL with 5,000 children over ten teams (dashboard.py's builder) and real children on
the shipped pathway to complete tasks for, and 16 clients on 127.0.0.1.

The mix, each client in turn: a completion (the task form sent, then "Complete task" on Check
your answers: two requests, while real children wait), a team manager's inbox, a social
worker's inbox, a child's page (head of service), a child's page (team manager), a task page,
the team dashboard, and every other round the head of service's dashboard.

http_cpu_ms_per_request: the server's processor time (user + system, every thread, from
  /proc) over the requests answered, one process (waitress, 2 threads). Target under 20.
http_rps: requests answered a second by `serve --workers 2` (2 threads each); target at least 60.
http_p95_ms_c16: the 95th percentile of the answer time at 16 clients, 2 processes; under 300.
  The clients start at different steps of the round, as people do (see `_Mix.drive`).
http_scale_2proc: http_rps over the same mix's rate with 1 process.
http_errors: answers other than those expected (200, or 302 for the form posts) in both runs.
http_tasks_left: real tasks not completed after both runs (0: the completions ran out, and the
  rounds after that measured a cheaper mix).
Each run is bounded (30 s), after a warm-up; the clients' own processor time is not counted.
"""
import os
import queue
import random
import re
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from engine import open_tasks
from models import Child, User

from .common import ROOT, START, council, register
from .dashboard import PROCESS, _fill

PERMANENCE = ROOT / ".venv" / "bin" / "permanence"
PASSWORD = "bench-password-1"
FORM = {"held_on-day": "2", "held_on-month": "3", "held_on-year": "2026",
        "chaired_by": "social_worker", "background": "Known since 2024",
        "options_and_outcomes": "Options discussed", "reunification_discussed": "true",
        "plan_identified": "false", "contingency_plan": "Long-term fostering",
        "invited": ["fostering_team", "adoption_team", "family_and_friends_team", "iro"],
        "wishes_and_feelings": "Wants to stay with her brother.", "child_consulted_how": "met_alone",
        "views_of_parents": "Mother wants the children home.", "advocacy_information_given": "false"}


def run(url: str | None = None, children: int = 5_000, real: int = 700, seconds: float = 30,
        clients: int = 16) -> dict:
    """The figure is about PostgreSQL: without --postgresql a throwaway server is started."""
    from tests.postgresql import PostgresServer
    server = PostgresServer() if url is None else None
    try:
        with council(url or server.start(), "bench_http", PROCESS) as db:
            return _measure(db, children, real, seconds, clients)
    finally:
        if server:
            server.stop()


def _measure(db, children: int, real: int, seconds: float, clients: int) -> dict:
    _fill(db, children)
    real_tasks = _real_children(db, real)
    with db.reading() as session:
        child_ids = session.scalars(select(Child.id)).all()
        team_ids = session.scalars(select(Child.id).join(Child.team).where(text("team.name = 'Team 01'"))).all()
    figures, errors = {"http_children": len(child_ids)}, 0
    tasks = queue.SimpleQueue()
    for task_id in real_tasks:
        tasks.put(task_id)
    one = _run_server(db, 1, seconds, clients, (child_ids, team_ids), real_tasks, tasks)
    two = _run_server(db, 2, seconds, clients, (child_ids, team_ids), real_tasks, tasks)
    figures["http_cpu_ms_per_request"] = round(one["cpu_s"] * 1000 / max(one["requests"], 1), 1)
    figures["http_rps_1proc"] = round(one["rps"], 1)
    figures["http_rps"] = round(two["rps"], 1)
    figures["http_p95_ms_c16"] = round(two["p95_ms"], 0)
    figures["http_cpu_ms_per_request_2proc"] = round(two["cpu_s"] * 1000 / max(two["requests"], 1), 1)
    figures["http_scale_2proc"] = round(two["rps"] / max(one["rps"], 0.01), 2)
    figures["http_completions"] = one["completions"] + two["completions"]
    # Every round starts with a completion while real tasks last: a run that used them all
    # measured a cheaper mix for its remaining rounds, and says so.
    figures["http_tasks_left"] = tasks.qsize()
    errors = one["errors"] + two["errors"]
    for problem in sorted(set(errors))[:5]:
        print(f"# http: {problem}", flush=True)
    figures["http_errors"] = len(errors)
    return figures


def _real_children(db, count: int) -> list[str]:
    """Children registered through the engine (the copies cannot be completed), each at its
    initial PPM; and passwords for the staff who sign in."""
    with db.transaction() as session:
        for user in session.scalars(select(User).where(User.username.in_(("sw", "tm", "hos")))).unique():
            user.password_hash = generate_password_hash(PASSWORD)
    found = []
    for n in range(count):
        child = register(db, f"REAL-{n:04}", process=PROCESS).child_id
        found += [t["task_id"] for t in open_tasks(db, child_id=child) if t["name"] == "Hold the initial PPM"]
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])   # utime, stime of every thread
    return total / tick


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def _web_pids(process: subprocess.Popen, workers: int) -> list[int]:
    return [process.pid] if workers == 1 else _children_of(process.pid)


def _postgres_cpu_seconds(url: str) -> float | None:
    """The throwaway server's processor time (its backends', live and ended), or None for a
    server elsewhere: how much of the machine the database takes beside the web processes."""
    try:
        socket_dir = Path(make_url(url).query["host"])
        postmaster = int((socket_dir / "data" / "postmaster.pid").read_text().split()[0])
        ended = Path(f"/proc/{postmaster}/stat").read_text().rsplit(")", 1)[1].split()[13:15]
    except (KeyError, OSError, ValueError):
        return None
    tick = os.sysconf("SC_CLK_TCK")
    return _cpu_seconds([postmaster, *_children_of(postmaster)]) + sum(map(int, ended)) / tick


def _run_server(db, workers: int, seconds: float, clients: int, child_ids, real_tasks, tasks) -> dict:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    instance = tempfile.mkdtemp(prefix="permanence-bench-http-")
    env = {**os.environ, "DATABASE_URL": db.url, "PERMANENCE_CLOCK": START.isoformat(),
           "PERMANENCE_PROCESS": PROCESS, "PERMANENCE_INSTANCE_DIR": instance,
           "SECRET_KEY": "bench", "PERMANENCE_INSECURE_COOKIES": "1"}
    server = subprocess.Popen([str(PERMANENCE), "serve", "--workers", str(workers), "--no-timers",
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        _wait(base)
        signed = {name: _sign_in(base, name) for name in ("sw", "tm", "hos")}
        mix = _Mix(base, signed, child_ids, real_tasks, tasks)
        mix.warm(clients)
        pids = _web_pids(server, workers)
        cpu_before, database_before = _cpu_seconds(pids), _postgres_cpu_seconds(db.url)
        result = mix.drive(clients, seconds)
        result["cpu_s"] = _cpu_seconds(pids) - cpu_before
        database_after = _postgres_cpu_seconds(db.url)
        result["database_cpu_s"] = (None if database_before is None or database_after is None
                                    else database_after - database_before)
        _describe(workers, result)
        return result
    finally:
        server.terminate()
        server.wait(60)
        subprocess.run(["rm", "-rf", instance], check=False)


def _describe(workers: int, result: dict) -> None:
    """Comment lines, not figures: where the time went (each kind of request's median and
    95th percentile answer time), and what the clients themselves used."""
    requests = max(result["requests"], 1)
    print(f"# {workers} process(es): the clients used {result['clients_cpu_s'] * 1000 / requests:.1f} ms "
          f"of processor a request", flush=True)
    if result["database_cpu_s"] is not None:
        print(f"# {workers} process(es): PostgreSQL used {result['database_cpu_s'] * 1000 / requests:.1f} ms "
              f"of processor a request", flush=True)
    for kind, took in sorted(result["kinds"].items()):
        took.sort()
        print(f"# {workers} process(es): {kind} x{len(took)}: median {took[len(took) // 2] * 1000:.0f} ms, "
              f"p95 {took[int(len(took) * 0.95)] * 1000:.0f} ms", flush=True)


def _wait(base: str) -> None:
    import requests
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with requests.Session() as probe:
                probe.trust_env = False
                if probe.get(f"{base}/healthz", timeout=30).status_code == 200:
                    return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    raise RuntimeError(f"{base} never answered")


def _sign_in(base: str, username: str) -> dict:
    """The cookie the sign-in page leaves, and the form token of that session."""
    import requests
    with requests.Session() as browser:
        browser.trust_env = False
        token = _csrf(browser.get(f"{base}/sign-in").text)
        browser.post(f"{base}/sign-in", data={"username": username, "password": PASSWORD,
                                              "csrf_token": token}, allow_redirects=False)
        page = browser.get(f"{base}/inbox")
        assert page.status_code == 200, (username, page.status_code)
        return {"cookies": browser.cookies.get_dict(), "csrf": _csrf(page.text)}


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


class _Mix:
    def __init__(self, base, signed, child_ids, real_tasks, tasks):
        self.base, self.signed = base, signed
        self.child_ids, self.team_child_ids = child_ids
        self.real_tasks, self.tasks = real_tasks, tasks

    def _browsers(self):
        import requests
        browsers = {}
        for name, signed in self.signed.items():
            browser = requests.Session()
            browser.trust_env = False
            browser.cookies.update(signed["cookies"])
            browsers[name] = (browser, signed["csrf"])
        return browsers

    def _round(self, browsers, rng, n: int, warming: bool = False, start: int = 0):
        """One client's round: (what, method, user, path, form, expected status), from step
        `start` (0: the completion first; k: the k-th page on, no completion)."""
        child = rng.choice(self.child_ids)
        steps = [("inbox", "tm", "/inbox"), ("inbox", "sw", "/inbox"),
                 ("child", "hos", f"/children/{child}"), ("child", "tm", f"/children/{rng.choice(self.team_child_ids)}"),
                 ("task", "sw", f"/tasks/{rng.choice(self.real_tasks)}"),
                 ("dashboard", "tm", "/dashboard")]
        if n % 2:
            steps.append(("dashboard", "hos", "/dashboard"))
        task_id = None if warming or start else self._next_task()
        if task_id is not None:   # first, so that a short run completes tasks too
            yield "completion", "POST", "sw", f"/tasks/{task_id}", FORM, (302,)
            yield "completion", "POST", "sw", f"/tasks/{task_id}/check", {}, (302,)
        for what, user, path in steps[max(start - 1, 0):]:
            yield what, "GET", user, path, None, (200,)

    def _next_task(self) -> str | None:
        try:
            return self.tasks.get_nowait()
        except queue.Empty:
            return None

    def warm(self, clients: int) -> None:
        """Every page a few times from many connections at once, so that every process has
        read the diagram and compiled its templates before anything is measured."""
        def warm_one(number):
            browsers, rng = self._browsers(), random.Random(number)
            for n in range(2):
                for what, method, user, path, form, _ in self._round(browsers, rng, n, warming=True):
                    try:
                        browsers[user][0].get(self.base + path, timeout=120)
                    except Exception:  # noqa: BLE001 (warming only; the run counts errors)
                        pass
        threads = [threading.Thread(target=warm_one, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def drive(self, clients: int, seconds: float) -> dict:
        stop = time.monotonic() + seconds
        latencies, errors, completions = [], [], [0]
        kinds, own_before = {}, time.process_time()
        lock = threading.Lock()

        def client(number):
            browsers, rng, n = self._browsers(), random.Random(number), 0
            # Each client starts its first round at a step of its own, then goes round in the
            # same order. Clients that all started together would stay in step (the server
            # answers in turn), all asking for the same kind of page at once, and each kind's
            # wait would be set by sixteen of its own kind: people do not work in step.
            start = rng.randrange(8)
            while time.monotonic() < stop:
                for what, method, user, path, form, expected in self._round(browsers, rng, n,
                                                                            start=start if n == 0 else 0):
                    browser, token = browsers[user]
                    began = time.perf_counter()
                    try:
                        if method == "GET":
                            status = browser.get(self.base + path, timeout=60).status_code
                        else:
                            status = browser.post(self.base + path, data={**form, "csrf_token": token},
                                                  allow_redirects=False, timeout=60).status_code
                    except Exception as exc:  # noqa: BLE001 (counted as an error)
                        status = type(exc).__name__
                    took = time.perf_counter() - began
                    with lock:
                        latencies.append(took)
                        kinds.setdefault(what + ("/check" if path.endswith("/check") else ""), []).append(took)
                        if status not in expected:
                            errors.append(f"{what} {method} answered {status}")
                        elif what == "completion" and path.endswith("/check"):
                            completions[0] += 1
                    if time.monotonic() >= stop:
                        break
                n += 1
        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        clients_cpu = time.process_time() - own_before
        latencies.sort()
        p95 = latencies[int(len(latencies) * 0.95)] * 1000 if latencies else 0
        return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p95_ms": p95,
                "errors": errors, "completions": completions[0], "kinds": kinds,
                "clients_cpu_s": clients_cpu}
