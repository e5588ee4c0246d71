"""The embedded database under ordinary concurrency (issue 8, section 4): managers reading the
dashboard, the children list and the tracker CSV, the timer worker sweeping and social workers
registering children and completing tasks, all at once on one SQLite file, see no error."""
import pytest

from bench.mixed import drive, prepare

from .conftest import make_app


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_readers_the_sweep_and_writers_together_see_no_error_on_sqlite(staff):
    app = make_app(staff)
    prepare(staff, children=10)  # and the clock moved on, so the sweep has timers to fire
    report = drive(app, staff, seconds=4)
    assert sorted(set(report.errors)) == []
    assert report.requests > 20  # the mix really ran
