"""The dashboard, its drift lists, the heatmap's diagram and the children list, through the
test client, on the scenario council (tests/web/managers.py) as at Monday 7 September 2026."""
import json
import re
from collections import Counter
from html import unescape

import pytest

from engine import open_tasks, reporting
from engine.reporting import listing

from .conftest import page_text, sign_in
from .managers import TODAY, at, client, council, scenario  # noqa: F401 (fixtures)


def _get(client, username, path):
    sign_in(client, username)
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response


def _section(html: str, element_id: str) -> str:
    """The words of the element with this id (a table or a section), for narrow assertions."""
    start = html.index(f'id="{element_id}"')
    tag = html.rfind("<", 0, start)
    name = re.match(r"<(\w+)", html[tag:]).group(1)
    end = html.index(f"</{name}>", start)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html[tag:end]))).strip()


def _attribute(html: str, name: str):
    return json.loads(unescape(re.search(rf'{name}="([^"]*)"', html).group(1)))


def test_the_dashboard_counts_children_by_stage_and_route(client):
    html = _get(client, "hos", "/dashboard").get_data(as_text=True)
    assert "All teams" in html
    assert _section(html, "figure-children") == "9 children on the pathway"
    assert _section(html, "figure-twin-track") == "1 on twin-track plans"
    routes = _section(html, "by-route")
    assert "Reunification 5" in routes and "Adoption 1" in routes
    assert "Long-term fostering 2" in routes and "No plan yet 2" in routes
    stages = _section(html, "by-stage")
    assert "Reunification 5" in stages and "Long-term fostering 2" in stages


def test_overdue_work_is_shown_by_team_and_rule_with_the_rules_statement(client, council):
    db, kids, _ = council
    html = _get(client, "sm", "/dashboard").get_data(as_text=True)
    table = _section(html, "overdue-tasks")
    assert "Rule North South All teams" in table
    overdue = Counter(t["rule"] for kid in kids.values() for t in open_tasks(db, child_id=kid.child_id)
                      if t["due_on"] and t["due_on"] < TODAY)
    north = Counter(t["rule"] for k in "ABCFH" for t in open_tasks(db, child_id=kids[k].child_id)
                    if t["due_on"] and t["due_on"] < TODAY)
    r1 = f"R1 First looked-after (CLA) review within 20 working days of becoming looked after {north['R1']} {overdue['R1'] - north['R1']} {overdue['R1']}"
    assert r1 in table
    assert _section(html, "figure-overdue-tasks") == f"{sum(overdue.values())} overdue tasks"
    deadlines = _section(html, "overdue-deadlines")
    assert "R7 Initial Permanency Planning Meeting within 10 working days of becoming looked after 1 0 1" in deadlines


def test_the_drift_lists_name_the_drifting_children_with_their_dates(client):
    html = _get(client, "hos", "/dashboard").get_data(as_text=True)
    assert _section(html, "drift-no-plan") == (
        "No permanence plan by the second review 1 The plan was due by the second looked-after "
        "review and no plan has been recorded. (R4) Child Team Plan due by Why Ava Adams N-1 "
        "North Sam Worker 30 June 2026 Deadline missed")
    s20 = _section(html, "drift-s20")
    assert "Ben Brown N-2 North Sam Worker 25 May 2026 Looked after under section 20 since 2 March 2026" in s20
    assert "Cara" not in s20
    no_ppm = _section(html, "drift-no-ppm")
    assert re.findall(r"(\w+ \w+) [NS]-\d", no_ppm) == ["Ava Adams", "Hana Hill", "Ben Brown", "Eve Evans"]
    assert "Hana Hill N-5 North Sam Worker 23 March 2026 Last PPM 9 February 2026" in no_ppm
    actions = _section(html, "drift-panel-actions")
    assert "Eve Evans S-2 South Sid South 28 August 2026" in actions
    assert "Update the support plan" in actions


def test_a_team_manager_sees_only_their_team(client):
    html = _get(client, "tm_south", "/dashboard").get_data(as_text=True)
    text = page_text(client.get("/dashboard"))
    assert "South" in _section(html, "overdue-tasks") and "North" not in _section(html, "overdue-tasks")
    assert _section(html, "figure-children") == "4 children on the pathway"
    for name in ("Ava Adams", "Ben Brown", "Hana Hill", "Cara Clark", "Finn Foster"):
        assert name not in text
    assert "Eve Evans" in _section(html, "drift-no-ppm")


def test_the_heatmap_puts_counts_on_the_main_diagram_and_each_called_process(client, council):
    db, kids, _ = council
    html = _get(client, "hos", "/dashboard").get_data(as_text=True)
    counts = _attribute(html, "data-counts")
    levels = _attribute(html, "data-levels")
    fgc = sum(1 for kid in kids.values() for t in open_tasks(db, child_id=kid.child_id)
              if t["name"] == "Hold a Family Group Conference")
    assert counts["hold_fgc"] == fgc
    assert set(levels) == set(counts) and set(levels.values()) <= {1, 2, 3, 4}
    assert levels[max(counts, key=counts.get)] == 4
    assert 'data-diagram-url="/dashboard/diagram.bpmn"' in html
    assert f"Hold a Family Group Conference {fgc}" in _section(html, "heatmap-table")
    panel = _get(client, "hos", "/dashboard?process=permanence_panel").get_data(as_text=True)
    assert _attribute(panel, "data-counts")["complete_panel_action"] == 1
    assert 'data-diagram-url="/dashboard/diagram.bpmn?process=permanence_panel"' in panel
    xml = _get(client, "hos", "/dashboard/diagram.bpmn?process=permanence_panel").get_data(as_text=True)
    assert 'id="complete_panel_action"' in xml
    main = _get(client, "hos", "/dashboard/diagram.bpmn").get_data(as_text=True)
    assert '<bpmn:process id="permanence_pathway"' in main


def test_a_process_that_is_not_in_the_pathway_is_not_found(client):
    sign_in(client, "hos")
    assert client.get("/dashboard?process=nothing_here").status_code == 404
    assert client.get("/dashboard/diagram.bpmn?process=nothing_here").status_code == 404
    assert client.get("/dashboard/drift/no-such-list").status_code == 404


def test_a_full_drift_list_has_pages(client, monkeypatch):
    monkeypatch.setattr(reporting, "PER_PAGE", 3)
    first = _get(client, "hos", "/dashboard/drift/no-ppm").get_data(as_text=True)
    assert "4 children, longest drifting first (page 1 of 2)" in page_text_of(first)
    assert re.findall(r"(\w+ \w+) [NS]-\d", page_text_of(first)) == ["Ava Adams", "Hana Hill", "Ben Brown"]
    assert 'href="/dashboard/drift/no-ppm?page=2"' in first
    second = _get(client, "hos", "/dashboard/drift/no-ppm?page=2").get_data(as_text=True)
    assert re.findall(r"(\w+ \w+) [NS]-\d", page_text_of(second)) == ["Eve Evans"]


def page_text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_children_list_is_sorted_by_next_due_and_links_to_each_child(client, council):
    db, kids, _ = council
    html = _get(client, "hos", "/children").get_data(as_text=True)
    ids = [int(i) for i in re.findall(r'data-child-id="(\d+)"', html)]
    first_due = {kid.child_id: min(t["due_on"] for t in open_tasks(db, child_id=kid.child_id) if t["due_on"])
                 for kid in kids.values()}
    assert ids == sorted(first_due, key=lambda c: (first_due[c], c))
    assert all(f'href="/children/{i}"' in html for i in ids)
    assert "9 children. Sorted by the next date due." in page_text_of(html)
    assert "Ben Brown N-2 · Accommodated under section 20" in page_text_of(html)


@pytest.mark.parametrize("query, names", [
    ("q=eve", ["Eve Evans"]),
    ("team=North&route=adoption", ["Finn Foster"]),
    ("stage=Long-term+fostering", ["Dan Davies", "Finn Foster"]),
    ("route=none", ["Ava Adams", "Gus Green"]),
    ("q=zzz", []),
])
def test_the_children_list_searches_and_filters(client, query, names):
    text = page_text_of(_get(client, "hos", f"/children?{query}").get_data(as_text=True))
    found = re.findall(r"(\w+ \w+) [NS]-\d ·", text)
    assert sorted(found) == names
    assert f"{len(names)} {'child' if len(names) == 1 else 'children'}." in text
    assert ("Clear filters" in text) is True


def test_overdue_only_shows_children_with_something_overdue(client):
    text = page_text_of(_get(client, "hos", "/children?overdue=yes").get_data(as_text=True))
    rows = re.findall(r"(\w+ \w+) [NS]-\d ·", text)
    assert rows and text.count("Overdue") >= len(rows)


def test_the_children_list_has_pages_of_its_own(client, monkeypatch):
    monkeypatch.setattr(listing, "PER_PAGE", 4)
    first = _get(client, "hos", "/children?team=South").get_data(as_text=True)
    assert "4 children." in page_text_of(first)
    html = _get(client, "hos", "/children").get_data(as_text=True)
    assert "9 children, page 1 of 3." in page_text_of(html)
    assert len(re.findall(r'data-child-id="(\d+)"', html)) == 4
    assert 'href="/children?page=3"' in html
    last = _get(client, "hos", "/children?page=3").get_data(as_text=True)
    assert len(re.findall(r'data-child-id="(\d+)"', last)) == 1


def test_a_team_manager_lists_only_their_team_whatever_team_is_asked_for(client):
    html = _get(client, "tm", "/children?team=South").get_data(as_text=True)
    assert "0 children." in page_text_of(html)
    text = page_text_of(_get(client, "tm", "/children").get_data(as_text=True))
    assert sorted(re.findall(r"(\w+ \w+) [NS]-\d ·", text)) == [
        "Ava Adams", "Ben Brown", "Cara Clark", "Finn Foster", "Hana Hill"]
    assert '<option value="South"' not in html


def test_managers_have_the_dashboard_in_the_navigation_and_others_do_not(client):
    for username, sees in [("hos", True), ("senior", True), ("tm", True), ("sw", False), ("chair", False)]:
        sign_in(client, username)
        html = client.get("/inbox").get_data(as_text=True)
        assert ('href="/dashboard"' in html) is sees, username
    sign_in(client, "tm")
    assert 'href="/panel"' not in client.get("/inbox").get_data(as_text=True)
    sign_in(client, "chair")
    assert 'href="/panel"' in client.get("/inbox").get_data(as_text=True)


def test_a_team_manager_moved_to_another_team_sees_it_on_the_next_request(client, council):
    """The dashboard's scope comes from the user as this request read them (web.identity),
    never from anything kept: a change of team shows at once, and is put back after."""
    from models import Team, User
    from sqlalchemy import select, update
    db = council[0]
    html = _get(client, "tm", "/dashboard").get_data(as_text=True)
    assert "North" in _section(html, "overdue-tasks")

    def move_to(team: str):
        with db.transaction() as session:
            session.execute(update(User).where(User.username == "tm").values(
                team_id=select(Team.id).where(Team.name == team).scalar_subquery()))
    move_to("South")
    try:
        html = client.get("/dashboard").get_data(as_text=True)
        assert "South" in _section(html, "overdue-tasks") and "North" not in _section(html, "overdue-tasks")
        assert _section(html, "figure-children") == "4 children on the pathway"
    finally:
        move_to("North")
    assert "North" in _section(client.get("/dashboard").get_data(as_text=True), "overdue-tasks")


def test_the_dashboard_tables_escape_every_text_as_jinja_does(council):
    """The overdue and drift tables are written in Python (web.dashboard_tables): a name,
    team or rule with markup in it comes out as text, escaped exactly as autoescape would."""
    from datetime import date

    from markupsafe import escape as jinja_escape

    from engine.reporting import DriftList, OverdueTable
    from engine.reporting.drift import KINDS
    from web.dashboard_tables import drift_table, escape, overdue_table
    hostile = """<script>alert("x")</script> & O'Neil"""
    assert escape(hostile) == str(jinja_escape(hostile))
    with council[2].test_request_context("/dashboard"):
        html = overdue_table(OverdueTable([hostile, "North"], [
            {"rule": "R8", "label": hostile, "counts": [2, 0], "total": 2}], 2),
            "Overdue tasks", "overdue-tasks", "None", "tasks")
        rows = drift_table(DriftList(KINDS["no-ppm"], 1, [{
            "child_id": 7, "reference": hostile, "name": hostile, "team": hostile,
            "social_worker": hostile, "date": date(2026, 9, 1), "detail": hostile}]))
    for written in (str(html), str(rows)):
        assert "<script>" not in written and str(jinja_escape(hostile)) in written
    assert 'href="/children?overdue=tasks&amp;rule=R8&amp;team=%3Cscript%3Ealert%28%22x%22%29' in str(html)
    assert 'href="/children/7"' in str(rows) and "1 September 2026" in str(rows)
