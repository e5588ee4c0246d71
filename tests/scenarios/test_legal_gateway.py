"""The Legal Gateway Meeting for any child, through the real pathway with a fixed clock and
dates worked by hand: a referral by the social worker or a manager (A10, B1), the meeting's
decision to go to pre-proceedings (A12, R13) or to endorse s20 with its reason (F2), the
refusals of a referral that makes no sense, and the s20 drift's age taken on the day the 12
weeks end (P14)."""
from datetime import date

import pytest

from engine import FormInvalid, NotAllowed, complete_task, deliver_event, reporting

from ..engine.helpers import instance_row
from .conftest import PPM_AREAS, Case, at

LGM = "Record the Legal Gateway Meeting decision"


@pytest.fixture(autouse=True)
def _every_cohort(every_cohort_weekly):
    """The panel's agenda below is read with every cohort on one Thursday."""


def _refer(case, on, who="sw", **data):
    at(on)
    return deliver_event(case.db, case.child_id, "lgm_referral",
                         {"referred_on": on.isoformat(), "recommendation": "Consider pre-proceedings.", **data}, who)


def test_A10_B1_A12_any_child_referred_to_the_LGM_goes_to_pre_proceedings(council_with_pathway):
    db = council_with_pathway
    # A 10-year-old accommodated under s20 on Mon 2 March 2026: not yet 12 weeks (R21), so
    # only a referral brings them to the meeting.
    case = Case.start(db, date(2026, 3, 2), date(2016, 1, 10), legal_status="s20")
    case.do("Hold the initial PPM", on=date(2026, 3, 9), held_on=date(2026, 3, 9), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["reunification"])
    assert LGM not in case.names()
    # Wed 1 April: the social worker refers. The meeting is due within 10 working days (R21):
    # Thu 2 Apr (1), Good Friday 3 and Easter Monday 6 are bank holidays, 7 (2), 8 (3), 9 (4),
    # 10 (5), 13 (6), 14 (7), 15 (8), 16 (9), Fri 17 April 2026 (10), in Legal's lane.
    delivered = _refer(case, date(2026, 4, 1))
    assert delivered.caught_by == ["lgm_referred"]
    assert [(t["name"], t["lane"], t["due_on"], t["rule"]) for t in delivered.opened
            if t["name"] == LGM] == [(LGM, "Legal", date(2026, 4, 17), "R21")]
    assert instance_row(db, case.instance_id).facts["lgm_referred_on"] == "2026-04-01"
    # Tue 14 April: the meeting decides on pre-proceedings, letter sent that day, with the
    # legal plan and the assessments before any application (A12, MER §7.1).
    case.do(LGM, on=date(2026, 4, 14), lgm_held_on=date(2026, 4, 14), threshold_met=True, decision="plo",
            s20_endorsed=False, plo_letter_on=date(2026, 4, 14),
            legal_plan="Letter before proceedings; FGC referral; independent parenting assessment.")
    # R13: pre-proceedings target 3 months from the letter: Tue 14 July 2026.
    assert case.due("Review pre-proceedings") == (date(2026, 7, 14), "R13")
    facts = instance_row(db, case.instance_id).facts
    assert (facts["decision"], facts["s20_endorsed"]) == ("plo", False)
    # The referral is heard once: the open meeting was decided, the child is in
    # pre-proceedings, so a second referral is refused while it runs.
    with pytest.raises(FormInvalid) as refused:
        _refer(case, date(2026, 4, 20))
    assert "'Review pre-proceedings' is open" in refused.value.errors["referred_on"][0]


def test_F2_the_LGM_endorses_s20_for_an_unaccompanied_child_who_is_still_planned_and_reviewed(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2026, 3, 2), date(2011, 6, 1), legal_status="s20")
    # Mon 16 March the team manager refers: due 10 working days later, Mon 30 March 2026.
    delivered = _refer(case, date(2026, 3, 16), who="tm", recommendation="UASC: s20 is right.")
    assert [t["due_on"] for t in delivered.opened if t["name"] == LGM] == [date(2026, 3, 30)]
    task = case.task(LGM)
    answers = {"lgm_held_on": "2026-03-25", "threshold_met": False, "decision": "no_further_action",
               "s20_endorsed": True, "legal_plan": "Remain accommodated under s20."}
    at(date(2026, 3, 25))
    # Endorsed without saying why: refused by field, with everything typed kept.
    with pytest.raises(FormInvalid) as refused:
        complete_task(db, task["task_id"], answers, "legal")
    assert refused.value.errors["s20_reason"] == ["Select why section 20 remains the right legal status"]
    assert refused.value.data["legal_plan"] == "Remain accommodated under s20."
    # Nor can s20 be endorsed while deciding to issue proceedings.
    with pytest.raises(FormInvalid) as refused:
        complete_task(db, task["task_id"], {**answers, "decision": "issue_proceedings", "s20_reason": "uasc"}, "legal")
    assert "s20_endorsed" in refused.value.errors
    outcome = complete_task(db, task["task_id"], {**answers, "s20_reason": "uasc"}, "legal")
    assert outcome.error is None
    facts = instance_row(db, case.instance_id).facts
    assert (facts["s20_endorsed"], facts["s20_reason"]) == (True, "uasc")
    # Still planned and reviewed (BCP §1): the initial PPM and the first CLA review stay open,
    # and the Permanence Panel leaves the child to the meeting's endorsement, saying why.
    assert {"Hold the initial PPM", "Hold the first CLA review"} <= case.names()
    agenda = reporting.panel(db, "chair", date(2026, 3, 26))
    assert [(c["child_id"], c["reason"]) for c in agenda.excluded if c["child_id"] == case.child_id] == [
        (case.child_id, "Section 20 endorsed by the Legal Gateway Meeting (unaccompanied asylum-seeking child)")]


def test_A10_B1_a_referral_that_makes_no_sense_is_refused_with_nothing_written(council_with_pathway):
    db = council_with_pathway
    ico = Case.start(db, date(2026, 3, 2), date(2020, 1, 1), legal_status="ico", reference="C-ICO")
    with pytest.raises(FormInvalid) as refused:
        _refer(ico, date(2026, 3, 20))
    assert "is in care proceedings" in refused.value.errors["referred_on"][0]
    s20 = Case.start(db, date(2026, 3, 2), date(2016, 1, 1), legal_status="s20", reference="C-S20")
    at(date(2026, 3, 20))
    with pytest.raises(FormInvalid) as refused:
        deliver_event(db, s20.child_id, "lgm_referral", {"referred_on": "2026-03-27", "recommendation": ""}, "sw")
    assert refused.value.errors == {
        "referred_on": ["Date of the referral must be today or in the past"],
        "recommendation": ["Enter the recommendation for achieving permanence"]}
    # Reviewing and legal roles do not refer: the social worker and managers do (BCP §6(ii)).
    for who in ("iro", "legal"):
        with pytest.raises(NotAllowed):
            _refer(s20, date(2026, 3, 20), who=who)
    assert LGM not in s20.names()
    # One referral at a time: a second while the meeting is still to record is refused.
    _refer(s20, date(2026, 3, 20), who="sm")
    with pytest.raises(FormInvalid) as refused:
        _refer(s20, date(2026, 3, 23))
    assert refused.value.errors["referred_on"] == [
        f"Alex Example is already with Legal: '{LGM}' is open; record the meeting there"]
    assert [t["name"] for t in [s20.task(LGM)]] == [LGM]


def test_P14_the_s20_drift_takes_the_age_on_the_day_the_12_weeks_end(council_with_pathway):
    db = council_with_pathway
    # Both 16 on entry, Mon 2 March 2026; 12 weeks later is Mon 25 May 2026 (R21).
    # Born 1 April 2009: 17 on 1 April 2026, before the 12 weeks end: not referred (BCP §5
    # "aged 16 and under ... after 12 weeks"; the Placement and Resource Panel instead).
    older = Case.start(db, date(2026, 3, 2), date(2009, 4, 1), legal_status="s20", reference="C-OLD")
    # Born 1 June 2009: still 16 on 25 May 2026: referred by the Service Manager.
    younger = Case.start(db, date(2026, 3, 2), date(2009, 6, 1), legal_status="s20", reference="C-YOUNG")
    older.sweep(date(2026, 5, 25))
    assert "Refer s20 drift to the Legal Gateway Meeting" not in older.names()
    assert younger.due("Refer s20 drift to the Legal Gateway Meeting") == (date(2026, 6, 1), "R21")


def test_A11_the_LGM_reviews_the_care_plan_every_6_weeks_in_pre_proceedings_and_then_proceedings(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2026, 3, 2), date(2016, 1, 10), legal_status="s20")
    _refer(case, date(2026, 4, 1))
    case.do(LGM, on=date(2026, 4, 14), lgm_held_on=date(2026, 4, 14), threshold_met=True, decision="plo",
            s20_endorsed=False, plo_letter_on=date(2026, 4, 14))
    review = "Review the care plan at the Legal Gateway Meeting"
    # Pre-proceedings from the letter on Tue 14 April; the meeting reviews the plan 6 weeks
    # later (the council setting lgm_review_weeks, default 6): first on Tue 26 May 2026.
    case.sweep(date(2026, 5, 25))
    assert review not in case.names()
    case.sweep(date(2026, 5, 26))
    # Due within 5 working days: 27 (1), 28 (2), 29 (3), Mon 1 June (4), Tue 2 June 2026 (5).
    assert case.due(review) == (date(2026, 6, 2), "R13")
    assert case.task(review)["lane"] == "Legal"
    assert _due_reason(case, review) == ("5 working days after the review fell due on 26 May 2026, 6 weeks "
                                               "after 14 April 2026 (the letter before proceedings, or the last review held)")
    at(date(2026, 5, 28))
    with pytest.raises(FormInvalid) as refused:
        complete_task(db, case.task(review)["task_id"], {"lgm_reviewed_on": "2026-05-28", "care_plan_progress": "Slow.",
                                                         "drift": True}, "legal")
    assert refused.value.errors == {"actions_agreed": ["Say what was agreed to stop the drift or delay"]}
    case.do(review, on=date(2026, 5, 28), lgm_reviewed_on=date(2026, 5, 28), care_plan_progress="On track.")
    # The next 6 weeks after the review was held (Thu 28 May), not after it fell due:
    # Thu 9 July, due Thu 16 July (10, 13, 14, 15, 16).
    case.sweep(date(2026, 7, 8))
    assert review not in case.names()
    case.sweep(date(2026, 7, 9))
    assert case.due(review) == (date(2026, 7, 16), "R13")
    case.sweep(date(2026, 7, 10))
    assert [t["name"] for t in case_tasks(case)].count(review) == 1
    # Fri 10 July pre-proceedings end in issuing proceedings: the open pre-proceedings review
    # is cancelled with them; Legal record the issue that day.
    case.do("Review pre-proceedings", on=date(2026, 7, 10), plo_reviewed_on=date(2026, 7, 10),
            plo_outcome="issue_proceedings")
    assert review not in case.names()
    case.do("Record care proceedings issued", on=date(2026, 7, 10), issued_on=date(2026, 7, 10))
    # During proceedings the reviews run again, 6 weeks from the issue on Fri 10 July: Fri 21
    # August 2026, due 5 working days later, Fri 28 August (24, 25, 26, 27, 28), under R14.
    case.sweep(date(2026, 8, 20))
    assert review not in case.names()
    case.sweep(date(2026, 8, 21))
    assert case.due(review) == (date(2026, 8, 28), "R14")
    assert [t["name"] for t in case_tasks(case)].count(review) == 1


def test_A11_a_late_sweep_opens_one_review_the_next_counts_from_the_one_held_and_the_order_ends_them(council_with_pathway):
    db = council_with_pathway
    review = "Review the care plan at the Legal Gateway Meeting"
    hearing = "Record the final hearing or an extension"
    case = Case.start(db, date(2026, 3, 2), date(2016, 1, 10), legal_status="s20")
    _refer(case, date(2026, 4, 1))
    case.do(LGM, on=date(2026, 4, 14), lgm_held_on=date(2026, 4, 14), threshold_met=True,
            decision="issue_proceedings", s20_endorsed=False)
    case.do("Record care proceedings issued", on=date(2026, 4, 14), issued_on=date(2026, 4, 14))
    # Proceedings issued Tue 14 April 2026: reviews would fall due every 6 weeks, Tue 26 May,
    # Tue 7 July and Tue 18 August. No worker runs until Thu 20 August (three cycles late):
    # exactly one review opens, the first, due 5 working days after 26 May (Tue 2 June).
    case.sweep(date(2026, 8, 20))
    assert [t["name"] for t in case_tasks(case)].count(review) == 1
    assert case.due(review) == (date(2026, 6, 2), "R14")
    case.sweep(date(2026, 8, 21))
    assert [t["name"] for t in case_tasks(case)].count(review) == 1
    # Held on Fri 21 August (D): the next falls due D + 6 weeks, Fri 2 October 2026.
    case.do(review, on=date(2026, 8, 21), lgm_reviewed_on=date(2026, 8, 21), care_plan_progress="Assessments late.",
            drift=True, actions_agreed="Expert report chased; timetable agreed with the Guardian.")
    assert review not in case.names()
    # Tue 25 August the court extends the timetable by 8 weeks: the final hearing re-opens and
    # the reviews already running go on, not doubled.
    case.do(hearing, on=date(2026, 8, 25), hearing_outcome="extension", extension_weeks=8,
            extension_reason="Expert assessment")
    assert hearing in case.names()
    case.sweep(date(2026, 10, 1))
    assert review not in case.names()
    case.sweep(date(2026, 10, 2))
    # Due 5 working days later: 5, 6, 7, 8, Fri 9 October 2026.
    assert case.due(review) == (date(2026, 10, 9), "R14")
    assert [t["name"] for t in case_tasks(case)].count(review) == 1
    # Mon 5 October the final order ends the proceedings: the open review is cancelled, and no
    # other opens after it.
    case.do(hearing, on=date(2026, 10, 5), hearing_outcome="final_order", order_type="co",
            order_made_on=date(2026, 10, 5))
    assert review not in case.names()
    case.sweep(date(2026, 12, 31))
    assert review not in case.names()


def _due_reason(case, name):
    from sqlalchemy import select
    from models import HumanTask
    with case.db.transaction() as s:
        return s.scalar(select(HumanTask.due_reason).where(
            HumanTask.instance_id == case.instance_id, HumanTask.name == name, HumanTask.status == "open"))


def case_tasks(case):
    from engine import open_tasks
    return open_tasks(case.db, child_id=case.child_id)


def test_A11_a_council_sets_its_own_interval_for_the_LGM_reviews(council_with_pathway, monkeypatch, tmp_path):
    from ..conftest import council_settings
    council_settings(monkeypatch, tmp_path, {"lgm_review_weeks": 4})
    db = council_with_pathway
    case = Case.start(db, date(2026, 3, 2), date(2016, 1, 10), legal_status="s20")
    _refer(case, date(2026, 4, 1))
    case.do(LGM, on=date(2026, 4, 14), lgm_held_on=date(2026, 4, 14), threshold_met=True, decision="plo",
            s20_endorsed=False, plo_letter_on=date(2026, 4, 14))
    # Every 4 weeks from Tue 14 April: Tue 12 May 2026, due 5 working days later, Tue 19 May.
    case.sweep(date(2026, 5, 11))
    assert "Review the care plan at the Legal Gateway Meeting" not in case.names()
    case.sweep(date(2026, 5, 12))
    assert case.due("Review the care plan at the Legal Gateway Meeting") == (date(2026, 5, 19), "R13")
