"""The timer worker: sweeps again and again until told to stop, and after each sweep
delivers the outbox to webhooks and sends reminders by e-mail (engine/reminders). Runs as its own process
(`permanence worker`) or as a thread inside `permanence serve`."""
import logging
import threading
import time

from models import Database

from . import figures
from .reminders import run_reminders
from .sweep import sweep
from .webhooks import deliver

log = logging.getLogger("permanence.timers")

#: How often the worker refreshes the database's statistics (SQLite; at start too).
STATISTICS_SECONDS = 3600


def run_worker(db: Database, interval_seconds: float, stop: threading.Event,
               reminders=None) -> None:
    """A failing sweep (database away for a moment) is logged and tried again next round;
    a failing pathway never reaches here: the sweep isolates it. Webhooks and reminders go
    after the sweep, each in its own try: one failing never stops the others. Each round also
    folds the days that have passed into the dashboards' running figures (nothing to do but on
    the first round of a day), and every hour refreshes the planner's statistics."""
    statistics_due = 0.0
    while not stop.is_set():
        if time.monotonic() >= statistics_due:
            try:
                db.maintain_statistics()
            except Exception:
                log.exception("refreshing statistics failed; trying again in an hour")
            statistics_due = time.monotonic() + STATISTICS_SECONDS
        try:
            report = sweep(db, stop=stop)
            if report.instances:
                log.info("sweep: %d due, %d timers fired, %d errors",
                         report.instances, report.timers_fired, len(report.errors))
        except Exception:
            log.exception("sweep failed; trying again in %s s", interval_seconds)
        try:
            figures.fold_past(db)
        except Exception:
            log.exception("folding the dashboard figures failed; trying again next round")
        try:  # after the sweep, so what it changed goes out in this round
            delivered = deliver(db)
            if delivered:
                log.info("webhooks: %d events delivered", delivered)
        except Exception:
            log.exception("webhook delivery failed; trying again in %s s", interval_seconds)
        if reminders is not None:
            try:
                done = run_reminders(db, reminders)
                if any(done.values()):
                    log.info("reminders: %(written)d written, %(composed)d e-mails made, "
                             "%(sent)d sent", done)
            except Exception:
                log.exception("reminders failed; trying again in %s s", interval_seconds)
        stop.wait(interval_seconds)


def start_worker_thread(db: Database, interval_seconds: float, reminders=None) -> threading.Event:
    stop = threading.Event()
    threading.Thread(target=run_worker, args=(db, interval_seconds, stop, reminders),
                     name="timer-worker", daemon=True).start()
    return stop
