"""Case events heard by the real pathway, with a fixed clock and dates worked by hand:
an s20 child whose proceedings are issued leaves the s20 drift list (P13, D22, R21); a
child returned home under a care order is placed with parents and joins the panel's cohort
2 (E4, D22, BCP §5); an order made in proceedings is entered once (F1, R14)."""
import pytest
from datetime import date

from engine import deliver_event, reporting
from engine.case_events import placements
from engine.reporting.drift import drift
from engine.reporting.scope import Scope
from models import Child

from ..engine.helpers import instance_row
from .conftest import PPM_AREAS, Case, at


@pytest.fixture(autouse=True)
def _every_cohort(every_cohort_weekly):
    """These tests read every BCP cohort on one Thursday (no rotation): the rotation has its
    own tests in tests/scenarios/test_permanence_panel.py."""


EVERY_TEAM = Scope(None, None, frozenset())


def _s20_drifting(db, today) -> set[int]:
    with db.transaction() as session:
        return {row["child_id"] for row in drift(session, EVERY_TEAM, "s20", today, 0, 50).rows}


def test_P13_D22_an_s20_child_whose_proceedings_are_issued_leaves_the_s20_drift_list(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2026, 3, 2), date(2014, 1, 1), legal_status="s20")
    case.do("Hold the initial PPM", on=date(2026, 3, 9), held_on=date(2026, 3, 9), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["reunification"])
    # R21: 2 Mar + 12 weeks = Mon 25 May 2026; the referral opens that day for the Service
    # Manager, and from then the child is on the s20 drift list, drifting since 25 May.
    case.sweep(date(2026, 5, 25))
    assert "Refer s20 drift to the Legal Gateway Meeting" in case.names()
    assert case.child_id in _s20_drifting(db, date(2026, 5, 26))
    with db.transaction() as session:
        row = drift(session, EVERY_TEAM, "s20", date(2026, 5, 26), 0, 50).rows[0]
    assert row["date"] == date(2026, 5, 25)
    # Wed 27 May: Legal record the proceedings issued that day, from the child page.
    at(date(2026, 5, 27))
    delivered = deliver_event(db, case.child_id, "proceedings_issued",
                              {"issued_on": "2026-05-27", "court": "ZW26C00123"}, "legal")
    # The referral step hears it and closes: the drift is answered by proceedings.
    assert delivered.caught_by == ["s20_proceedings_issued"]
    assert delivered.closed == ["Refer s20 drift to the Legal Gateway Meeting"]
    assert "Refer s20 drift to the Legal Gateway Meeting" not in case.names()
    assert case.child_id not in _s20_drifting(db, date(2026, 5, 28))
    # The panel on Thu 28 May: not cohort 1 any more; with a plan of reunification it would
    # be cohort 3, but a child in proceedings goes to the Legal Gateway Meeting (F3).
    agenda = reporting.panel(db, "chair", date(2026, 5, 28))
    assert all(c["child_id"] != case.child_id for cohort in agenda.cohorts for c in cohort.children)
    assert [(c["child_id"], c["reason"]) for c in agenda.excluded] == [
        (case.child_id, "In care proceedings: reviewed at the Legal Gateway Meeting")]
    assert instance_row(db, case.instance_id).facts["issued_on"] == "2026-05-27"


def test_E4_a_child_returned_home_under_a_care_order_is_placed_with_parents_in_cohort_2(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2026, 3, 2), date(2018, 6, 1), legal_status="co")
    at(date(2026, 3, 2))
    deliver_event(db, case.child_id, "placement_changed", {
        "placement_type": "in_house_foster", "carers": "Jo and Sam Carer", "area": "local",
        "started_on": "2026-03-02"}, "sw")
    case.do("Hold the initial PPM", on=date(2026, 3, 9), held_on=date(2026, 3, 9), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["reunification"])
    # Before the return home, the panel on Thu 16 April sees a plan of reunification (cohort 3).
    cohorts = {c["child_id"]: n.number for n in reporting.panel(db, "chair", date(2026, 4, 16)).cohorts
               for c in n.children}
    assert cohorts[case.child_id] == 3
    # Mon 20 April: home to mother, under the care order.
    at(date(2026, 4, 20))
    deliver_event(db, case.child_id, "returned_home", {"returned_on": "2026-04-20",
                                                       "carers": "Mary Example (mother)", "area": "local"}, "sw")
    with db.transaction() as session:
        assert session.get(Child, case.child_id).legal_status == "pwp"
    assert [(p["placement_type"], p["started_on"], p["ended_on"], p["end_reason"])
            for p in placements(db, case.child_id, "sw")] == [
        ("with_parents", date(2026, 4, 20), None, None),
        ("in_house_foster", date(2026, 3, 2), date(2026, 4, 20), "returned_home")]
    # The panel on Thu 23 April: cohort 2, placed with parents under a care order (BCP §5).
    agenda = reporting.panel(db, "chair", date(2026, 4, 23))
    assert [c["why"] for c in agenda.cohorts[1].children if c["child_id"] == case.child_id] == [
        "Placed with parents under a care order"]


def test_F1_R14_proceedings_issued_and_the_order_made_are_each_entered_once(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2026, 3, 2), date(2020, 1, 1), legal_status="ico")
    # The interim order at entry means proceedings: Legal are asked to record the issue,
    # due 10 working days after entry (Mon 2 Mar -> Mon 16 March).
    assert case.due("Record care proceedings issued") == (date(2026, 3, 16), "R14")
    at(date(2026, 3, 4))
    deliver_event(db, case.child_id, "proceedings_issued", {"issued_on": "2026-03-03"}, "legal")
    # Recorded once, as a case event: the task closes and the 26 weeks run from Tue 3 March:
    # + 182 days = Tue 1 September 2026.
    assert "Record care proceedings issued" not in case.names()
    assert case.due("Record the final hearing or an extension") == (date(2026, 9, 1), "R14")
    # Fri 24 July: the final hearing makes a care order; recorded once, it closes the
    # hearing step and meets the 26-week clock on the day the order was made.
    at(date(2026, 7, 27))
    deliver_event(db, case.child_id, "legal_status_changed", {"legal_status": "co", "changed_on": "2026-07-24"}, "legal")
    assert "Record the final hearing or an extension" not in case.names()
    assert case.deadline("R14") == [("Record the final hearing or an extension: deadline",
                                     date(2026, 9, 1), "met", date(2026, 7, 24))]
    facts = instance_row(db, case.instance_id).facts
    assert (facts["legal_status"], facts["order_made_on"]) == ("co", "2026-07-24")


def test_F1_an_sgo_made_in_proceedings_is_entered_once_for_both_the_court_and_the_route(council_with_pathway):
    """An ICO child with a family and friends plan: the final hearing makes an SGO to the
    grandmother. Legal record it once, as an order made; both the hearing step and the route's
    step waiting for the grandmother's own application (or, once made, "Record the court's
    order") hear it, and the route is achieved on the order's date."""
    db = council_with_pathway
    case = Case.start(db, date(2026, 9, 7), date(2016, 5, 5), legal_status="ico")
    at(date(2026, 9, 8))
    deliver_event(db, case.child_id, "proceedings_issued", {"issued_on": "2026-09-08"}, "legal")
    case.do("Hold the initial PPM", on=date(2026, 9, 14), held_on=date(2026, 9, 14), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["family_and_friends"])
    case.do("Complete the connected person assessment", on=date(2026, 10, 12), assessed_on=date(2026, 10, 12),
            carer_name="Pat Grand", assessment_recommendation="approve")
    case.do("Check the SGO or CAO applicant", on=date(2026, 10, 14), order_sought="sgo", applicant_name="Pat Grand",
            relationship="grandparent", applicant_date_of_birth=date(1960, 2, 1),
            basis="lived_with_three_of_five", notice_given_on=date(2026, 10, 14))
    # The grandmother's own application waits for 3 months' notice (B25); the court gets there
    # first.
    assert {"Record the application to the court", "Record the final hearing or an extension"} <= case.names()
    # Mon 11 Jan 2027: the SGO is made at the final hearing.
    at(date(2027, 1, 12))
    delivered = deliver_event(db, case.child_id, "legal_status_changed",
                              {"legal_status": "sgo", "changed_on": "2027-01-11"}, "legal")
    assert sorted(delivered.caught_by) == ["application_order_made_as_event", "order_made_as_event"]
    assert {"Record the application to the court", "Record the court's order",
            "Record the final hearing or an extension"}.isdisjoint(case.names())
    # Achieved on the order's date; recorded within 5 working days: 12-15 (4), Mon 18 January.
    assert case.due("Record permanence achieved") == (date(2027, 1, 18), "R23")
    facts = instance_row(db, case.instance_id).facts
    assert (facts["legal_status"], facts["achieved_route"], facts["order_made_on"]) == (
        "sgo", "family_and_friends", "2027-01-11")


def test_A7_a_placement_at_risk_calls_a_stability_meeting_for_the_social_worker(council_with_pathway):
    """DEV "attendees should ensure": where a placement's stability is at risk, a placement
    stability meeting with the providers and carers. The event makes it the social worker's
    owned action (5 working days), escalated to the team manager like any missed action."""
    from engine import FormInvalid, ppm_action_views, ppm_actions
    db = council_with_pathway
    case = Case.start(db, date(2026, 3, 2), date(2014, 6, 1), legal_status="co")
    at(date(2026, 3, 4))
    # No placement recorded yet: refused, per field, nothing written.
    with pytest.raises(FormInvalid) as refused:
        deliver_event(db, case.child_id, "placement_at_risk", {
            "at_risk_on": "2026-03-04", "risk": "gossip", "details": ""}, "sw")
    assert set(refused.value.errors) == {"at_risk_on", "risk", "details"}
    deliver_event(db, case.child_id, "placement_changed", {
        "placement_type": "ifa", "carers": "Pat and Lou Carer", "area": "out_of_area",
        "started_on": "2026-03-02"}, "sw")
    delivered = deliver_event(db, case.child_id, "placement_at_risk", {
        "at_risk_on": "2026-03-04", "risk": "abduction", "details": "Father seen outside the school."}, "sw")
    assert delivered.error is None
    [action] = [a for a in ppm_action_views.inbox_actions(db, "sw")["owned"] if a["from"] == "Placement at risk"]
    # Wed 4 March + 5 working days: 5, 6, 9, 10, 11: Wed 11 March.
    assert action["due_on"] == date(2026, 3, 11)
    assert action["action"] == ("Hold a placement stability meeting with the carers and the providers: "
                                "A risk of abduction (Father seen outside the school.)")
    # Missed, it goes to the team manager as any owned action does.
    at(date(2026, 3, 12))
    assert ppm_actions.escalate_missed(db) == 1
