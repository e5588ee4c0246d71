"""The application clock: the only source of time in the engine.

Every deadline, timer and audit time reads `now()`. A setting fixes the clock (tests, a
training sandbox set on a given day) or offsets it (a sandbox running weeks ahead to show
escalations). SpiffWorkflow's timer module calls `datetime.now` itself, so `install()`
replaces the `datetime` it sees with one whose `now()` reads this clock.

Setting (`PERMANENCE_CLOCK`): empty for real time; an ISO-8601 instant with an offset for a
fixed clock (`2026-03-02T09:00:00+00:00`); a signed ISO-8601 duration for an offset
(`+P30D`, `-PT2H`).
"""
import re
import threading
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

_lock = threading.Lock()
_fixed: datetime | None = None
_offset = timedelta(0)


class ClockError(ValueError):
    pass


_local = threading.local()


def now() -> datetime:
    """The current instant, aware, in UTC."""
    frozen = getattr(_local, "frozen", None)
    if frozen is not None:
        return frozen
    fixed = _fixed
    if fixed is not None:
        return fixed
    return datetime.now(timezone.utc) + _offset


def today() -> date:
    """Today's date in England: deadlines are local dates in Europe/London."""
    return now().astimezone(LONDON).date()


@contextmanager
def frozen_at(instant: datetime):
    """Hold this thread's clock at `instant` (a sweep "as at" a time), leaving others alone."""
    if instant.tzinfo is None:
        raise ClockError(f"the instant needs a UTC offset: {instant.isoformat()}")
    previous = getattr(_local, "frozen", None)
    _local.frozen = instant.astimezone(timezone.utc)
    try:
        yield
    finally:
        _local.frozen = previous


def set_fixed(instant: datetime) -> None:
    global _fixed
    if instant.tzinfo is None:
        raise ClockError(f"the fixed clock needs a UTC offset: {instant.isoformat()}")
    with _lock:
        _fixed = instant.astimezone(timezone.utc)


def set_offset(offset: timedelta) -> None:
    global _fixed, _offset
    with _lock:
        _fixed, _offset = None, offset


def reset() -> None:
    set_offset(timedelta(0))


_DURATION = re.compile(
    r"^(?P<sign>[+-])P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$")


def configure(setting: str | None) -> None:
    """Apply a `PERMANENCE_CLOCK` value; a value that cannot be read is an error, not ignored."""
    setting = (setting or "").strip()
    if not setting:
        reset()
        return
    match = _DURATION.match(setting.upper())
    if match and any(match.group(k) for k in ("weeks", "days", "hours", "minutes", "seconds")):
        parts = {k: int(v) for k, v in match.groupdict().items() if k != "sign" and v}
        offset = timedelta(**parts)
        set_offset(-offset if match.group("sign") == "-" else offset)
        return
    try:
        instant = datetime.fromisoformat(setting.replace("Z", "+00:00"))
    except ValueError:
        raise ClockError(
            f"PERMANENCE_CLOCK={setting!r} is neither an ISO-8601 instant with an offset "
            "(2026-03-02T09:00:00+00:00) nor a signed duration (+P30D, -PT2H)") from None
    set_fixed(instant)


class _ClockDatetime(datetime):
    """`datetime` whose `now()` is the application clock, for SpiffWorkflow's timers."""

    @classmethod
    def now(cls, tz=None):
        current = now()
        return current.astimezone(tz) if tz is not None else current.astimezone().replace(tzinfo=None)


def install() -> None:
    """Make SpiffWorkflow's timer events read this clock (idempotent). Called by
    `engine.state` and `engine.runtime`, where every workflow object is made, rather than
    here, so reading the clock does not load SpiffWorkflow (`permanence --help` stays quick)."""
    from SpiffWorkflow.bpmn.specs.event_definitions import timer
    timer.datetime = _ClockDatetime
