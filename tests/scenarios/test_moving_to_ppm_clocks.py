"""Running pathways move onto the version whose clocks run from the CLA reviews actually held
(B3, B9, P10) and whose missed reviews also reach the IRO (H2), through the dry run and the
move. `before_ppm_clocks/` holds the diagrams as they were. SQLite and PostgreSQL, fixed clock.

Cara and Dan became looked after on Monday 2 March 2026 (the first CLA review may be held up
to Monday 30 March, 20 working days later). Cara's first review was held early, on Wednesday
11 March, and her initial PPM on Friday 13 March did not discuss reunification.
"""
from datetime import date
from pathlib import Path

import pytest

from engine import publish
from engine.migration import move_instances, plan_move
from web.demo import load_demo
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS
from .conftest import PPM_AREAS, PROCESS, Case, at

BEFORE = Path(__file__).parent / "before_ppm_clocks"


@pytest.fixture(autouse=True)
def _demo_before_kinship(monkeypatch):
    """The demo as it was then: without issue 13's kinship and reunification children
    (web/demo_kinship.py), whose steps the earlier diagrams do not have."""
    from web import demo_kinship
    monkeypatch.setattr(demo_kinship, "load", lambda db, today: None)


def _before_bundle():
    bundle = load_directory(DIAGRAMS, PROCESS)
    for path in BEFORE.iterdir():
        bundle.bpmn_files[path.name] = path.read_text()
    return bundle


def test_b3_b9_p10_running_pathways_move_and_count_from_the_review_held(council_with_pathway):
    db = council_with_pathway
    version1, _ = publish(db, _before_bundle(), "tests")
    cara = Case.start(db, date(2026, 3, 2), date(2018, 1, 10), reference="C-1")
    cara.do("Hold the first CLA review", on=date(2026, 3, 11), review_held_on=date(2026, 3, 11),
            plan_identified=False)
    cara.do("Hold the initial PPM", on=date(2026, 3, 13), held_on=date(2026, 3, 13),
            **{**PPM_AREAS, "plan_identified": False, "reunification_discussed": False})
    dan = Case.start(db, date(2026, 3, 2), date(2019, 2, 2), reference="D-1")
    # On the old version both count from the latest day the first review may be held:
    # R4 30 March + 3 months = 30 June; R9 for Cara the 6-weekly PPM, 13 March + 6 weeks =
    # Friday 24 April, sooner than 30 March + 6 weeks = 11 May.
    assert cara.deadline("R4")[0][1] == date(2026, 6, 30)
    assert cara.due("Hold a PPM that discusses reunification") == (date(2026, 4, 24), "R9")

    at(date(2026, 3, 16))
    version2, new = publish(db, load_directory(DIAGRAMS, PROCESS), "tests", note="Clocks (issue 12 s9)")
    assert new and version2.version == version1.version + 1
    plan = plan_move(db, PROCESS, version2.version)
    assert [(c.child_name, c.can_move, c.reasons) for c in plan] == [("Alex Example", True, [])] * 2
    report = move_instances(db, PROCESS, version2.version, "sm")
    assert len(report.moved) == 2 and not report.not_moved

    # Cara's running clocks now count from her first review as held, 11 March: R4 11 March +
    # 3 months = Thursday 11 June; R9 11 March + 6 weeks = Wednesday 22 April.
    assert cara.deadline("R4")[0][1:3] == (date(2026, 6, 11), "running")
    assert cara.due("Hold a PPM that discusses reunification") == (date(2026, 4, 22), "R9")
    assert cara.deadline("R9")[0][1:3] == (date(2026, 4, 22), "running")
    # Dan has had no review yet: his clocks are as they were.
    assert dan.deadline("R4")[0][1:3] == (date(2026, 6, 30), "running")
    assert dan.due("Hold the first CLA review") == (date(2026, 3, 30), "R1")


def test_the_demo_children_move_onto_the_new_clocks(db):
    version1, _ = publish(db, _before_bundle(), "tests")
    assert load_demo(db, PROCESS)
    version2, new = publish(db, load_directory(DIAGRAMS, PROCESS), "tests", note="Clocks")
    assert new
    plan = plan_move(db, PROCESS, version2.version)
    stuck = [(c.child_name, c.reasons) for c in plan if not c.can_move]
    report = move_instances(db, PROCESS, version2.version, "olly.po")
    assert len(report.moved) == len(plan) - len(stuck)
    # Only a child the demo imported well into adoption (as in the earlier moves) may stay.
    assert {name for name, _ in stuck} <= {"Imogen Ward"}, stuck
