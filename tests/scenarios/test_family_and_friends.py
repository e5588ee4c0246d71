"""Family and friends: who may apply for a Special Guardianship Order (MER §7.6, R19) or a Child
Arrangements Order (MER §7.7, R20), leave of the court, and the application itself. Three
months' notice is the earliest an SGO application can be made, never the due date of the
court's order or of leave (B25, P3); the applicant's age is checked on the application date
(E9, P14); a parent applies for a CAO without leave (E10, P4)."""
from datetime import date

import pytest

from engine import FormInvalid

from .conftest import PPM_AREAS, Case

APPLICANT = dict(order_sought="sgo", applicant_name="Pat Grand", relationship="grandparent",
                 applicant_date_of_birth=date(1960, 2, 1), basis="lived_with_three_of_five",
                 notice_given_on=date(2026, 10, 14))


def _to_the_applicant(case):
    case.do("Hold the initial PPM", on=date(2026, 9, 14), held_on=date(2026, 9, 14), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["family_and_friends"])
    case.do("Complete the connected person assessment", on=date(2026, 10, 12), assessed_on=date(2026, 10, 12),
            carer_name="Pat Grand", assessment_recommendation="approve")


def test_B25_E9_P3_special_guardianship_notice_is_the_earliest_application_not_a_due_date(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 9, 7), date(2016, 5, 5), legal_status="ico")
    case.do("Hold the initial PPM", on=date(2026, 9, 14), held_on=date(2026, 9, 14), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["family_and_friends"])
    # R8: 14 Sep + 6 weeks = Mon 26 October 2026.
    assert case.due("Complete the connected person assessment") == (date(2026, 10, 26), "R8")
    assert case.position.stage == "Family and friends"
    case.do("Complete the connected person assessment", on=date(2026, 10, 12), assessed_on=date(2026, 10, 12),
            carer_name="Sam Grand", assessment_recommendation="approve")
    # 10 working days after 12 Oct: 13-16 (4), 19-23 (9), Mon 26 October (10).
    assert case.due("Check the SGO or CAO applicant") == (date(2026, 10, 26), "R19")

    # R19: a parent cannot be a special guardian; an SGO needs notice to the council (s14A(7)).
    with pytest.raises(FormInvalid) as parent:
        case.do("Check the SGO or CAO applicant", on=date(2026, 10, 14), **{**APPLICANT, "relationship": "parent"})
    assert parent.value.errors == {"relationship": [
        "A parent cannot be a special guardian (Children Act 1989 s14A(2)(b))"]}
    with pytest.raises(FormInvalid) as no_notice:
        case.do("Check the SGO or CAO applicant", **{**APPLICANT, "notice_given_on": None})
    assert list(no_notice.value.errors) == ["notice_given_on"]
    assert "3 months' written notice" in no_notice.value.errors["notice_given_on"][0]
    assert no_notice.value.data["applicant_name"] == "Pat Grand"   # everything typed kept
    # The CAO's own grounds are not the SGO's (MER §7.7 against §7.6).
    with pytest.raises(FormInvalid) as cao_ground:
        case.do("Check the SGO or CAO applicant", **{**APPLICANT, "basis": "lived_with_three_years"})
    assert "Child Arrangements Order, not Special Guardianship" in cao_ground.value.errors["basis"][0]

    # An adult brother, 17 today (born 20 Jan 2009) and 18 by the time he can apply: the age is
    # checked on the application date, not today (E9, P14), so today's check accepts him.
    brother = {**APPLICANT, "applicant_name": "Sam Grand", "relationship": "sibling",
               "applicant_date_of_birth": date(2009, 1, 20), "basis": "none"}
    case.do("Check the SGO or CAO applicant", **brother)
    # Not entitled without leave: Legal applies for leave, a court event with no due date of
    # its own (3 months after notice is not its deadline: P3).
    leave = case.task("Apply for leave of the court")
    assert (leave["lane"], leave["due_on"]) == ("Legal", None)
    case.do("Apply for leave of the court", on=date(2026, 11, 20), leave_decided_on=date(2026, 11, 20), leave_granted=True)

    # The application: notice on Wed 14 Oct 2026 + 3 months = Thu 14 January 2027 at the
    # earliest (R19, s14A(7)); no due date of its own; the instructions say so.
    application = case.task("Record the application to the court")
    assert application["due_on"] is None
    with pytest.raises(FormInvalid) as early:
        case.do("Record the application to the court", on=date(2027, 1, 13),
                application_made_on=date(2027, 1, 13), court="Family Court at Exeter")
    # On Wed 13 Jan both fail: the notice has not run, and he is still 17.
    assert early.value.errors == {"application_made_on": [
        "A Special Guardianship application can be made no earlier than 3 months after written notice "
        "to the local authority (Children Act 1989 s14A(7))",
        "A special guardian must be 18 or over on the date of the application (Children Act 1989 s14A(2)(a))"]}
    assert early.value.data["court"] == "Family Court at Exeter"
    # On Fri 15 Jan the notice has run, but he is 17 until Wed 20 January 2027.
    with pytest.raises(FormInvalid) as young:
        case.do("Record the application to the court", on=date(2027, 1, 15), application_made_on=date(2027, 1, 15))
    assert young.value.errors == {"application_made_on": [
        "A special guardian must be 18 or over on the date of the application (Children Act 1989 s14A(2)(a))"]}
    case.do("Record the application to the court", on=date(2027, 1, 20), application_made_on=date(2027, 1, 20),
            court="Family Court at Exeter")

    # The council's support assessment and report come before the order (E11, s14A(11)).
    case.do("Assess SGO support and file the court report", on=date(2027, 1, 22), support_assessed_on=date(2027, 1, 11),
            needs_assessed="Sam's support as a young carer.", sgo_support_services=["training_and_advice"],
            financial_support="none", sgo_support_plan="A kinship carers' group.", court_report_filed_on=date(2027, 1, 13))
    # The court's order is the court's: recorded when made, with no due date (P3).
    assert case.task("Record the court's order")["due_on"] is None
    case.do("Record the court's order", on=date(2027, 3, 1), order_type="sgo", order_made_on=date(2027, 3, 1))
    # 5 working days after Mon 1 Mar 2027: 2 (1), 3 (2), 4 (3), 5 (4), Mon 8 March (5).
    assert case.due("Record permanence achieved") == (date(2027, 3, 8), "R23")
    case.do("Record permanence achieved", on=date(2027, 3, 2), achieved_on=date(2027, 3, 1), leaves_care=True)
    assert case.position.status == "completed"


def test_E10_P4_a_child_arrangements_order_applied_for_by_a_parent_without_leave(council_with_pathway):
    """MER §7.7: a parent may apply for a CAO without leave; the 3-year rule is the CAO's own,
    not the SGO's "3 of the last 5 years"; no notice period applies."""
    case = Case.start(council_with_pathway, date(2026, 9, 7), date(2016, 5, 5), legal_status="co")
    _to_the_applicant(case)
    father = dict(order_sought="cao", applicant_name="Lee Example", relationship="parent",
                  applicant_date_of_birth=date(1990, 6, 1))
    with pytest.raises(FormInvalid) as to_legal:
        case.do("Check the SGO or CAO applicant", on=date(2026, 10, 14), **father, basis="none")
    assert to_legal.value.errors == {"basis": [
        "A parent may apply for a Child Arrangements Order without leave (Children Act 1989 s10(4)(a)): "
        "choose \"They are the child's parent\""]}
    with pytest.raises(FormInvalid) as sgo_rule:
        case.do("Check the SGO or CAO applicant", **father, basis="lived_with_three_of_five")
    assert "\"3 of the last 5 years\" is the Special Guardianship rule" in sgo_rule.value.errors["basis"][0]
    with pytest.raises(FormInvalid) as not_a_parent:
        case.do("Check the SGO or CAO applicant", **{**father, "relationship": "aunt_uncle"}, basis="parent")
    assert list(not_a_parent.value.errors) == ["basis"]

    case.do("Check the SGO or CAO applicant", **father, basis="parent")
    # Entitled: no leave, no notice; the application is his to make when ready.
    assert "Apply for leave of the court" not in case.names()
    assert case.task("Record the application to the court")["due_on"] is None
    case.do("Record the application to the court", on=date(2026, 10, 20), application_made_on=date(2026, 10, 19))
    case.do("Agree the CAO support plan", on=date(2026, 11, 2), cao_support_agreed_on=date(2026, 11, 2),
            allowance_payable=False, cao_support_plan="Advice line.", self_sustaining_plan="None needed after the order.")
    case.do("Record the court's order", on=date(2026, 12, 7), order_type="cao", order_made_on=date(2026, 12, 7))
    # 5 working days after Mon 7 Dec 2026: 8, 9, 10, 11, Mon 14 December.
    assert case.due("Record permanence achieved") == (date(2026, 12, 14), "R23")


def test_E10_a_step_parent_and_a_three_year_carer_apply_for_a_cao_without_leave(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 9, 7), date(2016, 5, 5), legal_status="co")
    _to_the_applicant(case)
    # A party to a marriage is a parent or step-parent (MER §7.7); an aunt is not.
    with pytest.raises(FormInvalid) as aunt:
        case.do("Check the SGO or CAO applicant", on=date(2026, 10, 14), order_sought="cao", applicant_name="Jo Aunt",
                relationship="aunt_uncle", applicant_date_of_birth=date(1980, 1, 1), basis="marriage_party")
    assert list(aunt.value.errors) == ["basis"]
    case.do("Check the SGO or CAO applicant", order_sought="cao", applicant_name="Jo Aunt",
            relationship="aunt_uncle", applicant_date_of_birth=date(1980, 1, 1), basis="lived_with_three_years")
    assert "Apply for leave of the court" not in case.names()
    assert "Record the application to the court" in case.names()
