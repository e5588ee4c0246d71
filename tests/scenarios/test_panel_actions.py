"""What the panel's actions start and who answers for them (issue 11 §4), through the real
diagrams with a fixed clock: each type of action opens its work (D18), a missed action is
escalated once to the Service Managers and the child is back at the next panel (H6, C6),
a delay escalated to a named senior manager (G8), advice to amend the plan (G9), and
Halton's follow-up chain (C8). Row ids of SEEDS-COVERAGE.md are in the test names."""
from datetime import date

import pytest
from sqlalchemy import select

from engine import FormInvalid, NotAllowed, complete_task, inbox, reporting
from engine import ppm_action_views, ppm_actions
from engine.panel_business import panel_alerts
from engine.panel_pack import child_pack
from engine.people import add_user, ensure_team
from engine.views import task_page
from models import HumanTask, User
from workflows import local_settings, roles

from ..conftest import council_settings
from .conftest import PPM_AREAS, Case, at

PANEL = date(2026, 4, 16)   # a Thursday


@pytest.fixture(autouse=True)
def bcp_by_default(monkeypatch):
    monkeypatch.delenv("PERMANENCE_LOCAL_SETTINGS", raising=False)
    local_settings._overrides.cache_clear()
    yield
    local_settings._overrides.cache_clear()


def _child(db, reference="C-1", routes=("long_term_fostering",)):
    case = Case.start(db, date(2026, 3, 2), date(2015, 1, 1), legal_status="co", reference=reference)
    case.do("Hold the initial PPM", on=date(2026, 3, 9), held_on=date(2026, 3, 9), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=list(routes))
    return case


def _panel(case, actions, **outcome):
    case.do("Record the first Permanence Panel outcome", on=PANEL, panel_held_on=PANEL,
            recommendation="Progress the plan without delay.", legal_advice_needed=False, **outcome)
    case.do("Record the panel actions", on=date(2026, 4, 17), actions=actions)


def _owners(db, bpmn_id):
    with db.reading() as session:
        return sorted(session.scalars(select(User.username).join(HumanTask, HumanTask.assignee_id == User.id)
                                      .where(HumanTask.bpmn_id == bpmn_id, HumanTask.status == "open")))


def _rows(db, username, name):
    return [r for s in inbox(db, username).sections for r in s.rows if r["name"] == name]


def test_D18_each_action_type_opens_its_work_and_the_owner_keeps_their_task(council_with_pathway):
    db = council_with_pathway
    case = _child(db)
    _panel(case, [
        {"type": "convene_ppm", "action": "PPM to agree the plan for the sibling group", "owner": "tm", "due_on": "2026-05-07"},
        {"type": "convene_cla_review", "action": "Additional review of the care plan", "owner": "iro", "due_on": "2026-05-14"},
        {"type": "dispute_resolution", "action": "Raise the drift in the plan with the team", "owner": "iro", "due_on": "2026-04-30"},
        {"type": "request_assessment", "action": "Sibling assessment", "owner": "tm", "due_on": "2026-05-21"},
    ])
    # BCP §6 i: a PPM for the child, the social worker's, by the action's due date.
    assert case.due("Hold the PPM the panel asked for") == (date(2026, 5, 7), "R12")
    assert case.task("Hold the PPM the panel asked for")["lane"] == "Social Worker"
    # BCP §6 iii: an additional CLA review and dispute resolution, the IRO's.
    assert case.task("Hold the additional CLA review the panel asked for")["lane"] == "IRO"
    assert case.due("Hold the additional CLA review the panel asked for") == (date(2026, 5, 14), "R12")
    assert case.task("Start dispute resolution: the panel asked")["lane"] == "IRO"
    assert case.due("Start dispute resolution: the panel asked") == (date(2026, 4, 30), "R12")
    # BCP §6 iv: the assessment request (C12's machinery): the social worker's, due as set.
    owned = [a for a in ppm_action_views.inbox_actions(db, "sw")["owned"] if a["from"] == "Assessment requested"]
    assert [(a["from"], a["action"], a["due_on"]) for a in owned] == [
        ("Assessment requested", "Assessment asked for by the Permanence Panel on 16 April 2026: Sibling assessment",
         date(2026, 5, 21))]
    # Every owner still has their own action task (P6).
    assert _owners(db, "complete_panel_action") == ["iro", "iro", "tm", "tm"]
    assert len(_rows(db, "iro", "Complete the panel action")) == 2
    # The work started is done on its own forms and kept on the child's record.
    case.do("Hold the PPM the panel asked for", on=date(2026, 5, 6), held_on=date(2026, 5, 6),
            progress="Plan agreed for both children.", change_of_plan_proposed=False,
            wishes_and_feelings="Wants to stay together.")
    case.do("Start dispute resolution: the panel asked", on=date(2026, 4, 28), raised_on=date(2026, 4, 28),
            raised_with="Tina Manager, Team Manager")
    assert "Hold the PPM the panel asked for" not in case.names()
    assert "Start dispute resolution: the panel asked" not in case.names()
    # The PPM the panel asked for is the child's latest PPM in the next panel's papers.
    pack = child_pack(db, case.child_id, "chair", "tests")
    assert pack.latest_ppm[0]["task_name"] == "Hold the PPM the panel asked for"
    assert "Hold the additional CLA review the panel asked for" in case.names()


def test_D18_actions_of_other_types_start_nothing_more(council_with_pathway):
    case = _child(council_with_pathway)
    _panel(case, [{"type": "support", "action": "Support the carers", "owner": "sw", "due_on": "2026-05-07"}])
    assert {n for n in case.names() if "panel asked" in n} == set()
    assert [a for a in ppm_action_views.inbox_actions(council_with_pathway, "sw")["owned"]
            if a["from"] == "Assessment requested"] == []


def test_H6_C6_a_missed_action_is_escalated_once_to_the_service_manager_and_back_at_the_next_panel(council_with_pathway):
    db = council_with_pathway
    case = _child(db, "L-1", routes=("adoption",))
    _panel(case, [{"type": "support", "action": "Sibling assessment", "owner": "sw", "due_on": "2026-05-14"}])
    case.sweep(date(2026, 5, 14), hour=23)
    assert "Escalate: panel action missed" not in case.names()
    # Overdue from 00:00 the day after: the Service Manager's task, with the child, the
    # action and its due date, due the council's escalation working days later.
    case.sweep(date(2026, 5, 15), hour=1)
    [task] = _rows(db, "sm", "Escalate: panel action missed")
    assert task["lane"] == "Service Manager" and task["child_name"] == "Alex Example"
    assert task_page(db, task["task_id"], "sm").task["instructions"] == (
        "A panel action for Alex Example was due on 14 May 2026 and is not done: Sibling assessment "
        "(owner: Sw). Alex Example returns to the next panel for their cohort. Agree with the owner "
        "when it will be done and record what you did.")
    assert not _rows(db, "sw", "Escalate: panel action missed")
    # Raised once: later sweeps raise no second escalation.
    case.sweep(date(2026, 5, 20))
    assert len([t for t in case.open() if t[0] == "Escalate: panel action missed"]) == 1
    # The child is back at the next panel (21 May) with the missed action.
    agenda = reporting.panel(db, "chair", date(2026, 5, 21))
    [row] = [c for cohort in agenda.cohorts for c in cohort.children]
    assert row["reference"] == "L-1" and [a["due_on"] for a in row["missed_actions"]] == [date(2026, 5, 14)]
    # The Service Manager answers with what they did; the owner's task stays open.
    case.do("Escalate: panel action missed", on=date(2026, 5, 20), agreed_date=date(2026, 5, 28),
            action_taken="Agreed with the social worker: assessment by 28 May.")
    assert "Escalate: panel action missed" not in case.names()
    assert case.due("Complete the panel action") == (date(2026, 5, 14), "R12")
    case.sweep(date(2026, 6, 1))
    assert "Escalate: panel action missed" not in case.names()


def test_H6_an_action_done_on_time_is_never_escalated(council_with_pathway):
    case = _child(council_with_pathway)
    _panel(case, [{"type": "support", "action": "Life story work", "owner": "sw", "due_on": "2026-05-14"}])
    case.do("Complete the panel action", on=date(2026, 5, 13), completed_on=date(2026, 5, 13), notes="Done.")
    case.sweep(date(2026, 5, 20))
    assert "Escalate: panel action missed" not in case.names()


def test_G8_the_panel_escalates_delay_to_a_named_senior_manager_whose_task_it_is(council_with_pathway):
    db = council_with_pathway
    with db.transaction() as session:
        add_user(session, "sm2", "Sam Second", [roles.SERVICE_MANAGER], None)
    case = _child(db)
    _panel(case, [], delay_factors="The viability assessment of the aunt has waited 10 weeks.",
           delay_escalated_to="hos")
    task = case.task("Act on the delay the panel escalated")
    assert task["lane"] == "Head of Service" and case.due("Act on the delay the panel escalated")[1] == "R12"
    assert [r["task_id"] for r in _rows(db, "hos", "Act on the delay the panel escalated")] == [task["task_id"]]
    assert task_page(db, task["task_id"], "hos").task["instructions"].startswith(
        "The Permanence Panel on 16 April 2026 escalated delay for Alex Example to you: The viability "
        "assessment of the aunt has waited 10 weeks.")
    case.do("Act on the delay the panel escalated", on=date(2026, 4, 20), agreed_date=date(2026, 5, 1),
            action_taken="Commissioned an independent viability assessment.")
    assert "Act on the delay the panel escalated" not in case.names()


def test_G8_a_named_service_manager_and_only_a_senior_manager(council_with_pathway):
    db = council_with_pathway
    with db.transaction() as session:
        add_user(session, "sm2", "Sam Second", [roles.SERVICE_MANAGER], None)
    case = _child(db)
    at(PANEL)
    outcome = case.task("Record the first Permanence Panel outcome")
    answers = {"panel_held_on": "2026-04-16", "recommendation": "Progress.", "legal_advice_needed": False,
               "delay_factors": "Court timetable slipping.", "delay_escalated_to": "sw"}
    with pytest.raises(FormInvalid) as raised:
        complete_task(db, outcome["task_id"], answers, "chair")
    assert raised.value.errors == {"delay_escalated_to": [
        "Sw is not a Head of Service or Service Manager: select a senior manager"]}
    with pytest.raises(FormInvalid) as raised:
        complete_task(db, outcome["task_id"], {**answers, "delay_escalated_to": "sm2", "delay_factors": ""}, "chair")
    assert "delay_factors" in raised.value.errors
    assert complete_task(db, outcome["task_id"], {**answers, "delay_escalated_to": "sm2"}, "chair").error is None
    task = case.task("Act on the delay the panel escalated")
    assert task["lane"] == "Service Manager"
    # Named: it is Sam Second's (the other Service Manager sees the lane, Sam has it as theirs).
    assert _owners(db, "delay_escalation_sm") == ["sm2"]
    # A later panel that escalates nothing opens no second escalation.
    case.do("Record the panel actions", on=date(2026, 4, 17), actions=[])
    case.do("Record the Permanence Panel review", on=date(2026, 7, 16), panel_held_on=date(2026, 7, 16),
            recommendation="Progress.", legal_advice_needed=False)
    assert len([t for t in case.open() if t[0] == "Act on the delay the panel escalated"]) == 1


def test_G9_the_panel_advises_amending_the_plan_and_the_change_of_plan_review_opens(council_with_pathway):
    db = council_with_pathway
    case = _child(db)
    _panel(case, [], plan_amendment_advised=True,
           plan_amendment_advice="Long-term fostering is not progressing: consider a Special Guardianship assessment of the aunt.")
    # The team manager reviews it with the social worker: 10 working days (R5) from Thu 16 April.
    assert case.due("Review the change of plan the panel advised") == (date(2026, 4, 30), "R5")
    assert case.task("Review the change of plan the panel advised")["lane"] == "Team Manager"
    case.do("Review the change of plan the panel advised", on=date(2026, 4, 28),
            change_reviewed_on=date(2026, 4, 28), change_agreed=False, comments="Keep the plan; review in 6 weeks.")
    assert "Review the change of plan the panel advised" not in case.names()
    # An outcome that does not advise it opens nothing.
    other = _child(db, "C-2")
    _panel(other, [], plan_amendment_advised=False)
    assert "Review the change of plan the panel advised" not in other.names()


def test_G9_an_agreed_change_the_panel_advised_is_proposed_at_the_next_review_ppm_and_changes_the_plan(council_with_pathway):
    """The panel advises, the team manager agrees, and the plan changes where plans change:
    the next review PPM opens proposing it, and the IRO's review (R5) moves the routes."""
    from engine.ppm_carry import last_ppm_areas
    db = council_with_pathway
    case = _child(db)
    _panel(case, [], plan_amendment_advised=True,
           plan_amendment_advice="Long-term fostering is not progressing: assess the aunt for Special Guardianship.")
    # Before the team manager agrees, the next PPM proposes nothing.
    assert "change_of_plan_proposed" not in last_ppm_areas(db, case.child_id, "sw")
    case.do("Review the change of plan the panel advised", on=date(2026, 4, 20), change_reviewed_on=date(2026, 4, 20),
            change_agreed=True, new_routes=["family_and_friends"], comments="Agreed with the social worker")
    carried = last_ppm_areas(db, case.child_id, "sw")
    assert carried["change_of_plan_proposed"] is True
    assert carried["proposed_change"] == (
        "The Permanence Panel advised: Long-term fostering is not progressing: assess the aunt for Special "
        "Guardianship. The team manager agreed on 20 April 2026: new route Family and friends "
        "(Agreed with the social worker).")
    # The review PPM (6 weeks after 9 March: 20 April) holds it; the IRO reviews the change
    # within 10 working days (R5) and the routes restart with the new plan.
    case.do("Hold the review PPM", on=date(2026, 4, 20), held_on=date(2026, 4, 20), progress="See the panel's advice.",
            wishes_and_feelings="Wants to live with her aunt.", change_of_plan_proposed=True,
            proposed_change=carried["proposed_change"])
    assert case.task("Review the proposed change of plan")["lane"] == "IRO"
    case.do("Review the proposed change of plan", on=date(2026, 4, 24), change_reviewed_on=date(2026, 4, 24),
            change_agreed=True, new_routes=["family_and_friends"])
    assert case.position.route == "family_and_friends"
    # Once a PPM has been held since, the advice is spent: the next PPM proposes nothing.
    assert "change_of_plan_proposed" not in last_ppm_areas(db, case.child_id, "sw")


def _halton(monkeypatch, tmp_path):
    council_settings(monkeypatch, tmp_path, {"panel": {"council": "halton", "dates": {"2026-04-16": ["no_plan"]}}})


def test_C8_halton_follow_up_chain_practice_lead_then_irm_then_divisional_manager(council_with_pathway, monkeypatch, tmp_path):
    _halton(monkeypatch, tmp_path)
    db = council_with_pathway
    with db.transaction() as session:
        north = ensure_team(session, "North")
        add_user(session, "pl", "Pat Lead", [roles.PRACTICE_LEAD], north)
    case = _child(db)
    _panel(case, [{"type": "support", "action": "Life story work", "owner": "sw", "due_on": "2026-05-14"},
                  {"type": "support", "action": "Carer support plan", "owner": "tm", "due_on": "2026-05-28"}])
    # The Practice Lead follows up, by the last action's due date.
    assert case.task("Follow up the panel's actions")["lane"] == "Practice Lead"
    assert case.due("Follow up the panel's actions") == (date(2026, 5, 28), "R12")
    [row] = _rows(db, "pl", "Follow up the panel's actions")
    at(date(2026, 5, 29))
    # Only the Practice Lead's (and not the team manager's, as the team has a Practice Lead).
    with pytest.raises(NotAllowed):
        complete_task(db, row["task_id"], {"followed_up_on": "2026-05-29", "follow_up": "x"}, "tm")
    assert complete_task(db, row["task_id"], {"followed_up_on": "2026-05-29", "follow_up":
                         "Life story work done; carer support plan agreed."}, "pl").error is None
    # The IRM (Halton's IRO) reviews, then the Divisional Manager (Senior Manager) is told.
    assert case.task("Review the follow-up of the panel's actions")["lane"] == "IRO"
    case.do("Review the follow-up of the panel's actions", on=date(2026, 6, 1), reviewed_on=date(2026, 6, 1),
            irm_review="Both actions complete.", concerns=False)
    task = case.task("Note the panel's actions and their review")
    assert task["lane"] == "Senior Manager"
    assert "followed up by the Practice Lead (Life story work done; carer support plan agreed.) and reviewed by the IRM " \
           "(Both actions complete.)" in task_page(db, task["task_id"], "senior").task["instructions"]
    case.do("Note the panel's actions and their review", on=date(2026, 6, 2), noted_on=date(2026, 6, 2))
    assert not {n for n in case.names() if "panel's actions" in n}


def test_C8_without_a_practice_lead_the_team_manager_follows_up(council_with_pathway, monkeypatch, tmp_path):
    _halton(monkeypatch, tmp_path)
    db = council_with_pathway
    case = _child(db)
    _panel(case, [{"type": "support", "action": "Life story work", "owner": "sw", "due_on": "2026-05-14"}])
    assert case.task("Follow up the panel's actions")["lane"] == "Team Manager"
    case.do("Follow up the panel's actions", on=date(2026, 5, 15), followed_up_on=date(2026, 5, 15),
            follow_up="Done.")
    assert "Review the follow-up of the panel's actions" in case.names()


def test_C8_bcp_has_no_follow_up_chain(council_with_pathway):
    assert local_settings.panel().follow_up_chain is False
    case = _child(council_with_pathway)
    _panel(case, [{"type": "support", "action": "Life story work", "owner": "sw", "due_on": "2026-05-14"}])
    assert "Follow up the panel's actions" not in case.names()


def test_C7_the_practice_lead_is_copied_into_the_invitation_and_attends_if_the_social_worker_cannot(council_with_pathway):
    db = council_with_pathway
    with db.transaction() as session:
        add_user(session, "pl", "Pat Lead", [roles.PRACTICE_LEAD], ensure_team(session, "North"))
        add_user(session, "pl_south", "Sue South", [roles.PRACTICE_LEAD], ensure_team(session, "South"))
    _child(db, "R-1", routes=("reunification",))
    at(date(2026, 6, 26))          # two weeks before the panel on 9 July (reunification's week)
    [alert] = [a for a in panel_alerts(db, "pl") if a.kind == "invitation"]
    assert alert.text == ("Alex Example is on the Permanence Panel on Thursday 9 July 2026 (Plan of "
                          "reunification): Sw to attend, you are copied and attend if the social worker cannot")
    [alert] = [a for a in panel_alerts(db, "sw") if a.kind == "invitation"]
    assert alert.text.endswith("you to attend, the Practice Lead and team manager copied")
    assert panel_alerts(db, "pl_south") == []      # another team's Practice Lead: not theirs


def test_H14_a_ppm_escalates_delay_factors_to_a_named_senior_manager_as_their_action(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2026, 3, 2), date(2015, 1, 1), legal_status="co")
    at(date(2026, 3, 9))
    task = case.task("Hold the initial PPM")
    answers = {"held_on": "2026-03-09", **PPM_AREAS, "reunification_discussed": True, "plan_identified": True,
               "routes": ["long_term_fostering"], "delay_escalated_to": "tm",
               "delay_factors": "No fostering panel date until June."}
    with pytest.raises(FormInvalid) as raised:
        complete_task(db, task["task_id"], answers, "sw")
    assert raised.value.errors == {"delay_escalated_to": [
        "Tm is not a Head of Service, Senior Manager or Service Manager: select a senior manager"]}
    assert complete_task(db, task["task_id"], {**answers, "delay_escalated_to": "senior"}, "sw").error is None
    # The Senior Manager's action, due the council's escalation working days later (Wed 11 March).
    [action] = ppm_action_views.inbox_actions(db, "senior")["owned"]
    assert (action["from"], action["due_on"]) == ("Delay escalated by a PPM", date(2026, 3, 11))
    assert action["action"] == ("The PPM on 9 March 2026 escalated what may delay permanence: No fostering "
                                "panel date until June. Record what you have done.")
    at(date(2026, 3, 10))
    ppm_actions.complete(db, action["id"], "senior", {"done_on": "2026-03-10", "note": "Extra panel date booked."})
    assert ppm_action_views.inbox_actions(db, "senior")["owned"] == []


def test_C8_follow_up_chain_is_a_council_setting():
    from workflows.panel_settings import PanelSettingError, parse
    assert parse({"council": "halton", "dates": {"2026-04-16": []}}).follow_up_chain is True
    assert parse({"council": "bcp"}).follow_up_chain is False
    assert parse({"council": "bcp", "follow_up_chain": True}).follow_up_chain is True
    with pytest.raises(PanelSettingError, match="panel.follow_up_chain must be true or false"):
        parse({"follow_up_chain": "yes"})
