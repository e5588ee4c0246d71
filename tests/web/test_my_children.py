""""My children" and the header's search, for every casework role, on the scenario council
(tests/web/managers.py) on SQLite and PostgreSQL: who each list shows is worked out here
from the children's real tasks (done through the shipped pathway), not written in."""
import re

import pytest
from sqlalchemy import select

from models import Child, HumanTask
from workflows import roles

from .conftest import sign_in
from .managers import STAFF, client, council  # noqa: F401 (fixtures)

ROLE = {username: role for username, _, role, _ in STAFF}


def _names(client, username, path="/children"):
    sign_in(client, username)
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    if 'id="children"' not in html:
        return set()
    table = html[html.index('id="children"'):html.index("</table>", html.index('id="children"'))]
    return set(re.findall(r'data-child-id="\d+">\s*<td[^>]*><a[^>]*>([^<]+)</a>', table))


def _children_where(db, *conditions):
    with db.transaction() as session:
        return set(session.scalars(select(Child.name).where(*conditions)))


def _with_tasks(db, lane, open_only):
    with db.transaction() as session:
        query = select(Child.name).join(HumanTask, HumanTask.child_id == Child.id).where(HumanTask.lane == lane)
        if open_only:
            query = query.where(HumanTask.status == "open")
        return set(session.scalars(query))


def test_a_social_worker_sees_the_children_allocated_to_them(council, client):
    db = council[0]
    from models import User
    with db.transaction() as session:
        sw_id = session.scalar(select(User.id).where(User.username == "sw"))
    mine = _children_where(db, Child.social_worker_id == sw_id)
    assert mine and _names(client, "sw") == mine
    everyone_in_north = _children_where(db, Child.reference.like("N-%"))
    assert _names(client, "sw", "/children?show=all") == everyone_in_north


@pytest.mark.parametrize("username, open_only", [("iro", False), ("adm", True), ("legal", True),
                                                 ("chair", True)])
def test_council_wide_roles_see_the_children_with_work_for_them(council, client, username, open_only):
    expected = _with_tasks(council[0], ROLE[username], open_only)
    assert _names(client, username) == expected
    if not expected:
        sign_in(client, username)
        assert "No children match" in client.get("/children").get_data(as_text=True)


def test_the_iro_can_list_every_child_a_page_at_a_time(council, client):
    assert _names(client, "iro", "/children?show=all") == _children_where(council[0])


def test_a_team_manager_sees_their_team_and_a_head_of_service_everyone(council, client):
    db = council[0]
    assert _names(client, "tm") == _children_where(db, Child.reference.like("N-%"))
    assert _names(client, "hos") == _children_where(db)


@pytest.mark.parametrize("typed", ["ava", "AVA", "  Ava  ", "n-1", "N 1", "n1"])
def test_search_is_tolerant_of_case_and_spacing(client, typed):
    assert "Ava" in " ".join(_names(client, "sw2", f"/children?q={typed}"))


def test_search_looks_at_every_child_the_user_may_see_and_no_further(council, client):
    # Dan (S-1) is South's: a North social worker cannot find him, an ADM can.
    assert not any("Dan" in n for n in _names(client, "sw", "/children?q=dan"))
    assert any("Dan" in n for n in _names(client, "adm", "/children?q=dan"))
    assert any("Dan" in n for n in _names(client, "sw_south", "/children?q=DAN"))


def test_every_role_that_may_see_children_has_the_search_box_in_the_header(client):
    for username in ("sw", "iro", "adm", "legal", "chair", "hos", "admin"):
        sign_in(client, username)
        html = client.get("/inbox").get_data(as_text=True)
        assert 'id="child-search"' in html, username
    sign_in(client, "po")
    assert 'id="child-search"' not in client.get("/inbox").get_data(as_text=True)
    assert client.get("/children?q=ava").status_code == 403
