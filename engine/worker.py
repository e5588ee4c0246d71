"""The timer worker: sweeps again and again until told to stop, and after each sweep
delivers the outbox to webhooks. Runs as its own process
(`permanence worker`) or as a thread inside `permanence serve`."""
import logging
import threading

from models import Database

from .sweep import sweep
from .webhooks import deliver

log = logging.getLogger("permanence.timers")


def run_worker(db: Database, interval_seconds: float, stop: threading.Event) -> None:
    """A failing sweep (database away for a moment) is logged and tried again next round;
    a failing pathway never reaches here: the sweep isolates it."""
    while not stop.is_set():
        try:
            report = sweep(db, stop=stop)
            if report.instances:
                log.info("sweep: %d due, %d timers fired, %d errors",
                         report.instances, report.timers_fired, len(report.errors))
        except Exception:
            log.exception("sweep failed; trying again in %s s", interval_seconds)
        try:  # after the sweep, so what it changed goes out in this round
            delivered = deliver(db)
            if delivered:
                log.info("webhooks: %d events delivered", delivered)
        except Exception:
            log.exception("webhook delivery failed; trying again in %s s", interval_seconds)
        stop.wait(interval_seconds)


def start_worker_thread(db: Database, interval_seconds: float) -> threading.Event:
    stop = threading.Event()
    threading.Thread(target=run_worker, args=(db, interval_seconds, stop),
                     name="timer-worker", daemon=True).start()
    return stop
