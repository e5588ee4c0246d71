"""Tests for workflows.calendar against real English bank holidays.

Every holiday used here was checked against holidays.country_holidays("GB",
subdiv="ENG") and against the published gov.uk list.
"""

import time
from datetime import date, datetime, timedelta, timezone

import pytest

from workflows.calendar import (
    DIAGRAM_FUNCTIONS,
    LONDON,
    add_days,
    add_months,
    add_weeks,
    add_working_days,
    age_on,
    as_date,
    as_date_string,
    is_working_day,
    london_midnight,
    overdue_from,
)


# --- working days: real bank holidays -------------------------------------------

@pytest.mark.parametrize("holiday", [
    "2026-01-01",  # New Year's Day, Thursday
    "2026-04-03",  # Good Friday
    "2026-04-06",  # Easter Monday
    "2026-05-04",  # Early May bank holiday
    "2026-05-25",  # Spring (late May) bank holiday
    "2026-08-31",  # Summer bank holiday
    "2026-12-25",  # Christmas Day, Friday
    "2026-12-28",  # Boxing Day substitute (26th is a Saturday)
    "2027-01-01",  # New Year's Day, Friday
    "2027-12-27",  # Christmas Day substitute (25th is a Saturday)
    "2027-12-28",  # Boxing Day substitute (26th is a Sunday)
    "2022-06-02",  # Spring bank holiday moved for the Platinum Jubilee
    "2022-06-03",  # Platinum Jubilee (one-off)
    "2022-09-19",  # State funeral of Elizabeth II (one-off)
    "2023-05-08",  # Coronation of Charles III (one-off)
])
def test_bank_holidays_are_not_working_days(holiday):
    assert date.fromisoformat(holiday).weekday() < 5  # a weekday, so only the holiday excludes it
    assert not is_working_day(holiday)


def test_ordinary_days():
    assert is_working_day("2026-04-02")      # Thursday before Good Friday
    assert is_working_day("2026-04-07")      # Tuesday after Easter Monday
    assert is_working_day("2026-12-24")      # Christmas Eve is not a bank holiday
    assert not is_working_day("2026-12-26")  # Saturday (Boxing Day)
    assert not is_working_day("2026-03-07")  # Saturday
    assert not is_working_day("2026-03-08")  # Sunday
    assert is_working_day(date(2026, 3, 9))  # Monday, date object


def test_any_year_is_covered():
    assert not is_working_day("1990-12-25")  # Tuesday, Christmas Day
    assert not is_working_day("2080-12-25")  # Wednesday, Christmas Day
    assert is_working_day("2080-12-24")      # Tuesday


def test_years_the_library_does_not_cover_raise_rather_than_miscount():
    # holidays 0.109 stops at 2100; 2101-01-03 is a Monday that would silently count
    with pytest.raises(ValueError, match="2101-01-03"):
        add_working_days("2100-12-31", 1)


def test_easter_2026():
    # Wed 1 Apr; Thu 2 = 1, Fri 3 Good Friday, Sat 4, Sun 5, Mon 6 Easter Monday, Tue 7 = 2
    assert add_working_days("2026-04-01", 2) == "2026-04-07T00:00:00+01:00"
    # Thu 2 Apr; Fri 3 holiday, Sat, Sun, Mon 6 holiday, Tue 7 = 1
    assert add_working_days("2026-04-02", 1) == "2026-04-07T00:00:00+01:00"


def test_christmas_2026():
    # Wed 23 Dec; Thu 24 = 1, Fri 25 Christmas, Sat 26, Sun 27, Mon 28 Boxing Day (sub),
    # Tue 29 = 2, Wed 30 = 3
    assert add_working_days("2026-12-23", 3) == "2026-12-30T00:00:00+00:00"


def test_christmas_2027():
    # Thu 23 Dec; Fri 24 = 1, Sat 25, Sun 26, Mon 27 Christmas (sub), Tue 28 Boxing Day (sub),
    # Wed 29 = 2, Thu 30 = 3
    assert add_working_days("2027-12-23", 3) == "2027-12-30T00:00:00+00:00"


def test_new_year_2027():
    # Thu 31 Dec 2026; Fri 1 Jan holiday, Sat 2, Sun 3, Mon 4 = 1
    assert add_working_days("2026-12-31", 1) == "2027-01-04T00:00:00+00:00"
    # Thu 24 Dec 2026; Fri 25 hol, Mon 28 hol, Tue 29 = 1, Wed 30 = 2, Thu 31 = 3,
    # Fri 1 Jan hol, Mon 4 = 4, Tue 5 = 5
    assert add_working_days("2026-12-24", 5) == "2027-01-05T00:00:00+00:00"


def test_may_bank_holidays_2026():
    # Fri 1 May; Sat 2, Sun 3, Mon 4 early May holiday, Tue 5 = 1
    assert add_working_days("2026-05-01", 1) == "2026-05-05T00:00:00+01:00"
    # Fri 22 May; Sat 23, Sun 24, Mon 25 late May holiday, Tue 26 = 1
    assert add_working_days("2026-05-22", 1) == "2026-05-26T00:00:00+01:00"
    # Thu 30 Apr; Fri 1 = 1, Tue 5 = 2, ... Fri 8 = 5, Mon 11 = 6, ... Fri 22 = 15,
    # Tue 26 = 16, Wed 27 = 17, Thu 28 = 18, Fri 29 = 19, Mon 1 Jun = 20
    assert add_working_days("2026-04-30", 20) == "2026-06-01T00:00:00+01:00"


def test_one_off_days():
    # Fri 16 Sep 2022; Mon 19 state funeral, Tue 20 = 1
    assert add_working_days("2022-09-16", 1) == "2022-09-20T00:00:00+01:00"
    # Wed 1 Jun 2022; Thu 2 and Fri 3 holidays, Mon 6 = 1
    assert add_working_days("2022-06-01", 1) == "2022-06-06T00:00:00+01:00"


def test_start_itself_does_not_count():
    # Mon 2 Mar 2026; Tue 3 = 1 (Monday is not day 1)
    assert add_working_days("2026-03-02", 1) == "2026-03-03T00:00:00+00:00"
    # R1, 20 working days from Mon 2 Mar: Tue 3-Fri 6 = 4, 9-13 = 9, 16-20 = 14,
    # 23-27 = 19, Mon 30 = 20 (BST began Sun 29 Mar, hence +01:00)
    assert add_working_days("2026-03-02", 20) == "2026-03-30T00:00:00+01:00"


def test_n_zero_returns_start_unchanged():
    assert add_working_days("2026-03-02", 0) == "2026-03-02T00:00:00+00:00"
    # even on a holiday or weekend: nothing is counted
    assert add_working_days("2026-04-03", 0) == "2026-04-03T00:00:00+01:00"
    assert add_working_days("2026-03-07", 0) == "2026-03-07T00:00:00+00:00"


def test_start_on_weekend_or_holiday():
    # Sat 7 Mar; Sun 8, Mon 9 = 1
    assert add_working_days("2026-03-07", 1) == "2026-03-09T00:00:00+00:00"
    # Good Friday 3 Apr; Sat, Sun, Mon 6 Easter Monday, Tue 7 = 1, Wed 8 = 2
    assert add_working_days("2026-04-03", 2) == "2026-04-08T00:00:00+01:00"


def test_working_days_bad_n():
    with pytest.raises(ValueError, match="-1"):
        add_working_days("2026-03-02", -1)
    for bad in (True, 1.5, "3", None):
        with pytest.raises(TypeError, match="whole number"):
            add_working_days("2026-03-02", bad)


def test_working_days_is_fast():
    start = date(2026, 12, 1)
    add_working_days(start, 20)  # warm the holiday cache
    runs = 2000
    t0 = time.perf_counter()
    for _ in range(runs):
        add_working_days(start, 20)
    assert (time.perf_counter() - t0) / runs < 0.001


# --- British Summer Time offsets -----------------------------------------------

def test_offset_follows_summer_time():
    assert london_midnight("2026-03-28") == "2026-03-28T00:00:00+00:00"  # GMT
    assert london_midnight("2026-03-29") == "2026-03-29T00:00:00+00:00"  # clocks change at 01:00
    assert london_midnight("2026-03-30") == "2026-03-30T00:00:00+01:00"  # BST
    assert london_midnight("2026-10-25") == "2026-10-25T00:00:00+01:00"  # clocks change at 02:00
    assert london_midnight("2026-10-26") == "2026-10-26T00:00:00+00:00"  # GMT again
    assert london_midnight(date(2026, 7, 1)) == "2026-07-01T00:00:00+01:00"


def test_strings_round_trip_to_the_right_instant():
    d = date(2026, 1, 1)
    while d < date(2028, 1, 1):
        text = london_midnight(d)
        parsed = datetime.fromisoformat(text)
        assert parsed == datetime(d.year, d.month, d.day, tzinfo=LONDON)
        assert parsed.astimezone(LONDON).time().isoformat() == "00:00:00"
        assert as_date(text) == d
        d += timedelta(days=1)
    # 00:00 BST on 1 Jul 2026 is 23:00 UTC on 30 Jun
    assert datetime.fromisoformat(london_midnight("2026-07-01")).astimezone(timezone.utc) == \
        datetime(2026, 6, 30, 23, 0, tzinfo=timezone.utc)


def test_spiffworkflow_timer_parses_the_same_instant():
    from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
    due = add_working_days("2026-04-01", 2)  # Tue 7 Apr, BST
    assert TimerEventDefinition.get_datetime(due) == datetime(2026, 4, 6, 23, 0, tzinfo=timezone.utc)


def test_results_chain():
    # a result can feed the next call without drifting a day across BST
    first = add_working_days("2026-03-27", 1)   # Fri 27 -> Mon 30 Mar (BST)
    assert first == "2026-03-30T00:00:00+01:00"
    assert add_working_days(first, 1) == "2026-03-31T00:00:00+01:00"


# --- weeks, months, days -------------------------------------------------------

def test_add_months_clamps_to_month_end():
    assert add_months("2026-01-31", 1) == "2026-02-28T00:00:00+00:00"  # 2026 not a leap year
    assert add_months("2028-01-31", 1) == "2028-02-29T00:00:00+00:00"  # 2028 leap year
    assert add_months("2026-08-31", 1) == "2026-09-30T00:00:00+01:00"  # September has 30 days
    assert add_months("2026-03-31", -1) == "2026-02-28T00:00:00+00:00"  # counting back clamps too


def test_add_months_review_intervals():
    # R2: first review Thu 15 Jan 2026 + 3 months = 15 Apr 2026 (BST)
    assert add_months("2026-01-15", 3) == "2026-04-15T00:00:00+01:00"
    # R3: review 15 Apr 2026 + 6 months = 15 Oct 2026 (still BST)
    assert add_months("2026-04-15", 6) == "2026-10-15T00:00:00+01:00"
    # R3 across a year end and into February: 31 Aug 2026 + 6 = 28 Feb 2027
    assert add_months("2026-08-31", 6) == "2027-02-28T00:00:00+00:00"
    # R2 across a year end: 30 Nov 2026 + 3 = 28 Feb 2027 (clamped from 30)
    assert add_months("2026-11-30", 3) == "2027-02-28T00:00:00+00:00"
    assert add_months("2026-12-15", 1) == "2027-01-15T00:00:00+00:00"
    assert add_months("2026-01-15", -12) == "2025-01-15T00:00:00+00:00"
    assert add_months("2026-01-15", 0) == "2026-01-15T00:00:00+00:00"


def test_add_weeks():
    # R10: 8 weeks from Mon 2 Mar 2026 = 2 Mar + 56 days = Mon 27 Apr
    assert add_weeks("2026-03-02", 8) == "2026-04-27T00:00:00+01:00"
    # R14: 26 weeks from Mon 5 Jan 2026 = 5 Jan + 182 days = Mon 6 Jul
    assert add_weeks("2026-01-05", 26) == "2026-07-06T00:00:00+01:00"
    # counting back 6 weeks from 27 Apr = 16 Mar
    assert add_weeks("2026-04-27", -6) == "2026-03-16T00:00:00+00:00"


def test_add_days():
    assert add_days("2026-03-28", 1) == "2026-03-29T00:00:00+00:00"  # the night clocks go forward
    assert add_days("2026-03-28", 2) == "2026-03-30T00:00:00+01:00"
    assert add_days("2026-03-01", -1) == "2026-02-28T00:00:00+00:00"


def test_calendar_counts_reject_non_integers():
    for fn in (add_weeks, add_months, add_days):
        with pytest.raises(TypeError, match="whole number"):
            fn("2026-03-02", True)
        with pytest.raises(TypeError, match="whole number"):
            fn("2026-03-02", 2.0)


# --- overdue --------------------------------------------------------------------

def test_overdue_from_next_london_midnight():
    assert overdue_from("2026-03-17") == "2026-03-18T00:00:00+00:00"
    assert overdue_from("2026-03-28") == "2026-03-29T00:00:00+00:00"
    assert overdue_from("2026-10-24") == "2026-10-25T00:00:00+01:00"
    assert overdue_from("2026-10-25") == "2026-10-26T00:00:00+00:00"
    # a deadline given as an instant is read as its London date first
    assert overdue_from("2026-07-01T00:00:00+01:00") == "2026-07-02T00:00:00+01:00"


def test_escalation_timer():
    # Wed 1 Apr 2026 + 10 working days: Thu 2 = 1, (3 and 6 holidays) Tue 7 = 2, Wed 8 = 3,
    # Thu 9 = 4, Fri 10 = 5, Mon 13 = 6, Tue 14 = 7, Wed 15 = 8, Thu 16 = 9, Fri 17 = 10
    due = add_working_days("2026-04-01", 10)
    assert due == "2026-04-17T00:00:00+01:00"
    # overdue from 00:00 BST Sat 18 Apr = 23:00 UTC Fri 17 Apr
    escalate = overdue_from(due)
    assert escalate == "2026-04-18T00:00:00+01:00"
    assert datetime.fromisoformat(escalate).astimezone(timezone.utc) == \
        datetime(2026, 4, 17, 23, 0, tzinfo=timezone.utc)


# --- ages -----------------------------------------------------------------------

def test_age_on_day_before_and_on_17th_birthday():
    assert age_on("2009-06-15", "2026-06-14") == 16  # R24: the day before the 17th birthday
    assert age_on("2009-06-15", "2026-06-15") == 17
    assert age_on(date(2009, 6, 15), date(2009, 6, 15)) == 0
    # 23:30 UTC on 14 Jun is 00:30 BST on 15 Jun in London: already 17
    assert age_on("2009-06-15", "2026-06-14T23:30:00+00:00") == 17


def test_age_on_leap_day_birthday():
    assert age_on("2008-02-29", "2025-02-28") == 16  # non-leap year: not yet
    assert age_on("2008-02-29", "2025-03-01") == 17  # birthday taken on 1 March
    assert age_on("2008-02-29", "2024-02-28") == 15  # leap year: 29 Feb exists
    assert age_on("2008-02-29", "2024-02-29") == 16


def test_age_before_birth_is_an_error():
    with pytest.raises(ValueError, match="before birth"):
        age_on("2026-05-01", "2026-04-30")


# --- as_date ----------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (date(2026, 3, 3), date(2026, 3, 3)),
    (datetime(2026, 3, 3, 15, 0), date(2026, 3, 3)),                         # naive: London local
    (datetime(2026, 3, 3, 23, 30, tzinfo=timezone.utc), date(2026, 3, 3)),   # GMT: same date
    (datetime(2026, 6, 30, 23, 30, tzinfo=timezone.utc), date(2026, 7, 1)),  # BST: next day in London
    ("2026-03-03", date(2026, 3, 3)),
    ("2026-03-03T00:00:00+00:00", date(2026, 3, 3)),
    ("2026-03-03T00:00:00Z", date(2026, 3, 3)),
    ("2026-07-01T00:00:00+01:00", date(2026, 7, 1)),
    ("2026-06-30T23:00:00Z", date(2026, 7, 1)),                              # 00:00 BST on 1 Jul
])
def test_as_date_accepts(value, expected):
    assert as_date(value) == expected
    assert type(as_date(value)) is date


@pytest.mark.parametrize("bad", [
    None, "", "03/03/2026", "2026-02-30", "20260303", "garbage", "2026-03-03T", 20260303, True,
])
def test_as_date_rejects(bad):
    with pytest.raises(ValueError) as excinfo:
        as_date(bad)
    assert repr(bad) in str(excinfo.value)
    assert "YYYY-MM-DD" in str(excinfo.value)


def test_as_date_string():
    assert as_date_string(date(2026, 3, 3)) == "2026-03-03"
    assert as_date_string("2026-06-30T23:00:00+00:00") == "2026-07-01"
    assert as_date_string("2026-03-03") < as_date_string("2026-12-01")  # string order is date order


# --- the functions diagrams see ---------------------------------------------------

def test_diagram_functions():
    assert set(DIAGRAM_FUNCTIONS) == {
        "add_working_days", "add_weeks", "add_months", "add_days",
        "age_on", "overdue_from", "as_date_string", "next_ppm_due", "called_ppm_due", "every_weeks_from",
    }
    assert DIAGRAM_FUNCTIONS["add_working_days"] is add_working_days
    # form data arrives as date objects: every function takes them
    d = date(2026, 4, 1)
    assert DIAGRAM_FUNCTIONS["add_working_days"](d, 2) == "2026-04-07T00:00:00+01:00"
    assert DIAGRAM_FUNCTIONS["add_weeks"](d, 1) == "2026-04-08T00:00:00+01:00"
    assert DIAGRAM_FUNCTIONS["add_months"](d, 1) == "2026-05-01T00:00:00+01:00"
    assert DIAGRAM_FUNCTIONS["add_days"](d, 1) == "2026-04-02T00:00:00+01:00"
    assert DIAGRAM_FUNCTIONS["overdue_from"](d) == "2026-04-02T00:00:00+01:00"
    assert DIAGRAM_FUNCTIONS["age_on"](date(2020, 4, 1), d) == 6
    assert DIAGRAM_FUNCTIONS["as_date_string"](d) == "2026-04-01"


def test_B21_next_ppm_due_keeps_a_sooner_date_and_ignores_a_later_or_stale_one():
    from workflows.calendar import called_ppm_due, next_ppm_due
    held = "2026-03-09"
    assert as_date(next_ppm_due(held, 6)) == date(2026, 4, 20)                     # 6 weeks
    assert as_date(next_ppm_due(held, 6, "2026-03-23")) == date(2026, 3, 23)       # sooner: kept
    assert as_date(next_ppm_due(held, 6, "2026-05-01")) == date(2026, 4, 20)       # later: 6 weeks
    assert as_date(next_ppm_due(held, 6, "2026-03-09")) == date(2026, 4, 20)       # not after the PPM
    assert as_date(next_ppm_due(held, 6, None)) == date(2026, 4, 20)


def test_A6_called_ppm_due_is_the_sooner_of_the_call_and_the_next_ppm():
    from workflows.calendar import called_ppm_due
    # Called on Mon 8 June 2026: 10 working days, Mon 22 June; the next PPM 13 July.
    assert as_date(called_ppm_due({"called_on": "2026-06-08"}, 10, "2026-06-01", 6)) == date(2026, 6, 22)
    # Called late in the cycle: the 6-weekly PPM (20 April) comes first.
    assert as_date(called_ppm_due({"called_on": "2026-04-08"}, 10, "2026-03-09", 6)) == date(2026, 4, 20)
    assert as_date(called_ppm_due(None, 10, "2026-03-09", 6)) == date(2026, 4, 20)


def test_A11_every_weeks_from_fires_at_2am_london_so_summer_time_never_moves_the_day():
    from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
    from workflows.calendar import every_weeks_from
    # Tue 14 April 2026 is in summer time (+01:00); every 6 weeks is every 42 days.
    cycle = every_weeks_from(date(2026, 4, 14), 6)
    assert cycle == "R/2026-04-14T02:00:00+01:00/P42D"
    cycles, start, every = TimerEventDefinition.parse_iso_recurring_interval(cycle)
    # Four reviews on: 14 Apr + 168 days = Tue 29 September (still summer), + 42 = Tue 10
    # November, in winter time: 01:00 GMT, still on the 10th.
    later = start + 5 * every
    assert later.astimezone(LONDON).date() == date(2026, 11, 10)
