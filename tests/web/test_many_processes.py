"""Several processes the documented way (issue 15, section 1): `permanence serve --workers 2`
(two gunicorn web processes) and two `permanence worker`s on one PostgreSQL. Social workers
complete the same tasks at once over HTTP while the workers sweep: every task is completed
once (one success, the others a clear 409, never a 500) and every timer fires once. SQLite
refuses a second serving process, naming the setting."""
import os
import re
import socket
import subprocess
import threading
import time
from pathlib import Path

import requests
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from engine import open_tasks, register_child
from engine.people import add_user, ensure_team
from models import AuditEvent, HumanTask, PathwayInstance, TaskRecord, User
from workflows import roles

from ..conftest import DEMO_DIAGRAMS, child_details
from .test_task_page import PPM

ROOT = Path(__file__).resolve().parents[2]
PERMANENCE = ROOT / ".venv" / "bin" / "permanence"
PASSWORD = "correct horse battery"
SERVER_CLOCK = "2026-03-18T09:00:00+00:00"   # after every child's initial PPM deadline (16 March)
CLIENTS = ("sw", "sw2", "sw3")                 # North's social workers, each in a browser of their own
CHILDREN = 8


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp_path, database_url: str) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "PERMANENCE_CLOCK": SERVER_CLOCK,
            "PERMANENCE_INSTANCE_DIR": str(tmp_path / "instance"), "PERMANENCE_SWEEP_SECONDS": "0.2",
            "PERMANENCE_PROCESS": "demo_pathway", "PERMANENCE_DIAGRAMS": str(DEMO_DIAGRAMS),
            "PERMANENCE_INSECURE_COOKIES": "1"}


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _signed_in(base: str, username: str) -> requests.Session:
    browser = requests.Session()
    browser.trust_env = False   # straight to 127.0.0.1, never through a proxy from the environment
    token = _csrf(browser.get(f"{base}/sign-in", timeout=30).text)
    answer = browser.post(f"{base}/sign-in", data={"username": username, "password": PASSWORD,
                                                  "csrf_token": token}, allow_redirects=False, timeout=30)
    assert answer.status_code == 302, (username, answer.status_code)
    return browser


def _wait_for(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            with requests.Session() as probe:
                probe.trust_env = False
                if probe.get(f"{base}/healthz", timeout=30).status_code == 200:
                    return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.2)
    raise AssertionError("the web processes never answered")


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _council(db):
    with db.transaction() as session:
        north = ensure_team(session, "North")
        add_user(session, "sw3", "Sol Third", [roles.SOCIAL_WORKER], north)
        for user in session.scalars(select(User).where(User.username.in_(CLIENTS))).unique():
            user.password_hash = generate_password_hash(PASSWORD)
    children = [register_child(db, child_details(reference=f"MP-{n}", name=f"Child {n}"), "sw",
                               process_id="demo_pathway") for n in range(CHILDREN)]
    return [open_tasks(db, child_id=c.child_id)[0]["task_id"] for c in children]


def _complete_at_once(base: str, browsers: dict, task_id: str) -> list[tuple[int, str]]:
    """Every browser presses "Complete task" on the same task at the same moment."""
    start, answers = threading.Barrier(len(browsers)), []

    def press(browser):
        token = _csrf(browser.get(f"{base}/tasks/{task_id}/check", timeout=30).text)
        start.wait()
        answer = browser.post(f"{base}/tasks/{task_id}/check", data={"csrf_token": token},
                              allow_redirects=False, timeout=60)
        answers.append((answer.status_code, answer.headers.get("Location", "")))
    threads = [threading.Thread(target=press, args=(b,)) for b in browsers.values()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_two_web_processes_and_two_workers_complete_each_task_once_and_fire_each_timer_once(
        pg_council, tmp_path):
    db = pg_council
    tasks = _council(db)
    env, port = _env(tmp_path, db.url), _free_port()
    base = f"http://127.0.0.1:{port}"
    web = subprocess.Popen([str(PERMANENCE), "serve", "--workers", "2", "--no-timers", "--port", str(port)],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    workers = [subprocess.Popen([str(PERMANENCE), "worker"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL) for _ in range(2)]
    try:
        _wait_for(base, web)
        assert len(_children_of(web.pid)) == 2   # two web processes under the one `serve`
        browsers = {name: _signed_in(base, name) for name in CLIENTS}
        for task_id in tasks:   # each fills the form in: a draft of their own, then Check
            for browser in browsers.values():
                token = _csrf(browser.get(f"{base}/tasks/{task_id}", timeout=30).text)
                saved = browser.post(f"{base}/tasks/{task_id}", data={**PPM, "csrf_token": token},
                                     allow_redirects=False, timeout=30)
                assert saved.status_code == 302, saved.text[:2000]
        for task_id in tasks:
            answers = _complete_at_once(base, browsers, task_id)
            # One done (back to the inbox); the others told it is done already, never a 500.
            assert sorted(answers) == [(302, "/inbox"), (409, ""), (409, "")], (task_id, answers)
        deadline = time.monotonic() + 60   # the workers sweep everything due
        while time.monotonic() < deadline and _due(db):
            time.sleep(0.2)
        assert _due(db) == 0
    finally:
        for process in (web, *workers):
            process.terminate()
        for process in (web, *workers):
            process.wait(60)
    assert all(process.returncode in (0, -15) for process in workers)
    with db.reading() as session:
        for task_id in tasks:
            assert session.scalar(select(HumanTask.status).filter_by(task_id=task_id)) == "completed"
            assert session.scalar(select(func.count()).select_from(TaskRecord)
                                  .where(TaskRecord.task_id == task_id)) == 1
            assert session.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.kind == "task_completed", AuditEvent.detail["task_id"].as_string() == task_id)) == 1
        fired = dict(session.execute(select(AuditEvent.child_id, func.count()).where(
            AuditEvent.kind == "timer_fired").group_by(AuditEvent.child_id)).all())
        chases = dict(session.execute(select(HumanTask.child_id, func.count()).where(
            HumanTask.bpmn_id == "chase_initial_ppm").group_by(HumanTask.child_id)).all())
    # A timer fires once, or not at all if its PPM was recorded first (the deadline met).
    assert set(fired.values()) <= {1} and fired == chases
    assert fired, "the workers fired no timer: the race was not run"


def test_a_busy_web_process_takes_no_request_while_another_is_free(pg_council, tmp_path):
    """Two processes of one thread each. A client sending its request slowly holds one
    process's only thread; meanwhile every other request is taken and answered by the other
    process, none queued behind the held one (a process that took every connection it could
    kept some waiting until the slow client finished). Each answer closes its connection,
    so no client is tied to a process; the slow client's request is answered too, in the end."""
    env, port = _env(tmp_path, pg_council.url), _free_port()
    base = f"http://127.0.0.1:{port}"
    web = subprocess.Popen([str(PERMANENCE), "serve", "--workers", "2", "--threads", "1", "--no-timers",
                            "--port", str(port)], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for(base, web)
        with socket.create_connection(("127.0.0.1", port), timeout=60) as slow:
            slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")   # headers unfinished
            time.sleep(0.5)   # taken by a process, whose one thread now waits for the rest
            for _ in range(12):
                with requests.Session() as browser:
                    browser.trust_env = False
                    answer = browser.get(f"{base}/healthz", timeout=30)
                assert answer.status_code == 200
                assert answer.headers["Connection"] == "close"
            slow.sendall(b"\r\n")
            assert slow.recv(200).startswith(b"HTTP/1.1 200")
    finally:
        web.terminate()
        web.wait(60)


def _due(db) -> int:
    from datetime import datetime
    now = datetime.fromisoformat(SERVER_CLOCK)
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(PathwayInstance)
                              .where(PathwayInstance.next_due_at <= now))


def test_sqlite_refuses_a_second_serving_process_naming_the_setting(tmp_path):
    env = _env(tmp_path, f"sqlite:///{tmp_path / 'p.db'}")
    many = subprocess.run([str(PERMANENCE), "serve", "--workers", "2"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert many.returncode == 1
    assert "--workers 2: SQLite serves one process. Set DATABASE_URL to a PostgreSQL" in many.stderr
    subprocess.run([str(PERMANENCE), "init"], env=env, check=True, capture_output=True, timeout=120)
    first = subprocess.Popen([str(PERMANENCE), "worker"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    try:
        assert first.stdout.readline().startswith("timer worker: sweeping")
        for second in (["worker"], ["serve", "--port", str(_free_port())]):
            refused = subprocess.run([str(PERMANENCE), *second], env=env, capture_output=True,
                                     text=True, timeout=60)
            assert refused.returncode == 1
            assert f"is already served by process {first.pid}" in refused.stderr
            assert "Set DATABASE_URL to a PostgreSQL database" in refused.stderr
    finally:
        first.terminate()
        first.wait(30)
    # Once it has stopped, the file is free again.
    again = subprocess.Popen([str(PERMANENCE), "worker"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    try:
        assert again.stdout.readline().startswith("timer worker: sweeping")
    finally:
        again.terminate()
        again.wait(30)
