"""The Permanency Planning Meeting through the shipped diagrams, with a fixed clock: who comes
(A3, A4, C17), what it agrees becoming owned work that escalates when missed (A5), and the
voice of the child and family it records (C18, J1, J3, J5, J6). Runs on SQLite and PostgreSQL.

Alex became looked after on Monday 2 March 2026; the initial PPM is due 10 working days later
(R7: Monday 16 March) and is held on Monday 9 March.
"""
from datetime import date

import pytest
from sqlalchemy import select

from engine import FormInvalid, complete_task, deliver_event, ppm_action_views, ppm_actions
from engine.fgc_clock import FGC_SOURCE
from engine.people import add_user, ensure_team
from models import AuditEvent, OutboxEvent, PpmAction, TaskRecord
from workflows import roles

from .conftest import PPM_AREAS, Case, at

LOOKED_AFTER, BORN, HELD = date(2026, 3, 2), date(2018, 1, 10), date(2026, 3, 9)
TOLD = [{"who": "child", "told_on": "2026-03-09", "how": "Visit after the meeting"}]


def _fostering_team(db):
    """A fostering team practitioner and their team manager, in a team of their own."""
    with db.transaction() as session:
        team = ensure_team(session, "Fostering")
        add_user(session, "fp", "Fay Fostering", [roles.SOCIAL_WORKER], team)
        add_user(session, "ftm", "Fred Fostering-Manager", [roles.TEAM_MANAGER], team)


def _ppm(case, **answers):
    case.do("Hold the initial PPM", on=HELD, held_on=HELD, **{**PPM_AREAS, "reunification_discussed": True,
                                                              "plan_identified": False, **answers})


def _actions(db, child_id):
    with db.transaction() as session:
        return [(a.action, a.owner.username, a.due_on, a.status, a.escalated_to_team and a.escalated_to_team.name)
                for a in session.scalars(select(PpmAction).where(PpmAction.child_id == child_id,
                                                                 PpmAction.source != FGC_SOURCE)
                                         .order_by(PpmAction.id)).unique()]


def _missed(db, username):
    """The missed PPM actions escalated to a team manager (not the R6 FGC, never held here,
    which tests/scenarios/test_fgc_clock.py follows)."""
    return [a for a in ppm_action_views.inbox_actions(db, username)["escalated"] if a["from"] != FGC_SOURCE]


def test_a5_a_ppm_action_missed_is_escalated_to_its_owners_team_manager(council_with_pathway):
    db = council_with_pathway
    _fostering_team(db)
    case = Case.start(db, LOOKED_AFTER, BORN)
    _ppm(case, decisions_shared=TOLD, actions=[
        {"action": "Update the parenting assessment", "owner": "sw", "due_on": "2026-03-20"},
        {"action": "Find long-term foster carers", "owner": "fp", "due_on": "2026-03-27"}])
    # Each action is its owner's work, picked from staff: the fostering practitioner's too.
    assert _actions(db, case.child_id) == [
        ("Update the parenting assessment", "sw", date(2026, 3, 20), "open", None),
        ("Find long-term foster carers", "fp", date(2026, 3, 27), "open", None)]
    assert [a["action"] for a in ppm_action_views.inbox_actions(db, "fp")["owned"]] == ["Find long-term foster carers"]

    # Due Friday 20 March: not missed that evening ...
    assert case.sweep(date(2026, 3, 20), hour=18).actions_escalated == 0
    # ... but overdue from 00:00 on Saturday 21 March: escalated to sw's team manager (North).
    assert case.sweep(date(2026, 3, 21)).actions_escalated == 1
    assert case.sweep(date(2026, 3, 22)).actions_escalated == 0          # once, not every sweep
    [missed] = _missed(db, "tm")
    assert (missed["action"], missed["owner"], missed["status"]) == (
        "Update the parenting assessment", "Sw", "Escalated to the team manager")
    assert _missed(db, "ftm") == []

    # The team manager agrees a new date, Friday 3 April: the clock starts again.
    at(date(2026, 3, 23))
    with pytest.raises(FormInvalid) as refused:
        ppm_actions.answer_escalation(db, missed["id"], "tm", {"note": ""})
    assert refused.value.errors == {"note": ["Enter what you agreed with the owner"]}
    ppm_actions.answer_escalation(db, missed["id"], "tm", {"note": "Sam will finish it by Friday week",
                                                           "new_due_on": "2026-04-03"})
    assert _missed(db, "tm") == []

    # The fostering action, due Friday 27 March, is missed from Saturday 28 March: it goes to
    # the Fostering team's manager, not to North's.
    assert case.sweep(date(2026, 3, 28)).actions_escalated == 1
    assert [a["action"] for a in _missed(db, "ftm")] == ["Find long-term foster carers"]
    assert _missed(db, "tm") == []

    # Sam does the assessment on Thursday 2 April, before the new date: nothing more escalates.
    at(date(2026, 4, 2))
    ppm_actions.complete(db, missed["id"], "sw", {"done_on": "2026-04-02", "note": "Assessment updated"})
    assert case.sweep(date(2026, 4, 4)).actions_escalated == 0
    assert _actions(db, case.child_id) == [
        ("Update the parenting assessment", "sw", date(2026, 4, 3), "done", "North"),
        ("Find long-term foster carers", "fp", date(2026, 3, 27), "open", "Fostering")]
    with db.transaction() as session:
        kinds = [e.kind for e in session.scalars(select(AuditEvent).where(
            AuditEvent.child_id == case.child_id, AuditEvent.kind.like("ppm_action%")).order_by(AuditEvent.id))
                 if e.detail.get("rule") != "R6"]   # the FGC missed (test_fgc_clock.py)
        told = [e.payload for e in session.scalars(select(OutboxEvent).where(
            OutboxEvent.kind == "escalation", OutboxEvent.child_id == case.child_id))
                if "ppm_action_id" in e.payload and "(R6)" not in e.payload["reason"]]
    assert kinds == ["ppm_action_set", "ppm_action_set", "ppm_action_escalated",
                     "ppm_action_escalation_answered", "ppm_action_escalated", "ppm_action_done"]
    assert [t["owner"] for t in told] == ["sw", "fp"]


def test_a5_an_owner_is_picked_from_staff_never_typed(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, LOOKED_AFTER, BORN)
    at(HELD)
    task = case.task("Hold the initial PPM")
    answers = {**PPM_AREAS, "held_on": "2026-03-09", "reunification_discussed": True, "plan_identified": False,
               "actions": [{"action": "Book the FGC", "owner": "Sam from the fostering team", "due_on": "2026-03-20"}]}
    with pytest.raises(FormInvalid) as refused:
        complete_task(db, task["task_id"], answers, "sw")
    assert refused.value.errors == {"actions": {0: {"owner": ["Select the owner"]}}}


def test_a4_c17_the_childrens_guardian_is_required_once_proceedings_are_issued(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, LOOKED_AFTER, BORN)
    at(date(2026, 3, 4))
    deliver_event(db, case.child_id, "proceedings_issued", {"issued_on": "2026-03-04"}, "legal")
    at(HELD)
    task = case.task("Hold the initial PPM")
    base = {**PPM_AREAS, "held_on": "2026-03-09", "reunification_discussed": True, "plan_identified": False,
            "decisions_shared": TOLD}
    without = [i for i in PPM_AREAS["invited"] if i not in ("childrens_guardian", "iro")]
    with pytest.raises(FormInvalid) as refused:
        complete_task(db, task["task_id"], {**base, "invited": without, "complex_case": True}, "sw")
    assert refused.value.errors == {
        "invited": ["Invite the IRO", "Care proceedings have been issued: invite the Children's Guardian"],
        "chaired_by": ["The team manager chairs the meeting when the case is complex or contentious"]}   # A3
    case.do("Hold the initial PPM", **{**base, "invited": [*without, "iro", "childrens_guardian"],
                                       "attended": ["iro", "childrens_guardian", "fostering_team"],
                                       "attendee_names": "Ivy Reviewer (IRO), Gill Guardian"})
    [record] = [r for r in _records(db, case.child_id) if r["bpmn_id"] == "initial_ppm"]
    assert "childrens_guardian" in record["answers"]["attended"]


def test_a4_without_proceedings_the_guardian_is_not_needed(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, LOOKED_AFTER, BORN)
    invited = ["fostering_team", "adoption_team", "family_and_friends_team", "iro"]
    _ppm(case, invited=invited, decisions_shared=TOLD)
    assert "Hold the review PPM" in case.names()


def test_j1_j3_j5_j6_the_voice_is_required_and_an_untold_decision_becomes_an_action(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, LOOKED_AFTER, BORN)
    at(HELD)
    task = case.task("Hold the initial PPM")
    twin = {**PPM_AREAS, "held_on": "2026-03-09", "reunification_discussed": True, "plan_identified": True,
            "routes": ["reunification", "adoption"], "parallel_plan_explained": None,
            "wishes_and_feelings": "", "child_consulted_how": ""}
    with pytest.raises(FormInvalid) as refused:
        complete_task(db, task["task_id"], twin, "sw")
    # Every error at once: the fields' own (J1, J3) and the rule's beside them (J5: a twin-track
    # plan is explained to the parents).
    assert refused.value.errors == {
        "wishes_and_feelings": ["Enter the child's wishes and feelings"],                     # J1
        "child_consulted_how": ["Select how the child was consulted"],                          # J3
        "parallel_plan_explained": ["Say whether the parents have been told why a parallel plan is being made"]}
    twin.update(wishes_and_feelings="Wants to go home to mum.", child_consulted_how="direct_work")
    with pytest.raises(FormInvalid) as refused:
        complete_task(db, task["task_id"], twin, "sw")
    assert refused.value.errors == {   # J5 alone, once the voice is given
        "parallel_plan_explained": ["Say whether the parents have been told why a parallel plan is being made"]}
    case.do("Hold the initial PPM", **{**twin, "parallel_plan_explained": True})
    # J6: nobody was recorded as told, so the social worker must tell them within 5 working
    # days of Monday 9 March: by Monday 16 March.
    assert _actions(db, case.child_id) == [
        ("Tell the child, the family and the carers the decisions of the PPM, and record the date "
         "they were told", "sw", date(2026, 3, 16), "open", None)]
    # The action links to the PPM's record it was set in (its page links there), though
    # nothing had written that record yet when the action was made.
    with db.transaction() as session:
        assert session.execute(select(TaskRecord.bpmn_id).join(PpmAction, PpmAction.record_id == TaskRecord.id)
                               .where(PpmAction.child_id == case.child_id,
                                      PpmAction.source != FGC_SOURCE)).scalars().all() == ["initial_ppm"]


def _records(db, child_id):
    with db.transaction() as session:
        return [{"bpmn_id": r.bpmn_id, "answers": r.answers}
                for r in session.scalars(select(TaskRecord).where(TaskRecord.child_id == child_id))]


def test_a5_d8_j1_the_demo_shows_owned_actions_and_the_plans_content(db):
    from engine import find_child, publish
    from engine.plan import child_plan
    from web.demo import load_demo
    from workflows.diagrams import load_directory
    from ..conftest import DIAGRAMS
    from .conftest import PROCESS
    publish(db, load_directory(DIAGRAMS, PROCESS), "tests")
    assert load_demo(db, PROCESS)
    ethan = find_child(db, "DEMO-005")
    with db.transaction() as session:
        owners = {a.owner.username for a in session.scalars(select(PpmAction)).unique()}
        plan = child_plan(session, ethan)
    assert owners == {"asha.sw", "ben.sw", "cara.sw"}   # cara.sw: George's PPM (web/demo_routes.py)
    assert plan.content.objectives[0]["objective"] == "Secure a permanent home"
    assert plan.content.voice["wishes_and_feelings"].startswith("Wants to stay with the foster carers")
    assert "Update the parenting assessment" in [a["action"] for a in plan.actions]


def test_B22_adoption_considered_starts_the_adm_process_at_once(council_with_pathway):
    """DEV "attendees should ensure": when adoption is recognised as an option (here the
    contingency), an immediate action initiates the ADM's process: the social worker's, due 5
    working days after the PPM, once however many PPMs consider it."""
    from engine import ppm_action_views
    db = council_with_pathway
    case = Case.start(db, date(2026, 3, 2), date(2024, 5, 1), legal_status="ico")
    case.do("Hold the initial PPM", on=date(2026, 3, 9), held_on=date(2026, 3, 9),
            **{**PPM_AREAS, "contingency_plan": "Adoption"}, reunification_discussed=True,
            plan_identified=True, routes=["reunification"], adoption_considered=True)
    [action] = [a for a in ppm_action_views.inbox_actions(db, "sw")["owned"] if a["from"] == "Adoption considered"]
    # Mon 9 March + 5 working days: 10, 11, 12, 13, 16: Mon 16 March.
    assert action["due_on"] == date(2026, 3, 16)
    assert action["action"].startswith("Adoption is being considered: start the Agency Decision Maker's process now")
    case.do("Hold the review PPM", on=date(2026, 4, 20), held_on=date(2026, 4, 20), progress="Contact is inconsistent.",
            wishes_and_feelings="Too young to say.", change_of_plan_proposed=False, adoption_considered=True)
    assert len([a for a in ppm_action_views.inbox_actions(db, "sw")["owned"] if a["from"] == "Adoption considered"]) == 1
