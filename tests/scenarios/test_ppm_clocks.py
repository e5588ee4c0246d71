"""Clocks the seeds set that the pathway lacked (issue 12 section 9), through the shipped
diagrams with a fixed clock. Runs on SQLite and PostgreSQL.

Alex becomes looked after on Monday 2 March 2026. The latest day the first CLA review may be
held (R1) is 20 working days later: 3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20, 23,
24, 25, 26, 27, 30 March, so Monday 30 March (Good Friday is 3 April, after it).
"""
from datetime import date

import pytest

from engine import FormInvalid, complete_task

from .conftest import PPM_AREAS, Case

LOOKED_AFTER, BORN = date(2026, 3, 2), date(2018, 1, 10)
FIRST_REVIEW = date(2026, 3, 11)     # early: 7 working days in, not the 30 March it may be


def _ppm(case, name, on, **answers):
    case.do(name, on=on, held_on=on, **{**PPM_AREAS, "plan_identified": False, **answers})


def _planning(case):
    """R4's first half: the plan by the second review (the second half, B4, is below)."""
    return [d for d in case.deadline("R4") if d[0] == "Permanency planning: deadline"]


def _review(case, name, on, plan):
    case.do(name, on=on, review_held_on=on, plan_identified=plan)


def test_b3_b9_p10_r4_and_r9_run_from_an_early_first_review_as_held(council_with_pathway):
    case = Case.start(council_with_pathway, LOOKED_AFTER, BORN)
    # Before any review, R4 runs from the latest day the first review may be held:
    # 30 March + 3 months = Tuesday 30 June.
    assert _planning(case) == [("Permanency planning: deadline", date(2026, 6, 30), "running", None)]

    # The IRO holds the first review early, on Wednesday 11 March. R4 now runs from it:
    # 11 March + 3 months = Thursday 11 June (the second review's own R2 date).
    _review(case, "Hold the first CLA review", FIRST_REVIEW, plan=False)
    assert case.due("Hold the second CLA review") == (date(2026, 6, 11), "R2")
    assert _planning(case) == [("Permanency planning: deadline", date(2026, 6, 11), "running", None)]

    # The initial PPM, on Friday 13 March, does not discuss reunification. R9: 6 weeks after
    # the first review as held, 11 March + 6 weeks = Wednesday 22 April; sooner than the
    # 6-weekly PPM (13 March + 6 weeks = Friday 24 April) and than 6 weeks after the latest
    # day the review could have been held (30 March + 6 weeks = Monday 11 May).
    _ppm(case, "Hold the initial PPM", date(2026, 3, 13), reunification_discussed=False)
    assert case.due("Hold a PPM that discusses reunification") == (date(2026, 4, 22), "R9")
    [r9] = case.deadline("R9")
    assert r9[1:3] == (date(2026, 4, 22), "running")

    # Not held by Wednesday 22 April: overdue from 00:00 on Thursday 23 April, and the Team
    # Manager is asked to act (H10).
    case.sweep(date(2026, 4, 22), hour=18)
    assert "Escalate: reunification not discussed" not in case.names()
    case.sweep(date(2026, 4, 23))
    assert case.task("Escalate: reunification not discussed")["lane"] == "Team Manager"
    assert case.deadline("R9")[0][1:3] == (date(2026, 4, 22), "missed")


def test_b3_p10_r4_is_missed_at_an_early_second_review_without_a_plan(council_with_pathway):
    case = Case.start(council_with_pathway, LOOKED_AFTER, BORN)
    _review(case, "Hold the first CLA review", FIRST_REVIEW, plan=False)
    # The second review is held early too, on Friday 5 June, and finds no plan: the IRO
    # starts dispute resolution (H3) and R4, "a plan by the second review", is now due on the
    # day that review was held, not on 11 June (nor the 30 June it once showed).
    _review(case, "Hold the second CLA review", date(2026, 6, 5), plan=False)
    assert "Start dispute resolution: no permanence plan" in case.names()
    assert _planning(case) == [("Permanency planning: deadline", date(2026, 6, 5), "running", None)]
    # Overdue from 00:00 on Saturday 6 June: missed, not "met" later by a PPM.
    case.sweep(date(2026, 6, 6))
    assert _planning(case) == [("Permanency planning: deadline", date(2026, 6, 5), "missed", None)]


def test_b3_a_second_review_held_late_on_paper_moves_r4_to_that_day(council_with_pathway):
    """Recorded days after it was held (on Monday 8 June, held Friday 5 June): the clock runs
    from the date on the form, so R4 is missed at once, not from the day of typing."""
    case = Case.start(council_with_pathway, LOOKED_AFTER, BORN)
    _review(case, "Hold the first CLA review", FIRST_REVIEW, plan=False)
    case.do("Hold the second CLA review", on=date(2026, 6, 8), review_held_on=date(2026, 6, 5),
            plan_identified=False)
    assert _planning(case) == [("Permanency planning: deadline", date(2026, 6, 5), "missed", None)]


def test_h2_c11_p12_a_missed_cla_review_goes_to_the_iro_as_well_as_the_team_manager(council_with_pathway):
    case = Case.start(council_with_pathway, LOOKED_AFTER, BORN)
    # R1 is due Monday 30 March: not missed that evening, overdue from 00:00 Tuesday 31 March.
    case.sweep(date(2026, 3, 30), hour=18)
    assert not {"Escalate: first CLA review overdue", "Consider dispute resolution: first CLA review overdue"} & case.names()
    case.sweep(date(2026, 3, 31))
    # Both are asked to act, each due 2 working days (escalation_working_days) after Tuesday
    # 31 March: Wednesday 1, Thursday 2 April.
    assert case.task("Escalate: first CLA review overdue")["lane"] == "Team Manager"
    assert case.due("Consider dispute resolution: first CLA review overdue") == (date(2026, 4, 2), "R1")
    assert case.task("Consider dispute resolution: first CLA review overdue")["lane"] == "IRO"
    # One R1 deadline, missed; the IRO's alert is not a second clock.
    assert [d[2] for d in case.deadline("R1")] == ["missed"]
    # The IRO starts dispute resolution: saying so needs the date and who it was raised with.
    task = case.task("Consider dispute resolution: first CLA review overdue")
    with pytest.raises(FormInvalid) as refused:
        complete_task(council_with_pathway, task["task_id"], {"dispute_resolution": True,
                                                             "notes": "No IRO available"}, "iro")
    assert set(refused.value.errors) == {"raised_on", "raised_with"}
    case.do("Consider dispute resolution: first CLA review overdue", on=date(2026, 4, 1), dispute_resolution=True,
            raised_on=date(2026, 4, 1), raised_with="Terry Manager, Team Manager", notes="No review date set")
    assert "Consider dispute resolution: first CLA review overdue" not in case.names()
    assert "Hold the first CLA review" in case.names()


def test_h2_a_review_held_in_time_alerts_nobody(council_with_pathway):
    case = Case.start(council_with_pathway, LOOKED_AFTER, BORN)
    _review(case, "Hold the first CLA review", date(2026, 3, 30), plan=False)
    case.sweep(date(2026, 3, 31))
    assert not any(n.startswith(("Escalate: first", "Consider dispute")) for n in case.names())
    assert [d[2] for d in case.deadline("R1")] == ["met"]


def _to_second_review(case):
    _review(case, "Hold the first CLA review", FIRST_REVIEW, plan=False)
    # Second review Friday 5 June 2026 finds a plan: it is to be confirmed within a further 6
    # months, by Saturday 5 December 2026 (R4, B4). (Without a plan the IRO is already in
    # dispute resolution, H3.)
    _review(case, "Hold the second CLA review", date(2026, 6, 5), plan=True)
    assert case.due("Confirm the permanence plan") == (date(2026, 12, 5), "R4")
    assert case.task("Confirm the permanence plan")["lane"] == "IRO"


def test_b4_the_plan_is_confirmed_within_a_further_6_months(council_with_pathway):
    case = Case.start(council_with_pathway, LOOKED_AFTER, BORN)
    _to_second_review(case)
    # The third review, on Tuesday 1 December, endorses the plan: the IRO confirms it.
    case.do("Confirm the permanence plan", on=date(2026, 12, 1), plan_confirmed_on=date(2026, 12, 1),
            confirmed_plan="Long-term fostering with the current carers")
    assert [d for d in case.deadline("R4") if d[0] == "Confirm the permanence plan: deadline"] == [
        ("Confirm the permanence plan: deadline", date(2026, 12, 5), "met", date(2026, 12, 1))]
    case.sweep(date(2026, 12, 7))
    assert "Start dispute resolution: plan not confirmed" not in case.names()


def test_b4_a_plan_not_confirmed_in_6_months_goes_to_dispute_resolution(council_with_pathway):
    case = Case.start(council_with_pathway, LOOKED_AFTER, BORN)
    _to_second_review(case)
    # Due Saturday 5 December: still running that evening; overdue from 00:00 Sunday 6 December.
    case.sweep(date(2026, 12, 5), hour=18)
    assert "Start dispute resolution: plan not confirmed" not in case.names()
    case.sweep(date(2026, 12, 6))
    # The IRO raises it, within 2 working days of Sunday 6 December: Tuesday 8 December.
    assert case.due("Start dispute resolution: plan not confirmed") == (date(2026, 12, 8), "R4")
    assert [d[1:3] for d in case.deadline("R4") if d[0] == "Confirm the permanence plan: deadline"] == [
        (date(2026, 12, 5), "missed")]
    # Confirmation is still asked for: the task stays open beside the dispute.
    assert "Confirm the permanence plan" in case.names()


def test_h13_a_late_change_of_plan_review_goes_to_the_iros_dispute_resolution(council_with_pathway):
    case = Case.start(council_with_pathway, LOOKED_AFTER, date(2019, 6, 1), legal_status="co")
    case.do("Hold the initial PPM", on=date(2026, 3, 9), held_on=date(2026, 3, 9), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["reunification"])
    case.do("Hold the review PPM", on=date(2026, 4, 16), held_on=date(2026, 4, 16), progress="Contact has broken down.",
            wishes_and_feelings="Happy where she is.", change_of_plan_proposed=True,
            proposed_change="Long-term fostering with the current carers.")
    # R5: 10 working days after the PPM on Thursday 16 April: 17, 20-24, 27-30: Thursday 30 April.
    assert [d[1:3] for d in case.deadline("R5")] == [(date(2026, 4, 30), "running")]
    case.sweep(date(2026, 4, 30), hour=18)
    assert "Start dispute resolution: change of plan not reviewed" not in case.names()
    # Overdue from 00:00 Friday 1 May: the IRO raises it within 2 working days of it (Monday
    # 4 May is the early May bank holiday: Tuesday 5, Wednesday 6 May); the review stays open.
    case.sweep(date(2026, 5, 1))
    assert case.due("Start dispute resolution: change of plan not reviewed") == (date(2026, 5, 6), "R5")
    assert case.task("Start dispute resolution: change of plan not reviewed")["lane"] == "IRO"
    assert [d[1:3] for d in case.deadline("R5")] == [(date(2026, 4, 30), "missed")]
    assert "Review the proposed change of plan" in case.names()
    case.do("Start dispute resolution: change of plan not reviewed", on=date(2026, 5, 1),
            raised_on=date(2026, 5, 1), raised_with="Terry Manager, Team Manager")
    case.do("Review the proposed change of plan", on=date(2026, 5, 6), change_reviewed_on=date(2026, 5, 6),
            change_agreed=True, new_routes=["long_term_fostering"])
    assert case.position.route == "long_term_fostering"


def test_h13_a_change_of_plan_reviewed_in_time_meets_r5(council_with_pathway):
    case = Case.start(council_with_pathway, LOOKED_AFTER, date(2019, 6, 1), legal_status="co")
    case.do("Hold the initial PPM", on=date(2026, 3, 9), held_on=date(2026, 3, 9), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["reunification"])
    case.do("Hold the review PPM", on=date(2026, 4, 16), held_on=date(2026, 4, 16), progress="Stalled.",
            wishes_and_feelings="Happy where she is.", change_of_plan_proposed=True, proposed_change="Fostering.")
    case.do("Review the proposed change of plan", on=date(2026, 4, 24), change_reviewed_on=date(2026, 4, 24),
            change_agreed=False)
    assert [d[1:] for d in case.deadline("R5")] == [(date(2026, 4, 30), "met", date(2026, 4, 24))]


@pytest.mark.parametrize("order", ["ico", "epo"])
def test_a10_a11_b1_an_ico_or_epo_entry_goes_to_the_legal_gateway_meeting(council_with_pathway, order):
    case = Case.start(council_with_pathway, LOOKED_AFTER, BORN, legal_status=order)
    # In proceedings from day one: the LGM is held within 10 working days of entry (3-6, 9-13,
    # 16 March: Monday 16 March), beside recording the proceedings issued.
    lgm = "Hold the Legal Gateway Meeting: entry on an interim or emergency order"
    assert case.due(lgm) == (date(2026, 3, 16), "R14")
    assert case.task(lgm)["lane"] == "Legal"
    assert "Record care proceedings issued" in case.names()
    case.do(lgm, on=date(2026, 3, 12), entry_lgm_held_on=date(2026, 3, 12),
            legal_plan="Interim care order; final hearing in 26 weeks; twin-track reunification and adoption.",
            assessments="FGC referral; parenting assessment of the mother.")
    assert lgm not in case.names()
    assert "Record care proceedings issued" in case.names()


def test_a10_a_child_accommodated_under_s20_has_no_entry_lgm(council_with_pathway):
    case = Case.start(council_with_pathway, LOOKED_AFTER, BORN, legal_status="s20")
    assert not any(n.startswith("Hold the Legal Gateway Meeting") for n in case.names())
