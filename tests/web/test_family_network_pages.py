"""The family network (A9, E6) and the statutory health assessments (E25) through the pages,
on SQLite and PostgreSQL: errors by field with everything typed kept, a change is a new version
with its reason, and they reach the child page, the plan, the versions page and the task page
of the connected-person assessment, which picks its carer from the network."""
from engine import casework, register_child
from models import CaseDetailVersion

from ..conftest import child_details, set_clock
from .conftest import page_text, sign_in

GRAN = {"name": "Pat Grand", "relationship": "Maternal grandmother", "contact": "01632 960 001",
        "identified_on-day": "1", "identified_on-month": "3", "identified_on-year": "2026",
        "caring": "offered", "assessment": "not_assessed",
        "notes": "Can care full time; lives two streets from school"}


def _child(db, reference="N-1"):
    return register_child(db, child_details(reference=reference, team="North", social_worker="sw"),
                          "sw", process_id="demo_pathway").child_id


def test_A9_E6_the_network_form_refuses_by_field_and_keeps_what_was_typed(client, staff):
    child = _child(staff)
    sign_in(client, "sw")
    assert "No family network is recorded" in page_text(client.get(f"/children/{child}"))
    refused = client.post(f"/children/{child}/family-network/new", data={
        **GRAN, "relationship": "", "caring": "ruled_out", "ruled_out_reason": "",
        "assessment": "approved", "identified_on-month": "13"})
    assert refused.status_code == 400
    text = page_text(refused)
    assert "Enter their relationship to the child" in text
    assert "Select whether they could care for the child" not in text     # answered: ruled out
    assert "Say why they were ruled out as a carer and by whom" in text
    assert "Enter the date of the assessment's outcome" in text
    html = refused.get_data(as_text=True)
    assert 'value="Pat Grand"' in html and 'value="13"' in html
    assert "Can care full time; lives two streets from school</textarea>" in html
    assert 'href="#relationship"' in html
    with staff.reading() as session:
        assert session.query(CaseDetailVersion).count() == 0        # nothing half-written


def test_A9_E6_a_change_is_a_new_version_with_its_reason_shown_on_the_child_page_and_plan(client, staff):
    child = _child(staff)
    sign_in(client, "sw")
    assert client.post(f"/children/{child}/family-network/new", data=GRAN).status_code == 302
    twice = client.post(f"/children/{child}/family-network/new", data=GRAN)
    assert twice.status_code == 400
    assert "Pat Grand is already in the network: change their entry instead" in page_text(twice)
    page = page_text(client.get(f"/children/{child}"))
    assert "Pat Grand (change) Maternal grandmother, identified 1 March 2026" in page
    assert "1 person who could care for the child not yet assessed: Pat Grand (E6)" in page
    ruled_out = {**GRAN, "caring": "ruled_out", "ruled_out_reason": "Her health: GP letter, 1 March",
                 "assessment": "viability_negative", "assessed_on-day": "2", "assessed_on-month": "3",
                 "assessed_on-year": "2026"}
    no_reason = client.post(f"/children/{child}/family-network/1", data=ruled_out)
    assert no_reason.status_code == 400
    assert "Say what has changed and why" in page_text(no_reason)
    assert 'value="Her health: GP letter, 1 March"' in no_reason.get_data(as_text=True) \
        or "Her health: GP letter, 1 March</textarea>" in no_reason.get_data(as_text=True)
    assert client.post(f"/children/{child}/family-network/1",
                       data={**ruled_out, "reason": "Viability negative"}).status_code == 302
    page = page_text(client.get(f"/children/{child}"))
    assert "Ruled out as a carer Her health: GP letter, 1 March" in page
    assert "Viability assessment negative, 2 March 2026" in page and "Version 2" in page
    plan = page_text(client.get(f"/children/{child}/plan"))
    assert "Family network" in plan and "Pat Grand (Maternal grandmother)" in plan
    assert "Family network recorded (version 2): Pat Grand: Viability negative" in page   # timeline
    history = page_text(client.get(f"/children/{child}/details/family_network"))
    assert "Version 2 (current)" in history and "Version 1" in history
    assert "Has offered to care for the child" in history                  # the first kept
    assert client.get(f"/children/{child}/family-network/7").status_code == 404


def test_E25_health_assessments_are_due_every_6_months_under_5_and_12_from_5(client, staff):
    child = register_child(staff, child_details(reference="H-1", team="North", social_worker="sw",
                                                date_of_birth="2022-06-01", looked_after_on="2026-02-02"),
                           "sw", process_id="demo_pathway").child_id
    sign_in(client, "sw")
    page = page_text(client.get(f"/children/{child}"))
    assert "No health assessment is recorded" in page
    refused = client.post(f"/children/{child}/health-assessments/new", data={
        "kind": "", "held_on-day": "20", "held_on-month": "2", "held_on-year": "2026",
        "carried_out_by": "Dr Shah, LAC health", "outcome": ""})
    assert refused.status_code == 400
    text = page_text(refused)
    assert "Select which assessment it was" in text and "Say what the assessment found" in text
    assert 'value="Dr Shah, LAC health"' in refused.get_data(as_text=True)
    before_care = client.post(f"/children/{child}/health-assessments/new", data={
        "kind": "initial", "held_on-day": "30", "held_on-month": "1", "held_on-year": "2026",
        "carried_out_by": "Dr Shah", "outcome": "Well"})
    assert "The initial health assessment follows becoming looked after on 2 February 2026" \
        in page_text(before_care)
    # A review follows the initial assessment (walking issues 12 and 13: one was taken first).
    review_first = client.post(f"/children/{child}/health-assessments/new", data={
        "kind": "review", "held_on-day": "20", "held_on-month": "2", "held_on-year": "2026",
        "carried_out_by": "Dr Shah", "outcome": "Well"})
    assert review_first.status_code == 400
    assert "A review health assessment follows the initial one: record the initial health assessment first" \
        in page_text(review_first)
    assert 'value="Dr Shah"' in review_first.get_data(as_text=True)
    assert client.post(f"/children/{child}/health-assessments/new", data={
        "kind": "initial", "held_on-day": "20", "held_on-month": "2", "held_on-year": "2026",
        "carried_out_by": "Dr Shah, LAC health", "outcome": "Immunisations up to date"}).status_code == 302
    # Aged 3 on 20 Feb 2026: under 5, so 6 months later, Thursday 20 August 2026.
    page = page_text(client.get(f"/children/{child}"))
    assert "Next due Thursday 20 August 2026" in page or "Next due Thu 20 Aug 2026" in page
    again = client.post(f"/children/{child}/health-assessments/new", data={
        "kind": "initial", "held_on-day": "1", "held_on-month": "3", "held_on-year": "2026",
        "carried_out_by": "Dr Shah", "outcome": "Again"})
    assert "The initial health assessment is already recorded" in page_text(again)
    # Nor is a review before care a looked-after child's statutory assessment.
    review_before_care = client.post(f"/children/{child}/health-assessments/new", data={
        "kind": "review", "held_on-day": "30", "held_on-month": "1", "held_on-year": "2026",
        "carried_out_by": "Dr Shah", "outcome": "Well"})
    assert review_before_care.status_code == 400
    assert "A review health assessment follows becoming looked after on 2 February 2026: check the date" \
        in page_text(review_before_care)
    assert "A review health assessment follows the initial one" not in page_text(review_before_care)
    plan = page_text(client.get(f"/children/{child}/plan"))
    assert "Health assessments" in plan and "Immunisations up to date" in plan


def test_E25_from_the_fifth_birthday_every_12_months_and_overdue_shown(client, staff):
    from datetime import date
    from engine.casework import health
    data = {"assessments": [{"kind": "review", "held_on": "2025-01-10", "carried_out_by": "x", "outcome": "y"}]}
    # Born 1 Jun 2019: 5 on 1 Jun 2024, so 12 months after 10 Jan 2025 is 10 January 2026.
    due, why = health.next_due(data, date(2019, 6, 1), date(2024, 1, 1))
    assert due == date(2026, 1, 10) and "every 12 months from the fifth birthday" in why
    # None yet: 20 working days after Mon 2 Mar 2026 is Mon 30 March 2026.
    due, why = health.next_due(None, date(2019, 6, 1), date(2026, 3, 2))
    assert due == date(2026, 3, 30) and "initial health assessment" in why
    assert health.view(data, date(2019, 6, 1), date(2024, 1, 1), date(2026, 3, 2))["overdue"] is True


def test_E25_the_social_worker_sees_health_assessments_due_in_the_inbox(client, staff):
    # Looked after on Mon 2 Mar 2026: the initial assessment is due 20 working days later,
    # Mon 30 March 2026, within the inbox's four weeks from today (2 March).
    child = _child(staff)
    sign_in(client, "sw")
    inbox = page_text(client.get("/inbox"))
    assert "Health assessments due (1)" in inbox and "Alex Example" in inbox
    assert "the initial health assessment, 20 working days after becoming looked after" in inbox
    casework.add_health_assessment(staff, child, {
        "kind": "initial", "held_on": "2026-03-02", "carried_out_by": "Dr Shah",
        "outcome": "Well"}, "sw")
    # Born 4 May 2019, so 6 on 2 March 2026: next in 12 months, not yet in the inbox.
    assert "Health assessments due" not in page_text(client.get("/inbox"))
    assert casework.health_assessments_due(staff, "tm") == []
    assert casework.health_assessments_due(staff, "sw2") == []


def test_A9_E6_E25_K8_the_demo_shows_the_network_the_fgcs_carers_and_health_assessments(db):
    from engine import find_child, publish
    from web.demo import load_demo
    from workflows.diagrams import load_directory
    from ..conftest import DIAGRAMS
    publish(db, load_directory(DIAGRAMS, "permanence_pathway"), "tests")
    assert load_demo(db, "permanence_pathway")
    alfie = casework.details_for(db, find_child(db, "DEMO-001", "asha.sw"), "asha.sw")
    assert [p["name"] for p in alfie["family_network"]["people"]] == [
        "Maureen Brown", "Lisa Brown", "Kevin Hughes"]
    assert alfie["health"]["assessments"][0]["kind"] == "initial"
    assert all(a.get("facilitated_by") for a in alfie["family_time"]["live"]
               if a.get("supervision") in ("supervised", "supported"))        # K8
    hollie = casework.details_for(db, find_child(db, "DEMO-008", "cara.sw"), "cara.sw")
    # Her FGC proposed her grandparents and aunt; the grandparents' assessment is theirs.
    assert [(p["name"], p["caring"]) for p in hollie["family_network"]["people"]] == [
        ("Glen and Ann King", "proposed_by_fgc"), ("Rose King", "proposed_by_fgc")]
    assert hollie["family_network"]["people"][0]["assessment"] in ("approved", "not_approved")


def test_A9_E6_a_conference_the_family_declined_proposes_no_carers(client, staff):
    """Walking it: an FGC recorded as declined took "proposed carers" and would have put them
    in the network as proposed by a conference that never met. The page refuses it by field."""
    from engine import open_tasks, publish
    from workflows.diagrams import load_directory
    from ..conftest import DIAGRAMS
    publish(staff, load_directory(DIAGRAMS, "permanence_pathway"), "tests")
    child = register_child(staff, child_details(reference="N-9", team="North", social_worker="sw"), "sw").child_id
    [fgc] = [t for t in open_tasks(staff, child_id=child) if t["name"] == "Hold a Family Group Conference"]
    sign_in(client, "sw")
    answers = {"fgc_held_on-day": "2", "fgc_held_on-month": "3", "fgc_held_on-year": "2026",
               "fgc_outcome": "declined", "proposed_carers": "Mary Turner (maternal grandmother)",
               "intent": "continue"}
    refused = client.post(f"/tasks/{fgc['task_id']}", data=answers)
    assert refused.status_code == 400
    assert '<a href="#proposed_carers">Carers are proposed only in a family plan: choose that the family ' \
           'agreed a plan, or leave who it proposes blank</a>' in refused.get_data(as_text=True)
    assert "Mary Turner (maternal grandmother)</textarea>" in refused.get_data(as_text=True)
    agreed = client.post(f"/tasks/{fgc['task_id']}", data={**answers, "fgc_outcome": "family_plan_agreed"})
    assert agreed.status_code == 302 and agreed.headers["Location"].endswith("/check")
