"""The inbox: my tasks (a social worker's own children first, then by due date), my team's
tasks for managers, overdue and due-this-week tags, and every due date with its reason."""
import re

from engine import open_tasks, register_child, sweep

from ..conftest import child_details, set_clock
from .conftest import page_text, sign_in


def _children(db):
    # Looked after on 2 March (due 16 March), 23 Feb (due 9 March), 20 Feb (due 6 March)
    register_child(db, child_details(reference="C-1", name="Ann Own", looked_after_on="2026-03-02"), "sw", process_id="demo_pathway")
    register_child(db, child_details(reference="C-2", name="Ben Other", social_worker="sw2",
                                     looked_after_on="2026-02-23"), "sw2", process_id="demo_pathway")
    register_child(db, child_details(reference="C-3", name="Cat Own", looked_after_on="2026-02-20"), "sw", process_id="demo_pathway")
    register_child(db, child_details(reference="S-1", name="Sol South", team="South",
                                     social_worker="sw_south"), "sw_south", process_id="demo_pathway")


def _order(html: str, table_id: str) -> list[str]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    return re.findall(r'href="/children/\d+">([^<]+)</a>', table)


def test_a_social_worker_sees_their_own_children_first_then_the_teams_by_due_date(client, staff):
    _children(staff)
    sign_in(client, "sw")
    html = client.get("/inbox").get_data(as_text=True)
    assert _order(html, "my-tasks") == ["Cat Own", "Ann Own", "Ben Other"]
    assert 'id="team-tasks"' not in html
    text = page_text(client.get("/inbox"))
    assert ("16 March 2026 Initial Permanency Planning Meeting within 10 working days of becoming "
            "looked after (R7) Record initial PPM") in text
    assert "C-1 · allocated to you" in text and "Sol South" not in text


def test_overdue_and_due_this_week_are_tagged(client, staff):
    _children(staff)
    set_clock(2026, 3, 9, 12)  # Cat's is due 6 March (overdue), Ben's 9 March (this week)
    sign_in(client, "sw")
    text = page_text(client.get("/inbox"))
    assert "6 March 2026 Overdue" in text
    assert "9 March 2026 Due this week" in text
    assert "16 March 2026 Initial" in text  # a week away: no tag
    assert text.count("Overdue") == 1 and text.count("Due this week") == 1


def test_a_team_manager_sees_their_teams_tasks_and_only_their_team(client, staff):
    _children(staff)
    set_clock(2026, 3, 7)
    sweep(staff)  # Cat's initial PPM is overdue: the Team Manager is asked to chase it by 10 March
    sign_in(client, "tm")
    html = client.get("/inbox").get_data(as_text=True)
    assert _order(html, "my-tasks") == ["Cat Own"]
    assert _order(html, "team-tasks") == ["Cat Own", "Ben Other", "Cat Own", "Ann Own"]
    text = page_text(client.get("/inbox"))
    assert "My team's tasks" in text and "Sol South" not in text
    assert "Chase overdue initial PPM" in text and "Social worker: Sue Second" in text


def test_service_wide_managers_see_every_team(client, staff):
    _children(staff)
    for manager in ("sm", "hos"):
        sign_in(client, manager)
        text = page_text(client.get("/inbox"))
        assert "Tasks across the service" in text
        assert "Sol South" in text and "Ann Own" in text
        assert "You have no tasks waiting." in text


def test_roles_without_casework_are_told_so(client, staff):
    _children(staff)
    for user in ("po", "admin"):
        sign_in(client, user)
        text = page_text(client.get("/inbox"))
        assert "no tasks come to you here" in text and "Ann Own" not in text


def test_a_council_wide_role_gets_its_own_lanes_tasks_for_every_team(client, staff):
    _children(staff)
    sign_in(client, "iro")
    assert "You have no tasks waiting." in page_text(client.get("/inbox"))
    assert len(open_tasks(staff)) == 4  # all in the Social Worker lane


def test_the_home_page_is_the_inbox(client, staff):
    sign_in(client, "sw")
    assert client.get("/").headers["Location"] == "/inbox"


def test_navigation_shows_each_role_its_areas_and_keeps_slots_for_later_pages(staff):
    from .conftest import make_app
    app = make_app(staff)
    client = app.test_client()

    def nav(user):
        sign_in(client, user)
        html = client.get("/inbox").get_data(as_text=True)
        links = re.findall(r'<a class="govuk-service-navigation__link" href="[^"]+"[^>]*>(.*?)</a>', html, re.S)
        return [re.sub(r"<[^>]+>|\s+", "", link) for link in links]
    assert nav("sw") == ["Inbox", "Startapathway"]
    assert nav("tm") == ["Inbox", "Startapathway", "Dashboard"]
    assert nav("chair") == ["Inbox", "Startapathway", "Panel"]
    assert nav("hos") == ["Inbox", "Startapathway", "Dashboard", "Panel"]
    assert nav("po") == ["Inbox", "Diagrams"]
