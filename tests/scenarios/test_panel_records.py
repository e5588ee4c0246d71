"""What the Permanence Panel considers, records and tracks (issue 11), through the real
diagrams with a fixed clock, the engine and the pages: D17's return-home check before
long-term care, the council's core members and each child's attendance in the minutes (C2,
C4, C9, G11), reviews due until placed long-term (G4), the multi-agency flag (G12), the
Permanence Tracker's actions, placement, FGC and court dates (B20, D20, D21, I1), and the
look back at disruptions, learning and FGC use (G5, G6, G7). Row ids of
../shared/domain/SEEDS-COVERAGE.md are in the test names."""
import csv
import io
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from engine import FormInvalid, action_progress, complete_task, deliver_event, panel_minutes, reporting
from workflows import local_settings

from ..conftest import council_settings
from ..records.pages import app_for
from ..web.conftest import page_text, sign_in
from .conftest import PPM_AREAS, Case, at

OUTCOME = "Record the first Permanence Panel outcome"


@pytest.fixture(autouse=True)
def bcp_by_default(monkeypatch):
    monkeypatch.delenv("PERMANENCE_LOCAL_SETTINGS", raising=False)
    local_settings._overrides.cache_clear()
    yield
    local_settings._overrides.cache_clear()


def _planned(db, reference="L-1", routes=("long_term_fostering",), looked_after=date(2026, 3, 2)):
    case = Case.start(db, looked_after, date(2015, 1, 1), legal_status="co", reference=reference)
    on = looked_after + (date(2026, 3, 9) - date(2026, 3, 2))
    case.do("Hold the initial PPM", on=on, held_on=on, **PPM_AREAS, reunification_discussed=True,
            plan_identified=True, routes=list(routes))
    return case


def _outcome(**answers) -> dict:
    base = {"panel_held_on": "2026-04-16", "recommendation": "Progress the match.",
            "legal_advice_needed": False}
    return {**base, **answers}


def test_D17_long_term_care_needs_the_panel_satisfied_return_home_is_not_appropriate(council_with_pathway):
    db = council_with_pathway
    case = _planned(db)
    at(date(2026, 4, 16))
    task = case.task(OUTCOME)
    with pytest.raises(FormInvalid) as raised:
        complete_task(db, task["task_id"], _outcome(long_term_route="long_term_fostering"), "chair")
    assert raised.value.errors["return_home_not_appropriate"] == [
        "Before agreeing long-term care, the panel must be satisfied that return home is not "
        "appropriate (HAL §4): answer yes, or record no long-term care"]
    assert raised.value.errors["return_home_reasons"] == [
        "Enter why return home is not appropriate before the panel agrees long-term care"]
    with pytest.raises(FormInvalid) as raised:    # satisfied, but no reasons given
        complete_task(db, task["task_id"], _outcome(long_term_route="adoption",
                                                    return_home_not_appropriate=True,
                                                    return_home_reasons="  "), "chair")
    assert list(raised.value.errors) == ["return_home_reasons"]
    # No long-term care agreed at this panel: nothing more is asked.
    assert case.task(OUTCOME)["task_id"] == task["task_id"]
    case.do(OUTCOME, on=date(2026, 4, 16), **_outcome(
        long_term_route="long_term_fostering", return_home_not_appropriate=True,
        return_home_reasons="Mother's parenting assessment was negative; no change in 6 months."))
    assert "Record the panel actions" in case.names()


def test_D17_the_page_keeps_everything_typed_when_return_home_is_not_answered(council_with_pathway):
    db = council_with_pathway
    case = _planned(db)
    client = app_for(db, clock="2026-04-16T15:00:00+01:00").test_client()
    sign_in(client, "chair")
    task = case.task(OUTCOME)["task_id"]
    form = {"panel_held_on-day": "16", "panel_held_on-month": "4", "panel_held_on-year": "2026",
            "recommendation": "Agree long-term fostering with the current carers.",
            "legal_advice_needed": "false", "long_term_route": "long_term_fostering",
            "return_home_reasons": "", "attendance": ["social_worker", "health"]}
    response = client.post(f"/tasks/{task}", data=form)
    assert response.status_code == 400
    text = page_text(response)
    assert "Before agreeing long-term care, the panel must be satisfied that return home is not appropriate" in text
    assert "Enter why return home is not appropriate" in text
    html = response.get_data(as_text=True)
    assert "Agree long-term fostering with the current carers." in html
    assert re.search(r'value="long_term_fostering"\s+checked', html)
    assert re.search(r'value="health"\s+checked', html)


def test_C2_C4_G11_bcp_core_members_and_attendance_per_child_are_in_the_minutes(council_with_pathway):
    db = council_with_pathway
    case = _planned(db)
    client = app_for(db, clock="2026-04-16T15:00:00+01:00").test_client()
    sign_in(client, "chair")
    task = case.task(OUTCOME)["task_id"]
    html = client.get(f"/tasks/{task}").get_data(as_text=True)
    # BCP §3: the core members first, by their titles in the council's setting.
    titles = re.findall(r'name="attendance" type="checkbox" value="([a-z_]+)"', html)
    assert titles[:3] == ["chair", "iro_service_manager", "administrator"]
    assert "Service Manager - Children in Care (chair) (core member)" in html
    assert {"sm_fostering", "sm_assessment", "sm_cff", "sm_chad", "education"} <= set(titles)
    case.do(OUTCOME, on=date(2026, 4, 16), **_outcome(
        attendance=["chair", "administrator", "team_manager", "sm_fostering"]))
    [minutes] = panel_minutes.panel_minutes(db, "chair", date(2026, 4, 16), "page")
    text = page_text(client.get("/panel/minutes?panel_date-day=16&panel_date-month=4&panel_date-year=2026"))
    assert ("Who attended Core members present Service Manager - Children in Care (chair); Administrative "
            "support Core members absent Service Manager for the IRO Service For the child Team manager; "
            "Service Manager, In-House Fostering Partners and others None") in text
    assert "Neither the social worker nor the Practice Lead is recorded as attending (BCP §3-4, HAL §4)." in text
    assert minutes.child["reference"] == "L-1"


def test_C9_halton_members_are_its_own(council_with_pathway, monkeypatch, tmp_path):
    council_settings(monkeypatch, tmp_path, {"panel": {"council": "halton", "dates": {"2026-04-16": ["no_plan"]}}})
    settings = local_settings.panel()
    assert [k for k, _ in settings.members] == ["chair", "virtual_school_head", "health", "irm"]
    assert settings.attendee_title("chair") == "Senior manager in children's social care (chair)"
    db = council_with_pathway
    case = _planned(db)
    client = app_for(db, clock="2026-04-16T15:00:00+01:00").test_client()
    sign_in(client, "chair")
    html = client.get(f"/tasks/{case.task(OUTCOME)['task_id']}").get_data(as_text=True)
    assert re.findall(r'name="attendance" type="checkbox" value="([a-z_]+)"', html)[:4] == [
        "chair", "virtual_school_head", "health", "irm"]
    assert "The Virtual School Head (core member)" in html
    text = page_text(client.get("/panel?panel_date-day=16&panel_date-month=4&panel_date-year=2026"))
    assert ("Core members (the council's setting): Senior manager in children's social care (chair); "
            "The Virtual School Head; Health representative; Independent Reviewing Manager (IRM).") in text


def test_C9_a_council_names_its_own_members_and_mistakes_are_named(monkeypatch, tmp_path):
    from workflows.panel_settings import PanelSettingError, parse
    own = parse({"members": [{"role": "chair", "title": "Head of Service (chair)"},
                             {"role": "education", "title": "Virtual School"}]})
    assert own.members == (("chair", "Head of Service (chair)"), ("education", "Virtual School"))
    with pytest.raises(PanelSettingError, match="panel.members must list the core members"):
        parse({"members": [{"role": "mayor", "title": "The Mayor"}]})
    with pytest.raises(PanelSettingError, match="panel.multi_agency_months must be"):
        parse({"multi_agency_months": 0})
    with pytest.raises(PanelSettingError, match="panel.review_until_placed must be true or false"):
        parse({"review_until_placed": "yes"})


def _review_due_agenda(db, day):
    at(day)
    agenda = reporting.panel(db, "chair", day)
    return {c.title: [(ch["reference"], ch["why"]) for ch in c.children] for c in agenda.cohorts}


def test_G4_a_child_with_a_plan_comes_back_when_the_review_the_panel_set_is_due(council_with_pathway, monkeypatch, tmp_path):
    db = council_with_pathway
    case = _planned(db)
    case.do(OUTCOME, on=date(2026, 4, 16), **_outcome(review_weeks=6))
    case.do("Record the panel actions", on=date(2026, 4, 17), actions=[])
    assert case.due("Record the Permanence Panel review") == (date(2026, 5, 28), "R12")
    s20_week = "Section 20 beyond 12 weeks, aged 16 or under, not endorsed by a Legal Gateway Meeting"
    # 21 May (week 20, the s20 cohort): the review is not due until 28 May.
    assert _review_due_agenda(db, date(2026, 5, 21)) == {s20_week: []}
    # 25 June (week 25, the s20 cohort again): due, and not placed long-term, so on the agenda.
    assert _review_due_agenda(db, date(2026, 6, 25)) == {s20_week: [], (
        "Panel review due: a plan, not yet in an approved long-term placement (HAL §4)"): [
        ("L-1", "Panel review due 28 May 2026, as the panel set; a plan, not yet placed long-term (HAL §4)")]}
    client = app_for(db, clock="2026-06-22T09:00:00+01:00").test_client()
    sign_in(client, "chair")
    text = page_text(client.get("/panel?panel_date-day=25&panel_date-month=6&panel_date-year=2026"))
    assert ("Panel review due: a plan, not yet in an approved long-term placement (HAL §4) 1" in text
            and "Panel review due 28 May 2026, as the panel set" in text)
    # A council whose rotation alone decides sets review_until_placed to false.
    council_settings(monkeypatch, tmp_path, {"panel": {"review_until_placed": False}})
    assert _review_due_agenda(db, date(2026, 6, 25)) == {s20_week: []}


def test_G4_a_child_placed_long_term_is_not_brought_back(council_with_pathway):
    from engine.reporting import panel_reviews
    placed = {"child_id": 1, "routes": ["long_term_fostering"], "facts": {"ratified": True}}
    achieved = {"child_id": 2, "routes": ["adoption"], "facts": {"achieved_route": "adoption"}}
    waiting = {"child_id": 3, "routes": ["adoption"], "facts": {}}
    assert [panel_reviews.placed_long_term(c) for c in (placed, achieved, waiting)] == [True, True, False]


def test_G12_a_child_not_seen_with_health_and_education_for_12_months_is_flagged(council_with_pathway):
    db = council_with_pathway
    seen = _planned(db, "L-1")
    never = _planned(db, "L-2")
    seen.do(OUTCOME, on=date(2026, 4, 16), **_outcome(attendance=["social_worker", "health", "virtual_school_head"]))
    never.do(OUTCOME, on=date(2026, 4, 16), **_outcome(attendance=["social_worker", "health"]))
    ltf_week = date(2026, 7, 16)       # week 28: the long-term matching cohort
    at(ltf_week)
    [cohort] = reporting.panel(db, "chair", ltf_week).cohorts
    flags = {c["reference"]: c["multi_agency"] for c in cohort.children}
    assert flags == {"L-1": "", "L-2": "Never reviewed at panel with health and education represented "
                                       "(HAL ToR: at least every 12 months)"}
    later = date(2027, 8, 5)           # week 83, the matching cohort again, over a year on
    at(later)
    agenda = reporting.panel(db, "chair", later)
    flags = {c["reference"]: c["multi_agency"] for cohort in agenda.cohorts for c in cohort.children}
    assert flags["L-1"] == ("Last reviewed with health and education represented on 16 April 2026: "
                            "over 12 months ago (HAL ToR)")
    client = app_for(db, clock="2027-08-05T09:00:00+01:00").test_client()
    sign_in(client, "chair")
    text = page_text(client.get("/panel?panel_date-day=5&panel_date-month=8&panel_date-year=2027"))
    assert "Multi-agency review due Last reviewed with health and education represented on 16 April 2026" in text
    printed = page_text(client.get("/panel/agenda?panel_date-day=5&panel_date-month=8&panel_date-year=2027"))
    assert "Multi-agency review due: Last reviewed with health and education represented" in printed


TRACKER_ROW = "Open and recent actions (owner, due, status, latest progress)"


def test_B20_D20_D21_I1_the_tracker_carries_actions_progress_placement_fgc_and_court(council_with_pathway):
    db = council_with_pathway
    case = _planned(db, "T-1")
    case.do("Hold a Family Group Conference", on=date(2026, 3, 12), fgc_held_on=date(2026, 3, 12),
            fgc_outcome="family_plan_agreed")
    at(date(2026, 3, 20))
    deliver_event(db, case.child_id, "placement_changed", {
        "placement_type": "ifa", "started_on": "2026-03-20", "area": "out_of_area", "carers": "Mr and Mrs Kay"}, "sw")
    at(date(2026, 3, 25))
    deliver_event(db, case.child_id, "proceedings_issued", {"issued_on": "2026-03-25", "court": "Leeds"}, "legal")
    case.do(OUTCOME, on=date(2026, 4, 16), **_outcome(review_weeks=8, fgc_used="held"))
    case.do("Record the panel actions", on=date(2026, 4, 17), actions=[
        {"action": "Complete the matching report", "owner": "sw", "due_on": "2026-05-14"},
        {"action": "Agree the carers' support plan", "owner": "tm", "due_on": "2026-04-30"}])
    action = next(t["task_id"] for t in _open(db, case) if t["due_on"] == date(2026, 5, 14))
    at(date(2026, 4, 24))
    action_progress.record_progress(db, action, "Report drafted; with the fostering team.", "sw")
    support = next(t for t in _open(db, case) if t["due_on"] == date(2026, 4, 30))
    at(date(2026, 4, 29))
    complete_task(db, support["task_id"], {"completed_on": "2026-04-29", "notes": "Agreed."}, "sw")
    client = app_for(db, clock="2026-05-05T09:00:00+01:00").test_client()
    sign_in(client, "sm")
    text = client.get("/dashboard/tracker.csv").get_data().decode("utf-8-sig")
    [row] = [r for r in csv.DictReader(io.StringIO(text)) if r["Reference"] == "T-1"]
    assert row[TRACKER_ROW].splitlines() == [
        # J6: the PPM recorded no one told of its decisions: the social worker's own action.
        "Tell the child, the family and the carers the decisions of the PPM, and record the date "
        "they were told (Sw, due 2026-03-16, Overdue; PPM)",
        "Complete the matching report (Sw, due 2026-05-14, Open; Permanence Panel; "
        "progress 2026-04-24: Report drafted; with the fostering team.)",
        "Agree the carers' support plan (Tm, due 2026-04-30, Done on 29 April 2026; Permanence Panel)"]
    assert row["Contingency plan"] == PPM_AREAS["contingency_plan"]
    assert {k: row[k] for k in ("Placement type", "Placement local or out of area", "Placement since",
                                "Family Group Conference", "FGC held on", "Proceedings issued on",
                                "Order made", "Order made on")} == {
        "Placement type": "Independent fostering agency (IFA)", "Placement local or out of area": "Out of area",
        "Placement since": "2026-03-20", "Family Group Conference": "Held", "FGC held on": "2026-03-12",
        "Proceedings issued on": "2026-03-25", "Order made": "", "Order made on": ""}
    # R14: 26 weeks from issue on 25 March 2026, while no order is made.
    assert row["Final hearing due by (timetable)"] == "2026-09-23"
    book = load_workbook(io.BytesIO(client.get("/dashboard/tracker.xlsx").data))
    rows = list(book["Permanence tracker"].iter_rows(values_only=True))
    found = dict(zip(rows[0], next(r for r in rows[1:] if r[0] == "T-1")))
    assert found["FGC held on"] == datetime(2026, 3, 12) and found["Placement since"] == datetime(2026, 3, 20)
    assert found["Proceedings issued on"] == datetime(2026, 3, 25)
    assert found["Final hearing due by (timetable)"] == datetime.fromisoformat(row["Final hearing due by (timetable)"])
    assert found[TRACKER_ROW].splitlines() == row[TRACKER_ROW].splitlines()
    assert found["Placement local or out of area"] == "Out of area"


def _open(db, case):
    from engine import open_tasks
    return [t for t in open_tasks(db, child_id=case.child_id) if t["name"] == "Complete the panel action"]


def _look_back(db):
    """Two children considered in spring 2026: one after a disruption, with learning; one
    whose FGC has not been held."""
    moved = _planned(db, "D-1")
    at(date(2026, 3, 20))
    deliver_event(db, moved.child_id, "placement_changed", {
        "placement_type": "in_house_foster", "started_on": "2026-03-20", "area": "local", "carers": "Ms Lee"}, "sw")
    at(date(2026, 4, 2))
    deliver_event(db, moved.child_id, "disruption", {"disrupted_on": "2026-04-02",
                                                     "reason": "The carers gave notice after a week."}, "sw")
    moved.do("Hold a Family Group Conference", on=date(2026, 3, 12), fgc_held_on=date(2026, 3, 12),
             fgc_outcome="no_plan")
    moved.do(OUTCOME, on=date(2026, 4, 16), **_outcome(
        disruption_reviewed=True, fgc_used="held",
        learning="Match the carers' experience with teenagers before placing."))
    moved.do("Record the panel actions", on=date(2026, 4, 17), actions=[
        {"action": "Review the matching checklist", "owner": "tm", "due_on": "2026-04-30"}])
    other = _planned(db, "D-2")
    other.do(OUTCOME, on=date(2026, 4, 16), **_outcome(fgc_used="not_yet"))
    return moved, other


PERIOD = "from-day=1&from-month=3&from-year=2026&to-day=31&to-month=5&to-year=2026"


def test_G5_G6_G7_the_look_back_lists_disruptions_learning_actions_and_fgc_use(council_with_pathway):
    db = council_with_pathway
    _look_back(db)
    client = app_for(db, clock="2026-06-01T09:00:00+01:00").test_client()
    sign_in(client, "chair")
    text = page_text(client.get(f"/panel/learning?{PERIOD}"))
    assert ("Alex Example (D-1), North 2 April 2026 The carers gave notice after a week. 16 April 2026 "
            "Match the carers' experience with teenagers before placing.") in text           # G5
    assert "Learning the panel recorded Panel Child Learning 16 April 2026 Alex Example (D-1), North" in text   # G6
    assert ("Actions set at panels in the period: 1 (overdue 1).") in text
    assert "Review the matching checklist tm 30 April 2026 Overdue" in text.replace("Tm", "tm")
    assert ("Of the 2 children considered in the period, 1 had a Family Group Conference held: 50%.") in text   # G7
    assert "FGC held 1 Offered, declined by the family 0 Not yet: the panel asked for one 1" in text
    assert "Alex Example (D-1), North 16 April 2026 FGC held (12 March 2026)" in text
    printed = page_text(client.get(f"/panel/learning/print?{PERIOD}"))
    assert "Panel learning and monitoring, 1 March 2026 to 31 May 2026" in printed and "50%" in printed
    pdf = client.get(f"/panel/learning.pdf?{PERIOD}")
    assert pdf.mimetype == "application/pdf"
    words = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages))
    assert "The carers gave notice after a week." in words
    # A period before the panel: the disruption is not there, nor the considerations.
    earlier = page_text(client.get("/panel/learning?from-day=1&from-month=1&from-year=2026&to-day=28&to-month=2&to-year=2026"))
    assert "No placement disruption was recorded in the period." in earlier
    assert "No child was considered at a panel in the period." in earlier


def test_G5_a_disruption_not_yet_reviewed_shows_as_such_and_bad_periods_keep_what_was_typed(council_with_pathway):
    db = council_with_pathway
    case = _planned(db, "D-3")
    at(date(2026, 3, 20))
    deliver_event(db, case.child_id, "placement_changed", {
        "placement_type": "in_house_foster", "started_on": "2026-03-20", "area": "local", "carers": "Ms Lee"}, "sw")
    at(date(2026, 4, 2))
    deliver_event(db, case.child_id, "disruption", {"disrupted_on": "2026-04-02", "reason": "Breakdown."}, "sw")
    client = app_for(db, clock="2026-06-01T09:00:00+01:00").test_client()
    sign_in(client, "sm")
    assert "2 April 2026 Breakdown. Not yet reviewed" in page_text(client.get(f"/panel/learning?{PERIOD}"))
    response = client.get("/panel/learning?from-day=31&from-month=2&from-year=2026&to-day=1&to-month=5&to-year=2026")
    assert response.status_code == 400
    assert "The start of the period must be a real date" in page_text(response)
    assert 'value="31"' in response.get_data(as_text=True)
    # A team manager's scope is not the panel's: refused.
    sign_in(client, "tm")
    assert client.get(f"/panel/learning?{PERIOD}").status_code == 403
