"""/api/v1 casework: a child's records (D7, D27, I7), case events (D22, D23) and placements,
and reallocation; on SQLite and PostgreSQL, through tokens with and without the scopes and
teams each needs."""
from sqlalchemy import func, select

from engine import open_tasks
from models import AuditEvent, CaseEvent, HumanTask, User

from .conftest import bearer, issue, problem_of

PPM = {"held_on": "2026-03-02", "plan": "adoption", "contingency_plan": "Long-term fostering"}
PLACEMENT = {"kind": "placement_changed", "data": {
    "placement_type": "in_house_foster", "carers": "Jo and Sam Carer", "area": "local",
    "started_on": "2026-03-02"}}


def _complete_ppm(client, token, db, child_id):
    [task] = open_tasks(db, child_id=child_id)
    done = client.post(f"/api/v1/tasks/{task['task_id']}/complete", json={"data": PPM},
                       headers=bearer(token))
    assert done.status_code == 200, done.get_data(as_text=True)
    return task["task_id"]


def test_D7_a_childs_records_are_read_with_their_answers_and_form(client, api_tokens, children, staff):
    task_id = _complete_ppm(client, api_tokens["north"], staff, children["N-1"])
    page = client.get(f"/api/v1/children/{children['N-1']}/records", headers=bearer(api_tokens["north"]))
    assert page.status_code == 200, page.get_data(as_text=True)
    body = page.get_json()
    [record] = body["items"]
    assert body["next"] is None
    assert (record["task_id"], record["task_name"], record["kind"], record["revision"]) == (
        task_id, "Record initial PPM", "other", 1)   # the test diagram's form is not a kind
    assert record["answers"]["plan"] == "adoption" and record["on_time"] is True
    assert (record["due_on"], record["rule"], record["completed_by"]) == ("2026-03-16", "R7", "north-case (API)")
    assert client.get(f"/api/v1/children/{children['N-1']}/records?kind=ppm",
                      headers=bearer(api_tokens["north"])).get_json()["items"] == []
    one = client.get(f"/api/v1/records/{record['id']}", headers=bearer(api_tokens["north"])).get_json()
    assert one["form_schema"]["properties"]["held_on"] and [r["revision"] for r in one["revisions"]] == [1]
    with staff.transaction() as s:
        actors = s.scalars(select(AuditEvent.actor_name).where(
            AuditEvent.kind == "record_viewed", AuditEvent.child_id == children["N-1"])).all()
    assert actors == ["north-case (API)", "north-case (API)"]


def test_records_are_out_of_sight_of_other_teams_and_of_tokens_without_the_scope(
        client, api_tokens, children, staff):
    _complete_ppm(client, api_tokens["north"], staff, children["N-1"])
    record_id = client.get(f"/api/v1/children/{children['N-1']}/records",
                           headers=bearer(api_tokens["north"])).get_json()["items"][0]["id"]
    body = problem_of(client.get(f"/api/v1/records/{record_id}", headers=bearer(api_tokens["south"])), 404)
    assert body["detail"] == f"There is no record {record_id} that you can see"
    problem_of(client.get(f"/api/v1/children/{children['N-1']}/records",
                          headers=bearer(api_tokens["south"])), 404)
    refused = problem_of(client.get(f"/api/v1/records/{record_id}", headers=bearer(api_tokens["iro"])), 403)
    assert "records:read" in refused["detail"]
    problem_of(client.get("/api/v1/records/999999", headers=bearer(api_tokens["north"])), 404)
    bad = problem_of(client.get(f"/api/v1/children/{children['N-1']}/records?kind=gossip",
                                headers=bearer(api_tokens["north"])), 422)
    assert set(bad["errors"]) == {"kind"}


def test_D22_a_case_event_is_recorded_delivered_and_listed(client, api_tokens, children, staff):
    url = f"/api/v1/children/{children['N-1']}/case-events"
    headers = {**bearer(api_tokens["north"]), "Idempotency-Key": "placement-1"}
    made = client.post(url, json=PLACEMENT, headers=headers)
    assert made.status_code == 201, made.get_data(as_text=True)
    event = made.get_json()
    assert event["kind"] == "placement_changed" and event["error"] is None
    again = client.post(url, json=PLACEMENT, headers=headers)    # a retry: the first answer
    assert again.get_json() == event and again.headers["Idempotent-Replayed"] == "true"
    listed = client.get(url, headers=bearer(api_tokens["iro"])).get_json()
    assert [(e["id"], e["kind"], e["occurred_on"], e["recorded_by"]) for e in listed["items"]] == [
        (event["event_id"], "placement_changed", "2026-03-02", "api.north-case")]
    placements = client.get(f"/api/v1/children/{children['N-1']}/placements",
                            headers=bearer(api_tokens["north"])).get_json()["items"]
    assert [(p["placement_type"], p["carers"], p["ended_on"]) for p in placements] == [
        ("in_house_foster", "Jo and Sam Carer", None)]


def test_a_case_event_that_makes_no_sense_is_refused_by_field_and_nothing_is_written(
        client, api_tokens, children, staff):
    url = f"/api/v1/children/{children['N-1']}/case-events"
    wrong = {"kind": "placement_changed", "data": {**PLACEMENT["data"], "started_on": "2030-01-01",
                                                   "placement_type": "tent"}}
    body = problem_of(client.post(url, json=wrong, headers=bearer(api_tokens["north"])), 422)
    assert {"started_on", "placement_type"} <= set(body["errors"])
    unknown = problem_of(client.post(url, json={"kind": "moved_planet", "data": {}},
                                     headers=bearer(api_tokens["north"])), 422)
    assert set(unknown["errors"]) == {"kind"}
    with staff.transaction() as s:
        assert s.scalar(select(func.count()).select_from(CaseEvent)) == 0
    problem_of(client.post(f"/api/v1/children/{children['S-1']}/case-events", json=PLACEMENT,
                           headers=bearer(api_tokens["north"])), 404)
    iro_writer = issue(staff, "iro-writer", ["IRO"], None, ["children:read", "children:write"])
    refused = problem_of(client.post(url, json=PLACEMENT, headers=bearer(iro_writer)), 403)
    assert "placement" in refused["detail"].lower() or "case events" in refused["detail"]


def test_a_team_manager_system_reallocates_a_child_and_the_tasks_follow(client, api_tokens, children, staff):
    tm = issue(staff, "north-managers", ["Team Manager"], ["North"])
    change = {"team": "North", "social_worker": "sw2", "on": "2026-03-02",
              "reason": "Caseload balancing"}
    url = f"/api/v1/children/{children['N-1']}/allocation"
    problem_of(client.post(url, json=change, headers=bearer(api_tokens["north"])), 403)
    done = client.post(url, json=change, headers=bearer(tm))
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.get_json() == {"child_id": children["N-1"], "social_worker": "Sue Second",
                               "team": "North", "tasks_moved": 1}
    with staff.transaction() as s:
        sw2 = s.scalar(select(User.id).where(User.username == "sw2"))
        assert set(s.scalars(select(HumanTask.assignee_id).where(
            HumanTask.child_id == children["N-1"], HumanTask.status == "open"))) == {sw2}
    away = problem_of(client.post(url, json={**change, "team": "South", "social_worker": "sw_south"},
                                  headers=bearer(tm)), 422)
    assert away["errors"] == {"team": ["This token may not allocate children to South"]}
    missing = problem_of(client.post(url, json={"team": "North"}, headers=bearer(tm)), 422)
    assert set(missing["errors"]) == {"social_worker", "on", "reason"}


def test_K9_K12_identity_is_written_as_a_new_version_and_read_back_with_the_case_details(
        client, api_tokens, children, staff):
    url = f"/api/v1/children/{children['N-1']}"
    first = client.post(f"{url}/identity", headers=bearer(api_tokens["north"]), json={
        "data": {"ethnicity": "White and Black Caribbean", "first_language": "English", "uasc": "no",
                 "support_services": ["camhs"], "support_details": "CAMHS, for play therapy"}})
    assert first.status_code == 201, first.get_data(as_text=True)
    assert first.get_json() == {"child_id": children["N-1"], "version": 1}
    # A change without a reason, and a choice that is not one: refused per field, nothing written.
    bad = problem_of(client.post(f"{url}/identity", headers=bearer(api_tokens["north"]), json={
        "data": {"ethnicity": "White and Black Caribbean", "uasc": "maybe"}}), 422)
    assert list(bad["errors"]) == ["data"] and "uasc" in str(bad["errors"]["data"]), bad
    refused = problem_of(client.post(f"{url}/identity", headers=bearer(api_tokens["north"]), json={
        "data": {"ethnicity": "White and Black Caribbean", "religion": "None"}}), 422)
    assert refused["errors"]["reason"] == ["Say what has changed and why: the earlier version is kept"]
    second = client.post(f"{url}/identity", headers=bearer(api_tokens["north"]), json={
        "data": {"ethnicity": "White and Black Caribbean", "religion": "None", "first_language": "English"},
        "reason": "Religion recorded at the CLA review"})
    assert second.get_json()["version"] == 2
    details = client.get(f"{url}/case-details", headers=bearer(api_tokens["iro"])).get_json()
    assert details["identity"]["version"] == 2 and details["identity"]["data"]["religion"] == "None"
    assert details["identity"]["reason"] == "Religion recorded at the CLA review"
    assert details["identity"]["recorded_by"] == "north-case (API)"
    assert details["siblings"] is None and details["family_time"]["arrangements"] == []
    # Another team's system cannot see it, a read-only one cannot write it.
    problem_of(client.get(f"{url}/case-details", headers=bearer(api_tokens["south"])), 404)
    problem_of(client.post(f"{url}/identity", headers=bearer(api_tokens["iro"]),
                           json={"data": {}, "reason": "x"}), 403)


def test_K4_a_sibling_out_of_the_tokens_sight_is_listed_without_detail(client, api_tokens, children, staff):
    from engine.casework import link_sibling
    link_sibling(staff, children["N-1"], "S-1", "sm")     # a service manager sees both teams
    north = client.get(f"/api/v1/children/{children['N-1']}/case-details",
                       headers=bearer(api_tokens["north"])).get_json()["siblings"]
    assert [(m["visible"], m["name"], m["id"]) for m in north["members"]] == [
        (True, "Child N-1", children["N-1"]), (False, "A sibling you do not have access to", None)]
    assert "reference" not in north["members"][1]
    council = client.get(f"/api/v1/children/{children['N-1']}/case-details",
                         headers=bearer(api_tokens["iro"])).get_json()["siblings"]
    assert sorted(m["name"] for m in council["members"]) == ["Child N-1", "Child S-1"]
    assert council["warning"].startswith("No together-or-apart assessment yet")


def test_A9_E6_E25_the_case_details_carry_the_family_network_and_the_health_assessments(client, api_tokens, children, staff):
    from engine.casework import add_health_assessment, save_network_person
    save_network_person(staff, children["N-1"], {
        "name": "Pat Grand", "relationship": "Grandmother", "identified_on": "2026-03-01",
        "caring": "offered", "assessment": "not_assessed"}, "sm")
    add_health_assessment(staff, children["N-1"], {
        "kind": "initial", "held_on": "2026-03-02", "carried_out_by": "LAC nurse", "outcome": "Well"}, "sm")
    details = client.get(f"/api/v1/children/{children['N-1']}/case-details",
                         headers=bearer(api_tokens["iro"])).get_json()
    [pat] = details["family_network"]["people"]
    assert (pat["name"], pat["caring"], pat["assessment"]) == ("Pat Grand", "offered", "not_assessed")
    assert "not yet assessed: Pat Grand (E6)" in details["family_network"]["warning"]
    assert details["health"]["assessments"][0]["outcome"] == "Well"
    assert details["health"]["due_on"] is not None and details["health"]["overdue"] is False


def test_A9_E6_the_family_network_is_written_over_the_API_as_the_page_writes_it(client, api_tokens, children, staff):
    url = f"/api/v1/children/{children['N-1']}"
    north = bearer(api_tokens["north"])
    # Refused by field with the engine's own messages (the page's), nothing written.
    refused = problem_of(client.post(f"{url}/family-network", headers=north, json={"data": {
        "name": "Pat Grand", "relationship": "Grandmother", "caring": "ruled_out", "assessment": "not_assessed"}}), 422)
    assert refused["errors"] == {
        "identified_on": ["Enter the date they were identified: the network is mapped early (A9, E6)"],
        "ruled_out_reason": ["Say why they were ruled out as a carer and by whom: every effort is made "
                             "for a family placement (E6)"]}
    assert client.get(f"{url}/case-details", headers=north).get_json()["family_network"]["people"] == []
    # A choice the form does not offer is refused before the engine, naming the field.
    bad = problem_of(client.post(f"{url}/family-network", headers=north, json={"data": {
        "name": "Pat Grand", "caring": "maybe"}}), 422)
    assert "caring" in str(bad["errors"]["data"])
    added = client.post(f"{url}/family-network", headers=north, json={"data": {
        "name": "Pat Grand", "relationship": "Grandmother", "identified_on": "2026-03-01",
        "caring": "offered", "assessment": "not_assessed"}})
    assert added.status_code == 201, added.get_data(as_text=True)
    assert added.get_json() == {"child_id": children["N-1"], "version": 1}
    # The same person twice is refused; changing her needs her number and a reason.
    again = problem_of(client.post(f"{url}/family-network", headers=north, json={"data": {
        "name": "Pat Grand", "relationship": "Grandmother", "identified_on": "2026-03-01",
        "caring": "offered", "assessment": "not_assessed"}}), 422)
    assert again["errors"] == {"name": ["Pat Grand is already in the network: change their entry instead"]}
    viability = {"name": "Pat Grand", "relationship": "Grandmother", "identified_on": "2026-03-01",
                 "caring": "offered", "assessment": "viability_positive", "assessed_on": "2026-03-02"}
    no_reason = problem_of(client.post(f"{url}/family-network", headers=north,
                                       json={"data": viability, "number": 1}), 422)
    assert no_reason["errors"] == {"reason": ["Say what has changed and why: the earlier version is kept"]}
    problem_of(client.post(f"{url}/family-network", headers=north,
                           json={"data": viability, "number": 7, "reason": "Viability"}), 404)
    changed = client.post(f"{url}/family-network", headers=north,
                          json={"data": viability, "number": 1, "reason": "Viability assessment positive"})
    assert changed.get_json()["version"] == 2
    network = client.get(f"{url}/case-details", headers=bearer(api_tokens["iro"])).get_json()["family_network"]
    [pat] = network["people"]
    assert (pat["number"], pat["assessment"], pat["assessed_on"]) == (1, "viability_positive", "2026-03-02")
    assert network["version"]["recorded_by"] == "north-case (API)"
    # A read-only system cannot write it; another team's cannot see the child.
    problem_of(client.post(f"{url}/family-network", headers=bearer(api_tokens["iro"]), json={"data": viability}), 403)
    problem_of(client.post(f"{url}/family-network", headers=bearer(api_tokens["south"]), json={"data": viability}), 404)


def test_E25_a_health_assessment_is_recorded_over_the_API_as_the_page_records_it(client, api_tokens, children, staff):
    url = f"/api/v1/children/{children['N-1']}"
    north = bearer(api_tokens["north"])
    refused = problem_of(client.post(f"{url}/health-assessments", headers=north, json={"data": {
        "kind": "initial", "held_on": "2099-01-01", "carried_out_by": "LAC nurse"}}), 422)
    assert refused["errors"] == {"held_on": ["Date it was carried out must be today or in the past"],
                                 "outcome": ["Say what the assessment found and the health plan"]}
    assert client.get(f"{url}/case-details", headers=north).get_json()["health"]["assessments"] == []
    done = client.post(f"{url}/health-assessments", headers=north, json={"data": {
        "kind": "initial", "held_on": "2026-03-02", "carried_out_by": "LAC nurse", "outcome": "Well; dental due."}})
    assert done.status_code == 201, done.get_data(as_text=True)
    assert done.get_json() == {"child_id": children["N-1"], "version": 1}
    twice = problem_of(client.post(f"{url}/health-assessments", headers=north, json={"data": {
        "kind": "review", "held_on": "2026-03-02", "carried_out_by": "LAC nurse", "outcome": "Again"}}), 422)
    assert twice["errors"] == {"held_on": ["An assessment on that date is already recorded"]}
    health = client.get(f"{url}/case-details", headers=bearer(api_tokens["iro"])).get_json()["health"]
    assert [(a["kind"], a["held_on"], a["outcome"]) for a in health["assessments"]] == [
        ("initial", "2026-03-02", "Well; dental due.")]
    assert health["version"]["recorded_by"] == "north-case (API)"
    problem_of(client.post(f"{url}/health-assessments", headers=bearer(api_tokens["iro"]),
                           json={"data": {"kind": "review"}}), 403)
