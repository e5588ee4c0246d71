"""The case-detail pages (issue 12, sections 6 to 8) through the Flask test client on SQLite
and PostgreSQL: forms keep everything typed beside their errors, a change is a new version
with the earlier one still readable, siblings follow engine.access, and the details reach
the child page, the plan, the panel papers, the inbox and the children list."""
from engine import casework, register_child
from models import AuditEvent, CaseDetailVersion

from ..conftest import child_details, set_clock
from .conftest import page_text, sign_in

IDENTITY = {"ethnicity": "Black British Caribbean", "religion": "Christian",
            "culture": "Attends a Caribbean church with her grandmother", "first_language": "English",
            "interpreter_needed": "no", "placement_locality": "local", "disability": "no",
            "uasc": "no", "support_services": ["therapy", "education"],
            "support_details": "Play therapy with CAMHS; a designated teacher plan",
            "attachment_and_trauma": "Neglect before care; anxious attachment to her mother"}


def _child(db, reference="N-1", team="North", worker="sw", name="Alex Example"):
    return register_child(db, child_details(reference=reference, team=team, social_worker=worker,
                                            name=name), worker, process_id="demo_pathway").child_id


def test_K10_K11_identity_form_keeps_what_was_typed_beside_its_errors(client, staff):
    child = _child(staff)
    sign_in(client, "sw")
    response = client.post(f"/children/{child}/identity", data={
        **IDENTITY, "ethnicity": "Mixed White and Asian", "placement_locality": "out_of_area",
        "disability": "yes", "additional_needs": ""})
    assert response.status_code == 400
    text = page_text(response)
    assert "There is a problem" in text
    assert "a local placement is the default (K10)" in text
    assert "Describe the child's disability and additional needs" in text
    html = response.get_data(as_text=True)
    assert 'value="Mixed White and Asian"' in html                       # typed, kept
    assert "Attends a Caribbean church with her grandmother</textarea>" in html
    assert 'value="therapy" checked' in html
    with staff.reading() as session:
        assert session.query(CaseDetailVersion).count() == 0            # nothing half-written


def test_K9_K12_a_change_is_a_new_version_and_the_earlier_one_stays_readable(client, staff):
    child = _child(staff)
    sign_in(client, "sw")
    assert client.post(f"/children/{child}/identity", data=IDENTITY).status_code == 302
    # A change needs its reason; without one it is refused and the change typed is kept.
    changed = {**IDENTITY, "uasc": "yes", "first_language": "Tigrinya", "interpreter_needed": "yes"}
    refused = client.post(f"/children/{child}/identity", data=changed)
    assert refused.status_code == 400
    assert "Say what has changed and why" in page_text(refused)
    assert 'value="Tigrinya"' in refused.get_data(as_text=True)
    set_clock(2026, 3, 3)
    assert client.post(f"/children/{child}/identity",
                       data={**changed, "reason": "Age assessment: UASC confirmed"}).status_code == 302
    page = page_text(client.get(f"/children/{child}"))
    assert "Is the child an unaccompanied asylum-seeking child? Yes" in page
    assert "First language Tigrinya" in page and "Version 2" in page
    assert "Identity and needs recorded (version 2): Age assessment: UASC confirmed" in page  # timeline
    history = page_text(client.get(f"/children/{child}/details/identity"))
    assert "Version 2 (current)" in history and "Age assessment: UASC confirmed" in history
    assert "Version 1" in history and "First language English" in history   # still readable
    with staff.reading() as session:
        audited = session.query(AuditEvent).filter_by(kind="case_details_changed", child_id=child).all()
        assert [a.detail["version"] for a in audited] == [1, 2]
        assert audited[1].detail["before"]["uasc"] == "no" and audited[1].detail["after"]["uasc"] == "yes"
    # The children list filters on it (K12).
    sign_in(client, "tm")
    other = _child(staff, reference="N-2", name="Bo Other")
    listed = page_text(client.get("/children?needs=uasc"))
    assert "Alex Example" in listed and "Bo Other" not in listed
    assert other


def test_K4_siblings_follow_who_may_see_which_child(client, staff):
    north = _child(staff, name="Ava North")
    south = _child(staff, reference="S-1", team="South", worker="sw_south", name="Sol South")
    # A social worker cannot link a child they may not see: "not found", as if not there.
    sign_in(client, "sw")
    refused = client.post(f"/children/{north}/siblings", data={"sibling": "S-1"})
    assert refused.status_code == 400
    assert "There is no child with reference S-1 that you can see" in page_text(refused)
    assert 'value="S-1"' in refused.get_data(as_text=True)
    # A service manager sees both and links them.
    sign_in(client, "sm")
    assert client.post(f"/children/{north}/siblings", data={"sibling": "S-1"}).status_code == 302
    sm_page = page_text(client.get(f"/children/{north}"))
    assert "Sol South (S-1)" in sm_page
    # North's social worker sees that there is a sibling, not who.
    sign_in(client, "sw")
    sw_page = page_text(client.get(f"/children/{north}"))
    assert "A sibling you do not have access to" in sw_page
    assert "Sol South" not in sw_page and "S-1" not in sw_page
    assert client.get(f"/children/{south}").status_code == 404
    # And the other way round for South's social worker.
    sign_in(client, "sw_south")
    south_page = page_text(client.get(f"/children/{south}"))
    assert "A sibling you do not have access to" in south_page and "Ava North" not in south_page
    # The panel sees both, on the agenda's papers (K4).
    sign_in(client, "chair")
    pack = page_text(client.get(f"/panel/children/{north}/pack"))
    assert "Brothers and sisters" in pack and "Sol South" in pack
    assert "No together-or-apart assessment yet" in pack


def test_K1_K2_K3_assessment_and_family_time_forms_and_where_they_are_shown(client, staff):
    ava = _child(staff, name="Ava Example")
    _child(staff, reference="N-2", name="Ben Example")
    sign_in(client, "sw")
    client.post(f"/children/{ava}/siblings", data={"sibling": "N-2"})
    refused = client.post(f"/children/{ava}/siblings/assessment", data={
        "assessed_on-day": "2", "assessed_on-month": "", "assessed_on-year": "2026",
        "assessed_by": "Sam Worker", "relationships": "Very close", "needs": "Different needs",
        "recommendation": "apart"})
    assert refused.status_code == 400
    text = page_text(refused)
    assert "Date the assessment was completed must include a month" in text
    assert "placing siblings together is the default (K2)" in text
    assert "(K3)" in text
    assert 'value="Very close"' in refused.get_data(as_text=True) or "Very close</textarea>" in refused.get_data(as_text=True)
    assert client.post(f"/children/{ava}/siblings/assessment", data={
        "assessed_on-day": "2", "assessed_on-month": "3", "assessed_on-year": "2026",
        "assessed_by": "Sam Worker", "relationships": "Very close", "needs": "Different needs",
        "recommendation": "apart", "reasons_apart": "Ben needs a specialist placement",
        "sibling_contact": "Fortnightly at the family centre"}).status_code == 302
    # Family time: a date that is not a date keeps what was typed.
    refused = client.post(f"/children/{ava}/family-time/new", data={
        "with_whom": "Mum", "relationship": "parent", "kind": "direct", "how": "Visits",
        "where": "Family centre", "frequency": "Weekly", "supervision": "supervised",
        "facilitated_by": "Contact workers", "agreed_on-day": "31", "agreed_on-month": "2", "agreed_on-year": "2026", "agreed_with": "Mum"})
    assert refused.status_code == 400
    assert "Date the arrangement was agreed must be a real date" in page_text(refused)
    assert 'value="31"' in refused.get_data(as_text=True)
    assert client.post(f"/children/{ava}/family-time/new", data={
        "with_whom": "Mum", "relationship": "parent", "kind": "direct", "how": "Visits",
        "where": "Family centre", "frequency": "Weekly", "supervision": "supervised",
        "facilitated_by": "Contact workers", "agreed_on-day": "2", "agreed_on-month": "3", "agreed_on-year": "2026",
        "agreed_with": "Mum"}).status_code == 302
    page = page_text(client.get(f"/children/{ava}"))
    assert "Together or apart assessment: placed apart" in page
    assert "Next review due Wednesday 2 September 2026" in page or "Next review due Wed 2 Sep 2026" in page
    plan = page_text(client.get(f"/children/{ava}/plan"))
    assert "Fortnightly at the family centre" in plan      # sibling contact on the plan (K3)
    assert "Family time arrangements" in plan and "Weekly" in plan
    # The inbox shows the review from a week before it is due (2 Sep 2026 - 7 days).
    set_clock(2026, 8, 26)
    inbox = page_text(client.get("/inbox"))
    assert "Family time reviews due (1)" in inbox and "Ava Example" in inbox
    set_clock(2026, 8, 25)
    assert "Family time reviews due" not in page_text(client.get("/inbox"))
    assert casework.reviews_due(staff, "sw2") == []    # not allocated to sw2


def test_K10_an_out_of_area_placement_without_its_reasons_is_flagged(client, staff):
    from engine import deliver_event
    child = _child(staff)
    deliver_event(staff, child, "placement_changed", {
        "placement_type": "residential", "carers": "Oakfield House", "area": "out_of_area",
        "started_on": "2026-03-02"}, "sw")
    sign_in(client, "sw")
    warning = "Placed out of the council's area since 2 March 2026, without the reasons recorded"
    assert warning in page_text(client.get(f"/children/{child}"))
    assert client.post(f"/children/{child}/identity", data={
        **IDENTITY, "placement_locality": "out_of_area",
        "out_of_area_reason": "A specialist home for her needs; none in the area"}).status_code == 302
    assert warning not in page_text(client.get(f"/children/{child}"))


def test_M3_M4_M5_support_after_the_order_is_recorded_as_a_new_version(client, staff):
    """A child adopted from care: the designated teacher for a previously looked-after child
    (M3) and the adopters' request for an adoption support assessment (M4); support to
    special guardians (M5) only after a special guardianship or child arrangements order."""
    child = _child(staff)
    sign_in(client, "sw")
    assert client.post(f"/children/{child}/identity", data=IDENTITY).status_code == 302
    wrong = client.post(f"/children/{child}/identity", data={
        **IDENTITY, "left_care_under": "adoption", "designated_teacher": "",
        "order_support": "Monthly support group", "reason": "Adoption order made"})
    assert wrong.status_code == 400
    text = page_text(wrong)
    assert "Name the designated teacher" in text and "(M3)" in text
    assert "Support to special guardians or child arrangements order carers follows one of those orders" in text
    assert "Monthly support group</textarea>" in wrong.get_data(as_text=True)     # typed, kept
    set_clock(2026, 3, 4)
    assert client.post(f"/children/{child}/identity", data={
        **IDENTITY, "left_care_under": "adoption", "designated_teacher": "Mrs Patel, Oak Primary",
        "adoption_support": "Adopters asked for an assessment on 1 March; therapeutic parenting course agreed",
        "reason": "Adoption order made"}).status_code == 302
    page = page_text(client.get(f"/children/{child}"))
    assert "After leaving care: the order the child left under Adoption order" in page
    assert "Designated teacher at the child's school (previously looked after) Mrs Patel, Oak Primary" in page
    assert "Version 2" in page
    with staff.reading() as session:
        assert session.query(CaseDetailVersion).count() == 2                    # a new version, not an overwrite


def test_K15_life_story_work_and_the_family_tree_are_on_the_childs_details(client, staff):
    child = _child(staff)
    sign_in(client, "sw")
    assert client.post(f"/children/{child}/identity", data={
        **IDENTITY, "life_story_work": "Life story book begun with her carer; family tree drawn with her brother"}
    ).status_code == 302
    page = page_text(client.get(f"/children/{child}"))
    assert ("Life story work and family tree: how the child is helped to understand their family and "
            "relationships Life story book begun with her carer; family tree drawn with her brother") in page


def test_K8_who_makes_family_time_happen_is_recorded_and_shown(client, staff):
    child = _child(staff)
    sign_in(client, "sw")
    assert client.post(f"/children/{child}/family-time/new", data={
        "with_whom": "Mum", "relationship": "parent", "kind": "direct", "how": "Visits",
        "where": "Family centre", "frequency": "Weekly", "supervision": "supervised",
        "facilitated_by": "Contact workers; the carers bring her",
        "agreed_on-day": "2", "agreed_on-month": "3", "agreed_on-year": "2026",
        "agreed_with": "Mum"}).status_code == 302
    assert "Made to happen by Contact workers; the carers bring her" in page_text(client.get(f"/children/{child}"))


def test_K8_supervised_family_time_needs_who_facilitates_it_and_the_plan_prints_it(client, staff):
    """K8: supervised or supported family time is facilitated by someone: without them the
    form refuses it by field, keeping what was typed; the printed arrangements name them."""
    child = _child(staff)
    sign_in(client, "sw")
    form = {"with_whom": "Gran", "relationship": "grandparent", "kind": "direct", "how": "Visits",
            "where": "Gran's house", "frequency": "Monthly", "supervision": "supported",
            "facilitated_by": "", "agreed_on-day": "2", "agreed_on-month": "3",
            "agreed_on-year": "2026", "agreed_with": "Gran and the carers"}
    refused = client.post(f"/children/{child}/family-time/new", data=form)
    assert refused.status_code == 400
    assert "Say who supervises or supports this family time (supported): it is facilitated (K8)" \
        in page_text(refused)
    html = refused.get_data(as_text=True)
    assert 'value="Gran&#39;s house"' in html and 'href="#facilitated_by"' in html
    # Not supervised: nobody need be named.
    assert client.post(f"/children/{child}/family-time/new", data={
        **form, "supervision": "unsupervised", "with_whom": "Aunt Jo"}).status_code == 302
    assert client.post(f"/children/{child}/family-time/new", data={
        **form, "facilitated_by": "The carers drive her; Gran hosts"}).status_code == 302
    plan = page_text(client.get(f"/children/{child}/plan"))
    assert "Who makes it happen (K8)" in plan
    assert "The carers drive her; Gran hosts" in plan and "Not recorded" in plan
