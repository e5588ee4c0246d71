"""`permanence serve` as an operator starts it: the application answers, and its timer worker
thread fires a due timer without anyone running a sweep."""
import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from ..conftest import DEMO_DIAGRAMS

ROOT = Path(__file__).resolve().parents[2]
PERMANENCE = ROOT / ".venv" / "bin" / "permanence"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
        return json.loads(response.read())


def test_serve_answers_and_its_timer_worker_fires_due_timers(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
           "PERMANENCE_INSTANCE_DIR": str(tmp_path / "instance"),
           "PERMANENCE_CLOCK": "2026-03-02T09:00:00+00:00", "PERMANENCE_SWEEP_SECONDS": "0.2",
           "PERMANENCE_PROCESS": "demo_pathway", "PERMANENCE_DIAGRAMS": str(DEMO_DIAGRAMS)}
    def run(*args, **extra):
        return subprocess.run([str(PERMANENCE), *args], env={**env, **extra}, capture_output=True,
                              text=True, check=True, timeout=120)
    # A team and a social worker come from the demo data; C-1 is registered on 2 March.
    run("init", "--demo")
    run("child", "add", "--reference", "C-1", "--name", "Alex Example", "--dob", "2019-05-04",
        "--legal-status", "ico", "--looked-after-on", "2026-03-02",
        "--team", "Children in Care North", "--social-worker", "asha.sw")
    port = _free_port()
    # The server's clock is after C-1's R7 deadline (16 March): its worker must escalate it.
    server = subprocess.Popen([str(PERMANENCE), "serve", "--port", str(port)],
                              env={**env, "PERMANENCE_CLOCK": "2026-03-18T09:00:00+00:00"},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        health = None
        while time.monotonic() < deadline:
            try:
                health = _health(port)
                if health["timers_due"] == 0:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        assert health is not None, "the server never answered"
        assert health["status"] == "ok" and health["diagrams"] == {"demo_pathway": 1}
        assert health["timers_due"] == 0, health  # the worker thread swept them
    finally:
        server.terminate()
        log = server.communicate(timeout=10)[0]
    # The worker's sweep ran SpiffWorkflow; its INFO line for every task state change (hundreds
    # a completion) stays out of the service's log, and the service's own lines stay in.
    assert "Permanence Pathway on http://" in log
    assert "spiff" not in log and "State changed" not in log, log[-2000:]
    shown = run("child", "show", "C-1", PERMANENCE_CLOCK="2026-03-18T09:00:00+00:00").stdout
    assert "Chase overdue initial PPM (Team Manager) due 2026-03-19 [R7]" in shown
    assert "Initial PPM deadline: due 2026-03-16 [R7] missed" in shown


def test_serving_logs_spiffworkflow_warnings_only_and_waitress_queue_warnings_once_a_minute():
    """Issue 15: at INFO, SpiffWorkflow formats and writes a line for every task state change;
    waitress warns on every request that waits for a thread. Neither may grow the log with load."""
    import logging

    from web.serving import SPIFF_LOGGERS, configure_logging
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    seen = []
    catch = logging.Handler()
    catch.emit = seen.append
    try:
        root.handlers[:] = []   # as at the start of `permanence serve` (pytest adds its own)
        configure_logging()
        root.handlers[:] = [catch]
        for name in ("spiff.task", "spiff.workflow", "spiff.data"):
            logging.getLogger(name).info("State changed to READY")
        assert logging.getLogger("spiff.task").level == logging.WARNING   # SpiffWorkflow reads it
        logging.getLogger("spiff.task").warning("a real warning")
        for depth in range(1, 6):
            logging.getLogger("waitress.queue").warning("Task queue depth is %d", depth)
        logging.getLogger("engine.worker").info("swept")
        assert [r.getMessage() for r in seen] == ["a real warning", "Task queue depth is 1", "swept"]
    finally:
        root.handlers[:], root.level = handlers, level
        for name in SPIFF_LOGGERS:
            logging.getLogger(name).setLevel(logging.NOTSET)
        for f in list(logging.getLogger("waitress.queue").filters):
            logging.getLogger("waitress.queue").removeFilter(f)


def test_a_web_process_settles_its_app_out_of_the_collectors_sight():
    """Issue 15: what the app is built of lives as long as the process; the collector's full
    collections under load then walk only what requests made (gc.freeze)."""
    import gc

    from web.serving import settle
    before = gc.get_freeze_count()
    built = object()
    try:
        assert settle(built) is built
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
