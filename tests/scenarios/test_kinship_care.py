"""Family and friends as issue 13 completed it: a connected person approved as the child's
foster carer ends the route in kinship long-term fostering, the child staying looked after
(E8, MER §7.5); a Special Guardianship application brings the council's support assessment,
support plan and report to the court before the order (E11, MER §7.6, s14A(8), (11)); a Child
Arrangements Order brings its support plan, with or without an allowance, aimed at arrangements
that sustain themselves (E12, MER §7.7)."""
from datetime import date

import pytest
from sqlalchemy import select

from engine import FormInvalid
from models import HumanTask

from .conftest import PPM_AREAS, Case
from .test_family_and_friends import APPLICANT

SUPPORT = dict(support_assessed_on=date(2027, 1, 25), needs_assessed="Hollie's therapy; respite for her grandparents.",
               sgo_support_services=["financial", "contact", "therapeutic"], financial_support="allowance",
               allowance_weekly=180, contact_support="Supervised family time with her mother monthly, "
                                                     "at the family centre, for the first year.",
               sgo_support_plan="Therapy through the virtual school; a support group; reviewed yearly.",
               court_report_filed_on=date(2027, 1, 27))


def _initial_ppm(case):
    case.do("Hold the initial PPM", on=date(2026, 9, 14), held_on=date(2026, 9, 14), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["family_and_friends"])


def test_E8_a_connected_person_approved_as_foster_carer_is_kinship_long_term_fostering(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 9, 7), date(2016, 5, 5), legal_status="co")
    _initial_ppm(case)
    case.do("Complete the connected person assessment", on=date(2026, 10, 12), assessed_on=date(2026, 10, 12),
            carer_name="Rita and Joe Moss (aunt and uncle)", assessment_recommendation="approve_foster_carer")
    # Not an SGO or CAO: no applicant to check, the approval instead. R8: by the next PPM,
    # 6 weeks after the assessment on Mon 12 Oct 2026: Mon 23 November 2026.
    assert "Check the SGO or CAO applicant" not in case.names()
    approval = case.task("Record the approval as the child's foster carer")
    assert (approval["due_on"], approval["rule"], approval["lane"]) == (date(2026, 11, 23), "R8", "Social Worker")

    # Temporary approval (reg 24) came first; the panel cannot come before it, nor the
    # decision before the panel; what was typed is kept.
    with pytest.raises(FormInvalid) as backwards:
        case.do("Record the approval as the child's foster carer", on=date(2026, 11, 20),
                foster_carer_names="Rita and Joe Moss", reg24_approved_on=date(2026, 10, 14),
                kinship_panel_on=date(2026, 10, 1), kinship_approved_on=date(2026, 11, 18))
    assert backwards.value.errors == {"kinship_panel_on": [
        "The date of the fostering panel must be the same as or after the date of temporary approval"]}
    assert backwards.value.data["foster_carer_names"] == "Rita and Joe Moss"
    with pytest.raises(FormInvalid) as before_assessment:
        case.do("Record the approval as the child's foster carer", foster_carer_names="Rita and Joe Moss",
                kinship_panel_on=date(2026, 10, 1), kinship_approved_on=date(2026, 10, 5))
    assert before_assessment.value.errors == {"kinship_approved_on": [
        "The approval cannot come before the connected person assessment was completed"]}
    case.do("Record the approval as the child's foster carer", on=date(2026, 11, 20),
            foster_carer_names="Rita and Joe Moss", reg24_approved_on=date(2026, 10, 14),
            kinship_panel_on=date(2026, 11, 12), kinship_approved_on=date(2026, 11, 18),
            foster_carer_support="Supervising social worker; kinship carers' training; fostering allowance.")

    # Achieved on the approval, 5 working days later (R23): Wed 18 Nov 2026 + 5 = Wed 25 November.
    assert case.due("Record permanence achieved") == (date(2026, 11, 25), "R23")
    # The child stays looked after, as in long-term fostering (MER §7.5).
    with pytest.raises(FormInvalid) as leaves:
        case.do("Record permanence achieved", on=date(2026, 11, 20), achieved_on=date(2026, 11, 18), leaves_care=True)
    assert leaves.value.errors == {"leaves_care": [
        "In kinship long-term fostering the child stays looked after (MER §7.5): answer No"]}
    case.do("Record permanence achieved", on=date(2026, 11, 20), achieved_on=date(2026, 11, 18), leaves_care=False)
    # Permanence reviews follow, as for any child who stays in care (R23): 6 months after
    # Wed 18 November 2026 at the latest.
    assert case.position.status == "active"
    assert any(rule == "R23" for (_, _, _, rule) in case.open()), case.open()


def _to_the_application(case, **applicant):
    _initial_ppm(case)
    case.do("Complete the connected person assessment", on=date(2026, 10, 12), assessed_on=date(2026, 10, 12),
            carer_name="Pat Grand", assessment_recommendation="approve")
    case.do("Check the SGO or CAO applicant", on=date(2026, 10, 14), **{**APPLICANT, **applicant})


def test_E11_special_guardianship_support_assessment_plan_and_court_report_before_the_order(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 9, 7), date(2016, 5, 5), legal_status="co")
    _to_the_application(case)
    # Notice Wed 14 Oct 2026 + 3 months: Thu 14 January 2027 at the earliest.
    case.do("Record the application to the court", on=date(2027, 1, 18), application_made_on=date(2027, 1, 18))
    # The council's part before the order: R8, 6 weeks after the application on Mon 18 Jan
    # 2027: Mon 1 March 2027. The order is not yet asked for.
    assert case.due("Assess SGO support and file the court report") == (date(2027, 3, 1), "R8")
    assert "Record the court's order" not in case.names()
    with case.db.reading() as session:
        instructions = session.scalar(select(HumanTask.instructions).where(
            HumanTask.child_id == case.child_id, HumanTask.bpmn_id == "sgo_support"))
    assert "Notice was given on 14 October 2026: the council's report is due within 3 months of it (s14A(8))" in instructions

    # Every error by field, everything typed kept.
    with pytest.raises(FormInvalid) as incomplete:
        case.do("Assess SGO support and file the court report", on=date(2027, 1, 28),
                **{**SUPPORT, "allowance_weekly": None, "contact_support": None,
                   "court_report_filed_on": date(2026, 10, 1), "support_assessed_on": date(2026, 9, 30)})
    assert incomplete.value.errors == {
        "allowance_weekly": ["Enter the weekly allowance agreed in the support plan"],
        "contact_support": ["Say what contact support is in the plan"],
        "court_report_filed_on": ["The report answers the notice of the application: "
                                  "it cannot be filed before notice was given"]}
    assert incomplete.value.data["needs_assessed"] == SUPPORT["needs_assessed"]
    with pytest.raises(FormInvalid) as none_and_some:
        case.do("Assess SGO support and file the court report",
                **{**SUPPORT, "sgo_support_services": ["none_needed", "respite"]})
    assert list(none_and_some.value.errors) == ["sgo_support_services"]
    case.do("Assess SGO support and file the court report", on=date(2027, 1, 28), **SUPPORT)

    # The court may not make the order before it has the report (s14A(11)).
    with pytest.raises(FormInvalid) as early_order:
        case.do("Record the court's order", on=date(2027, 1, 28), order_type="sgo", order_made_on=date(2027, 1, 26))
    assert early_order.value.errors == {"order_made_on": [
        "The court cannot make a Special Guardianship Order before it has the council's report "
        "(Children Act 1989 s14A(11)): record the order on or after the date the report was filed"]}
    case.do("Record the court's order", on=date(2027, 3, 1), order_type="sgo", order_made_on=date(2027, 3, 1))
    # 5 working days after Mon 1 Mar 2027: Mon 8 March (R23); the SGO ends care.
    assert case.due("Record permanence achieved") == (date(2027, 3, 8), "R23")
    case.do("Record permanence achieved", on=date(2027, 3, 2), achieved_on=date(2027, 3, 1), leaves_care=True)
    assert case.position.status == "completed"


def test_E12_child_arrangements_order_support_with_an_allowance_aimed_at_self_sustaining(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 9, 7), date(2016, 5, 5), legal_status="co")
    _to_the_application(case, order_sought="cao", relationship="aunt_uncle", basis="local_authority_consent",
                        notice_given_on=None)
    case.do("Record the application to the court", on=date(2026, 10, 20), application_made_on=date(2026, 10, 19))
    # No SGO report for a CAO; its support plan is due by the next PPM (R8): 6 weeks after
    # Mon 19 Oct 2026: Mon 30 November 2026.
    assert "Assess SGO support and file the court report" not in case.names()
    assert case.due("Agree the CAO support plan") == (date(2026, 11, 30), "R8")
    plan = dict(cao_support_agreed_on=date(2026, 11, 2), allowance_payable=True,
                cao_support_plan="A CAO allowance; a family support worker for six months.",
                self_sustaining_plan="The family support worker steps back after six months; the aunt "
                                     "manages school and health appointments herself.",
                support_review_on=date(2027, 5, 3))
    with pytest.raises(FormInvalid) as no_amount:
        case.do("Agree the CAO support plan", on=date(2026, 11, 2), **plan)
    assert no_amount.value.errors == {"cao_allowance_weekly": [
        "Enter the weekly allowance, or answer that no allowance is payable"]}
    with pytest.raises(FormInvalid) as review_before:
        case.do("Agree the CAO support plan", **{**plan, "cao_allowance_weekly": 95, "support_review_on": date(2026, 11, 1)})
    assert list(review_before.value.errors) == ["support_review_on"]
    assert review_before.value.data["self_sustaining_plan"] == plan["self_sustaining_plan"]
    case.do("Agree the CAO support plan", on=date(2026, 11, 2), **plan, cao_allowance_weekly=95)
    case.do("Record the court's order", on=date(2026, 12, 7), order_type="cao", order_made_on=date(2026, 12, 7))
    assert case.due("Record permanence achieved") == (date(2026, 12, 14), "R23")
