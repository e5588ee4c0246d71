"""The adoption route's new forms on the task page (E19, E21, E22): each missing answer's error
beside its question with everything typed kept, and the match starting from what the case
holds, through the real page and the real pathway."""
import re
from datetime import date

from engine import casework

from ..web.conftest import make_app, sign_in
from .conftest import PPM_AREAS, Case, at

ALL_OPTIONS = ["stay_with_mother", "short_term_foster_care", "wider_family", "adoption"]


def _client(db, user, day):
    app = make_app(db)
    at(day)
    client = app.test_client()
    sign_in(client, user)
    return client


def _day(name, day):
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def test_E19_the_counselling_page_names_each_missing_answer_for_the_father_keeping_what_was_typed(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2027, 2, 24), date(2027, 2, 20), legal_status="s20")
    case.do("Hold the initial PPM", on=date(2027, 3, 3), held_on=date(2027, 3, 3), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["adoption"], relinquished_baby=True)
    client = _client(db, "sw", date(2027, 3, 8))
    task_id = case.task("Record the relinquishment and the counselling offered")["task_id"]
    response = client.post(f"/tasks/{task_id}", data={
        **_day("council_notified_on", date(2027, 1, 11)), **_day("expected_birth_on", date(2027, 2, 22)),
        **_day("mother_counselling_offered_on", date(2027, 1, 13)), "mother_counselling_response": "accepted",
        "mother_counselling_by": "Asha Patel, social worker", "mother_options_explained": ALL_OPTIONS,
        "mother_legal_implications_explained": "true", "father_counselling": "not_appropriate"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="father_not_offered_reason-error"' in html
    assert "Say why counselling is not appropriate for the father" in html
    assert 'value="Asha Patel, social worker"' in html
    assert 'name="council_notified_on-day" type="text" value="11"' in html
    assert re.search(r'value="wider_family" checked', html)
    assert re.search(r'value="not_appropriate" checked', html)


def test_E21_E22_the_match_page_starts_with_the_FfA_carers_and_the_sibling_assessment(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2027, 1, 8), date(2027, 1, 4), legal_status="ico")
    brother = Case.start(db, date(2027, 1, 8), date(2018, 5, 1), legal_status="ico", reference="C-2")
    casework.link_sibling(db, case.child_id, "C-2", "sw")
    casework.save_assessment(db, case.child_id, {
        "assessed_on": "2027-01-08", "assessed_by": "Asha Patel", "relationships": "Little shared history.",
        "needs": "He is settled long-term; she needs a family for life.", "recommendation": "apart",
        "reasons_apart": "Her brother, 9, is settled with his long-term foster carers.",
        "sibling_contact": "Four visits a year, at his carers' home."}, "", "sw")
    assert brother.child_id != case.child_id
    case.do("Hold the initial PPM", on=date(2027, 1, 20), held_on=date(2027, 1, 20), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["adoption"], ffa_proposed=True,
            early_permanence_considered=True, early_permanence_notes="A baby likely to be adopted.")
    case.do("Approve the prospective adopters as temporary foster carers (reg 25A)", on=date(2027, 1, 27),
            ffa_decided_on=date(2027, 1, 27), ffa_approved=True, ffa_carers="Sam and Priya Patel",
            ffa_adopters_approved_on=date(2026, 12, 10))
    case.do("Record the Fostering for Adoption placement", on=date(2027, 2, 1), ffa_placed_on=date(2027, 2, 1),
            ffa_area="local")
    case.do("Send the Child's Permanence Report to the ADM", on=date(2027, 2, 10), cpr_sent_on=date(2027, 2, 10))
    case.do("Decide whether the child should be placed for adoption", on=date(2027, 2, 17),
            adm_decided_on=date(2027, 2, 17), adm_decision="placed_for_adoption", reasons="Best interests.")
    case.do("Record the placement order or s19 consent", on=date(2027, 7, 8),
            authority="placement_order", authority_on=date(2027, 7, 7))
    client = _client(db, "sw", date(2027, 7, 9))
    html = client.get(f"/tasks/{case.task('Record the adoption match')['task_id']}").get_data(as_text=True)
    assert 'value="Sam and Priya Patel"' in html                       # not typed twice (E21)
    assert re.search(r'value="apart" checked', html)                   # the assessment's (E22, K2)
    assert "Her brother, 9, is settled with his long-term foster carers.</textarea>" in html
    assert "Four visits a year, at his carers&#39; home.</textarea>" in html
