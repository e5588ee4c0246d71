"""The timer worker: sweeps again and again until told to stop, and after each sweep
delivers the outbox to webhooks and sends reminders by e-mail (engine/reminders). Runs as its own process
(`permanence worker`) or as a thread inside `permanence serve`."""
import logging
import threading

from models import Database

from .reminders import run_reminders
from .sweep import sweep
from .webhooks import deliver

log = logging.getLogger("permanence.timers")


def run_worker(db: Database, interval_seconds: float, stop: threading.Event,
               reminders=None) -> None:
    """A failing sweep (database away for a moment) is logged and tried again next round;
    a failing pathway never reaches here: the sweep isolates it. Webhooks and reminders go
    after the sweep, each in its own try: one failing never stops the others."""
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
