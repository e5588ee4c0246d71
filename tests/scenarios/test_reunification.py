"""Reunification: a child accommodated under s20 the week before Christmas 2026 goes home.

Bank holidays in the counts: Christmas Day Fri 25 December 2026, Boxing Day's substitute
Mon 28 December 2026, New Year's Day Fri 1 January 2027.
"""
from datetime import date

from .conftest import PPM_AREAS, Case, told_the_family

LOOKED_AFTER = date(2026, 12, 14)   # Monday
BORN = date(2018, 4, 10)            # aged 8: the s20 drift clock (R21) runs too


def test_reunification_over_christmas(council_with_pathway):
    case = Case.start(council_with_pathway, LOOKED_AFTER, BORN, legal_status="s20")
    # R7 and R6, 10 working days from Mon 14 Dec: 15-18 (4), 21-24 (8), [25 Christmas,
    #   26-27 weekend, 28 Boxing Day substitute], 29 (9), 30 (10): Wed 30 December.
    # R1, 20 working days: 30 Dec (10), 31 Dec (11), [1 Jan], 4-8 Jan (16), 11-14 Jan (20).
    # R10, 8 weeks: 14 Dec + 56 days = Mon 8 February 2027.
    # s20 with no proceedings: no legal task; the 12-week s20 clock (R21) waits.
    assert case.open() == {
        ("Hold the initial PPM", "Social Worker", date(2026, 12, 30), "R7"),
        ("Hold a Family Group Conference", "Social Worker", date(2026, 12, 30), "R6"),
        ("Hold the first CLA review", "IRO", date(2027, 1, 14), "R1"),
        ("Record the first Permanence Panel outcome", "Panel Chair", date(2027, 2, 8), "R10"),
    }
    assert case.position.stage == "Initial PPM"
    # R4: a plan by the second review, at the latest 3 months after the first is due: 14 Apr.
    assert case.deadline("R4") == [("Permanency planning: deadline", date(2027, 4, 14), "running", None)]

    case.do("Hold the initial PPM", on=date(2026, 12, 23), held_on=date(2026, 12, 23), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["reunification"])
    # R8: the next PPM 6 weeks after the meeting: 23 Dec + 42 days = Wed 3 February 2027;
    # the route's first step is due by then too.
    assert case.open() == {
        ("Hold a Family Group Conference", "Social Worker", date(2026, 12, 30), "R6"),
        ("Hold the first CLA review", "IRO", date(2027, 1, 14), "R1"),
        ("Record the first Permanence Panel outcome", "Panel Chair", date(2027, 2, 8), "R10"),
        ("Hold the review PPM", "Social Worker", date(2027, 2, 3), "R8"),
        ("Agree the reunification support plan", "Social Worker", date(2027, 2, 3), "R8"),
    }
    assert (case.position.stage, case.position.route) == ("Reunification", "reunification")
    assert case.deadline("R7") == [("Hold the initial PPM: deadline", date(2026, 12, 30), "met", date(2026, 12, 23))]
    assert case.deadline("R4")[0][2:] == ("met", date(2026, 12, 23))

    case.do("Hold a Family Group Conference", on=date(2027, 1, 5), fgc_held_on=date(2027, 1, 5),
            fgc_outcome="family_plan_agreed")
    case.do("Hold the first CLA review", on=date(2027, 1, 12), review_held_on=date(2027, 1, 12),
            plan_identified=True)
    # R2: 3 months after the first review on 12 Jan: 12 April 2027.
    assert case.due("Hold the second CLA review") == (date(2027, 4, 12), "R2")

    # The review PPM is missed: from 00:00 on Thu 4 Feb the Team Manager is asked to chase,
    # within 2 working days: Fri 5 (1), Mon 8 February (2).
    case.sweep(date(2027, 2, 4), hour=7)
    assert case.due("Escalate: review PPM overdue") == (date(2027, 2, 8), "R8")
    assert case.task("Escalate: review PPM overdue")["lane"] == "Team Manager"
    assert case.deadline("R8") == [("Hold the review PPM: deadline", date(2027, 2, 3), "missed", None)]
    case.do("Escalate: review PPM overdue", on=date(2027, 2, 5), agreed_date=date(2027, 2, 10),
            action_taken="Agreed a date with the social worker.")

    case.do("Agree the reunification support plan", on=date(2027, 1, 20), agreed_on=date(2027, 1, 20),
            support_plan="Daily support from the family support team.", **told_the_family(date(2027, 1, 20)))
    # 6 weeks after the plan was agreed on 20 Jan: Wed 3 March 2027.
    assert case.due("Record the return home") == (date(2027, 3, 3), "R8")
    case.do("Record the return home", on=date(2027, 2, 15), returned_on=date(2027, 2, 15))
    # 6 weeks after the return home on 15 Feb: Mon 29 March 2027.
    assert case.due("Record the care order discharged or s20 ended") == (date(2027, 3, 29), "R8")
    case.do("Record the care order discharged or s20 ended", on=date(2027, 2, 19),
            care_ended_on=date(2027, 2, 19), how_ended="s20_ended")
    # Route achieved: the route's review PPM closes; permanence is recorded within 5 working
    # days of the final step on Fri 19 Feb: 22-26 February, Fri 26 February.
    assert "Hold the review PPM" not in case.names()
    assert case.due("Record permanence achieved") == (date(2027, 2, 26), "R23")
    assert case.position.stage == "Permanence achieved"

    case.do("Record permanence achieved", on=date(2027, 2, 22), achieved_on=date(2027, 2, 19), leaves_care=True)
    pos = case.position
    assert (pos.status, pos.stage, pos.open_tasks) == ("completed", "Pathway complete", [])
