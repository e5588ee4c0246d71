"""PPMs an event calls for (A6), through the shipped diagrams with a fixed clock: escalation
to pre-proceedings, care proceedings issued while the plan is twin-tracked, special
guardianship found viable and adoption found no longer viable each call a PPM within 10
working days (`called_ppm_working_days`), never later than the 6-weekly one (R8). A next PPM
date set earlier than 6 weeks is kept (B21). Runs on SQLite and PostgreSQL.

Bank holidays used: Good Friday 3 April and Easter Monday 6 April 2026, the late May bank
holiday Monday 25 May 2026.
"""
from datetime import date

from sqlalchemy import select

from engine import deliver_event
from models import HumanTask

from .conftest import PPM_AREAS, Case, at

CALLED = "Hold the PPM the event calls for"
REVIEW = "Hold the review PPM"


def _reason(case, name) -> str:
    """Why the open task `name` is due when it is, as its page and the inbox say."""
    with case.db.reading() as session:
        return session.scalar(select(HumanTask.due_reason).where(HumanTask.task_id == case.task(name)["task_id"]))


def _plan(case, routes, on=date(2026, 3, 9), **more):
    case.do("Hold the initial PPM", on=on, held_on=on, **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=routes, **more)


def _review(case, name, on, **more):
    case.do(name, on=on, held_on=on, progress="On track.", wishes_and_feelings="Wants to see mum.",
            change_of_plan_proposed=False, **more)


def test_A6_escalation_to_pre_proceedings_calls_a_ppm(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2014, 1, 1), legal_status="s20")
    _plan(case, ["reunification"])
    # R8: 9 Mar + 6 weeks = Mon 20 April; held that day, the next is 20 Apr + 6 weeks = Mon 1 June.
    _review(case, REVIEW, date(2026, 4, 20))
    _review(case, REVIEW, date(2026, 6, 1))
    assert case.due(REVIEW) == (date(2026, 7, 13), "R8")            # 1 June + 6 weeks
    # s20 drift (R21) from Mon 25 May: referred on Wed 27 May, the LGM on Mon 8 June decides
    # on pre-proceedings with the letter that day.
    case.sweep(date(2026, 5, 25))
    case.do("Refer s20 drift to the Legal Gateway Meeting", on=date(2026, 5, 27), still_s20=True,
            referred_on=date(2026, 5, 27))
    case.do("Record the Legal Gateway Meeting decision", on=date(2026, 6, 8), lgm_held_on=date(2026, 6, 8),
            threshold_met=True, decision="plo", s20_endorsed=False, plo_letter_on=date(2026, 6, 8))
    # The escalation calls a PPM: 10 working days after Mon 8 June: 9-12 (4), 15-19 (9),
    # Mon 22 June, sooner than the 6-weekly one on 13 July, which gives way to it.
    assert REVIEW not in case.names()
    called = case.task(CALLED)
    assert (called["due_on"], called["rule"], called["lane"]) == (date(2026, 6, 22), "R8", "Social Worker")
    # In words, as every due reason's dates are (it read "on 2026-06-08" once).
    assert "escalated to pre-proceedings on 8 June 2026 (and no later than" in _reason(case, CALLED)
    assert case.due("Review pre-proceedings") == (date(2026, 9, 8), "R13")   # the legal work goes on
    # Held on Fri 19 June: met, and the 6-weekly PPMs run from it (19 June + 6 weeks = 31 July).
    _review(case, CALLED, date(2026, 6, 19))
    assert case.due(REVIEW) == (date(2026, 7, 31), "R8")
    assert ("Hold the PPM the event calls for: deadline", date(2026, 6, 22), "met", date(2026, 6, 19)) \
        in case.deadline("R8")


def test_A6_a_called_ppm_not_held_is_escalated_to_the_team_manager(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2018, 1, 1), legal_status="ico")
    _plan(case, ["reunification", "adoption"])
    # Care proceedings issued on Wed 18 March, recorded as a case event: the twin-tracked plan
    # is reviewed at a PPM within 10 working days: 19, 20 (2), 23-27 (7), 30, 31 (9), Wed 1 April.
    at(date(2026, 3, 18))
    delivered = deliver_event(case.db, case.child_id, "proceedings_issued", {"issued_on": "2026-03-18"}, "legal")
    # Legal's step hears it (D22); the step that starts the 26 weeks then calls the PPM.
    assert (delivered.caught_by, delivered.error) == (["issued_as_event"], None)
    assert case.due(CALLED) == (date(2026, 4, 1), "R8")
    # Not held by Wed 1 April: from 00:00 Thu 2 April the Team Manager is asked, within 2
    # working days of that day (not counted), past Good Friday and Easter Monday: Tue 7 (1),
    # Wed 8 April (2).
    case.sweep(date(2026, 4, 2), hour=6)
    assert case.due("Escalate: PPM the event calls for overdue") == (date(2026, 4, 8), "R8")
    assert case.task("Escalate: PPM the event calls for overdue")["lane"] == "Team Manager"


def test_A6_twin_tracking_in_proceedings_calls_a_ppm(council_with_pathway):
    """The twin-tracking scenario: an interim care order, a twin-track plan at the initial PPM,
    then proceedings issued recorded by Legal on the pathway's own step."""
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2024, 5, 1), legal_status="ico")
    _plan(case, ["reunification", "adoption"])
    assert case.due(REVIEW) == (date(2026, 4, 20), "R8")               # 9 Mar + 6 weeks
    case.do("Record care proceedings issued", on=date(2026, 3, 11), issued_on=date(2026, 3, 11))
    # 10 working days after Wed 11 March: 12, 13 (2), 16-20 (7), 23, 24 (9), Wed 25 March.
    assert case.due(CALLED) == (date(2026, 3, 25), "R8")
    assert REVIEW not in case.names()
    # Both tracks go on beside the PPM, and the 26 weeks run (11 Mar + 26 weeks = 9 September).
    assert {"Agree the reunification support plan", "Send the Child's Permanence Report to the ADM"} <= case.names()
    assert case.due("Record the final hearing or an extension") == (date(2026, 9, 9), "R14")
    _review(case, CALLED, date(2026, 3, 24))
    assert case.due(REVIEW) == (date(2026, 5, 5), "R8")                # 24 Mar + 6 weeks


def test_A6_special_guardianship_found_viable_calls_a_ppm(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2020, 5, 1), legal_status="co")
    _plan(case, ["family_and_friends"])
    case.do("Complete the connected person assessment", on=date(2026, 4, 8), assessed_on=date(2026, 4, 8),
            carer_name="Aunt Jo", assessment_recommendation="approve")
    # 10 working days after Wed 8 April: 9 (1), 10 (2), 13-17 (7), 20, 21 (9), Wed 22 April;
    # but the 6-weekly PPM (9 Mar + 6 weeks) falls sooner, on Mon 20 April: the earlier holds.
    assert case.due(CALLED) == (date(2026, 4, 20), "R8")
    assert "special guardianship found viable" in _reason(case, CALLED)
    assert "Check the SGO or CAO applicant" in case.names()


def test_A6_adoption_found_no_longer_viable_calls_a_ppm_before_the_next_review(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2020, 1, 6), legal_status="co")
    _plan(case, ["adoption"])
    case.do("Send the Child's Permanence Report to the ADM", on=date(2026, 3, 16),
            cpr_sent_on=date(2026, 3, 16), ffa_considered=True)
    case.do("Decide whether the child should be placed for adoption", on=date(2026, 3, 20),
            adm_decided_on=date(2026, 3, 20), adm_decision="placed_for_adoption", reasons="Best interests.")
    case.do("Record the placement order or s19 consent", on=date(2026, 4, 28),
            authority="placement_order", authority_on=date(2026, 4, 27))
    # Review PPMs every 6 weeks: 9 Mar, 20 Apr, 1 June, 13 July; the next due 24 August.
    for held in (date(2026, 4, 20), date(2026, 6, 1), date(2026, 7, 13)):
        _review(case, REVIEW, held)
    assert case.due(REVIEW) == (date(2026, 8, 24), "R8")
    # The first adoption review, 3 months after authority (27 July), finds adoption no longer
    # viable: a PPM within 10 working days: 28-31 (4), 3-7 Aug (9), Mon 10 August.
    case.do("Hold the adoption review (not yet placed)", on=date(2026, 7, 27),
            adoption_review_held_on=date(2026, 7, 27), adoption_still_viable=False,
            comments="No adopters found for a child of six with her needs.")
    assert case.due(CALLED) == (date(2026, 8, 10), "R8")
    assert REVIEW not in case.names()
    # The adoption reviews go on (6 months after 27 July: 27 January 2027) until the plan changes.
    assert case.due("Hold the adoption review (not yet placed)") == (date(2027, 1, 27), "R16")
    # The called PPM proposes the change of plan, which goes to the IRO (R5) as any other.
    case.do(CALLED, on=date(2026, 8, 5), held_on=date(2026, 8, 5), progress="Adoption not viable.",
            wishes_and_feelings="Wants to stay with her carers.", change_of_plan_proposed=True,
            proposed_change="Long-term fostering with the current carers.")
    assert case.task("Review the proposed change of plan")["lane"] == "IRO"


def test_A6_an_adoption_review_that_finds_adoption_viable_calls_no_ppm(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2020, 1, 6), legal_status="co")
    _plan(case, ["adoption"])
    case.do("Send the Child's Permanence Report to the ADM", on=date(2026, 3, 16),
            cpr_sent_on=date(2026, 3, 16), ffa_considered=True)
    case.do("Decide whether the child should be placed for adoption", on=date(2026, 3, 20),
            adm_decided_on=date(2026, 3, 20), adm_decision="placed_for_adoption", reasons="Best interests.")
    case.do("Record the placement order or s19 consent", on=date(2026, 4, 28),
            authority="placement_order", authority_on=date(2026, 4, 27))
    case.do("Hold the adoption review (not yet placed)", on=date(2026, 4, 30),
            adoption_review_held_on=date(2026, 4, 30), adoption_still_viable=True)
    assert CALLED not in case.names() and case.due(REVIEW) == (date(2026, 4, 20), "R8")


def test_B21_a_next_ppm_date_set_sooner_than_6_weeks_is_kept(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2019, 6, 1), legal_status="co")
    # The initial PPM on Mon 9 March sets the next for Mon 23 March, sooner than 6 weeks (20 April).
    _plan(case, ["long_term_fostering"], next_ppm_on=date(2026, 3, 23))
    assert case.due(REVIEW) == (date(2026, 3, 23), "R8")
    assert "or sooner on the date it set" in _reason(case, REVIEW)
    # Held that day with no date set: 6 weeks, Mon 4 May; the last PPM's date is not kept.
    _review(case, REVIEW, date(2026, 3, 23))
    assert case.due(REVIEW) == (date(2026, 5, 4), "R8")
    # A date later than 6 weeks is not a licence to wait: 4 May + 6 weeks = 15 June holds.
    _review(case, REVIEW, date(2026, 5, 4), next_ppm_on=date(2026, 7, 1))
    assert case.due(REVIEW) == (date(2026, 6, 15), "R8")
    # Missed from 00:00 on the day after the date it set (B21 is a deadline, not a wish).
    _review(case, REVIEW, date(2026, 6, 15), next_ppm_on=date(2026, 6, 29))
    case.sweep(date(2026, 6, 30), hour=6)
    assert "Escalate: review PPM overdue" in case.names()


def test_B21_before_a_plan_the_review_ppm_keeps_the_date_set_too(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2019, 6, 1), legal_status="co")
    case.do("Hold the initial PPM", on=date(2026, 3, 9), held_on=date(2026, 3, 9), **PPM_AREAS,
            reunification_discussed=True, plan_identified=False, next_ppm_on=date(2026, 3, 30))
    assert case.due(REVIEW) == (date(2026, 3, 30), "R8")
