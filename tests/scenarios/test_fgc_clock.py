"""R6 (A8, B24, H12): a Family Group Conference not held by its target date is escalated once
to the child's team manager, through the real diagram, the real sweep and a fixed clock.

Dates by hand: looked after Monday 2 March 2026; 10 working days on (no bank holidays in
March 2026) is Monday 16 March 2026, the FGC's due date. It is missed from 00:00 on
Tuesday 17 March.
"""
from datetime import date

import pytest
from sqlalchemy import select

from engine import FormInvalid, NotAllowed, fgc_clock, ppm_actions
from engine.sweep import sweep
from models import AuditEvent, OutboxEvent, PpmAction

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
    assert ppm_actions.inbox_actions(db, "tm")["escalated"] == []
    # ... but from Tuesday 17 March the team manager (North's, "tm") is told, once.
    assert case.sweep(date(2026, 3, 17)).fgcs_escalated == 1
    assert case.sweep(date(2026, 3, 18)).fgcs_escalated == 0
    assert case.sweep(date(2026, 3, 18)).actions_escalated == 0   # not again as a PPM action
    [alert] = ppm_actions.inbox_actions(db, "tm")["escalated"]
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
    assert ppm_actions.inbox_actions(db, "tm")["escalated"] == []
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
