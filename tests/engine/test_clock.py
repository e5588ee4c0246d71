"""The application clock is the only time: settings fix or offset it, and SpiffWorkflow's
own timer code reads it."""
from datetime import datetime, timedelta, timezone

import pytest
from SpiffWorkflow.bpmn.specs.event_definitions import timer

from engine import clock


def test_a_fixed_setting_holds_the_clock():
    clock.configure("2026-12-24T23:30:00+00:00")
    assert clock.now() == datetime(2026, 12, 24, 23, 30, tzinfo=timezone.utc)
    assert str(clock.today()) == "2026-12-24"


def test_today_is_the_date_in_london():
    clock.configure("2026-07-01T23:30:00+00:00")  # 00:30 BST on 2 July
    assert str(clock.today()) == "2026-07-02"


def test_an_offset_setting_runs_the_clock_ahead_or_behind():
    clock.configure("+P30D")
    ahead = clock.now() - datetime.now(timezone.utc)
    assert timedelta(days=29, hours=23) < ahead < timedelta(days=30, minutes=1)
    clock.configure("-PT2H")
    behind = datetime.now(timezone.utc) - clock.now()
    assert timedelta(hours=1, minutes=59) < behind < timedelta(hours=2, minutes=1)
    clock.configure("")
    assert abs(clock.now() - datetime.now(timezone.utc)) < timedelta(seconds=5)


@pytest.mark.parametrize("setting", ["tomorrow", "2026-13-01T00:00:00+00:00", "P30D", "+P"])
def test_a_setting_that_cannot_be_read_is_refused(setting):
    with pytest.raises(clock.ClockError, match="PERMANENCE_CLOCK"):
        clock.configure(setting)


def test_a_fixed_clock_needs_an_offset():
    with pytest.raises(clock.ClockError, match="UTC offset"):
        clock.configure("2026-03-02T09:00:00")


def test_spiffworkflows_timers_read_the_application_clock():
    import engine.runtime  # noqa: F401  (where the engine makes workflows; it installs the clock)
    clock.set_fixed(datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert timer.datetime.now(timezone.utc) == datetime(2030, 1, 1, tzinfo=timezone.utc)


def test_frozen_at_holds_only_this_thread():
    import threading
    instant = datetime(2031, 5, 5, tzinfo=timezone.utc)
    seen = {}
    with clock.frozen_at(instant):
        seen["here"] = clock.now()
        worker = threading.Thread(target=lambda: seen.update(there=clock.now()))
        worker.start()
        worker.join()
    assert seen["here"] == instant and seen["there"] != instant
    assert clock.now() != instant
