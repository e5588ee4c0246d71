"""The managers' reports, on the scenario council of tests/web/managers.py (nine children put
where they are through the real pathway), as at Monday 7 September 2026, on SQLite and on
PostgreSQL. Expected figures are either worked out by hand from the scenario or counted
independently from the engine's own rows (open tasks, positions)."""
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from engine import NotAllowed, figures, open_tasks, position, reporting
from engine.reporting import listing as children_module
from models import Deadline, HumanTask

from ..web.managers import PANEL, PROCESS, TODAY, Kid, at, publish_council, scenario


@pytest.fixture(autouse=True)
def _every_cohort(every_cohort_weekly):
    """These tests read every BCP cohort on one Thursday (no rotation): the rotation has its
    own tests in tests/scenarios/test_permanence_panel.py."""


NORTH, SOUTH = "ABCFH", "DEGI"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def council(request, tmp_path_factory):
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    db, kids = scenario(request.param, tmp_path_factory, url)
    yield db, {k: kid.child_id for k, kid in kids.items()}
    db.dispose()


@pytest.fixture(autouse=True)
def as_at_today():
    at(TODAY)


def _names(rows, ids):
    by_id = {v: k for k, v in ids.items()}
    return [by_id[row["child_id"]] for row in rows]


def test_children_are_counted_by_stage_and_by_route_twin_track_under_each(council):
    db, ids = council
    board = reporting.dashboard(db, "hos", "permanence_pathway")
    stages = Counter(position(db, child_id).stage for child_id in ids.values())
    assert dict(board.counts.by_stage) == dict(stages)
    assert board.counts.total == 9
    assert dict(board.counts.by_route) == {"Reunification": 5, "Adoption": 1,
                                           "Long-term fostering": 2, "No plan yet": 2}
    assert board.counts.twin_track == 1


def test_a_team_manager_counts_only_their_own_team(council):
    db, ids = council
    north = reporting.dashboard(db, "tm", "permanence_pathway")
    south = reporting.dashboard(db, "tm_south", "permanence_pathway")
    assert (north.scope.team_name, north.counts.total) == ("North", 5)
    assert (south.scope.team_name, south.counts.total) == ("South", 4)
    assert dict(south.counts.by_route) == {"Reunification": 2, "Long-term fostering": 1,
                                           "No plan yet": 1}
    assert north.overdue_tasks.teams == ["North"]


def test_overdue_tasks_by_team_and_rule_are_the_open_tasks_past_their_date(council):
    db, ids = council
    expected = Counter()
    for key, child_id in ids.items():
        team = "North" if key in NORTH else "South"
        for task in open_tasks(db, child_id=child_id):
            if task["due_on"] and task["due_on"] < TODAY:
                expected[(team, task["rule"])] += 1
    table = reporting.dashboard(db, "sm", "permanence_pathway").overdue_tasks
    assert table.teams == ["North", "South"]
    found = Counter({(team, row["rule"]): n for row in table.rows
                     for team, n in zip(table.teams, row["counts"]) if n})
    assert found == expected
    assert table.total == sum(expected.values())
    assert [row["rule"] for row in table.rows] == sorted({r for _, r in expected},
                                                         key=lambda r: int(r[1:]))
    assert table.rows[0]["label"].startswith("First looked-after (CLA) review")


def test_a_missed_deadline_is_overdue_only_while_its_work_is_still_open(council):
    db, ids = council
    table = reporting.dashboard(db, "hos", "permanence_pathway").overdue_deadlines
    r7 = next(row for row in table.rows if row["rule"] == "R7")
    # Ava (North) never had her initial PPM; Dan's (South) was late but has been held.
    assert r7["counts"] == [1, 0]
    with db.transaction() as session:
        missed = session.execute(select(Deadline.child_id).where(
            Deadline.rule == "R7", Deadline.status == "missed")).scalars().all()
    assert sorted(missed) == sorted([ids["A"], ids["D"]])
    expected = _overdue_deadlines_counted_by_hand(db)
    assert table.total == expected


def _overdue_deadlines_counted_by_hand(db) -> int:
    with db.transaction() as session:
        deadlines = session.scalars(select(Deadline)).all()
        open_rules = {(t.instance_id, t.rule) for t in session.scalars(
            select(HumanTask).where(HumanTask.status == "open"))}
    return sum(1 for d in deadlines
               if (d.status == "running" and d.due_on < TODAY)
               or (d.status == "missed" and (d.instance_id, d.rule) in open_rules))


def test_drift_lists_hold_exactly_the_drifting_children_with_their_dates(council):
    db, ids = council
    drift = {d.kind.key: d for d in reporting.dashboard(db, "hos", "permanence_pathway").drift}
    # Ava: no plan; R4 due by the second review: first due 30 Mar (20 working days from
    # 2 Mar), + 3 months = 30 June. Dan missed it too but has a plan now.
    assert [(_names([r], ids)[0], r["date"]) for r in drift["no-plan"].rows] == [("A", date(2026, 6, 30))]
    # Ben: s20 since 2 Mar, aged 14: 12 weeks on 25 May. Cara's s20 was endorsed by the LGM.
    assert [(_names([r], ids)[0], r["date"]) for r in drift["s20"].rows] == [("B", date(2026, 5, 25))]
    # No PPM in 6 weeks: Ava none (initial due 16 Mar, 10 working days), Hana last 9 Feb
    # (due 23 Mar), Ben 9 Mar (20 Apr), Eve 13 Jul (24 Aug); oldest first.
    assert [(_names([r], ids)[0], r["date"]) for r in drift["no-ppm"].rows] == [
        ("A", date(2026, 3, 16)), ("H", date(2026, 3, 23)), ("B", date(2026, 4, 20)),
        ("E", date(2026, 8, 24))]
    assert drift["no-ppm"].rows[0]["detail"] == "No PPM yet; looked after since 2 March 2026"
    assert drift["no-ppm"].rows[1]["detail"] == "Last PPM 9 February 2026"
    # Eve's panel action was due on 28 August.
    assert [(_names([r], ids)[0], r["date"]) for r in drift["panel-actions"].rows] == [("E", date(2026, 8, 28))]
    assert "Update the support plan" in drift["panel-actions"].rows[0]["detail"]
    assert {k: d.total for k, d in drift.items()} == {"no-plan": 1, "s20": 1, "no-ppm": 4,
                                                      "panel-actions": 1}


def test_drift_lists_for_a_team_manager_hold_only_their_team(council):
    db, ids = council
    north = {d.kind.key: _names(d.rows, ids) for d in reporting.dashboard(db, "tm", "permanence_pathway").drift}
    south = {d.kind.key: _names(d.rows, ids) for d in reporting.dashboard(db, "tm_south", "permanence_pathway").drift}
    assert north == {"no-plan": ["A"], "s20": ["B"], "no-ppm": ["A", "H", "B"], "panel-actions": []}
    assert south == {"no-plan": [], "s20": [], "no-ppm": ["E"], "panel-actions": ["E"]}


def test_a_full_drift_list_comes_a_page_at_a_time(council, monkeypatch):
    db, ids = council
    monkeypatch.setattr(reporting, "PER_PAGE", 3)
    first, page, pages = reporting.drift_list(db, "hos", "no-ppm", 1)
    second, _, _ = reporting.drift_list(db, "hos", "no-ppm", 2)
    beyond, last, _ = reporting.drift_list(db, "hos", "no-ppm", 9)
    assert (page, pages, first.total) == (1, 2, 4)
    assert _names(first.rows, ids) + _names(second.rows, ids) == ["A", "H", "B", "E"]
    assert (last, _names(beyond.rows, ids)) == (2, ["E"])


def test_the_heatmap_counts_open_tasks_per_step_and_rolls_called_processes_up(council):
    db, ids = council
    tasks = [t for child_id in ids.values() for t in open_tasks(db, child_id=child_id)]
    heat = reporting.dashboard(db, "hos", "permanence_pathway").heatmap
    assert heat.process_id == "permanence_pathway" and heat.version == 1
    fgc = sum(1 for t in tasks if t["name"] == "Hold a Family Group Conference")
    assert heat.counts["hold_fgc"] == fgc
    panel_tasks = {"Record the first Permanence Panel outcome", "Record the panel actions",
                   "Complete the panel action", "Escalate: first panel overdue",
                   "Escalate: panel actions not recorded", "Record the Permanence Panel review",
                   "Escalate: panel action missed"}   # Eve's missed action, escalated (H6, C6)
    # The panel now calls the legal process too (an LGM referral, D18): like the LGM and the
    # proceedings, its step rolls up every task of the legal process wherever it runs.
    assert heat.counts["panel"] == sum(1 for t in tasks if t["name"] in panel_tasks) + heat.counts["lgm"]
    # The legal process's tasks, now with the Legal Gateway Meeting that children who entered
    # care on an interim or emergency order hold on entry (A10, R14).
    # And the LGM's reviews of the care plan of children in proceedings, every 6 weeks (A11).
    reviews = sum(1 for t in tasks if t["name"] == "Review the care plan at the Legal Gateway Meeting")
    assert reviews > 0
    assert heat.counts["lgm"] == heat.counts["proceedings"] == 5 + reviews
    panel = reporting.dashboard(db, "hos", "permanence_pathway", "permanence_panel").heatmap
    assert panel.counts["first_panel"] == sum(1 for t in tasks if t["name"] == "Record the first Permanence Panel outcome")
    assert panel.counts["complete_panel_action"] == 1
    north = reporting.dashboard(db, "tm", "permanence_pathway").heatmap
    assert north.counts["hold_fgc"] == sum(
        1 for k in NORTH for t in open_tasks(db, child_id=ids[k]) if t["name"] == "Hold a Family Group Conference")


def test_the_panel_cohorts_with_their_exclusions(council):
    db, ids = council
    agenda = reporting.panel(db, "chair", PANEL)
    assert agenda.agenda_sent_on == date(2026, 9, 7)
    assert [(c.number, _names(c.children, ids)) for c in agenda.cohorts] == [
        (1, ["B"]), (2, ["E"]), (3, ["I"]), (4, ["F"]), (5, ["A"])]
    assert [(_names([c], ids)[0], c["cohort"], c["reason"]) for c in agenda.excluded] == [
        ("C", 3, "Section 20 endorsed by the Legal Gateway Meeting (significant additional needs)"),  # F2
        ("H", 3, "In care proceedings: reviewed at the Legal Gateway Meeting"),
        ("D", 4, "Aged 17 or over on the panel date: the Placement and Resource Panel (R24)")]
    # Gus has no plan but was at the panel on 20 August, within the five-week rotation.
    listed = {c["child_id"] for cohort in agenda.cohorts for c in cohort.children}
    assert ids["G"] not in listed and ids["G"] not in {c["child_id"] for c in agenda.excluded}
    ben = agenda.cohorts[0].children[0]
    assert [t["name"] for t in ben["panel_tasks"]] == ["Record the first Permanence Panel outcome"]
    eve = agenda.cohorts[1].children[0]
    assert [t["name"] for t in eve["actions"]] == ["Complete the panel action"]


def test_after_five_weeks_a_child_with_no_plan_comes_back_to_panel(council):
    db, ids = council
    later = reporting.panel(db, "sm", date(2026, 9, 24))
    assert ids["G"] in {c["child_id"] for c in later.cohorts[4].children}


def test_the_tracker_has_a_row_per_child_the_user_may_see(council):
    db, ids = council
    rows = list(reporting.tracker_rows(db, "hos"))
    assert [r["reference"] for r in rows] == ["N-1", "N-2", "N-3", "N-4", "N-5", "S-1", "S-2", "S-3", "S-4"]
    ben = rows[1]
    assert (ben["name"], ben["age"], ben["legal_status"], ben["routes"], ben["plan_identified"],
            ben["last_ppm"], ben["last_panel"], ben["overdue"]) == (
        "Ben Brown", 14, "s20", ["reunification"], True, date(2026, 3, 9), None, True)
    assert (ben["next_due_on"], ben["next_rule"]) == (date(2026, 3, 16), "R6")
    finn = rows[3]
    assert (finn["routes"], finn["next_due_on"], finn["overdue"]) == (
        ["adoption", "long_term_fostering"], date(2026, 9, 1), True)
    assert [r["reference"] for r in reporting.tracker_rows(db, "tm_south")] == ["S-1", "S-2", "S-3", "S-4"]


@pytest.mark.parametrize("small", [True, False], ids=["sorted in full", "walked in date order"])
def test_the_children_list_is_sorted_by_the_next_date_due(council, monkeypatch, small):
    db, ids = council
    if not small:
        monkeypatch.setattr(children_module, "SMALL", 0)
    expected = sorted(((min(t["due_on"] for t in open_tasks(db, child_id=c) if t["due_on"]), c)
                       for c in ids.values()))
    found = reporting.children(db, "hos", reporting.ChildFilters())
    assert found.total == 9
    assert [r["child_id"] for r in found.rows] == [c for _, c in expected]
    assert [r["next_due_on"] for r in found.rows] == [d for d, _ in expected]
    monkeypatch.setattr(children_module, "PER_PAGE", 4)
    pages = [reporting.children(db, "hos", reporting.ChildFilters(), n).rows for n in (1, 2, 3)]
    assert [r["child_id"] for page in pages for r in page] == [c for _, c in expected]


@pytest.mark.parametrize("small", [True, False], ids=["sorted in full", "walked in date order"])
@pytest.mark.parametrize("filters, expected", [
    (dict(search="ben"), ["B"]),
    (dict(search="S-"), ["D", "E", "G", "I"]),
    (dict(team="South"), ["D", "E", "G", "I"]),
    (dict(stage="Reunification"), ["B", "C", "E", "H", "I"]),
    (dict(route="long_term_fostering"), ["D", "F"]),
    (dict(route="none"), ["A", "G"]),
    (dict(route="adoption", team="North"), ["F"]),
])
def test_the_children_list_searches_and_filters(council, monkeypatch, small, filters, expected):
    db, ids = council
    if not small:
        monkeypatch.setattr(children_module, "SMALL", 0)
    found = reporting.children(db, "hos", reporting.ChildFilters(**filters))
    assert sorted(_names(found.rows, ids)) == expected and found.total == len(expected)


def test_overdue_only_and_a_team_manager_sees_their_team(council):
    db, ids = council
    overdue = reporting.children(db, "hos", reporting.ChildFilters(overdue=True))
    assert all(r["overdue"] for r in overdue.rows)
    assert overdue.total == sum(1 for c in ids.values() if any(
        t["due_on"] and t["due_on"] < TODAY for t in open_tasks(db, child_id=c)))
    north = reporting.children(db, "tm", reporting.ChildFilters(team="South"))
    assert north.total == 0 and north.teams == ["North"]
    assert sorted(_names(reporting.children(db, "tm", reporting.ChildFilters()).rows, ids)) == list(NORTH)


@pytest.mark.parametrize("username", ["sw", "iro", "chair", "po", "admin"])
def test_only_managers_may_have_the_dashboard_and_tracker(council, username):
    db, _ = council
    with pytest.raises(NotAllowed):
        reporting.dashboard(db, username, "permanence_pathway")
    with pytest.raises(NotAllowed):
        reporting.tracker_rows(db, username)


def test_every_casework_role_may_list_children_but_a_process_owner_may_not(council):
    db, _ = council
    for username in ("sw", "iro", "chair", "admin"):
        reporting.children(db, username, reporting.ChildFilters(), only_mine=True)
    with pytest.raises(NotAllowed):
        reporting.children(db, "po", reporting.ChildFilters())


@pytest.mark.parametrize("username", ["sw", "tm", "iro", "senior", "po"])
def test_only_the_panel_and_senior_managers_may_have_the_cohorts(council, username):
    db, _ = council
    with pytest.raises(NotAllowed):
        reporting.panel(db, username, PANEL)


def test_a_child_with_several_overdue_panel_actions_shows_how_many_and_the_first_due(db):
    """The dashboard reads the first page of every drift list in one statement, with each
    panel-actions child's overdue actions counted and the earliest one's text: the same as
    the lists counted over the projections (figures.check), on SQLite and PostgreSQL."""
    publish_council(db)
    eve = Kid.register(db, "S-9", "Eve Evans", "South", "sw_south", date(2026, 7, 6), date(2020, 2, 2), "pwp")
    eve.ppm(date(2026, 7, 13), ["reunification"])
    eve.do("Record the first Permanence Panel outcome", date(2026, 8, 13), panel_held_on=date(2026, 8, 13),
           recommendation="Support the return home.", legal_advice_needed=False)
    eve.do("Record the panel actions", date(2026, 8, 14), actions=[
        {"action": "Update the support plan", "owner": "sw_south", "due_on": "2026-08-28"},
        {"action": "Book the family meeting", "owner": "sw_south", "due_on": "2026-08-21"},
        {"action": "Send the plan to the IRO", "owner": "sw_south", "due_on": "2026-09-30"}])
    at(TODAY)
    for username in ("hos", "tm_south"):
        drift = {d.kind.key: d for d in reporting.dashboard(db, username, PROCESS).drift}
        [row] = drift["panel-actions"].rows
        assert row["child_id"] == eve.child_id and row["date"] == date(2026, 8, 21)
        assert row["detail"].startswith("2 actions overdue. ")
        assert "Book the family meeting" in row["detail"] and "Update the support plan" not in row["detail"]
        assert [r["child_id"] for r in drift["no-ppm"].rows] == [eve.child_id]   # the other lists alike
    north = {d.kind.key: d for d in reporting.dashboard(db, "tm", PROCESS).drift}
    assert north["panel-actions"].rows == [] and north["no-ppm"].rows == []   # not North's
    assert figures.check(db, PROCESS) == []
