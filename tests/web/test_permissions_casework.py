"""Permission matrix for the case-detail pages (issue 12, sections 6 to 8: K1 to K14; and E32's
decision aid, issue 13): every
route against every kind of user, on SQLite and PostgreSQL.

Reading a section's versions is for whoever may see the child (as the child page). Changing
them is for the child's social workers and team manager, service managers and heads of
service (engine.casework.EDITING_ROLES): 403 for other roles who may see the child, 404 for a
child of another team, as if it did not exist. Children: NORTH (N-1) in a sibling group with
NORTH_SIB (N-3), with a family time arrangement; LOOSE (N-4) in no group; SOUTH (S-1)."""
import pytest

from engine import casework, register_child

from ..conftest import child_details
from .conftest import sign_in

USERS = ["anon", "gone", "sw", "sw2", "tm", "sw_south", "tm_south", "iro", "chair",
         "paneladmin", "adm", "legal", "sm", "hos", "po", "admin"]

MATRIX = """
route                                              anon gone sw  sw2 tm  sw_south tm_south iro chair paneladmin adm legal sm  hos po  admin
GET  /children/{north}/identity                    302  302  200 200 200 404      404      403 403   403        403 403   200 200 403 403
POST /children/{north}/identity                    302  302  302 302 302 404      404      403 403   403        403 403   302 302 403 403
GET  /children/{south}/identity                    302  302  404 404 404 200      200      403 403   403        403 403   200 200 403 403
GET  /children/999999/identity                     302  302  404 404 404 404      404      404 404   404        404 404   404 404 403 403
GET  /children/{north}/family-time/new             302  302  200 200 200 404      404      403 403   403        403 403   200 200 403 403
POST /children/{north}/family-time/new             302  302  302 302 302 404      404      403 403   403        403 403   302 302 403 403
GET  /children/{north}/family-time/review          302  302  200 200 200 404      404      403 403   403        403 403   200 200 403 403
POST /children/{north}/family-time/review          302  302  302 302 302 404      404      403 403   403        403 403   302 302 403 403
GET  /children/{loose}/family-time/review          302  302  404 404 404 404      404      403 403   403        403 403   404 404 403 403
GET  /children/{north}/siblings                    302  302  200 200 200 404      404      403 403   403        403 403   200 200 403 403
POST /children/{north}/siblings                    302  302  302 302 302 404      404      403 403   403        403 403   302 302 403 403
GET  /children/{north_sib}/siblings/remove         302  302  200 200 200 404      404      403 403   403        403 403   200 200 403 403
POST /children/{north_sib}/siblings/remove         302  302  302 302 302 404      404      403 403   403        403 403   302 302 403 403
GET  /children/{loose}/siblings/remove             302  302  404 404 404 404      404      403 403   403        403 403   404 404 403 403
GET  /children/{north}/siblings/assessment         302  302  200 200 200 404      404      403 403   403        403 403   200 200 403 403
POST /children/{north}/siblings/assessment         302  302  302 302 302 404      404      403 403   403        403 403   302 302 403 403
GET  /children/{south}/siblings/assessment         302  302  404 404 404 404      404      403 403   403        403 403   404 404 403 403
GET  /children/{north}/details/identity            302  302  200 200 200 404      404      200 200   200        200 200   200 200 403 200
GET  /children/{north}/details/family_time         302  302  200 200 200 404      404      200 200   200        200 200   200 200 403 200
GET  /children/{north}/details/sibling_assessment  302  302  200 200 200 404      404      200 200   200        200 200   200 200 403 200
GET  /children/{south}/details/identity            302  302  404 404 404 200      200      200 200   200        200 200   200 200 403 200
GET  /children/{north}/route-choice                302  302  200 200 200 404      404      403 403   403        403 403   200 200 403 403
POST /children/{north}/route-choice                302  302  302 302 302 404      404      403 403   403        403 403   302 302 403 403
GET  /children/{south}/route-choice                302  302  404 404 404 200      200      403 403   403        403 403   200 200 403 403
GET  /children/999999/route-choice                 302  302  404 404 404 404      404      404 404   404        404 404   404 404 403 403
GET  /children/{north}/details/route_choice        302  302  200 200 200 404      404      200 200   200        200 200   200 200 403 200
GET  /children/{south}/details/route_choice        302  302  404 404 404 200      200      200 200   200        200 200   200 200 403 200
GET  /children/{north}/family-network/new          302  302  200 200 200 404      404      403 403   403        403 403   200 200 403 403
POST /children/{north}/family-network/new          302  302  302 302 302 404      404      403 403   403        403 403   302 302 403 403
GET  /children/{south}/family-network/new          302  302  404 404 404 200      200      403 403   403        403 403   200 200 403 403
GET  /children/{north}/family-network/1            302  302  200 200 200 404      404      403 403   403        403 403   200 200 403 403
POST /children/{north}/family-network/1            302  302  302 302 302 404      404      403 403   403        403 403   302 302 403 403
GET  /children/{north}/family-network/99           302  302  404 404 404 404      404      403 403   403        403 403   404 404 403 403
GET  /children/{north}/health-assessments/new      302  302  200 200 200 404      404      403 403   403        403 403   200 200 403 403
POST /children/{north}/health-assessments/new      302  302  302 302 302 404      404      403 403   403        403 403   302 302 403 403
GET  /children/{south}/health-assessments/new      302  302  404 404 404 200      200      403 403   403        403 403   200 200 403 403
GET  /children/{north}/details/family_network      302  302  200 200 200 404      404      200 200   200        200 200   200 200 403 200
GET  /children/{north}/details/health_assessments  302  302  200 200 200 404      404      200 200   200        200 200   200 200 403 200
GET  /children/{south}/details/family_network      302  302  404 404 404 200      200      200 200   200        200 200   200 200 403 200
GET  /children/{north}/details/nonsense            302  302  404 404 404 404      404      404 404   404        404 404   404 404 403 404
"""

ASSESSMENT = {"assessed_on-day": "2", "assessed_on-month": "3", "assessed_on-year": "2026",
              "assessed_by": "The social worker", "relationships": "Close.", "needs": "Met by one home.",
              "recommendation": "together", "home_finding_by-day": "1", "home_finding_by-month": "6",
              "home_finding_by-year": "2026", "reason": "Updated"}
BODIES = {
    "/children/{north}/identity": {"ethnicity": "White British", "placement_locality": "local",
                                   "reason": "Confirmed with the family"},
    "/children/{north}/family-time/new": {
        "with_whom": "Mum", "relationship": "parent", "kind": "indirect", "how": "Letters",
        "frequency": "Twice a year", "agreed_on-day": "2", "agreed_on-month": "3",
        "agreed_on-year": "2026", "agreed_with": "Mum and the carers"},
    "/children/{north}/family-time/review": {"reviewed_on-day": "2", "reviewed_on-month": "3",
                                             "reviewed_on-year": "2026", "notes": "Going well"},
    "/children/{north}/siblings": {"sibling": "N-4"},
    "/children/{north_sib}/siblings/remove": {"reason": "Not a sibling after all"},
    "/children/{north}/siblings/assessment": ASSESSMENT,
    "/children/{north}/route-choice": {"ltf_oversight": "not_known", "reason": "Discussed at the PPM"},
    # A9, E6, E25: each user adds a different person and a review health assessment on a
    # different day (after the initial one, and after north became looked after: _places).
    "/children/{north}/family-network/new": lambda user: {
        "name": f"Aunt of {user}", "relationship": "Aunt", "identified_on-day": "2",
        "identified_on-month": "3", "identified_on-year": "2026", "caring": "offered",
        "assessment": "not_assessed"},
    "/children/{north}/family-network/1": {
        "name": "Gran", "relationship": "Grandmother", "identified_on-day": "2",
        "identified_on-month": "3", "identified_on-year": "2026", "caring": "ruled_out",
        "ruled_out_reason": "Too unwell to care, said the GP", "assessment": "not_assessed",
        "reason": "Ruled out"},
    "/children/{north}/health-assessments/new": lambda user: {
        "kind": "review", "held_on-day": str(1 + USERS.index(user)), "held_on-month": "2",
        "held_on-year": "2026", "carried_out_by": "LAC nurse", "outcome": "Well"},
}


def _rows():
    lines = [line.split() for line in MATRIX.strip().splitlines()]
    assert lines[0][1:] == USERS
    return [(method, path, dict(zip(USERS, map(int, codes)))) for method, path, *codes in lines[1:]]


def _places(db) -> dict:
    ids = {}
    for key, reference, team, worker in (("north", "N-1", "North", "sw"), ("north_sib", "N-3", "North", "sw"),
                                         ("loose", "N-4", "North", "sw2"), ("south", "S-1", "South", "sw_south")):
        ids[key] = register_child(db, child_details(reference=reference, team=team, social_worker=worker,
                                                    looked_after_on="2026-01-05"),
                                  worker, process_id="demo_pathway").child_id
    casework.link_sibling(db, ids["north"], "N-3", "sm")
    casework.add_family_time(db, ids["north"], {
        "with_whom": "Dad", "relationship": "parent", "kind": "direct", "how": "Visits",
        "where": "Family centre", "frequency": "Weekly", "supervision": "supervised",
        "facilitated_by": "Contact workers",
        "agreed_on": "2026-03-02", "agreed_with": "Dad"}, "sm")
    casework.save_network_person(db, ids["north"], {
        "name": "Gran", "relationship": "Grandmother", "identified_on": "2026-03-02",
        "caring": "offered", "assessment": "not_assessed"}, "sm")
    casework.add_health_assessment(db, ids["north"], {
        "kind": "initial", "held_on": "2026-01-20", "carried_out_by": "LAC nurse", "outcome": "Well"}, "sm")
    return ids


def _undo(db, route, places):
    """Put the sibling group back as it was after a link or a removal that worked."""
    if route == "/children/{north}/siblings":
        casework.unlink_sibling(db, places["loose"], "Put back for the next user", "sm")
    elif route == "/children/{north_sib}/siblings/remove":
        casework.link_sibling(db, places["north"], "N-3", "sm")


@pytest.mark.parametrize("method, route, codes", _rows(), ids=[f"{m} {r}" for m, r, _ in _rows()])
def test_K1_to_K14_A9_E6_E25_who_may_open_which_case_detail_page(app, staff, method, route, codes):
    places = _places(staff)
    wrong = []
    for user in USERS:
        client = app.test_client()
        if user != "anon":
            sign_in(client, user)
        path = route.format(**places)
        body = BODIES.get(route, {})
        response = client.get(path) if method == "GET" else client.post(
            path, data=body(user) if callable(body) else body)
        if response.status_code != codes[user]:
            wrong.append((user, response.status_code, codes[user],
                          response.get_data(as_text=True)[:300] if response.status_code == 400 else ""))
        elif method == "POST" and response.status_code == 302 and user not in ("anon", "gone"):
            _undo(staff, route, places)
    assert wrong == []
