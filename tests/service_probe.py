"""The application served for real (waitress, on 127.0.0.1) with a thread asking `/healthz`
again and again: what a monitoring probe would see while the same process does heavy work.
Used by the tests that diagram code cannot freeze the service, and by `bench/bombs.py`."""
import threading
import time
import urllib.request

from waitress import create_server

PROBE_TIMEOUT = 5.0  # seconds one /healthz may take before the probe counts it as failed


class HealthProbe:
    def __init__(self, app, interval: float = 0.02):
        self.server = create_server(app, host="127.0.0.1", port=0, threads=4)
        self.url = f"http://127.0.0.1:{self.server.effective_port}/healthz"
        self.interval = interval
        self.waits: list[float] = []      # seconds each answered /healthz took
        self.failures: list[str] = []     # what went wrong with those that did not answer
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self.server.run, daemon=True),
                         threading.Thread(target=self._probe, daemon=True)]

    def __enter__(self) -> "HealthProbe":
        for thread in self._threads:
            thread.start()
        self.wait_for_answer()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._threads[1].join(PROBE_TIMEOUT * 2)
        self.server.close()

    def _probe(self) -> None:
        while not self._stop.is_set():
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(self.url, timeout=PROBE_TIMEOUT) as response:
                    response.read()
                self.waits.append(time.perf_counter() - started)
            except Exception as exc:  # a timeout is exactly what this probe exists to catch
                self.failures.append(f"{type(exc).__name__}: {exc}")
            self._stop.wait(self.interval)

    def wait_for_answer(self, limit: float = 30.0) -> None:
        """Until one more /healthz has been answered (AssertionError after `limit` s)."""
        seen, deadline = len(self.waits), time.monotonic() + limit
        while len(self.waits) == seen:
            assert time.monotonic() < deadline and not self.failures, self.failures
            time.sleep(0.005)


def run_bounded(work, limit: float = 60.0):
    """`work()` in a daemon thread: its result or exception, or AssertionError if it is
    still running after `limit` seconds (the bug these tests guard against is a hang)."""
    outcome = {}

    def target():
        try:
            outcome["value"] = work()
        except BaseException as exc:  # noqa: B902 - handed back to the caller
            outcome["error"] = exc
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        raise AssertionError(f"still evaluating after {limit:.0f} s: the service would be frozen")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
