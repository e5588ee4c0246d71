"""Family and friends: a Special Guardianship Order to a grandparent who needs the court's leave."""
from datetime import date

import pytest

from engine import FormInvalid

from .conftest import PPM_AREAS, Case

APPLICANT = dict(order_sought="sgo", applicant_name="Pat Grand", relationship="grandparent",
                 applicant_date_of_birth=date(1960, 2, 1), basis="lived_with_three_of_five",
                 notice_given_on=date(2026, 10, 14))


def test_special_guardianship_with_leave_of_the_court(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 9, 7), date(2016, 5, 5), legal_status="ico")
    case.do("Hold the initial PPM", on=date(2026, 9, 14), held_on=date(2026, 9, 14), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["family_and_friends"])
    # R8: 14 Sep + 6 weeks = Mon 26 October 2026.
    assert case.due("Complete the connected person assessment") == (date(2026, 10, 26), "R8")
    assert case.position.stage == "Family and friends"
    case.do("Complete the connected person assessment", on=date(2026, 10, 12), assessed_on=date(2026, 10, 12),
            carer_name="Pat Grand", assessment_recommendation="approve")
    # 10 working days after 12 Oct: 13-16 (4), 19-23 (9), Mon 26 October (10).
    assert case.due("Check the SGO or CAO applicant") == (date(2026, 10, 26), "R19")

    # R19: a parent cannot be a special guardian; nor can someone under 18.
    with pytest.raises(FormInvalid) as parent:
        case.do("Check the SGO or CAO applicant", on=date(2026, 10, 14), **{**APPLICANT, "relationship": "parent"})
    assert parent.value.errors == {"relationship": [
        "A parent cannot be a special guardian (Children Act 1989 s14A(2)(b))"]}
    with pytest.raises(FormInvalid) as young:
        case.do("Check the SGO or CAO applicant", **{**APPLICANT, "applicant_date_of_birth": date(2009, 1, 1)})
    assert young.value.errors == {"applicant_date_of_birth": [
        "A special guardian must be 18 or over (Children Act 1989 s14A(2)(a))"]}

    # Not entitled without leave: flagged to Legal, due 3 months after notice (14 Oct): 14 Jan 2027.
    case.do("Check the SGO or CAO applicant", **{**APPLICANT, "basis": "none"})
    assert case.due("Apply for leave of the court") == (date(2027, 1, 14), "R20")
    assert case.task("Apply for leave of the court")["lane"] == "Legal"
    case.do("Apply for leave of the court", on=date(2026, 11, 20), leave_decided_on=date(2026, 11, 20), leave_granted=True)
    # R19: the application follows 3 months' notice: 14 January 2027.
    assert case.due("Record the court's order") == (date(2027, 1, 14), "R19")
    case.do("Record the court's order", on=date(2027, 1, 11), order_type="sgo", order_made_on=date(2027, 1, 11))
    # 5 working days after Mon 11 Jan 2027: 12 (1), 13 (2), 14 (3), 15 (4), Mon 18 January (5).
    assert case.due("Record permanence achieved") == (date(2027, 1, 18), "R23")
    case.do("Record permanence achieved", on=date(2027, 1, 12), achieved_on=date(2027, 1, 11), leaves_care=True)
    assert case.position.status == "completed"


def test_an_applicant_entitled_without_leave_goes_straight_to_the_order(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 9, 7), date(2016, 5, 5), legal_status="co")
    case.do("Hold the initial PPM", on=date(2026, 9, 14), held_on=date(2026, 9, 14), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["family_and_friends"])
    case.do("Complete the connected person assessment", on=date(2026, 10, 12), assessed_on=date(2026, 10, 12),
            carer_name="Pat Grand", assessment_recommendation="approve")
    case.do("Check the SGO or CAO applicant", on=date(2026, 10, 14), **{**APPLICANT, "order_sought": "cao"})
    assert "Apply for leave of the court" not in case.names()
    assert case.due("Record the court's order") == (date(2027, 1, 14), "R19")
