"""The API's fixtures: the web app on both databases, and tokens an administrator issued
(through engine.tokens, as the admin page and `permanence token issue` do)."""
import pytest

from engine import register_child, tokens
from workflows import roles

from ...conftest import child_details

ALL_SCOPES = list(tokens.SCOPES)


def issue(db, name, roles_, teams, scopes=ALL_SCOPES) -> str:
    token, _info = tokens.issue(db, "admin", name=name, roles=roles_, scopes=scopes, teams=teams)
    return token


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def api_tokens(staff):
    """north: a North social worker system; south: South's; iro: council-wide, read only;
    manager: North's team manager (the tracker); bare: North, no scopes it will need."""
    return {
        "north": issue(staff, "north-case", [roles.SOCIAL_WORKER], ["North"]),
        "south": issue(staff, "south-case", [roles.SOCIAL_WORKER], ["South"]),
        "iro": issue(staff, "iro-system", [roles.IRO], None,
                     ["children:read", "tasks:read", "events:read"]),
        "iro_north": issue(staff, "iro-north", [roles.IRO], ["North"],
                           ["children:read", "tasks:read", "events:read"]),
        "manager": issue(staff, "north-tracker", [roles.TEAM_MANAGER], ["North"],
                         ["tracker:read", "children:read"]),
        "bare": issue(staff, "north-bare", [roles.SOCIAL_WORKER], ["North"], ["events:read"]),
    }


@pytest.fixture
def children(staff):
    """Two children in North (allocated to sw) and one in South."""
    ids = {}
    for ref, team, worker in (("N-1", "North", "sw"), ("N-2", "North", "sw"),
                              ("S-1", "South", "sw_south")):
        ids[ref] = register_child(staff, child_details(reference=ref, team=team,
                                                       social_worker=worker, name=f"Child {ref}"),
                                  "sw" if team == "North" else "sw_south",
                                  process_id="demo_pathway").child_id
    return ids


def problem_of(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["type"].startswith("https://")
    return body
