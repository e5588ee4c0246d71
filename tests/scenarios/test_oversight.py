"""Oversight beyond the panel (issue 11 §6): the performance indicators of a nine-child council
worked by hand (I3, I4), and Merton's tracking meetings by age band with family finding (I5,
I6). The council and what happens to each child are in `oversight_council.py`.
"""
from datetime import date

import pytest

from engine import reporting
from engine.errors import NotAllowed

from .oversight_council import AS_OF, END, START, make_nine_children


@pytest.fixture
def nine_children(council_with_pathway):
    return make_nine_children(council_with_pathway)


def cells(row):
    return [(c.met, c.counted, c.percent) for c in row.cells]


def test_kpi_figures_for_a_nine_child_council_worked_by_hand_I3_I4(nine_children):
    db, _ = nine_children
    board = reporting.performance(db, "sm", START, END)
    assert board.columns == ["North", "South", "Council"]
    # Entered care in the period: North N1, N2 (Jan), N3 (Feb), N4 (Mar); South S1, S2 (Jan),
    # S3 (Feb), S4 (Jun). N5 came in in December 2026.
    assert board.entered_care.cells == [4, 4, 8]
    # FGC held, with or without a family plan: North N1, N3 of 4 (N2 declined, N4 none);
    # South S1 of 4 (S3 declined, S2 and S4 none); the council 3 of 8 = 37.5%, 38% rounded.
    assert cells(board.fgc) == [(2, 4, 50), (1, 4, 25), (3, 8, 38)]
    # R7, 10 working days from entry: 4 Jan -> Mon 18 Jan, 1 Feb -> Mon 15 Feb, 1 Mar ->
    # Mon 15 Mar, 7 Jun -> Mon 21 Jun; N5's fell in December. Met: N1 (13 Jan), N3 (10 Feb),
    # N4 (10 Mar); S1 (18 Jan, on the day), S3 (15 Feb). Not: N2 (20 Jan), S2 (never),
    # S4 (22 Jun). Council 5 of 8 = 62.5%, 63% rounded half up.
    r7 = next(row for row in board.clocks if row.key == "R7")
    assert cells(r7) == [(3, 4, 75), (2, 4, 50), (5, 8, 63)]
    # R4, a plan by the second review: 3 months after the first review is due (20 working
    # days). 4 Jan -> 1 Feb -> Sat 1 May; 1 Feb -> 1 Mar -> 1 Jun; 1 Mar -> Wed 31 Mar (Good
    # Friday and Easter Monday skipped) -> 30 Jun; N5: 7 Dec -> Thu 7 Jan (Christmas, Boxing
    # Day's substitute, New Year's Day skipped) -> 7 Apr; S4: 7 Jun -> 5 Jul -> 5 Oct, after
    # the period. North: N1, N2, N3, N4, N5 all planned in time; South: S1, S3 of S1-S3.
    assert cells(board.plan_by_second_review) == [(5, 5, 100), (2, 3, 67), (7, 8, 88)]
    assert board.plan_by_second_review.cells == next(r for r in board.clocks if r.key == "R4").cells
    days = {row.key: [(d.children, d.median) for d in row.cells] for row in board.days}
    # Entering care to the plan: N1 9 (4 -> 13 Jan), N2 16 (-> 20 Jan), N3 51 (1 Feb -> 24 Mar),
    # N4 9 (1 -> 10 Mar), N5 51 (7 Dec -> 27 Jan); S1 14 (4 -> 18 Jan), S3 14 (1 -> 15 Feb).
    # North 9, 9, 16, 51, 51: 16. South 14, 14: 14. Council 9, 9, 14, 14, 16, 51, 51: 14.
    assert days["plan"] == [(5, 16), (2, 14), (7, 14)]
    # To the ADM decision: N2 35 (4 Jan -> 8 Feb), S3 30 (1 Feb -> 3 Mar); council 32.5.
    assert days["adm"] == [(1, 35), (1, 30), (2, 32.5)]
    # To the final order: N4 105 (1 Mar -> 14 Jun: 30 + 30 + 31 + 14).
    assert days["order"] == [(1, 105), (0, None), (1, 105)]
    # To permanence: N1 by reunification, 42 (4 Jan -> 15 Feb: 27 + 15).
    assert days["permanence:reunification"] == [(1, 42), (0, None), (1, 42)]
    assert [k for k in days if k.startswith("permanence:")] == ["permanence:reunification"]
    # By month: children entering care and plans identified (N5's January plan included).
    assert [(m.month.month, m.entered_care, m.plans) for m in board.months] == [
        (1, 4, 4), (2, 2, 1), (3, 1, 2), (4, 0, 0), (5, 0, 0), (6, 1, 0)]
    assert sum(m.clocks.counted for m in board.months) == board.all_clocks.cells[2].counted
    assert sum(m.clocks.met for m in board.months) == board.all_clocks.cells[2].met


def test_a_team_manager_sees_their_own_team_only_I4(nine_children):
    db, _ = nine_children
    north = reporting.performance(db, "tm", START, END)
    assert north.columns == ["North"]
    assert north.entered_care.cells == [4]
    assert cells(north.fgc) == [(2, 4, 50)]
    south = reporting.performance(db, "tm_south", START, END)
    assert cells(south.plan_by_second_review) == [(2, 3, 67)]
    with pytest.raises(NotAllowed):
        reporting.performance(db, "sw", START, END)


def test_tracking_meetings_by_age_band_with_family_finding_I5_I6(nine_children):
    db, c = nine_children
    # A meeting on 5 July: the one before was 4 weeks earlier (the default, MER §9 monthly).
    young = reporting.tracking_meeting(db, "hos", "0-5", AS_OF)
    assert (young.previous_on, young.next_on) == (date(2027, 6, 7), date(2027, 8, 2))
    # Aged 0 to 5 on 5 July: N2 (1), N5 (3), S3 (1). N1 (5) left care in February.
    assert [(team, [k.reference for k in kids]) for team, kids in young.teams] == [
        ("North", ["N2", "N5"]), ("South", ["S3"])]
    by_ref = {k.reference: k for _, kids in young.teams for k in kids}
    assert [(s["step"], s["on"]) for s in by_ref["N2"].family_finding] == [
        ("Child's Permanence Report to the ADM", date(2027, 2, 1)), ("ADM decision", date(2027, 2, 8))]
    # N5's report went on 14 June, after the last meeting: it has moved; N2 and S3 have not.
    assert [(r, by_ref[r].moved) for r in ("N2", "N5", "S3")] == [("N2", False), ("N5", True), ("S3", False)]
    assert (young.family_finding, young.not_moved) == (3, 2)
    older = reporting.tracking_meeting(db, "hos", "6-18", AS_OF)
    assert [(team, [k.reference for k in kids]) for team, kids in older.teams] == [
        ("North", ["N3", "N4"]), ("South", ["S1", "S2", "S4"])]
    # A team manager presents their own team's children.
    north = reporting.tracking_meeting(db, "tm", "6-18", AS_OF)
    assert [team for team, _ in north.teams] == ["North"]
