"""Oversight beyond the panel (issue 11 §6): the performance indicators of a nine-child council
worked by hand (I3, I4), and Merton's tracking meetings by age band with family finding (I5,
I6), every child driven through the real diagrams with a fixed clock.

The council: North (sw, tm) and South (sw_south, tm_south). The period is the first half of
2027; the figures are read on Mon 5 July 2027, after a sweep of the timers.
Bank holidays in the counts: New Year's Day Fri 1 Jan 2027, Good Friday 26 Mar 2027, Easter
Monday 29 Mar 2027; Christmas Day Fri 25 Dec 2026, Boxing Day's substitute Mon 28 Dec 2026.
"""
from datetime import date

import pytest

from engine import register_child, reporting, sweep
from engine.errors import NotAllowed
from engine.people import add_user, ensure_team
from workflows import roles

from .conftest import PPM_AREAS, PROCESS, STAFF, Case, at

START, END, AS_OF = date(2027, 1, 1), date(2027, 6, 30), date(2027, 7, 5)
SOUTH_STAFF = {**STAFF, roles.SOCIAL_WORKER: "sw_south", roles.TEAM_MANAGER: "tm_south"}


class TeamCase(Case):
    """A child of either team, each team's tasks done by its own staff."""
    staff = STAFF

    def do(self, name, on=None, **answers):
        if on is not None:
            at(on)
        task = self.task(name)
        data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in answers.items()}
        from engine import complete_task
        outcome = complete_task(self.db, task["task_id"], data, self.staff[task["lane"]])
        assert outcome.error is None, outcome.error
        return outcome


def start(db, reference, looked_after_on, born, team="North", legal_status="co") -> TeamCase:
    at(looked_after_on)
    worker = "sw" if team == "North" else "sw_south"
    registered = register_child(db, {
        "reference": reference, "name": f"Child {reference}", "date_of_birth": born.isoformat(),
        "legal_status": legal_status, "looked_after_on": looked_after_on.isoformat(),
        "team": team, "social_worker": worker}, worker, process_id=PROCESS)
    assert registered.outcome.error is None, registered.outcome.error
    case = TeamCase(db, registered.child_id, registered.outcome.instance_id)
    case.staff = STAFF if team == "North" else SOUTH_STAFF
    return case


def ppm(case, name, on, routes=None, **more):
    answers = dict(PPM_AREAS, held_on=on, reunification_discussed=True, **more)
    if routes:
        answers.update(plan_identified=True, routes=routes)
    else:
        answers.update(plan_identified=False)
    case.do(name, on=on, **answers)


def fgc(case, on, outcome):
    case.do("Hold a Family Group Conference", on=on, fgc_held_on=on, fgc_outcome=outcome)


@pytest.fixture
def nine_children(council_with_pathway):
    db = council_with_pathway
    with db.transaction() as session:
        south = ensure_team(session, "South")
        add_user(session, "sw_south", "Sw South", [roles.SOCIAL_WORKER], south)
        add_user(session, "tm_south", "Tm South", [roles.TEAM_MANAGER], south)
    c = {}
    # N1, 4 Jan: FGC 8 Jan; initial PPM 13 Jan (R7 due Mon 18 Jan: met) with a plan of
    # reunification; home 1 Feb; the care order discharged on 15 Feb: permanence achieved.
    c["N1"] = n1 = start(db, "N1", date(2027, 1, 4), date(2022, 5, 1))
    fgc(n1, date(2027, 1, 8), "family_plan_agreed")
    ppm(n1, "Hold the initial PPM", date(2027, 1, 13), ["reunification"])
    n1.do("Agree the reunification support plan", on=date(2027, 1, 20), agreed_on=date(2027, 1, 20),
          support_plan="Family support every day.")
    n1.do("Record the return home", on=date(2027, 2, 1), returned_on=date(2027, 2, 1))
    n1.do("Record the care order discharged or s20 ended", on=date(2027, 2, 15),
          care_ended_on=date(2027, 2, 15), how_ended="care_order_discharged")
    n1.do("Record permanence achieved", on=date(2027, 2, 17), achieved_on=date(2027, 2, 15), leaves_care=True)
    # N2, 4 Jan, a baby: the family declined an FGC; initial PPM 20 Jan, late (due 18 Jan),
    # plan of adoption; report to the ADM 1 Feb, decision 8 Feb.
    c["N2"] = n2 = start(db, "N2", date(2027, 1, 4), date(2026, 6, 1))
    fgc(n2, date(2027, 1, 6), "declined")
    ppm(n2, "Hold the initial PPM", date(2027, 1, 20), ["adoption"])
    n2.do("Send the Child's Permanence Report to the ADM", on=date(2027, 2, 1),
          cpr_sent_on=date(2027, 2, 1), ffa_considered=True)
    n2.do("Decide whether the child should be placed for adoption", on=date(2027, 2, 8),
          adm_decided_on=date(2027, 2, 8), adm_decision="placed_for_adoption", reasons="Best interests.")
    # N3, 1 Feb: FGC 12 Feb with no family plan; initial PPM 10 Feb without a plan (R7 due
    # Mon 15 Feb: met), the review PPM on 24 Mar identifies long-term fostering.
    c["N3"] = n3 = start(db, "N3", date(2027, 2, 1), date(2015, 3, 3))
    ppm(n3, "Hold the initial PPM", date(2027, 2, 10))
    fgc(n3, date(2027, 2, 12), "no_plan")
    ppm(n3, "Hold the review PPM", date(2027, 3, 24), ["long_term_fostering"])
    # N4, 1 Mar, interim care order: no FGC; initial PPM 10 Mar (R7 due 15 Mar: met), plan of
    # long-term fostering; the final hearing makes a care order on 14 June.
    c["N4"] = n4 = start(db, "N4", date(2027, 3, 1), date(2019, 1, 10), legal_status="ico")
    n4.do("Record care proceedings issued", on=date(2027, 3, 2), issued_on=date(2027, 2, 26), court="Family Court")
    ppm(n4, "Hold the initial PPM", date(2027, 3, 10), ["long_term_fostering"])
    n4.do("Record the final hearing or an extension", on=date(2027, 6, 14),
          hearing_outcome="final_order", order_type="co", order_made_on=date(2027, 6, 14))
    # N5 came into care before the period, on 7 Dec 2026: initial PPM 16 Dec without a plan;
    # the review PPM on 27 Jan identifies adoption; the report goes to the ADM on 14 June.
    c["N5"] = n5 = start(db, "N5", date(2026, 12, 7), date(2024, 2, 2))
    ppm(n5, "Hold the initial PPM", date(2026, 12, 16))
    ppm(n5, "Hold the review PPM", date(2027, 1, 27), ["adoption"])
    n5.do("Send the Child's Permanence Report to the ADM", on=date(2027, 6, 14),
          cpr_sent_on=date(2027, 6, 14), ffa_considered=True)
    # S1, 4 Jan: FGC 6 Jan with a family plan; initial PPM on its due date, Mon 18 Jan (met),
    # plan of family and friends.
    c["S1"] = s1 = start(db, "S1", date(2027, 1, 4), date(2012, 7, 7), team="South")
    fgc(s1, date(2027, 1, 6), "family_plan_agreed")
    ppm(s1, "Hold the initial PPM", date(2027, 1, 18), ["family_and_friends"])
    # S2, 4 Jan: nothing is done (no FGC, no PPM, no plan).
    c["S2"] = start(db, "S2", date(2027, 1, 4), date(2010, 9, 9), team="South")
    # S3, 1 Feb, a baby: the family declined an FGC; initial PPM 15 Feb (due that day: met),
    # plan of adoption; report 1 Mar, ADM decision 3 Mar.
    c["S3"] = s3 = start(db, "S3", date(2027, 2, 1), date(2025, 11, 11), team="South")
    fgc(s3, date(2027, 2, 3), "declined")
    ppm(s3, "Hold the initial PPM", date(2027, 2, 15), ["adoption"])
    s3.do("Send the Child's Permanence Report to the ADM", on=date(2027, 3, 1),
          cpr_sent_on=date(2027, 3, 1), ffa_considered=True)
    s3.do("Decide whether the child should be placed for adoption", on=date(2027, 3, 3),
          adm_decided_on=date(2027, 3, 3), adm_decision="placed_for_adoption", reasons="Best interests.")
    # S4, Mon 7 Jun: initial PPM 22 Jun, late (due Mon 21 Jun: 8-11, 14-18, 21), no plan yet.
    c["S4"] = s4 = start(db, "S4", date(2027, 6, 7), date(2011, 8, 8), team="South")
    ppm(s4, "Hold the initial PPM", date(2027, 6, 22))
    at(AS_OF, 6)
    assert not sweep(db).errors
    return db, c


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
