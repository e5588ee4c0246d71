"""The Permanence Panel as the councils run it (issue 11), through the real diagrams with a
fixed clock: BCP's five-week rotation, a Halton themed panel on its own date, the papers
deadline, a missed action coming back to the next panel, and the interval the panel sets.
Row ids of ../shared/domain/SEEDS-COVERAGE.md are in the test names."""
from datetime import date

import pytest

from engine import FormInvalid, complete_task, tokens, deliver_event, inbox, open_tasks, reporting
from engine.panel_business import panel_alerts
from engine.form_choices import staff_choices
from engine.views import task_page
from engine.people import add_user, ensure_team
from workflows import local_settings, roles

from ..conftest import council_settings
from .conftest import PPM_AREAS, Case, at


@pytest.fixture(autouse=True)
def bcp_by_default(monkeypatch):
    """The shipped settings (BCP) unless a test names a council's own."""
    monkeypatch.delenv("PERMANENCE_LOCAL_SETTINGS", raising=False)
    local_settings._overrides.cache_clear()
    yield
    local_settings._overrides.cache_clear()


def _ppm(case, on, routes):
    case.do("Hold the initial PPM", on=on, held_on=on, **PPM_AREAS, reunification_discussed=True,
            plan_identified=True, routes=routes)


def _agenda(db, day):
    at(day)
    agenda = reporting.panel(db, "chair", day)
    return {c.title: sorted(child["reference"] for child in c.children) for c in agenda.cohorts}


def test_B18_B19_G1_G10_P8_a_five_week_bcp_rotation_one_cohort_a_week(council_with_pathway):
    db = council_with_pathway
    looked_after, born = date(2026, 3, 2), date(2015, 1, 1)
    s20 = Case.start(db, looked_after, born, legal_status="s20", reference="S-1")
    pwp = Case.start(db, looked_after, born, legal_status="pwp", reference="P-1")
    reunify = Case.start(db, looked_after, born, legal_status="co", reference="R-1")
    ltf = Case.start(db, looked_after, born, legal_status="co", reference="L-1")
    Case.start(db, looked_after, born, legal_status="co", reference="N-1")
    _ppm(s20, date(2026, 3, 9), ["long_term_fostering"])
    _ppm(reunify, date(2026, 3, 9), ["reunification"])
    _ppm(ltf, date(2026, 3, 9), ["long_term_fostering"])
    # The rotation counts weeks from Thursday 1 January 2026: 25 June is week 25, and
    # 25 mod 5 = 0, the first cohort. One cohort a week, in BCP §5's order, then round again.
    weeks = {
        date(2026, 6, 25): ("Section 20 beyond 12 weeks, aged 16 or under, not endorsed by a Legal Gateway Meeting", ["S-1"]),
        date(2026, 7, 2): ("Placed with parents under a care order", ["P-1"]),
        date(2026, 7, 9): ("Plan of reunification", ["R-1"]),
        date(2026, 7, 16): ("Not yet long-term matched with their foster carers", ["L-1", "S-1"]),
        date(2026, 7, 23): ("No permanence plan, or a plan recorded as other", ["N-1", "P-1"]),
        date(2026, 7, 30): ("Section 20 beyond 12 weeks, aged 16 or under, not endorsed by a Legal Gateway Meeting", ["S-1"]),
    }
    for day, (title, children) in weeks.items():
        assert _agenda(db, day) == {title: children}, day
    agenda = reporting.panel(db, "chair", date(2026, 7, 30))
    # BCP §4: the agenda goes out on the Monday afternoon before.
    assert agenda.agenda_sent_on == date(2026, 7, 27) and agenda.cohorts[0].number == 1


def test_C10_G3_B14_a_halton_themed_panel_on_its_own_date(council_with_pathway, monkeypatch, tmp_path):
    council_settings(monkeypatch, tmp_path, {"panel": {"council": "halton", "dates": {
        "2026-07-14": ["residential", "unregulated"], "2026-08-11": ["s20", "no_plan"]}}})
    db = council_with_pathway
    born = date(2012, 4, 4)
    home = Case.start(db, date(2026, 3, 2), born, legal_status="co", reference="H-1")
    flat = Case.start(db, date(2026, 3, 2), born, legal_status="s20", reference="H-2")
    Case.start(db, date(2026, 3, 2), born, legal_status="s20", reference="H-3")
    _ppm(home, date(2026, 3, 9), ["long_term_fostering"])
    _ppm(flat, date(2026, 3, 9), ["reunification"])
    at(date(2026, 4, 1))
    deliver_event(db, home.child_id, "placement_changed", {
        "placement_type": "residential", "started_on": "2026-04-01", "area": "out_of_area"}, "sw")
    deliver_event(db, flat.child_id, "placement_changed", {
        "placement_type": "unregulated", "started_on": "2026-04-01", "area": "local"}, "sw")
    settings = local_settings.panel()
    # Halton's own calendar: only its listed dates; the list and invitations two weeks before.
    assert settings.panel_dates(date(2026, 7, 1), 5) == [date(2026, 7, 14), date(2026, 8, 11)]
    assert settings.invitations_on(date(2026, 7, 14)) == date(2026, 6, 30)
    assert settings.papers_due_on(date(2026, 7, 14)) == date(2026, 7, 7)
    assert _agenda(db, date(2026, 7, 14)) == {"Living in residential care": ["H-1"],
                                              "Living in an unregulated placement": ["H-2"]}
    # The second date's themes: s20 (both s20 children, first theme that fits), then no plan.
    assert _agenda(db, date(2026, 8, 11)) == {"Looked after under section 20": ["H-2", "H-3"],
                                              "No permanence plan, or a plan recorded as other": []}
    # The Halton considerations (D16): eleven, the child's voice and the parents' wishes among them.
    assert len(settings.considerations) == 11
    assert {"siblings", "family_time", "matching", "child_voice", "parents_wishes"} <= set(settings.considerations)


def test_B15_D14_N3_N7_the_papers_deadline_catches_missing_ppm_minutes(council_with_pathway):
    db = council_with_pathway
    child = Case.start(db, date(2026, 3, 2), date(2015, 1, 1), legal_status="co", reference="R-1")
    _ppm(child, date(2026, 3, 9), ["reunification"])
    [(name, due_on)] = [(t[0], t[2]) for t in child.open() if "PPM" in t[0]]
    # R8: the next PPM 6 weeks after 9 March: 20 April. Not held by the papers deadline.
    assert due_on == date(2026, 4, 20)
    panel = date(2026, 7, 9)       # week 27: 27 mod 5 = 2, reunification
    at(date(2026, 6, 26))          # the invitations go out two weeks before (B14, N2)
    [alert] = [a for a in panel_alerts(db, "tm") if a.kind == "papers"]
    assert alert.text == ("Papers missing for the panel on 9 July 2026: Minutes of the PPM due "
                          "20 April 2026 not on record")
    assert (alert.due_on, alert.overdue) == (date(2026, 7, 2), False)
    assert [a.kind for a in panel_alerts(db, "sw")] == ["invitation", "papers"]
    at(date(2026, 7, 3))           # the day after the papers deadline: overdue
    [alert] = [a for a in panel_alerts(db, "tm") if a.kind == "papers"]
    assert alert.overdue
    agenda = reporting.panel(db, "chair", panel)
    [row] = agenda.cohorts[0].children
    assert row["missing_papers"] == ["Minutes of the PPM due 20 April 2026 not on record"]
    # The minutes go on record: the papers are complete, on the agenda and in the inbox.
    child.do(name, on=date(2026, 7, 3), held_on=date(2026, 7, 3), **_review_answers(child, name))
    assert not [a for a in panel_alerts(db, "tm") if a.kind == "papers"]
    assert reporting.panel(db, "chair", panel).cohorts[0].children[0]["missing_papers"] == []


def _review_answers(case, name) -> dict:
    return {"progress": "Reunification on track.", "change_of_plan_proposed": False,
            "wishes_and_feelings": "Wants to go home."}   # J1: asked at every PPM


def test_B6_B17_P7_the_panel_sets_its_own_interval_and_open_actions_do_not_hold_it_back(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2015, 1, 1), legal_status="co")
    _ppm(case, date(2026, 3, 9), ["long_term_fostering"])
    case.do("Record the first Permanence Panel outcome", on=date(2026, 4, 16), panel_held_on=date(2026, 4, 16),
            recommendation="Progress the match.", legal_advice_needed=False, review_weeks=10,
            considerations=[{"consideration": "matching_drift", "finding": "The match is drifting."}],
            attendance=["social_worker", "team_manager"], fgc_used="held")
    case.do("Record the panel actions", on=date(2026, 4, 17), actions=[
        {"action": "Complete the matching report", "owner": "sw", "due_on": "2026-05-14"}])
    # The next review opens at once, beside the open action: 16 April + 10 weeks = 25 June.
    assert case.due("Record the Permanence Panel review") == (date(2026, 6, 25), "R12")
    assert case.due("Complete the panel action") == (date(2026, 5, 14), "R12")


def test_H6_R12_C6_a_missed_action_returns_to_the_next_panel_for_the_cohort(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2026, 3, 2), date(2015, 1, 1), legal_status="co", reference="L-1")
    _ppm(case, date(2026, 3, 9), ["adoption"])
    case.do("Record the first Permanence Panel outcome", on=date(2026, 4, 16), panel_held_on=date(2026, 4, 16),
            recommendation="Refer for a sibling assessment.", legal_advice_needed=False)
    case.do("Record the panel actions", on=date(2026, 4, 17), actions=[
        {"action": "Sibling assessment", "owner": "sw", "due_on": "2026-05-14"}])
    # An adoption plan fits none of BCP's cohorts, so the child is on no agenda (14 May is
    # week 19: 19 mod 5 = 4, no plan) ...
    assert _agenda(db, date(2026, 5, 14)) == {"No permanence plan, or a plan recorded as other": []}
    # ... until the action is missed (due 14 May): back to the next panel, Thursday 21 May
    # (week 20, section 20), since the child fits no cohort of their own.
    agenda = reporting.panel(db, "chair", date(2026, 5, 21))
    [row] = [c for cohort in agenda.cohorts for c in cohort.children]
    assert row["reference"] == "L-1" and "A panel action was missed" in row["why"]
    assert [a["due_on"] for a in row["missed_actions"]] == [date(2026, 5, 14)]
    # The Service Manager hears of it through one escalation task (C6, test_panel_actions.py),
    # not through a second, inbox-only alert as well.
    at(date(2026, 5, 15))
    assert panel_alerts(db, "sm") == []


def _panel_with_actions(case, actions, on=date(2026, 4, 16)):
    case.do("Record the first Permanence Panel outcome", on=on, panel_held_on=on,
            recommendation="Agree the plan at an LGM.", legal_advice_needed=True)
    case.do("Record the panel actions", on=on, actions=actions)


def test_P6_C6_D18_an_action_owned_by_a_named_service_manager_is_in_their_inbox(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2026, 3, 2), date(2015, 1, 1), legal_status="co")
    _ppm(case, date(2026, 3, 9), ["long_term_fostering"])
    _panel_with_actions(case, [{"type": "support", "action": "Agree funding for the carers",
                                "owner": "sm", "due_on": "2026-05-07"}])
    [task] = [t for t in open_tasks(db, username="sm") if t["name"] == "Complete the panel action"] or [None]
    mine = inbox(db, "sm").sections[0]
    assert [r["name"] for r in mine.rows] == ["Complete the panel action"]
    # The owner sees the chair's recommendation with the action.
    page = task_page(db, mine.rows[0]["task_id"], "sm")
    assert page.task["instructions"] == ("Panel action for Alex Example: Agree funding for the carers (owner: Sm). "
                                      "The panel's recommendation: Agree the plan at an LGM.")
    # The social worker no longer has it as theirs; the service manager completes it.
    assert "Complete the panel action" not in [r["name"] for r in inbox(db, "sw").sections[0].rows]
    at(date(2026, 5, 6))
    task_id = mine.rows[0]["task_id"]
    outcome = complete_task(db, task_id, {"completed_on": "2026-05-06", "notes": "Funding agreed."}, "sm")
    assert outcome.error is None
    assert task is None or task["task_id"] == task_id


def test_P6_an_owner_must_be_a_member_of_staff_who_may_act_for_the_child(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2026, 3, 2), date(2015, 1, 1), legal_status="co")
    case.do("Record the first Permanence Panel outcome", on=date(2026, 4, 16), panel_held_on=date(2026, 4, 16),
            recommendation="Agree a plan.", legal_advice_needed=False)
    with db.transaction() as session:
        south = ensure_team(session, "South")
        add_user(session, "sw_south", "Sid South", [roles.SOCIAL_WORKER], south)
    # A case-management system's token acts as a service user: never offered, never accepted.
    tokens.issue(db, None, name="cms", roles=[roles.SERVICE_MANAGER], scopes=["tasks:read"], teams=None)
    with db.reading() as session:
        assert "api.cms" not in [username for username, _label in staff_choices(session)]
    task = case.task("Record the panel actions")
    with pytest.raises(FormInvalid) as raised:
        complete_task(db, task["task_id"], {"actions": [
            {"action": "A", "owner": "Nobody Here", "due_on": "2026-05-01"},
            {"action": "B", "owner": "sw_south", "due_on": "2026-05-01"},
            {"action": "C", "owner": "sw", "due_on": "2026-05-01"},
            {"action": "D", "owner": "api.cms", "due_on": "2026-05-01"}]}, "paneladmin")
    errors = raised.value.errors["actions"]
    assert errors[0]["owner"] == ["There is no member of staff called 'Nobody Here': select the owner from the list"]
    assert errors[1]["owner"] == ["Sid South cannot act for Alex Example: select someone in the child's team or a council-wide role"]
    assert 2 not in errors
    assert errors[3]["owner"] == ["cms (API) is a connected system, not a member of staff: select a person"]
    assert "Record the panel actions" in case.names()     # nothing was written


def test_D18_an_lgm_referral_action_opens_the_legal_gateway_meeting(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, date(2026, 3, 2), date(2015, 1, 1), legal_status="co")
    _ppm(case, date(2026, 3, 9), ["long_term_fostering"])
    assert "Record the Legal Gateway Meeting decision" not in case.names()
    _panel_with_actions(case, [{"type": "refer_lgm", "action": "Refer to the LGM: consider a placement order",
                                "owner": "tm", "due_on": "2026-04-30"}])
    # The LGM opens for Legal: 10 working days after the referral at the panel on Thu 16 Apr
    # (17, 20, 21, 22, 23, 24, 27, 28, 29, 30 April).
    assert case.due("Record the Legal Gateway Meeting decision") == (date(2026, 4, 30), "R21")
    assert case.task("Record the Legal Gateway Meeting decision")["lane"] == "Legal"
    assert case.due("Complete the panel action") == (date(2026, 4, 30), "R12")


def test_D18_other_action_types_open_no_lgm(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2015, 1, 1), legal_status="co")
    _panel_with_actions(case, [{"type": "convene_ppm", "action": "Convene a PPM", "owner": "sw",
                                "due_on": "2026-04-30"}])
    assert "Record the Legal Gateway Meeting decision" not in case.names()
