"""The family network (A9, E6) fed through the real diagrams: the family group conference's
plan proposes carers, who join the child's network; the connected-person assessment of one of
them writes its outcome against them; each is a new, audited version of the network."""
from datetime import date

from sqlalchemy import select

from engine import casework
from models import AuditEvent, CaseDetailVersion

from .conftest import PPM_AREAS, Case

FGC = "Hold a Family Group Conference"


def _network(db, child_id):
    return casework.details_for(db, child_id, "sw")["family_network"]


def test_A9_E6_the_fgcs_proposed_carers_join_the_network_and_the_assessment_is_written_against_them(
        council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2026, 9, 7), date(2016, 5, 5), legal_status="ico")
    assert _network(db, case.child_id)["warning"].startswith("No family network is recorded")
    # A person the social worker mapped first, then proposed by the conference too.
    casework.save_network_person(db, case.child_id, {
        "name": "Pat Grand", "relationship": "Maternal grandmother", "contact": "01632 960 001",
        "identified_on": "2026-09-07", "caring": "could_care", "assessment": "not_assessed"}, "sw")
    case.do(FGC, on=date(2026, 9, 10), fgc_held_on=date(2026, 9, 10), fgc_outcome="family_plan_agreed",
            family_plan="Gran cares for Alex; Jo helps with school runs.",
            proposed_carers="Pat Grand (maternal grandmother)\nJo Smith, family friend\n")
    net = _network(db, case.child_id)
    assert [(p["name"], p["relationship"], p["caring"], p["assessment"], p["identified_on"])
            for p in net["people"]] == [
        ("Pat Grand", "Maternal grandmother", "proposed_by_fgc", "not_assessed", "2026-09-07"),
        ("Jo Smith", "family friend", "proposed_by_fgc", "not_assessed", "2026-09-10")]
    assert net["warning"] == ("2 people who could care for the child not yet assessed: "
                              "Pat Grand, Jo Smith (E6)")
    assert net["version"]["reason"] == ("Proposed as carers by the family group conference held on "
                                        "2026-09-10: Jo Smith added")
    # The PPM chooses family and friends; the assessment picks Pat from the network.
    case.do("Hold the initial PPM", on=date(2026, 9, 14), held_on=date(2026, 9, 14), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["family_and_friends"])
    case.do("Complete the connected person assessment", on=date(2026, 10, 12),
            assessed_on=date(2026, 10, 12), carer_name="pat  grand", assessment_recommendation="approve")
    net = _network(db, case.child_id)
    pat = net["people"][0]
    assert (pat["assessment"], pat["assessed_on"]) == ("approved", "2026-10-12")
    assert [p["name"] for p in net["unassessed"]] == ["Jo Smith"]
    with db.reading() as session:
        rows = session.scalars(select(CaseDetailVersion).where(
            CaseDetailVersion.child_id == case.child_id, CaseDetailVersion.section == "family_network")
            .order_by(CaseDetailVersion.version)).all()
        assert [r.version for r in rows] == [1, 2, 3]                 # never an overwrite
        assert rows[0].data["people"][0]["caring"] == "could_care"    # the first version kept
        changes = session.scalars(select(AuditEvent).where(
            AuditEvent.child_id == case.child_id, AuditEvent.kind == "case_details_changed")).all()
        assert len([c for c in changes if c.detail.get("section") == "family_network"]) == 3


def test_A9_E6_an_assessment_of_someone_not_yet_in_the_network_adds_them(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2026, 9, 7), date(2016, 5, 5), legal_status="ico")
    case.do(FGC, on=date(2026, 9, 10), fgc_held_on=date(2026, 9, 10), fgc_outcome="no_plan")
    assert _network(db, case.child_id)["people"] == []                # no plan, nobody proposed
    case.do("Hold the initial PPM", on=date(2026, 9, 14), held_on=date(2026, 9, 14), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["family_and_friends"])
    case.do("Complete the connected person assessment", on=date(2026, 10, 12),
            assessed_on=date(2026, 10, 12), carer_name="Sam Grand", assessment_recommendation="not_approve")
    [sam] = _network(db, case.child_id)["people"]
    assert (sam["name"], sam["caring"], sam["assessment"], sam["source"]) == (
        "Sam Grand", "offered", "not_approved", "Connected person assessment")


def test_A9_E6_the_ppm_page_shows_the_network_and_the_assessment_page_picks_its_carer_from_it(
        council_with_pathway):
    from ..web.conftest import make_app, sign_in
    from ..web.conftest import page_text
    from .conftest import at
    db = council_with_pathway
    case = Case.start(db, date(2026, 9, 7), date(2016, 5, 5), legal_status="ico")
    for name, caring in (("Pat Grand", "offered"), ("Jo Smith", "ruled_out")):
        casework.save_network_person(db, case.child_id, {
            "name": name, "relationship": "Relative", "identified_on": "2026-09-07", "caring": caring,
            "ruled_out_reason": "Declined to be assessed" if caring == "ruled_out" else "",
            "assessment": "not_assessed"}, "sw")
    client = make_app(db).test_client()
    sign_in(client, "sw")
    at(date(2026, 9, 14))
    ppm = page_text(client.get(f"/tasks/{case.task('Hold the initial PPM')['task_id']}"))
    assert "Alex Example's family network" in ppm
    assert "Pat Grand" in ppm and "Jo Smith" in ppm and "Declined to be assessed" in ppm
    case.do("Hold the initial PPM", on=date(2026, 9, 14), held_on=date(2026, 9, 14), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["family_and_friends"])
    task_id = case.task("Complete the connected person assessment")["task_id"]
    page = client.get(f"/tasks/{task_id}")
    html = page.get_data(as_text=True)
    assert f"/tasks/{task_id}?network_person=1" in html                # Pat could care: offered
    assert "network_person=2" not in html                               # Jo was ruled out
    picked = client.get(f"/tasks/{task_id}?network_person=1").get_data(as_text=True)
    assert 'name="carer_name" type="text" value="Pat Grand"' in picked
