"""The adoption route's early parts (issue 13, "Routes to complete"): a relinquished baby from
the council being told to consent, with Cafcass (E18, E19, B12, R18); Fostering for Adoption,
considered at the first PPM, the ADM's reg 25A approval and the FfA placement (E20, E21, C15);
the match recording brothers and sisters and contact (E22).

Bank holidays in the counts: Good Friday 26 March 2027, Easter Monday 29 March 2027.
"""
from datetime import date

import pytest

from engine import FormInvalid

from ..engine.helpers import instance_row
from .conftest import PPM_AREAS, Case

ALL_OPTIONS = ["stay_with_mother", "short_term_foster_care", "wider_family", "adoption"]
EARLY_PERMANENCE = dict(early_permanence_considered=True,
                        early_permanence_notes="A baby: an early permanence placement avoids a move later.")


def test_E18_E19_B12_R18_a_relinquished_baby_from_notification_to_consent_with_Cafcass(council_with_pathway):
    # The mother told the council on Mon 11 January 2027, expecting the baby on 22 February.
    # Born Sat 20 Feb 2027: 6 weeks old on Sat 3 April 2027 (R18). Accommodated (s20) from
    # hospital on Wed 24 February.
    born, looked_after = date(2027, 2, 20), date(2027, 2, 24)
    case = Case.start(council_with_pathway, looked_after, born, legal_status="s20")
    # The initial PPM within 10 working days: 25, 26 Feb (2), 1-5 Mar (7), 8, 9, Wed 10 March.
    assert case.due("Hold the initial PPM") == (date(2027, 3, 10), "R7")

    # A relinquished baby's plan includes adoption: the PPM says so, or it is refused by field.
    with pytest.raises(FormInvalid) as refused:
        case.do("Hold the initial PPM", on=date(2027, 3, 3), held_on=date(2027, 3, 3), **PPM_AREAS,
                reunification_discussed=True, plan_identified=True, routes=["long_term_fostering"],
                relinquished_baby=True)
    assert refused.value.errors == {"routes": [
        "A relinquished baby's plan includes adoption: choose adoption as a route (its counselling "
        "and Cafcass steps are on the adoption route)"]}
    assert refused.value.data["relinquished_baby"] is True
    case.do("Hold the initial PPM", on=date(2027, 3, 3), held_on=date(2027, 3, 3), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["adoption"],
            relinquished_baby=True, early_permanence_considered=False)
    # The relinquished baby's steps open beside the report to the ADM (R8: 3 Mar + 6 weeks =
    # 14 April), both due by the end of the first 6 weeks, Sat 3 April 2027 (R18).
    assert case.due("Send the Child's Permanence Report to the ADM") == (date(2027, 4, 14), "R8")
    assert case.due("Record the relinquishment and the counselling offered") == (date(2027, 4, 3), "R18")
    assert case.due("Notify Cafcass to witness consent") == (date(2027, 4, 3), "R18")
    assert case.task("Notify Cafcass to witness consent")["lane"] == "Social Worker"
    # No Fostering for Adoption was proposed: nothing for the ADM to approve.
    assert "Approve the prospective adopters as temporary foster carers (reg 25A)" not in case.names()

    # Told before the birth: the expected date is needed; the father's counselling, offered,
    # needs its date, who offered it, the options and the legal implications (E19).
    typed = dict(council_notified_on=date(2027, 1, 11), mother_counselling_offered_on=date(2027, 1, 13),
                 mother_counselling_response="accepted", mother_counselling_by="Asha Patel, social worker",
                 mother_options_explained=ALL_OPTIONS, mother_legal_implications_explained=True,
                 father_counselling="offered", father_counselling_response="declined")
    with pytest.raises(FormInvalid) as refused:
        case.do("Record the relinquishment and the counselling offered", on=date(2027, 3, 8), **typed)
    assert refused.value.errors == {
        "expected_birth_on": ["Enter the expected date of birth: the council was told before the baby was born"],
        "father_counselling_offered_on": ["Enter the date counselling was offered to the father"],
        "father_counselling_by": ["Enter who offered the counselling to the father"],
        "father_options_explained": ["Explain all four options to the father: staying with the mother, "
                                     "short-term foster care, the wider family and adoption"],
        "father_legal_implications_explained": ["Give the father information on the legal implications of adoption"]}
    assert refused.value.data["council_notified_on"] == "2027-01-11"
    assert refused.value.data["mother_counselling_by"] == "Asha Patel, social worker"
    # Counselling cannot be offered before the council knew.
    with pytest.raises(FormInvalid) as refused:
        case.do("Record the relinquishment and the counselling offered", on=date(2027, 3, 8),
                **{**typed, "mother_counselling_offered_on": date(2027, 1, 4), "father_counselling": "father_not_known",
                   "expected_birth_on": date(2027, 2, 22)})
    assert refused.value.errors == {"mother_counselling_offered_on": [
        "Counselling is offered once the council is told: the date must be on or after the date the council was told"]}
    case.do("Record the relinquishment and the counselling offered", on=date(2027, 3, 8),
            **{**typed, "expected_birth_on": date(2027, 2, 22), "father_counselling_offered_on": date(2027, 1, 20),
               "father_counselling_by": "Asha Patel, social worker", "father_options_explained": ALL_OPTIONS,
               "father_legal_implications_explained": True})
    assert "Record the relinquishment and the counselling offered" not in case.names()

    # Cafcass notified on Mon 15 March, inside the 6 weeks: the R18 clock is met that day.
    case.do("Notify Cafcass to witness consent", on=date(2027, 3, 15), cafcass_notified_on=date(2027, 3, 15),
            cafcass_officer="J. Reporter")
    assert [d for d in case.deadline("R18") if d[0] == "Cafcass notified: deadline"] == [
        ("Cafcass notified: deadline", date(2027, 4, 3), "met", date(2027, 3, 15))]

    case.do("Send the Child's Permanence Report to the ADM", on=date(2027, 3, 17), cpr_sent_on=date(2027, 3, 17))
    # R15: 7 working days from Wed 17 Mar: 18 (1), 19 (2), 22 (3), 23 (4), 24 (5), 25 (6),
    # [26 Good Friday, 27-28, 29 Easter Monday], Tue 30 March (7).
    assert case.due("Decide whether the child should be placed for adoption") == (date(2027, 3, 30), "R15")
    case.do("Decide whether the child should be placed for adoption", on=date(2027, 3, 22),
            adm_decided_on=date(2027, 3, 22), adm_decision="placed_for_adoption", reasons="The mother's wish; best interests.")
    # R18 stays: consent witnessed on Fri 2 April, a day before the 6 weeks, is refused.
    with pytest.raises(FormInvalid) as refused:
        case.do("Record the placement order or s19 consent", on=date(2027, 4, 2),
                authority="s19_consent", authority_on=date(2027, 4, 2))
    assert refused.value.errors == {"authority_on": [
        "Consent given before the child was 6 weeks old is not valid (Adoption and Children Act 2002 s52(3))"]}
    case.do("Record the placement order or s19 consent", on=date(2027, 4, 6),
            authority="s19_consent", authority_on=date(2027, 4, 6))
    # Authorised: the first adoption review 3 months after Tue 6 April: 6 July 2027 (R16).
    assert case.due("Hold the adoption review (not yet placed)") == (date(2027, 7, 6), "R16")


def test_E20_E21_C15_fostering_for_adoption_then_placement_for_adoption_with_E22_siblings(council_with_pathway):
    # Born Mon 4 Jan 2027; looked after on an interim care order on Fri 8 January 2027.
    case = Case.start(council_with_pathway, date(2027, 1, 8), date(2027, 1, 4), legal_status="ico")
    # E20: considered at the first PPM. FfA proposed without saying early permanence was
    # considered, or for a plan without adoption, is refused by field with the answers kept.
    with pytest.raises(FormInvalid) as refused:
        case.do("Hold the initial PPM", on=date(2027, 1, 20), held_on=date(2027, 1, 20), **PPM_AREAS,
                reunification_discussed=True, plan_identified=True, routes=["reunification"],
                early_permanence_considered=False, ffa_proposed=True)
    assert refused.value.errors == {"ffa_proposed": [
        "Fostering for Adoption can be proposed only when early permanence was considered: say it was considered",
        "Fostering for Adoption is for a child whose plan is likely to become adoption: choose adoption as a route, "
        "or say adoption is being considered"]}
    assert refused.value.data["ffa_proposed"] is True
    # Twin-track: reunification still being assessed, adoption the likely outcome (MER §7.4).
    case.do("Hold the initial PPM", on=date(2027, 1, 20), held_on=date(2027, 1, 20), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["reunification", "adoption"],
            ffa_proposed=True, **EARLY_PERMANENCE)
    # C15: the ADM approves the prospective adopters as temporary foster carers (reg 25A);
    # no statutory clock, so due in the ADM's 7 working days (R15's) from Wed 20 Jan:
    # 21 (1), 22 (2), 25 (3), 26 (4), 27 (5), 28 (6), Fri 29 January 2027 (7).
    approval = "Approve the prospective adopters as temporary foster carers (reg 25A)"
    assert case.due(approval) == (date(2027, 1, 29), "R15")
    assert case.task(approval)["lane"] == "Agency Decision Maker"
    assert "Record the relinquishment and the counselling offered" not in case.names()
    # Only approved adopters can be approved as foster carers.
    with pytest.raises(FormInvalid) as refused:
        case.do(approval, on=date(2027, 1, 27), ffa_decided_on=date(2027, 1, 27), ffa_approved=True,
                ffa_carers="Sam and Priya Patel")
    assert refused.value.errors == {"ffa_adopters_approved_on": [
        "Enter the date they were approved as prospective adopters: only approved adopters can be given "
        "temporary approval (reg 25A)"]}
    assert refused.value.data["ffa_carers"] == "Sam and Priya Patel"
    # Nor can the ADM decide before the PPM of Wed 20 January proposed it.
    with pytest.raises(FormInvalid) as refused:
        case.do(approval, on=date(2027, 1, 27), ffa_decided_on=date(2027, 1, 19), ffa_approved=True,
                ffa_carers="Sam and Priya Patel", ffa_adopters_approved_on=date(2026, 12, 10))
    assert refused.value.errors == {"ffa_decided_on": [
        "The decision must be on or after the permanence planning meeting that proposed Fostering for Adoption: "
        "the ADM decides on that proposal"]}
    assert refused.value.data["ffa_decided_on"] == "2027-01-19"
    case.do(approval, on=date(2027, 1, 27), ffa_decided_on=date(2027, 1, 27), ffa_approved=True,
            ffa_carers="Sam and Priya Patel", ffa_adopters_approved_on=date(2026, 12, 10))

    # E21: the placement is recorded when made (no due date of its own), never before approval.
    assert case.task("Record the Fostering for Adoption placement")["due_on"] is None
    with pytest.raises(FormInvalid) as refused:
        case.do("Record the Fostering for Adoption placement", on=date(2027, 1, 28), ffa_placed_on=date(2027, 1, 26),
                ffa_area="local")
    assert refused.value.errors == {"ffa_placed_on": [
        "The child can be placed only once the carers are approved as temporary foster carers (reg 25A): "
        "the placement date must be on or after the approval"]}
    case.do("Record the Fostering for Adoption placement", on=date(2027, 2, 1), ffa_placed_on=date(2027, 2, 1),
            ffa_area="local")
    # A foster placement, not a placement for adoption: no R17 review opens, and the CLA
    # reviews keep their clock (R1: 20 working days from Fri 8 Jan: Fri 5 February 2027).
    assert "Hold the adoption review (placed)" not in case.names()
    assert case.deadline("R17") == []
    assert case.due("Hold the first CLA review") == (date(2027, 2, 5), "R1")
    facts = instance_row(council_with_pathway, case.instance_id).facts
    assert (facts["ffa_carers"], facts["ffa_placed_on"]) == ("Sam and Priya Patel", "2027-02-01")

    case.do("Send the Child's Permanence Report to the ADM", on=date(2027, 2, 10), cpr_sent_on=date(2027, 2, 10))
    case.do("Decide whether the child should be placed for adoption", on=date(2027, 2, 17),
            adm_decided_on=date(2027, 2, 17), adm_decision="placed_for_adoption", reasons="Best interests.")
    case.do("Record the placement order or s19 consent", on=date(2027, 7, 8),
            authority="placement_order", authority_on=date(2027, 7, 7))
    # E22: brothers and sisters placed apart need the reason; contact is always considered.
    with pytest.raises(FormInvalid) as refused:
        case.do("Record the adoption match", on=date(2027, 7, 9), matched_on=date(2027, 7, 9),
                adopters="Sam and Priya Patel", siblings_placement="apart")
    # Every error at once: the reason for apart (a rule) beside the missing contact arrangements.
    assert refused.value.errors == {"contact_arrangements": ["Enter the contact arrangements considered"],
                                    "siblings_apart_reason": [
        "Say why placing the brothers and sisters together is not in their best interests: together is the "
        "norm (MER §7.3)"]}
    with pytest.raises(FormInvalid) as refused:
        case.do("Record the adoption match", on=date(2027, 7, 9), matched_on=date(2027, 7, 9),
                adopters="Sam and Priya Patel", siblings_placement="apart", contact_arrangements="Letterbox.")
    assert refused.value.errors == {"siblings_apart_reason": [
        "Say why placing the brothers and sisters together is not in their best interests: together is the "
        "norm (MER §7.3)"]}
    assert refused.value.data["siblings_placement"] == "apart"
    case.do("Record the adoption match", on=date(2027, 7, 9), matched_on=date(2027, 7, 9),
            adopters="Sam and Priya Patel", siblings_placement="apart",
            siblings_apart_reason="Her brother, 9, is settled long-term with his foster carers.",
            contact_arrangements="Direct contact with her brother four times a year; letterbox with the mother.")
    # Already living with them: placed for adoption on the match, Fri 9 July; R17's first
    # review 4 weeks on, Fri 6 August 2027.
    case.do("Record the placement for adoption", on=date(2027, 7, 9), placed_on=date(2027, 7, 9))
    assert case.due("Hold the adoption review (placed)") == (date(2027, 8, 6), "R17")
