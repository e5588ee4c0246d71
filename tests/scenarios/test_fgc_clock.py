"""R6 (A8, B24, H12): a Family Group Conference not held by its target date is escalated once
to the child's team manager, through the real diagram, the real sweep and a fixed clock.

Dates by hand: looked after Monday 2 March 2026; 10 working days on (no bank holidays in
March 2026) is Monday 16 March 2026, the FGC's due date. It is missed from 00:00 on
Tuesday 17 March.
"""
import re
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from engine import FormInvalid, NotAllowed, fgc_clock, find_child, open_tasks, ppm_action_views, ppm_actions, register_child
from engine.reporting import tracker_details
from engine.sweep import sweep
from models import AuditEvent, Child, OutboxEvent, PpmAction, TaskRecord

from ..web.conftest import make_app, sign_in
from .conftest import Case, at

LOOKED_AFTER, BORN = date(2026, 3, 2), date(2019, 5, 4)
FGC = "Hold a Family Group Conference"


def _fgc_actions(db, child_id):
    with db.reading() as session:
        return [(a.source, a.owner.username, a.due_on, a.status, a.escalated_at is not None, a.done_on)
                for a in session.scalars(select(PpmAction).where(PpmAction.child_id == child_id))]


def test_h12_b24_an_fgc_missed_alerts_the_team_manager_once(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, LOOKED_AFTER, BORN)
    assert case.due(FGC) == (date(2026, 3, 16), "R6")

    # Due Monday 16 March: not missed that evening ...
    assert case.sweep(date(2026, 3, 16), hour=18).fgcs_escalated == 0
    assert ppm_action_views.inbox_actions(db, "tm")["escalated"] == []
    # ... but from Tuesday 17 March the team manager (North's, "tm") is told, once.
    assert case.sweep(date(2026, 3, 17)).fgcs_escalated == 1
    assert case.sweep(date(2026, 3, 18)).fgcs_escalated == 0
    assert case.sweep(date(2026, 3, 18)).actions_escalated == 0   # not again as a PPM action
    [alert] = ppm_action_views.inbox_actions(db, "tm")["escalated"]
    assert (alert["child_name"], alert["child_reference"], alert["due_on"], alert["from"]) == (
        "Alex Example", "C-1", date(2026, 3, 16), fgc_clock.FGC_SOURCE)
    assert "R6" in alert["action"] and "16 March 2026" in alert["action"]
    assert alert["status"] == "Escalated to the team manager"
    # The social worker, whose conference it was, owns it; the audit and the outbox carry it.
    assert _fgc_actions(db, case.child_id) == [
        (fgc_clock.FGC_SOURCE, "sw", date(2026, 3, 16), "open", True, None)]
    with db.reading() as session:
        assert session.scalar(select(AuditEvent.detail).where(
            AuditEvent.kind == ppm_actions.ESCALATED))["rule"] == "R6"
        told = [e.payload for e in session.scalars(select(OutboxEvent).where(
            OutboxEvent.kind == "escalation")) if "ppm_action_id" in e.payload]
        assert [t["reason"] for t in told] == ["a Family Group Conference was not held by its due date (R6)"]
    # The FGC task itself stays open: the conference is still to be held.
    assert FGC in case.names()

    # Only the team manager answers, with what they did; then it leaves their Escalations.
    with pytest.raises(NotAllowed):
        ppm_actions.answer_escalation(db, alert["id"], "sw", {"note": "Booked"})
    with pytest.raises(FormInvalid):
        ppm_actions.answer_escalation(db, alert["id"], "tm", {"note": ""})
    ppm_actions.answer_escalation(db, alert["id"], "tm", {"note": "Coordinator booked for 24 March"})
    assert ppm_action_views.inbox_actions(db, "tm")["escalated"] == []
    assert case.sweep(date(2026, 3, 23)).fgcs_escalated == 0            # raised once, not again

    # Held on Tuesday 24 March (late): the FGC step is done and so is the escalation.
    case.do(FGC, on=date(2026, 3, 24), fgc_held_on=date(2026, 3, 24), fgc_outcome="family_plan_agreed")
    assert FGC not in case.names()
    assert _fgc_actions(db, case.child_id) == [
        (fgc_clock.FGC_SOURCE, "sw", date(2026, 3, 16), "done", True, date(2026, 3, 24))]
    assert case.sweep(date(2026, 3, 30)).fgcs_escalated == 0


def test_b24_an_fgc_held_in_time_raises_nothing(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, LOOKED_AFTER, BORN)
    case.do(FGC, on=date(2026, 3, 12), fgc_held_on=date(2026, 3, 12), fgc_outcome="no_plan")
    assert case.sweep(date(2026, 3, 17)).fgcs_escalated == 0
    assert _fgc_actions(db, case.child_id) == []


def test_h12_two_sweepers_raise_one_alert(council_with_pathway):
    """Sweeps at the same moment, one after the other and from the engine's sweep alike,
    leave one escalation: the second finds the first's."""
    db = council_with_pathway
    case = Case.start(db, LOOKED_AFTER, BORN)
    at(date(2026, 3, 17))
    assert fgc_clock.escalate_missed(db) == 1
    assert fgc_clock.escalate_missed(db) == 0
    assert sweep(db).fgcs_escalated == 0
    assert len(_fgc_actions(db, case.child_id)) == 1


# --- A9, P11: an FGC held at the edge of care, recorded when the child is registered --------
#
# Dates by hand: the conference held Friday 27 February 2026, while care was being
# considered; the child looked after from Monday 2 March 2026 (R6 due Monday 16 March),
# registered on Thursday 5 March.

EDGE = dict(reference="C-9", name="Eve Edge", date_of_birth="2018-06-01", legal_status="s20",
            looked_after_on="2026-03-02", team="North", social_worker="sw")


def _register(db, **more):
    at(date(2026, 3, 5))    # registered on Thursday 5 March
    return register_child(db, {**EDGE, **more}, "sw", process_id="permanence_pathway")


def test_a9_p11_an_fgc_at_the_edge_of_care_is_the_pathways_fgc_and_is_not_asked_again(council_with_pathway):
    db = council_with_pathway
    registered = _register(db, fgc_before_care_on="2026-02-27", fgc_before_care_outcome="family_plan_agreed")
    assert registered.outcome.error is None
    case = Case(db, registered.child_id, registered.outcome.instance_id)
    assert FGC not in case.names()                                   # not asked again
    assert FGC not in {t["name"] for t in registered.outcome.opened}
    assert "Hold the initial PPM" in case.names()                    # the rest of the pathway runs
    with db.reading() as session:
        [record] = session.scalars(select(TaskRecord).where(
            TaskRecord.child_id == case.child_id, TaskRecord.bpmn_id == "hold_fgc")).all()
        assert record.answers["fgc_held_on"] == "2026-02-27"
        # R6 met on that date: the tracker and the performance figures read the record.
        assert tracker_details.fgc(session, [case.child_id]) == {case.child_id: ("Held", date(2026, 2, 27))}
    # Well past the target, nothing is escalated: it was held.
    assert case.sweep(date(2026, 3, 17)).fgcs_escalated == 0
    assert _fgc_actions(db, case.child_id) == []


@pytest.mark.parametrize("more, field, words", [
    (dict(fgc_before_care_on="2026-03-03", fgc_before_care_outcome="no_plan"), "fgc_before_care_on",
     "must be on or before the date the child became looked after"),
    (dict(looked_after_on="2026-02-20", fgc_before_care_on="2026-03-06", fgc_before_care_outcome="no_plan"),
     "fgc_before_care_on", "must be today or in the past"),
    (dict(fgc_before_care_on="2026-02-30", fgc_before_care_outcome="no_plan"), "fgc_before_care_on",
     "must be a real date"),
    (dict(fgc_before_care_on="2026-02-27"), "fgc_before_care_outcome", "Select what came of the Family Group Conference"),
    (dict(fgc_before_care_outcome="no_plan"), "fgc_before_care_on", "Enter the date the Family Group Conference was held"),
])
def test_a9_a_wrong_edge_of_care_fgc_is_refused_by_field_and_nothing_is_stored(council_with_pathway, more, field, words):
    db = council_with_pathway
    with pytest.raises(FormInvalid) as refused:
        _register(db, **more)
    assert words in " ".join(refused.value.errors[field])
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Child)) == 0


def test_a9_p11_the_registration_page_records_an_edge_of_care_fgc_and_keeps_what_was_typed(council_with_pathway):
    db = council_with_pathway
    app = make_app(db)
    app.config["PERMANENCE"] = replace(app.config["PERMANENCE"], process_id="permanence_pathway")
    at(date(2026, 3, 5))
    client = app.test_client()
    sign_in(client, "sw")
    form = {"reference": "C-10", "name": "Eve Edge", "date_of_birth-day": "1", "date_of_birth-month": "6",
            "date_of_birth-year": "2018", "legal_status": "s20", "looked_after_on-day": "2",
            "looked_after_on-month": "3", "looked_after_on-year": "2026", "team": "North", "social_worker": "sw",
            "fgc_before_care_on-day": "4", "fgc_before_care_on-month": "3", "fgc_before_care_on-year": "2026",
            "fgc_before_care_outcome": "no_plan"}
    refused = client.post("/children/new", data=form)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert 'href="#fgc_before_care_on-day"' in html
    assert "must be on or before the date the child became looked after" in html
    assert re.search(r'name="fgc_before_care_on-day"[^>]*value="4"', html)
    assert re.search(r'value="no_plan" checked', html) and re.search(r'name="reference"[^>]*value="C-10"', html)
    started = client.post("/children/new", data={**form, "fgc_before_care_on-day": "27",
                                                  "fgc_before_care_on-month": "2"})
    assert started.status_code == 302
    child_id = int(started.headers["Location"].rsplit("/", 1)[1])
    assert FGC not in {t["name"] for t in open_tasks(db, child_id=child_id)}
    # Left blank, the section is optional and the pathway asks for the FGC as ever.
    blank = {k: ("" if k.startswith("fgc_") else v) for k, v in form.items()}
    assert client.post("/children/new", data={**blank, "reference": "C-11"}).status_code == 302
    other = find_child(db, "C-11")
    assert FGC in {t["name"] for t in open_tasks(db, child_id=other)}


def test_h12_a9_the_demo_shows_an_fgc_missed_told_to_tom_and_one_held_at_the_edge_of_care(db):
    """Charlie (DEMO-003, 30 days in care) and Ethan (DEMO-005, 25 days) had no FGC: Tom, North's
    team manager, is told of each once. Bella (DEMO-002) had hers before coming into care."""
    from engine import publish
    from web.demo import load_demo
    from workflows.diagrams import load_directory
    from ..conftest import DIAGRAMS
    from .conftest import PROCESS
    publish(db, load_directory(DIAGRAMS, PROCESS), "tests")
    assert load_demo(db, PROCESS)
    told = {a["child_reference"] for a in ppm_action_views.inbox_actions(db, "tom.tm")["escalated"]
            if a["from"] == fgc_clock.FGC_SOURCE}
    assert {"DEMO-003", "DEMO-005"} <= told and "DEMO-002" not in told
    assert sweep(db).fgcs_escalated == 0                              # the worker's next sweep: once
    bella = find_child(db, "DEMO-002")
    assert FGC not in {t["name"] for t in open_tasks(db, child_id=bella)}
    with db.reading() as session:
        assert tracker_details.fgc(session, [bella])[bella][0] == "Held"


def test_a9_the_api_records_an_edge_of_care_fgc_and_refuses_a_later_one(council_with_pathway):
    from engine import tokens
    from engine.people import add_user
    from workflows import roles
    db = council_with_pathway
    with db.transaction() as session:
        add_user(session, "admin", "Admin", [roles.ADMINISTRATOR])
    token, _ = tokens.issue(db, "admin", name="north-case", roles=[roles.SOCIAL_WORKER],
                            scopes=list(tokens.SCOPES), teams=["North"])
    app = make_app(db)
    app.config["PERMANENCE"] = replace(app.config["PERMANENCE"], process_id="permanence_pathway")
    at(date(2026, 3, 5))
    client, headers = app.test_client(), {"Authorization": f"Bearer {token}"}
    late = client.post("/api/v1/children", headers=headers, json={
        **EDGE, "fgc_before_care_on": "2026-03-04", "fgc_before_care_outcome": "no_plan"})
    assert late.status_code == 422
    assert "on or before the date the child became looked after" in late.get_json()["errors"]["fgc_before_care_on"][0]
    made = client.post("/api/v1/children", headers=headers, json={
        **EDGE, "fgc_before_care_on": "2026-02-27", "fgc_before_care_outcome": "no_plan"})
    assert made.status_code == 201, made.get_data(as_text=True)
    assert FGC not in {t["name"] for t in made.get_json()["opened"]}
    assert FGC not in {t["name"] for t in open_tasks(db, child_id=made.get_json()["child_id"])}
