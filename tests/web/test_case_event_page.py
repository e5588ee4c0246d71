"""Recording a case event from the child page (D22, D23): the kind first, then its details;
errors beside their fields with everything typed kept; the event shown on the child page;
the form needs its CSRF token."""
from .conftest import make_app, page_text, sign_in
from ..conftest import child_details
from engine import register_child

PLACEMENT = {"placement_type": "ifa", "carers": "Pat Carer", "area": "out_of_area",
             "started_on-day": "2", "started_on-month": "3", "started_on-year": "2026"}


def _child(db):
    return register_child(db, child_details(reference="N-1"), "sw", process_id="demo_pathway").child_id


def test_D23_a_placement_recorded_from_the_page_shows_on_the_child_page(client, staff):
    child = _child(staff)
    sign_in(client, "sw")
    text = page_text(client.get(f"/children/{child}/events/new"))
    assert "What has happened?" in text and "Placement changed" in text
    # The heading's caption is markup, not text (it showed its <span> tags once).
    assert "Alex Example, N-1 What has happened?" in text and "<span" not in text
    assert "Select what has happened" in page_text(client.get(f"/children/{child}/events/new?kind="))
    response = client.post(f"/children/{child}/events/new?kind=placement_changed", data=PLACEMENT)
    assert response.status_code == 302
    text = page_text(client.get(response.headers["Location"]))
    assert "Placement changed recorded for Alex Example" in text
    assert "Independent fostering agency (IFA) Pat Carer Out of area 2 March 2026 Current" in text
    assert "2 March 2026 Placement changed Sam Worker" in text
    assert "Case event: Placement changed on 2 March 2026" in text  # and in the timeline


def test_D22_errors_are_shown_by_field_and_what_was_typed_is_kept(client, staff):
    child = _child(staff)
    sign_in(client, "sw")
    typed = {**PLACEMENT, "carers": "", "started_on-day": "31", "started_on-month": "2"}
    response = client.post(f"/children/{child}/events/new?kind=placement_changed", data=typed)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    text = page_text(response)
    assert "Enter the carers' names" in text
    assert "Date the placement began must be a real date" in text
    assert 'value="31"' in html and 'value="ifa" checked' in html
    response = client.post(f"/children/{child}/events/new?kind=legal_status_changed", data={
        "legal_status": "pwp", "changed_on-day": "2", "changed_on-month": "3", "changed_on-year": "2026"})
    assert response.status_code == 400
    assert "Record Alex Example's return home (a placement with parents) rather than the legal status alone" in page_text(response)
    response = client.post(f"/children/{child}/events/new?kind=legal_status_changed", data={
        "legal_status": "ico", "changed_on-day": "2", "changed_on-month": "3", "changed_on-year": "2026"})
    assert "Alex Example is already: Interim care order" in page_text(response)


def test_the_event_form_needs_its_csrf_token(staff):
    child = _child(staff)
    client = make_app(staff, WTF_CSRF_ENABLED=True).test_client()
    sign_in(client, "sw")
    response = client.post(f"/children/{child}/events/new?kind=placement_changed", data=PLACEMENT)
    assert response.status_code == 400
    assert "This form has expired" in page_text(response)


def test_A7_a_placement_at_risk_from_the_page_becomes_the_social_workers_action(client, staff):
    child = _child(staff)
    sign_in(client, "sw")
    assert client.post(f"/children/{child}/events/new?kind=placement_changed", data=PLACEMENT).status_code == 302
    typed = {"risk": "violence", "details": "", "at_risk_on-day": "2", "at_risk_on-month": "3",
             "at_risk_on-year": "2026"}
    response = client.post(f"/children/{child}/events/new?kind=placement_at_risk", data=typed)
    assert response.status_code == 400
    assert "Enter the details of what is happening" in page_text(response)
    assert 'value="violence" checked' in response.get_data(as_text=True)
    typed["details"] = "The carers' son was arrested at the house."
    response = client.post(f"/children/{child}/events/new?kind=placement_at_risk", data=typed)
    assert response.status_code == 302
    assert "Hold a placement stability meeting with the carers and the providers" in page_text(client.get("/inbox"))


def test_A10_B1_a_referral_to_the_legal_gateway_meeting_from_the_page(client, staff):
    child = register_child(staff, child_details(reference="N-2", legal_status="s20"), "sw",
                           process_id="demo_pathway").child_id
    sign_in(client, "sw")
    assert "Referred to the Legal Gateway Meeting" in page_text(client.get(f"/children/{child}/events/new"))
    typed = {"referred_on-day": "2", "referred_on-month": "3", "referred_on-year": "2099", "recommendation": ""}
    response = client.post(f"/children/{child}/events/new?kind=lgm_referral", data=typed)
    assert response.status_code == 400
    text = page_text(response)
    assert "Date of the referral must be today or in the past" in text
    assert "Enter the recommendation for achieving permanence" in text
    assert 'value="2099"' in response.get_data(as_text=True)
    response = client.post(f"/children/{child}/events/new?kind=lgm_referral", data={
        **typed, "referred_on-year": "2026", "recommendation": "Consider pre-proceedings."})
    assert response.status_code == 302
    assert "Referred to the Legal Gateway Meeting recorded for Alex Example" in page_text(
        client.get(response.headers["Location"]))


def test_A10_the_banner_names_the_role_of_the_task_a_case_event_opens_as_every_banner_does(client, staff):
    """Walking it: the LGM referral's banner said "... decision for the Legal", where every
    other banner says "for the Legal team"."""
    from engine import publish
    from workflows.diagrams import load_directory
    from ..conftest import DIAGRAMS
    publish(staff, load_directory(DIAGRAMS, "permanence_pathway"), "tests")
    child = register_child(staff, child_details(reference="N-3", legal_status="s20"), "sw").child_id
    sign_in(client, "sw")
    response = client.post(f"/children/{child}/events/new?kind=lgm_referral", data={
        "referred_on-day": "2", "referred_on-month": "3", "referred_on-year": "2026",
        "recommendation": "Consider pre-proceedings."})
    assert response.status_code == 302
    banner = page_text(client.get(response.headers["Location"]))
    assert "Record the Legal Gateway Meeting decision for the Legal team, due 16 March 2026 (R21)" in banner


def test_D23_K4_the_placement_type_is_in_words_on_the_event_form_and_in_the_sibling_list(client, staff):
    # Walking issues 12 and 13: "Current placement: ifa" and "living with residential" showed codes.
    child = _child(staff)
    sibling = register_child(staff, child_details(reference="N-2", name="Bo Example"), "sw",
                             process_id="demo_pathway").child_id
    sign_in(client, "sw")
    assert client.post(f"/children/{child}/events/new?kind=placement_changed", data=PLACEMENT).status_code == 302
    text = page_text(client.get(f"/children/{child}/events/new?kind=placement_changed"))
    assert ("Current placement: Independent fostering agency (IFA) with Pat Carer, since 2 March 2026."
            in text)
    assert client.post(f"/children/{sibling}/events/new?kind=placement_changed", data={
        **PLACEMENT, "placement_type": "residential", "carers": ""}).status_code == 302
    assert client.post(f"/children/{child}/siblings", data={"sibling": "N-2"}).status_code == 302
    text = page_text(client.get(f"/children/{child}"))
    assert "Bo Example (N-2)" in text and "placement: Residential" in text and "residential" not in text
    assert "living with Pat Carer" in page_text(client.get(f"/children/{sibling}"))
