"""Fostering for Adoption as the rest of the case sees it (E20, E21, C15, D22, D23):
the FfA placement is a move in the child's placement history, like any placement change; and
a change of plan that restarts the adoption route does not ask the ADM again for a reg 25A
approval already given, while a new proposal made with the change is asked.

The child: born Mon 4 January 2027, looked after on an interim care order on Fri 8 January.
"""
from datetime import date

import pytest

from engine import FormInvalid, deliver_event
from engine.case_events import child_events, placements

from ..engine.helpers import instance_row
from .conftest import PPM_AREAS, Case, at

EARLY_PERMANENCE = dict(early_permanence_considered=True,
                        early_permanence_notes="A baby: an early permanence placement avoids a move later.")
APPROVAL = "Approve the prospective adopters as temporary foster carers (reg 25A)"
FFA_PLACEMENT = "Record the Fostering for Adoption placement"
REVIEW_PPM = "Hold the review PPM"
CHANGE_REVIEW = "Review the proposed change of plan"


def _proposed_and_approved(db):
    case = Case.start(db, date(2027, 1, 8), date(2027, 1, 4), legal_status="ico")
    # In hospital-linked foster care from the day she came into care (Fri 8 January).
    at(date(2027, 1, 8))
    deliver_event(db, case.child_id, "placement_changed", {
        "placement_type": "in_house_foster", "carers": "Jo and Sam Carer", "area": "local",
        "started_on": "2027-01-08"}, "sw")
    case.do("Hold the initial PPM", on=date(2027, 1, 20), held_on=date(2027, 1, 20), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["adoption"],
            ffa_proposed=True, **EARLY_PERMANENCE)
    case.do(APPROVAL, on=date(2027, 1, 27), ffa_decided_on=date(2027, 1, 27), ffa_approved=True,
            ffa_carers="Sam and Priya Patel", ffa_adopters_approved_on=date(2026, 12, 10))
    return case


def test_E21_D22_the_FfA_placement_is_a_move_in_the_placement_history(council_with_pathway):
    db = council_with_pathway
    case = _proposed_and_approved(db)
    # A move before the current placement began is refused on the FfA form's own field, with
    # what was typed kept and nothing written.
    with pytest.raises(FormInvalid) as refused:
        case.do(FFA_PLACEMENT, on=date(2027, 2, 1), ffa_placed_on=date(2027, 1, 7), ffa_area="local",
                ffa_placement_notes="Typed notes")
    assert "ffa_placed_on" in refused.value.errors
    assert refused.value.data["ffa_placement_notes"] == "Typed notes"
    with pytest.raises(FormInvalid) as refused:
        case.do(FFA_PLACEMENT, on=date(2027, 2, 1), ffa_placed_on=date(2027, 2, 1))
    assert "ffa_area" in refused.value.errors
    assert len(placements(db, case.child_id, "sw")) == 1
    assert FFA_PLACEMENT in case.names()

    # Mon 1 February: placed with the Patels, out of the council's area.
    case.do(FFA_PLACEMENT, on=date(2027, 2, 1), ffa_placed_on=date(2027, 2, 1), ffa_area="out_of_area")
    # The history the child page shows: the FfA placement now, the foster placement ended by the move.
    assert [(p["placement_type"], p["carers"], p["area"], p["started_on"], p["ended_on"], p["end_reason"])
            for p in placements(db, case.child_id, "sw")] == [
        ("ffa", "Sam and Priya Patel", "out_of_area", date(2027, 2, 1), None, None),
        ("in_house_foster", "Jo and Sam Carer", "local", date(2027, 1, 8), date(2027, 2, 1), "moved")]
    events = child_events(db, case.child_id, "sw")
    assert [(e["kind"], e["occurred_on"], e["recorded_by"]) for e in events][0] == (
        "placement_changed", date(2027, 2, 1), "Sw")
    assert events[0]["data"]["placement_type"] == "ffa"
    # The facts the tracker and cohorts read follow the move.
    facts = instance_row(db, case.instance_id).facts
    assert (facts["placement_type"], facts["placement_area"], facts["placement_started_on"]) == (
        "ffa", "out_of_area", "2027-02-01")


def test_E21_an_FfA_placement_is_not_recorded_as_an_ordinary_case_event(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2027, 1, 8), date(2027, 1, 4), legal_status="ico")
    at(date(2027, 1, 12))
    with pytest.raises(FormInvalid) as refused:
        deliver_event(db, case.child_id, "placement_changed", {
            "placement_type": "ffa", "carers": "Sam and Priya Patel", "area": "local",
            "started_on": "2027-01-12"}, "sw")
    assert refused.value.errors["placement_type"] == [
        "A Fostering for Adoption (adopters approved as foster carers, reg 25A) placement is recorded on the "
        "step 'Record the Fostering for Adoption placement', after the Agency Decision Maker's approval"]
    assert placements(db, case.child_id, "sw") == []


def _change_plan(case, ppm_on, review_on, new_routes, **ppm):
    case.do(REVIEW_PPM, on=ppm_on, held_on=ppm_on, progress="Progress.", wishes_and_feelings="Too young to say.",
            change_of_plan_proposed=True, proposed_change=f"To {' and '.join(new_routes)}.", **ppm)
    case.do(CHANGE_REVIEW, on=review_on, change_reviewed_on=review_on, change_agreed=True, new_routes=new_routes)


def test_C15_E20_a_change_of_plan_back_to_adoption_does_not_ask_again_for_an_approval_given(council_with_pathway):
    db = council_with_pathway
    case = _proposed_and_approved(db)
    case.do(FFA_PLACEMENT, on=date(2027, 2, 1), ffa_placed_on=date(2027, 2, 1), ffa_area="local")
    # Mon 1 March: the plan changes to long-term fostering (reviewed by the IRO Fri 5 March):
    # the adoption route closes.
    _change_plan(case, date(2027, 3, 1), date(2027, 3, 5), ["long_term_fostering"])
    assert "Propose the long-term fostering match" in case.names()
    assert "Send the Child's Permanence Report to the ADM" not in case.names()
    # Sat 20 March and Thu 25 March: back to adoption. The adoption route starts again from
    # the report to the ADM; the reg 25A approval given on 27 January is not asked again, and
    # the Patels stay the FfA carers the match starts from.
    _change_plan(case, date(2027, 3, 20), date(2027, 3, 25), ["adoption"])
    assert "Send the Child's Permanence Report to the ADM" in case.names()
    assert APPROVAL not in case.names()
    assert FFA_PLACEMENT not in case.names()
    facts = instance_row(db, case.instance_id).facts
    assert (facts["ffa_carers"], facts["placement_type"]) == ("Sam and Priya Patel", "ffa")
    # The route's own stage, not a stale FfA step.
    assert case.position.route == "adoption"


def test_C15_E20_a_new_FfA_proposal_with_the_change_of_plan_is_asked(council_with_pathway):
    db = council_with_pathway
    case = _proposed_and_approved(db)
    _change_plan(case, date(2027, 3, 1), date(2027, 3, 5), ["long_term_fostering"])
    # A review PPM cannot propose FfA without a change of plan (refused by field, kept).
    with pytest.raises(FormInvalid) as refused:
        case.do(REVIEW_PPM, on=date(2027, 3, 20), held_on=date(2027, 3, 20), progress="Progress.",
                wishes_and_feelings="Too young to say.", change_of_plan_proposed=False, ffa_proposed=True)
    assert refused.value.errors == {"ffa_proposed": [
        "Fostering for Adoption is proposed here with a change of plan to adoption: say a change of plan "
        "is proposed, and describe it"]}
    assert refused.value.data["ffa_proposed"] is True
    # Sat 20 March: the change back to adoption proposes FfA with new adopters: the ADM is asked
    # again, due 7 working days after that PPM: 22 (1), 23 (2), 24 (3), 25 (4), [Good Friday 26,
    # Easter Monday 29], 30 (5), 31 (6), Thu 1 April 2027 (7).
    _change_plan(case, date(2027, 3, 20), date(2027, 3, 25), ["adoption"], ffa_proposed=True)
    assert case.due(APPROVAL) == (date(2027, 4, 1), "R15")
    case.do(APPROVAL, on=date(2027, 3, 29), ffa_decided_on=date(2027, 3, 29), ffa_approved=True,
            ffa_carers="Lee and Kim Adopter", ffa_adopters_approved_on=date(2027, 2, 1))
    assert FFA_PLACEMENT in case.names()
    # That decision given, a further change away and back does not ask it again.
    _change_plan(case, date(2027, 4, 12), date(2027, 4, 14), ["long_term_fostering"])
    _change_plan(case, date(2027, 5, 3), date(2027, 5, 5), ["adoption"])
    assert APPROVAL not in case.names()
