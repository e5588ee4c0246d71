"""Approaching adulthood and leaving care (B23, L1-L5), through the shipped diagrams with a
fixed clock: the care-leaving PPM confirms care-leaving status, entitlements and transition
plans before the final CLA or pathway plan review, also for a young person who leaves care
before 18. Runs on SQLite and PostgreSQL."""
from datetime import date

import pytest

from engine import FormInvalid

from .conftest import PPM_AREAS, Case, told_the_family

CARE_LEAVING = "Confirm care-leaver status at a PPM"
LEAVING_EARLY = "Confirm care-leaver status at a PPM before leaving care"
ANSWERS = dict(care_leaving_status="eligible", entitlements_explained=True, accommodation_plan="staying_put",
               staying_put=True, pathway_plan_updated=True, resource_panel_referred=True,
               entitlements="Personal adviser from 17; setting-up-home allowance.",
               notes="Staying Put with Mr and Mrs B to 21; college from September.")


def _plan(case, routes, on=date(2026, 3, 9)):
    case.do("Hold the initial PPM", on=on, held_on=on, **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=routes)


def test_B23_L1_L5_a_care_leaver_at_17_years_6_months(council_with_pathway):
    """Sam, born 20 June 2009, in long-term foster care: the care-leaving PPM opens on the 17th
    birthday and is due at 17 years 6 months (20 December 2026), before the final CLA review
    that falls in the six months before 18 (reviews every 6 months, R3)."""
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2009, 6, 20), legal_status="co")
    _plan(case, ["long_term_fostering"])
    case.sweep(date(2026, 6, 20), hour=1)     # the 17th birthday, 00:00 London
    assert case.due(CARE_LEAVING) == (date(2026, 12, 20), "R24")
    assert case.task(CARE_LEAVING)["lane"] == "Social Worker"
    # Not held by Sun 20 December: missed from 00:00 on Mon 21 December (17 years 6 months and a day).
    case.sweep(date(2026, 12, 20), hour=18)
    assert case.deadline("R24") == [("Care-leaving PPM: deadline", date(2026, 12, 20), "running", None)]
    case.sweep(date(2026, 12, 21), hour=6)
    assert case.deadline("R24") == [("Care-leaving PPM: deadline", date(2026, 12, 20), "missed", None)]
    assert CARE_LEAVING in case.names()                     # it still has to happen
    # The final review is already fixed for 4 January 2027: a PPM dated on or after it is refused
    # (DEV: "must take place before the final review"), with what was typed kept.
    with pytest.raises(FormInvalid) as refused:
        case.do(CARE_LEAVING, on=date(2027, 1, 5), confirmed_on=date(2027, 1, 5),
                final_review_on=date(2027, 1, 4), **ANSWERS)
    assert list(refused.value.errors) == ["final_review_on"]
    assert "before the final CLA or pathway plan review" in refused.value.errors["final_review_on"][0]
    assert refused.value.data["notes"] == ANSWERS["notes"]
    # Staying Put as the plan but "no" to staying put makes no sense: refused too.
    with pytest.raises(FormInvalid) as refused:
        case.do(CARE_LEAVING, on=date(2026, 12, 22), confirmed_on=date(2026, 12, 22),
                **{**ANSWERS, "staying_put": False})
    assert list(refused.value.errors) == ["staying_put"]
    # Held on Tue 22 December, before the final review on 4 January: status, entitlements,
    # Staying Put (L1), the Placement and Resource Panel (L3) and the pathway plan (L5).
    case.do(CARE_LEAVING, on=date(2026, 12, 22), confirmed_on=date(2026, 12, 22),
            final_review_on=date(2027, 1, 4), **ANSWERS)
    assert CARE_LEAVING not in case.names()
    assert case.deadline("R24") == [("Care-leaving PPM: deadline", date(2026, 12, 20), "missed", None)]


def test_B23_L2_a_young_person_leaving_care_at_16_has_a_care_leaving_ppm(council_with_pathway):
    """Jo, 16 (born 15 January 2010), returns home: the care order is discharged on Fri 29 May
    2026 and permanence is recorded; before the pathway closes, a care-leaving PPM within 10
    working days: 1-5 June (5), 8-12 June (10): Fri 12 June."""
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2010, 1, 15), legal_status="co")
    _plan(case, ["reunification"])
    case.do("Agree the reunification support plan", on=date(2026, 3, 23), agreed_on=date(2026, 3, 23),
            support_plan="Family support twice a week.", **told_the_family(date(2026, 3, 23)))
    case.do("Record the return home", on=date(2026, 4, 27), returned_on=date(2026, 4, 27))
    case.do("Record the care order discharged or s20 ended", on=date(2026, 5, 29),
            care_ended_on=date(2026, 5, 29), how_ended="care_order_discharged")
    case.do("Record permanence achieved", on=date(2026, 6, 1), achieved_on=date(2026, 5, 29), leaves_care=True)
    assert case.due(LEAVING_EARLY) == (date(2026, 6, 12), "R24")
    assert case.position.status != "completed"
    case.do(LEAVING_EARLY, on=date(2026, 6, 8), confirmed_on=date(2026, 6, 8),
            **{**ANSWERS, "care_leaving_status": "relevant", "accommodation_plan": "family", "staying_put": False})
    assert case.position.status == "completed"


def test_B23_a_younger_child_leaving_care_has_no_care_leaving_ppm(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2016, 1, 15), legal_status="co")
    _plan(case, ["reunification"])
    case.do("Agree the reunification support plan", on=date(2026, 3, 23), agreed_on=date(2026, 3, 23),
            support_plan="Family support twice a week.", **told_the_family(date(2026, 3, 23)))
    case.do("Record the return home", on=date(2026, 4, 27), returned_on=date(2026, 4, 27))
    case.do("Record the care order discharged or s20 ended", on=date(2026, 5, 29),
            care_ended_on=date(2026, 5, 29), how_ended="care_order_discharged")
    case.do("Record permanence achieved", on=date(2026, 6, 1), achieved_on=date(2026, 5, 29), leaves_care=True)
    assert case.position.status == "completed" and case.position.open_tasks == []


def _referrals(db):
    from engine import ppm_action_views
    return [a for a in ppm_action_views.inbox_actions(db, "sw")["owned"] if a["from"] == "Care-leaving PPM"]


def test_L3_the_care_leaving_ppm_asks_for_a_referral_to_the_placement_and_resource_panel(council_with_pathway):
    """Sam (born 20 June 2009) at the care-leaving PPM on Tue 22 December 2026: a referral to
    the Placement and Resource Panel is needed and not yet made, so the social worker owns it,
    due by the date the meeting set (Fri 15 January 2027), in their inbox until recorded."""
    from engine import ppm_action_views, ppm_actions
    db = council_with_pathway
    case = Case.start(db, date(2026, 3, 2), date(2009, 6, 20), legal_status="co")
    _plan(case, ["long_term_fostering"])
    case.sweep(date(2026, 6, 20), hour=1)
    answers = {**ANSWERS, "resource_panel_referred": False, "resource_panel_referral_needed": True}
    with pytest.raises(FormInvalid) as no_date:
        case.do(CARE_LEAVING, on=date(2026, 12, 22), confirmed_on=date(2026, 12, 22), **answers)
    assert no_date.value.errors == {"resource_panel_refer_by": [
        "Enter the date the referral to the Placement and Resource Panel must be made by (L3)"]}
    assert no_date.value.data["notes"] == ANSWERS["notes"]               # typed, kept
    with pytest.raises(FormInvalid) as before:
        case.do(CARE_LEAVING, confirmed_on=date(2026, 12, 22), resource_panel_refer_by=date(2026, 12, 1), **answers)
    assert "cannot be due before the PPM that asked for it" in before.value.errors["resource_panel_refer_by"][0]
    case.do(CARE_LEAVING, confirmed_on=date(2026, 12, 22), resource_panel_refer_by=date(2027, 1, 15), **answers)
    [action] = _referrals(db)
    assert action["action"].startswith("Refer to the Placement and Resource Panel: the care-leaving PPM "
                                       "on 22 December 2026")
    assert (action["due_on"], action["from"], action["status"]) == (date(2027, 1, 15), "Care-leaving PPM", "Open")
    from ..web.conftest import make_app, page_text, sign_in
    from .conftest import at
    client = make_app(db).test_client()
    at(date(2026, 12, 22))               # the app's own fixed clock, back to the PPM's day
    sign_in(client, "sw")
    inbox = page_text(client.get("/inbox"))
    assert "Refer to the Placement and Resource Panel: the care-leaving PPM on 22 December 2026" in inbox
    # Recorded as made: closed, and gone from the inbox.
    ppm_actions.complete(db, action["id"], "sw", {"done_on": "2026-12-22", "note": "Referral sent"})
    assert _referrals(db) == []
    assert ppm_action_views.action_page(db, action["id"], "sw")["status"] == "Done on 22 December 2026"
    assert "Refer to the Placement and Resource Panel" not in page_text(client.get("/inbox"))


def test_L3_a_referral_already_made_sets_no_action(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2026, 3, 2), date(2009, 6, 20), legal_status="co")
    _plan(case, ["long_term_fostering"])
    case.sweep(date(2026, 6, 20), hour=1)
    with pytest.raises(FormInvalid) as contradiction:
        case.do(CARE_LEAVING, on=date(2026, 12, 22), confirmed_on=date(2026, 12, 22),
                **{**ANSWERS, "resource_panel_referral_needed": False})
    assert list(contradiction.value.errors) == ["resource_panel_referral_needed"]
    case.do(CARE_LEAVING, confirmed_on=date(2026, 12, 22), **{**ANSWERS, "resource_panel_referral_needed": True})
    assert _referrals(db) == []


def test_E33_independent_living_is_planned_with_skills_and_who_helps(council_with_pathway):
    """E33 (MER §3): a plan for semi-independent living needs the skills being learnt and who
    helps; they are kept on the record."""
    db = council_with_pathway
    case = Case.start(db, date(2026, 3, 2), date(2009, 6, 20), legal_status="co")
    _plan(case, ["long_term_fostering"])
    case.sweep(date(2026, 6, 20), hour=1)
    answers = {**ANSWERS, "accommodation_plan": "semi_independent", "staying_put": False}
    with pytest.raises(FormInvalid) as refused:
        case.do(CARE_LEAVING, on=date(2026, 12, 22), confirmed_on=date(2026, 12, 22), **answers)
    assert sorted(refused.value.errors) == ["independent_living_skills", "independent_living_support"]
    assert "(E33)" in refused.value.errors["independent_living_skills"][0]
    outcome = case.do(CARE_LEAVING, confirmed_on=date(2026, 12, 22), **answers,
                      independent_living_skills="Cooks twice a week; opening a bank account.",
                      independent_living_support="Personal adviser Kim; the carers; the 16+ housing officer",
                      independent_living_by=date(2027, 9, 1))
    assert outcome.error is None
    from engine import records
    found = records.child_records(db, case.child_id, "sw")["records"]
    [record] = [r for r in found if r["task_name"] == CARE_LEAVING]
    kept = records.read_record(db, record["id"], "sw").record["answers"]
    assert kept["independent_living_support"].startswith("Personal adviser Kim")
    assert kept["independent_living_by"] in (date(2027, 9, 1), "2027-09-01")


def test_E33_L1_staying_put_with_another_plan_and_a_move_dated_before_the_PPM_are_refused(council_with_pathway):
    """Walking it: "Independent living" with "stay put with their carers: yes", and a move to
    independent living dated years before the PPM, were both accepted. Refused by field."""
    db = council_with_pathway
    case = Case.start(db, date(2026, 3, 2), date(2009, 6, 20), legal_status="co")
    _plan(case, ["long_term_fostering"])
    case.sweep(date(2026, 6, 20), hour=1)
    answers = {**ANSWERS, "accommodation_plan": "independent", "staying_put": True,
               "independent_living_skills": "Cooks; budgets", "independent_living_support": "Personal adviser",
               "independent_living_by": date(2020, 1, 1)}
    with pytest.raises(FormInvalid) as refused:
        case.do(CARE_LEAVING, on=date(2026, 12, 22), confirmed_on=date(2026, 12, 22), **answers)
    assert sorted(refused.value.errors) == ["independent_living_by", "staying_put"]
    assert refused.value.errors["staying_put"] == [
        "They will stay put with their carers: choose Staying Put as where they will live, or answer no"]
    outcome = case.do(CARE_LEAVING, confirmed_on=date(2026, 12, 22),
                      **{**answers, "staying_put": False, "independent_living_by": date(2027, 9, 1)})
    assert outcome.error is None
