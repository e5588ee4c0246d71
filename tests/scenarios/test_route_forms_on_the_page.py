"""The mended routes' forms on the task page (E28, B25): every new question's error beside it,
and everything typed kept, through the real page and the real pathway."""
import re
from datetime import date

from ..web.conftest import make_app, sign_in
from .conftest import PPM_AREAS, Case, at


def _post(db, case, name, user, data):
    app = make_app(db)
    at(date(2027, 2, 15))
    client = app.test_client()
    sign_in(client, user)
    return client.post(f"/tasks/{case.task(name)['task_id']}", data=data)


def test_E28_the_residential_decision_page_names_each_missing_joint_funding_answer_keeping_the_rest(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2027, 2, 1), date(2012, 3, 3), legal_status="co")
    case.do("Hold the initial PPM", on=date(2027, 2, 10), held_on=date(2027, 2, 10), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["residential"])
    response = _post(db, case, "Decide on a residential placement", "senior", {
        "decided_on-day": "15", "decided_on-month": "2", "decided_on-year": "2027", "approved": "true",
        "assessed_need": "Specialist therapeutic care", "child_disabled": "true",
        "joint_funding_partners": ["health"], "review_by-day": "10", "review_by-month": "5",
        "review_by-year": "2027"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for field, words in (("alternatives_explored", "Say which family-based alternatives were explored"),
                         ("joint_funding_sought_on", "Enter the date joint funding by the partnership was sought"),
                         ("joint_funding_outcome", "Select what the partnership decided about joint funding")):
        assert re.search(rf'id="{field}(-day)?-error"|id="{field}-error"', html), field
        assert words in html, field
    assert "Select the partners asked to fund jointly" not in html       # ticked: no error
    assert re.search(r'value="health" checked', html)
    assert "Specialist therapeutic care</textarea>" in html
    assert 'name="review_by-day" type="text" value="10"' in html


def test_B25_the_application_page_refuses_a_date_before_the_notice_has_run_keeping_the_court(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2026, 9, 7), date(2016, 5, 5), legal_status="co")
    case.do("Hold the initial PPM", on=date(2026, 9, 14), held_on=date(2026, 9, 14), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["family_and_friends"])
    case.do("Complete the connected person assessment", on=date(2026, 10, 12), assessed_on=date(2026, 10, 12),
            carer_name="Pat Grand", assessment_recommendation="approve")
    case.do("Check the SGO or CAO applicant", on=date(2026, 10, 14), order_sought="sgo", applicant_name="Pat Grand",
            relationship="grandparent", applicant_date_of_birth=date(1960, 2, 1),
            basis="lived_with_three_of_five", notice_given_on=date(2026, 10, 14))
    # Notice on 14 Oct 2026: the application no earlier than 14 January 2027; tried on 2 January.
    response = _post(db, case, "Record the application to the court", "sw", {
        "application_made_on-day": "2", "application_made_on-month": "1", "application_made_on-year": "2027",
        "court": "Family Court at Exeter"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "no earlier than 3 months after written notice" in html
    assert 'id="application_made_on-error"' in html
    assert 'value="Family Court at Exeter"' in html
    assert "Notice was given to the local authority on" in html


def test_E3_E5_the_reunification_plan_page_names_each_error_by_field_keeping_every_row(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2027, 2, 1), date(2018, 3, 3), legal_status="co")
    case.do("Hold the initial PPM", on=date(2027, 2, 10), held_on=date(2027, 2, 10), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["reunification"])
    # Agreed Fri 12 Feb; the second condition's date (1 Feb) is before it; Welsh is the
    # family's language but the plan was only explained in person; no support to sustain it.
    response = _post(db, case, "Agree the reunification support plan", "sw", {
        "agreed_on-day": "12", "agreed_on-month": "2", "agreed_on-year": "2027",
        "conditions-rows": "2", "conditions-0-condition": "Finish the parenting course", "conditions-0-who": "Mother",
        "conditions-0-by_when-day": "12", "conditions-0-by_when-month": "3", "conditions-0-by_when-year": "2027",
        "conditions-1-condition": "A second bedroom", "conditions-1-who": "Father",
        "conditions-1-by_when-day": "1", "conditions-1-by_when-month": "2", "conditions-1-by_when-year": "2027",
        "explained_on-day": "12", "explained_on-month": "2", "explained_on-year": "2027",
        "explained_how": ["in_person"], "family_language": "Welsh", "support_plan": "Family support"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(r'id="conditions-1-by_when(-day)?-error"', html), re.findall(r'id="[^"]*-error"', html)
    assert "The date it must happen by must be the same as or after the date the support plan was agreed" in html
    assert re.search(r'id="sustaining_support-error"', html)
    assert 'value="Finish the parenting course"' in html or "Finish the parenting course</textarea>" in html
    assert "A second bedroom" in html and 'value="Welsh"' in html
    assert 'name="conditions-0-by_when-day" type="text" value="12"' in html
    # Dates mended and the support written: the plan must still be given in writing in Welsh.
    response = _post(db, case, "Agree the reunification support plan", "sw", {
        "agreed_on-day": "12", "agreed_on-month": "2", "agreed_on-year": "2027",
        "conditions-rows": "1", "conditions-0-condition": "Finish the parenting course", "conditions-0-who": "Mother",
        "conditions-0-by_when-day": "12", "conditions-0-by_when-month": "3", "conditions-0-by_when-year": "2027",
        "explained_on-day": "12", "explained_on-month": "2", "explained_on-year": "2027",
        "explained_how": ["in_person"], "family_language": "Welsh", "support_plan": "Family support",
        "sustaining_support": "Early help"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="explained_how-error"' in html and "in writing in their language" in html
    assert "Early help</textarea>" in html


def test_E11_the_sgo_support_page_names_each_error_by_field_keeping_what_was_typed(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2026, 9, 7), date(2016, 5, 5), legal_status="co")
    case.do("Hold the initial PPM", on=date(2026, 9, 14), held_on=date(2026, 9, 14), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["family_and_friends"])
    case.do("Complete the connected person assessment", on=date(2026, 10, 12), assessed_on=date(2026, 10, 12),
            carer_name="Pat Grand", assessment_recommendation="approve")
    case.do("Check the SGO or CAO applicant", on=date(2026, 10, 14), order_sought="sgo", applicant_name="Pat Grand",
            relationship="grandparent", applicant_date_of_birth=date(1960, 2, 1),
            basis="lived_with_three_of_five", notice_given_on=date(2026, 10, 14))
    case.do("Record the application to the court", on=date(2027, 1, 18), application_made_on=date(2027, 1, 18))
    # An allowance with no amount, contact support ticked but not described.
    response = _post(db, case, "Assess SGO support and file the court report", "sw", {
        "support_assessed_on-day": "20", "support_assessed_on-month": "1", "support_assessed_on-year": "2027",
        "needs_assessed": "Therapy for Hollie", "sgo_support_services": ["financial", "contact"],
        "financial_support": "allowance", "sgo_support_plan": "Yearly review",
        "court_report_filed_on-day": "22", "court_report_filed_on-month": "1", "court_report_filed_on-year": "2027"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="allowance_weekly-error"' in html and "Enter the weekly allowance agreed in the support plan" in html
    assert 'id="contact_support-error"' in html
    assert "Therapy for Hollie</textarea>" in html and re.search(r'value="contact" checked', html)
    assert 'name="court_report_filed_on-day" type="text" value="22"' in html
