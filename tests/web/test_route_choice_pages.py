"""E32 (MER §10.8, Appendix 1, §7.3; ACA 2002 s1(4)): the decision aid for choosing between a
special guardianship order, a child arrangements order, long-term fostering and adoption,
through the Flask test client on SQLite and PostgreSQL: errors by field with everything typed
kept, versions with an audit, the count of fitting statements (never a decision) and its
warning, on the child page, the plan, its print view and the panel papers."""
from engine import casework, register_child
from models import AuditEvent, CaseDetailVersion

from ..conftest import child_details, set_clock
from .conftest import page_text, sign_in

WELFARE = {"welfare_wishes": "Wants to stay with her carers and see her mum",
           "welfare_needs": "Stability; therapy for early neglect",
           "welfare_lifelong_effect": "Keeping her birth family name matters to her",
           "welfare_characteristics": "Aged 9, of mixed heritage",
           "welfare_harm": "Neglect before care; no risk from the carers",
           "welfare_relationships": "Close to her grandmother, who cannot care for her"}
#: The child's foster carers would be special guardians: three order statements fit, one of adoption.
AID = {"orders_legal_security": "fits", "orders_legal_security_evidence": "Carers want legal security",
       "orders_carer_commitment": "fits", "orders_carer_commitment_evidence": "Carers committed for life",
       "orders_attachment": "fits", "orders_attachment_evidence": "Strong attachment, per the CAMHS report",
       "adoption_child_wish": "does_not_fit", "adoption_child_wish_evidence": "She does not want to be adopted",
       "ltf_oversight": "fits", "ltf_oversight_evidence": "Therapy continues",
       "ltf_parents_share": "not_known",
       **WELFARE, "proposed": "sgo", "proposal_reasons": "The carers will be her special guardians"}


def _child(db, reference="N-1", team="North", worker="sw", name="Alex Example"):
    return register_child(db, child_details(reference=reference, team=team, social_worker=worker,
                                            name=name), worker, process_id="demo_pathway").child_id


def test_E32_bad_answers_are_refused_by_field_and_everything_typed_is_kept(client, staff):
    child = _child(staff)
    sign_in(client, "sw")
    response = client.post(f"/children/{child}/route-choice", data={
        "orders_legal_security": "fits", "orders_legal_security_evidence": "",
        "adoption_child_wish": "perhaps", "ltf_oversight_evidence": "Typed evidence kept",
        "welfare_wishes": "Her wishes, typed", "proposed": "ltf", "proposal_reasons": ""})
    assert response.status_code == 400
    text = page_text(response)
    assert "There is a problem" in text
    assert "Give the evidence that the statement fits" in text
    assert "Choose one of the options" in text                                   # "perhaps"
    assert "Say whether the statement fits, does not fit or is not known yet" in text
    assert "Say why long-term fostering meets the child's needs" in text
    assert "Consider this point of the welfare checklist before proposing an option" in text
    html = response.get_data(as_text=True)
    assert "Typed evidence kept</textarea>" in html and "Her wishes, typed</textarea>" in html
    assert 'value="ltf" checked' in html and 'value="fits" checked' in html
    assert 'href="#orders_legal_security_evidence"' in html                     # the summary links
    with staff.reading() as session:
        assert session.query(CaseDetailVersion).count() == 0                     # nothing half-written


def test_E32_the_aid_counts_never_decides_and_warns_when_the_proposal_departs_without_reasons(client, staff):
    child = _child(staff)
    sign_in(client, "sw")
    assert client.post(f"/children/{child}/route-choice", data=AID).status_code == 302
    page = page_text(client.get(f"/children/{child}"))
    assert "Choosing the permanence option" in page
    assert "Child arrangements or special guardianship order Best fit 3 of 4" in page
    assert "Long-term fostering 1 of 4" in page and "Adoption 0 of 4" in page
    assert "The option proposed Special guardianship order" in page
    assert "no reasons are recorded for the difference" not in page
    # Proposing long-term fostering against the best fit: saved, with a warning, until the
    # reasons for the difference are recorded. A change needs its reason.
    changed = {**AID, "proposed": "ltf", "proposal_reasons": "Her mother still shares in decisions"}
    refused = client.post(f"/children/{child}/route-choice", data=changed)
    assert refused.status_code == 400 and "Say what has changed and why" in page_text(refused)
    set_clock(2026, 3, 3)
    assert client.post(f"/children/{child}/route-choice",
                       data={**changed, "reason": "Discussed again at the review PPM"}).status_code == 302
    page = page_text(client.get(f"/children/{child}"))
    assert ("Long-term fostering is proposed, but the statements of child arrangements or special "
            "guardianship order fit best (3 of 4) and no reasons are recorded for the difference") in page
    assert "Version 2" in page
    assert client.post(f"/children/{child}/route-choice", data={
        **changed, "departure_reasons": "The carers are not ready to take on parental responsibility",
        "reason": "Reasons for the difference added"}).status_code == 302
    page = page_text(client.get(f"/children/{child}"))
    assert "no reasons are recorded for the difference" not in page
    assert "The carers are not ready to take on parental responsibility" in page
    history = page_text(client.get(f"/children/{child}/details/route_choice"))
    assert "Version 3 (current)" in history and "Version 1" in history
    assert "The option proposed Special guardianship order" in history            # still readable
    with staff.reading() as session:
        audited = session.query(AuditEvent).filter_by(kind="case_details_changed", child_id=child).all()
        assert [a.detail["version"] for a in audited] == [1, 2, 3]
        assert audited[1].detail["before"]["proposed"] == "sgo" and audited[1].detail["after"]["proposed"] == "ltf"


def test_E32_the_plan_its_print_view_and_the_panel_papers_show_the_aid(client, staff):
    child = _child(staff)
    casework.save_route_choice(staff, child, {**AID, "proposed": "adoption",
                                              "proposal_reasons": "A new family for life"}, "", "sw")
    sign_in(client, "sw")
    for path in (f"/children/{child}/plan", f"/children/{child}/plan/print"):
        shown = page_text(client.get(path))
        assert "Choosing the permanence option" in shown, path
        assert "Adoption is proposed, but the statements of child arrangements or special" in shown, path
        assert "She does not want to be adopted" in shown, path
        assert "The child's particular needs (s1(4)(b)) Stability; therapy for early neglect" in shown, path
    sign_in(client, "chair")
    pack = page_text(client.get(f"/panel/children/{child}/pack"))
    assert "Choosing the permanence option" in pack and "A new family for life" in pack


def test_E32_who_may_see_and_change_the_aid(client, staff):
    north = _child(staff)
    south = _child(staff, reference="S-1", team="South", worker="sw_south", name="Sol South")
    casework.save_route_choice(staff, south, AID, "", "sw_south")
    sign_in(client, "iro")                    # sees the child, may not change the aid
    assert "Use the decision aid" not in page_text(client.get(f"/children/{north}"))
    assert client.post(f"/children/{north}/route-choice", data=AID).status_code == 403
    sign_in(client, "sw")                     # another team's child is not there
    assert client.get(f"/children/{south}/route-choice").status_code == 404
    assert client.get(f"/children/{south}/details/route_choice").status_code == 404
    with staff.reading() as session:
        assert session.query(CaseDetailVersion).filter_by(child_id=north).count() == 0
