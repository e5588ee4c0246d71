"""`engine.deliver_event` on both databases: a case event is checked against the case,
recorded with the placement history, heard by the diagram steps that listen for it,
kept as facts and audited; bad input is refused per field with nothing written; two events
at once for one child both land (D22, D23, E4, F1, P13)."""
import threading
from datetime import date

import pytest
from sqlalchemy import event, func, select

from engine import FormInvalid, NotAllowed, NotFound, deliver_event
from engine.case_events import placements
from engine.people import add_user, ensure_team
from models import AuditEvent, CaseEvent, PathwayInstance, Placement
from workflows import roles

from ..scenarios.conftest import Case, at, make_pathway_council
from .helpers import instance_row


@pytest.fixture
def council(db):
    return make_pathway_council(db)


def _start(db, status="co", born=date(2018, 6, 1), reference="C-1"):
    return Case.start(db, date(2026, 3, 2), born, legal_status=status, reference=reference)


def _counts(db):
    with db.transaction() as s:
        return (s.scalar(select(func.count()).select_from(CaseEvent)),
                s.scalar(select(func.count()).select_from(Placement)),
                s.scalar(select(func.count()).where(AuditEvent.kind == "case_event")))


@pytest.mark.parametrize("kind, data, field, message", [
    ("adopted_abroad", {}, "kind", "There is no case event 'adopted_abroad'"),
    ("proceedings_issued", {"issued_on": "2026-02-27"}, "issued_on",
     "Date proceedings were issued must be on or after Alex Example became looked after (2 March 2026)"),
    ("proceedings_issued", {"issued_on": "2026-03-11"}, "issued_on",
     "Date proceedings were issued must be today or in the past"),
    ("proceedings_issued", {"issued_on": "10/03/2026"}, "issued_on",
     "Date proceedings were issued must be a real date, like 2026-03-02"),
    ("legal_status_changed", {"legal_status": "pwp", "changed_on": "2026-03-09"}, "legal_status",
     "Placed with parents under a care order cannot follow Accommodated under section 20"),
    ("legal_status_changed", {"legal_status": "co", "changed_on": "2026-03-09"}, "legal_status",
     "A care order is made in care proceedings: record the proceedings issued for Alex Example first"),
    ("legal_status_changed", {"legal_status": "s20", "changed_on": "2026-03-09"}, "legal_status",
     "Alex Example is already: Accommodated under section 20"),
    ("returned_home", {"returned_on": "2026-03-09", "carers": "Mum", "area": "local"}, "returned_on",
     "a placement with parents is made under a care order or interim care order"),
    ("found", {"found_on": "2026-03-09"}, "found_on", "Alex Example is not recorded as missing"),
    ("disruption", {"disrupted_on": "2026-03-09", "reason": "x"}, "disrupted_on",
     "No current placement is recorded for Alex Example"),
    ("placement_changed", {"placement_type": "hotel", "started_on": "2026-03-09", "area": "far"},
     "placement_type", "Select the type of placement"),
])
def test_D22_bad_events_are_refused_by_field_and_nothing_is_written(council, kind, data, field, message):
    case = _start(council, status="s20", born=date(2014, 1, 1))
    at(date(2026, 3, 10))
    before = instance_row(council, case.instance_id)
    with pytest.raises(FormInvalid) as caught:
        deliver_event(council, case.child_id, kind, data, "sw")
    assert any(message in text for text in caught.value.errors[field]), caught.value.errors
    assert caught.value.data == data
    after = instance_row(council, case.instance_id)
    assert (after.version, after.facts, after.state) == (before.version, before.facts, before.state)
    assert _counts(council) == (0, 0, 0)


def test_D23_E4_placements_are_kept_as_a_history(council):
    case = _start(council)
    at(date(2026, 4, 1))
    deliver_event(council, case.child_id, "placement_changed", {
        "placement_type": "in_house_foster", "carers": "Jo and Sam Carer", "area": "local",
        "started_on": "2026-03-02"}, "sw")
    deliver_event(council, case.child_id, "placement_changed", {
        "placement_type": "ifa", "carers": "Pat Carer", "area": "out_of_area",
        "started_on": "2026-03-20"}, "sw")
    with pytest.raises(FormInvalid) as caught:   # before the current placement began
        deliver_event(council, case.child_id, "placement_changed", {
            "placement_type": "kinship", "carers": "Gran", "area": "local", "started_on": "2026-03-10"}, "sw")
    assert caught.value.errors["started_on"] == [
        "Date the placement began must be on or after the current placement began (20 March 2026)"]
    deliver_event(council, case.child_id, "disruption", {"disrupted_on": "2026-03-30",
                                                         "reason": "Carer ill"}, "tm")
    assert [(p["placement_type"], p["area"], p["started_on"], p["ended_on"], p["end_reason"])
            for p in placements(council, case.child_id, "sw")] == [
        ("ifa", "out_of_area", date(2026, 3, 20), date(2026, 3, 30), "disruption"),
        ("in_house_foster", "local", date(2026, 3, 2), date(2026, 3, 20), "moved")]
    facts = instance_row(council, case.instance_id).facts
    assert (facts["placement_type"], facts["placement_area"], facts["last_disruption_on"]) == (
        "ifa", "out_of_area", "2026-03-30")


def test_missing_and_found_are_facts_and_audited(council):
    case = _start(council)
    at(date(2026, 3, 12))
    deliver_event(council, case.child_id, "missing", {"missing_on": "2026-03-11"}, "sw")
    assert instance_row(council, case.instance_id).facts["missing_since"] == "2026-03-11"
    with pytest.raises(FormInvalid):
        deliver_event(council, case.child_id, "missing", {"missing_on": "2026-03-12"}, "sw")
    deliver_event(council, case.child_id, "found", {"found_on": "2026-03-12", "details": "At a friend's"}, "sw")
    facts = instance_row(council, case.instance_id).facts
    assert (facts["missing_since"], facts["last_found_on"]) == (None, "2026-03-12")
    with council.transaction() as s:
        audits = s.scalars(select(AuditEvent).where(AuditEvent.kind == "case_event")
                           .order_by(AuditEvent.id)).all()
    assert [(a.actor_name, a.detail["event"], a.detail["occurred_on"]) for a in audits] == [
        ("Sw", "missing", "2026-03-11"), ("Sw", "found", "2026-03-12")]


def test_only_casework_roles_who_may_act_on_the_child(council):
    case = _start(council)
    with council.transaction() as s:
        add_user(s, "south_sw", "South Worker", [roles.SOCIAL_WORKER], ensure_team(s, "South"))
        add_user(s, "owner", "Owner", [roles.PROCESS_OWNER])
    data = {"missing_on": "2026-03-02"}
    with pytest.raises(NotFound):
        deliver_event(council, case.child_id, "missing", data, "south_sw")
    with pytest.raises(NotFound):
        deliver_event(council, case.child_id, "missing", data, "owner")
    assert _counts(council) == (0, 0, 0)


def test_F1_an_order_made_is_entered_once_and_the_status_follows(council):
    case = _start(council, status="ico")
    at(date(2026, 3, 4))
    delivered = deliver_event(council, case.child_id, "proceedings_issued", {"issued_on": "2026-03-03"}, "legal")
    assert delivered.caught_by == ["issued_as_event"]
    assert delivered.closed == ["Record care proceedings issued"]
    at(date(2026, 6, 1))
    delivered = deliver_event(council, case.child_id, "legal_status_changed",
                              {"legal_status": "sgo", "changed_on": "2026-05-29"}, "legal")
    assert delivered.caught_by == ["order_made_as_event"]
    # The final order ends the proceedings, and with them the entry Legal Gateway Meeting the
    # test never held (A10: an ICO entry goes to the LGM).
    assert delivered.closed == ["Hold the Legal Gateway Meeting: entry on an interim or emergency order",
                                "Record the final hearing or an extension"]
    facts = instance_row(council, case.instance_id).facts
    assert (facts["legal_status"], facts["order_type"], facts["order_made_on"]) == ("sgo", "sgo", "2026-05-29")
    with pytest.raises(FormInvalid) as caught:     # nothing follows a special guardianship order
        deliver_event(council, case.child_id, "legal_status_changed",
                      {"legal_status": "sgo", "changed_on": "2026-05-30"}, "legal")
    assert caught.value.errors["legal_status"] == ["Alex Example is already: Special guardianship order"]


def test_two_events_at_once_for_one_child_both_land(pg_db):
    """Both read the pathway; the version column makes one of them start again, and it checks
    its event against the case as the other left it: no lost fact, no half-written row."""
    council = make_pathway_council(pg_db)
    case = _start(council)
    at(date(2026, 3, 12))
    barrier = threading.Barrier(2, timeout=20)
    waited = set()

    def wait_for_each_other(session, flush_context, instances):
        me = threading.get_ident()
        if me not in waited and any(isinstance(o, PathwayInstance) for o in session.dirty):
            waited.add(me)
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass

    events = {
        "placement_changed": {"placement_type": "kinship", "carers": "Gran", "area": "local",
                              "started_on": "2026-03-10"},
        "missing": {"missing_on": "2026-03-11"},
    }
    results = {}

    def attempt(kind):
        try:
            results[kind] = deliver_event(council, case.child_id, kind, events[kind], "sw").event_id
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            results[kind] = repr(exc)

    event.listen(council.sessions, "before_flush", wait_for_each_other)
    try:
        threads = [threading.Thread(target=attempt, args=(k,)) for k in events]
        [t.start() for t in threads]
        [t.join(60) for t in threads]
    finally:
        event.remove(council.sessions, "before_flush", wait_for_each_other)
    assert all(isinstance(v, int) for v in results.values()), results
    facts = instance_row(council, case.instance_id).facts
    assert (facts["placement_type"], facts["missing_since"]) == ("kinship", "2026-03-11")
    assert _counts(council) == (2, 1, 2)
