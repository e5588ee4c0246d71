"""Dates as GOV.UK writes them, in London time, and the reason a task is due."""
from datetime import date, datetime, timezone

from web.dates import due_reason, long_date, long_datetime


def test_dates_read_as_gov_uk_writes_them():
    assert long_date(date(2026, 3, 2)) == "2 March 2026"
    assert long_date(None) == ""
    # 23:30 UTC on 31 March is 00:30 on 1 April in London (summer time)
    assert long_date(datetime(2026, 3, 31, 23, 30, tzinfo=timezone.utc)) == "1 April 2026"
    assert long_datetime(datetime(2026, 3, 31, 23, 30, tzinfo=timezone.utc)) == "1 April 2026 at 12:30am"
    assert long_datetime(datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)) == "5 January 2026 at 9am"
    assert long_datetime(datetime(2026, 1, 5, 14, 5, tzinfo=timezone.utc)) == "5 January 2026 at 2:05pm"
    assert long_datetime(datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)) == "5 January 2026 at midday"


def test_a_due_date_gives_its_own_reason_or_its_rules_and_always_the_rule_id():
    own = {"rule": "R7", "due_reason": "10 working days after becoming looked after on 2 March 2026"}
    assert due_reason(own) == "10 working days after becoming looked after on 2 March 2026 (R7)"
    assert due_reason({"rule": "R8"}) == "Review Permanency Planning Meeting every 6 weeks (R8)"
    assert due_reason({"rule": "R99"}) == "Rule R99"
    assert due_reason({"rule": None}) == ""
