"""The inbox: sections (my children, my team's, escalations) each counted, in strict due-date
order, 25 a page, filtered by kind, child and overdue; overdue and due-this-week tags, and
every due date with its weekday and its reason before the rule id."""
import re
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import event, select

from engine import open_tasks, ppm_action_views, register_child, sweep
from models import PpmAction, User

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


def _count(html: str, key: str) -> int:
    return int(re.search(rf'data-count="{key}">(\d+)<', html).group(1))


def test_a_social_worker_sees_their_own_children_then_colleagues_by_due_date(client, staff):
    _children(staff)
    sign_in(client, "sw")
    html = client.get("/inbox").get_data(as_text=True)
    assert _order(html, "my-tasks") == ["Cat Own", "Ann Own"]
    assert _order(html, "team-tasks") == ["Ben Other"]
    assert 'id="escalation-tasks"' not in html
    assert (_count(html, "mine"), _count(html, "team"), _count(html, "escalations")) == (2, 1, 0)
    text = page_text(client.get("/inbox"))
    assert "My children (2)" in text and "My team's tasks (1)" in text and "Escalations (0)" in text
    assert ("Mon 16 Mar 2026 Initial Permanency Planning Meeting within 10 working days of becoming "
            "looked after (R7) Record initial PPM") in text
    assert "C-1 · allocated to you" in text and "Sol South" not in text


def test_overdue_and_due_this_week_are_tagged(client, staff):
    _children(staff)
    set_clock(2026, 3, 9, 12)  # Cat's is due 6 March (overdue), Ben's 9 March (this week)
    sign_in(client, "sw")
    text = page_text(client.get("/inbox"))
    assert "Fri 6 Mar 2026 Overdue" in text
    assert "Mon 9 Mar 2026 Due this week" in text
    assert "Mon 16 Mar 2026 Initial" in text  # a week away: no tag
    assert text.count("Overdue") == 2 and text.count("Due this week") == 1  # the filter's legend, and Cat's


def test_a_team_manager_sees_escalations_apart_and_only_their_team(client, staff):
    _children(staff)
    set_clock(2026, 3, 7)
    sweep(staff)  # Cat's initial PPM is overdue: the Team Manager is asked to chase it by 10 March
    sign_in(client, "tm")
    html = client.get("/inbox").get_data(as_text=True)
    assert _order(html, "escalation-tasks") == ["Cat Own"]
    assert _order(html, "team-tasks") == ["Cat Own", "Ben Other", "Ann Own"]
    assert _count(html, "mine") == 0
    text = page_text(client.get("/inbox"))
    assert "My team's tasks (3)" in text and "Sol South" not in text
    assert "Escalations (1)" in text and "Chase overdue initial PPM" in text
    assert "Social worker: Sue Second" in text


def test_service_wide_managers_see_every_team(client, staff):
    _children(staff)
    for manager in ("sm", "hos"):
        sign_in(client, manager)
        text = page_text(client.get("/inbox"))
        assert "Tasks across the service (4)" in text
        assert "Sol South" in text and "Ann Own" in text
        assert "You have no tasks waiting." in text


def test_filters_by_kind_child_and_overdue(client, staff):
    _children(staff)
    set_clock(2026, 3, 9, 12)
    sweep(staff)
    sign_in(client, "hos")
    html = client.get("/inbox?overdue=yes").get_data(as_text=True)
    assert _order(html, "team-tasks") == ["Cat Own"]
    html = client.get("/inbox?child=ben").get_data(as_text=True)
    assert _order(html, "team-tasks") == ["Ben Other"]
    html = client.get("/inbox?child=S 1").get_data(as_text=True)
    assert _order(html, "team-tasks") == ["Sol South"]
    html = client.get("/inbox?kind=Chase+overdue+initial+PPM").get_data(as_text=True)
    assert _count(html, "team") == 0 and _order(html, "escalation-tasks") == ["Cat Own"]
    assert "No tasks match the filters." in page_text(client.get("/inbox?kind=No+such+task"))


def test_sections_are_paged_at_25_in_strict_due_date_order(client, staff):
    for n in range(30):  # looked after on 30 different days: 30 different due dates
        day = 1 + n % 28
        register_child(staff, child_details(reference=f"P-{n:02}", name=f"Pat {n:02}",
                                            looked_after_on=f"2026-{1 + n // 28:02}-{day:02}"), "sw",
                       process_id="demo_pathway")
    sign_in(client, "sw")
    first = client.get("/inbox").get_data(as_text=True)
    second = client.get("/inbox?mine_page=2").get_data(as_text=True)
    assert _count(first, "mine") == 30
    assert len(_order(first, "my-tasks")) == 25 and len(_order(second, "my-tasks")) == 5
    dates = re.findall(r'<time class="app-due-date" datetime="([\d-]+)"', first + second)
    assert len(dates) == 30 and dates == sorted(dates)
    assert "mine_page=2#mine" in first


def test_actions_you_own_are_read_a_page_at_a_time_with_their_count(client, staff):
    """A person may own hundreds of open actions: the inbox reads one page of 25 and counts
    the rest in the database, in due-date order; a page past the last shows the last."""
    child = register_child(staff, child_details(reference="A-1", name="Ada Acts"), "sw",
                           process_id="demo_pathway")
    with staff.transaction() as session:
        sw = session.scalar(select(User).where(User.username == "sw"))
        for n in reversed(range(30)):   # written latest first: the order shown is the due date's
            session.add(PpmAction(child_id=child.child_id, source="PPM", set_on=date(2026, 3, 2),
                                  action=f"Action {n:02}", owner_id=sw.id, due_on=date(2026, 4, 1) + timedelta(days=n),
                                  status="open", set_by_id=sw.id,
                                  created_at=datetime(2026, 3, 2, 9, tzinfo=timezone.utc)))
    sign_in(client, "sw")

    def listed(path):
        html = client.get(path).get_data(as_text=True)
        return re.search(r'id="actions-heading">Actions you own</span> <span class="app-count">\((\d+)\)', html).group(1), \
            re.findall(r">Action (\d\d)</a>", html)
    assert listed("/inbox") == ("30", [f"{n:02}" for n in range(25)])
    assert listed("/inbox?actions_page=2") == ("30", [f"{n:02}" for n in range(25, 30)])
    assert listed("/inbox?actions_page=9") == ("30", [f"{n:02}" for n in range(25, 30)])
    statements = []
    listen = lambda conn, cursor, statement, *rest: statements.append(statement)  # noqa: E731
    event.listen(staff.engine, "before_cursor_execute", listen)
    try:
        page = ppm_action_views.inbox_actions(staff, "sw", {"owned": 2})
    finally:
        event.remove(staff.engine, "before_cursor_execute", listen)
    assert (len(page["owned"]), page["owned_total"]) == (5, 30)
    # Read a page, not the whole list: the database limits the rows and counts them.
    [listing] = [s for s in statements if "FROM ppm_action" in s and "count(" not in s]
    assert "LIMIT" in listing and "OFFSET" in listing
    assert any("count(" in s and "FROM ppm_action" in s for s in statements)
    assert len(ppm_action_views.inbox_actions(staff, "sw")["owned"]) == 30   # unpaged: all


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
    assert nav("sw") == ["Inbox", "Children", "Startapathway"]
    assert nav("tm") == ["Inbox", "Children", "Startapathway", "Dashboard", "Performance"]
    assert nav("chair") == ["Inbox", "Children", "Startapathway", "Panel"]
    assert nav("hos") == ["Inbox", "Children", "Startapathway", "Dashboard", "Performance", "Panel"]
    assert nav("po") == ["Inbox", "Diagrams"]


def test_a_task_named_for_nobody_shows_in_every_section_it_belongs_to(client, staff):
    """An unallocated child's task has no assignee: NOT (assignee = me) is unknown in SQL, not
    true, and used to drop the task from the team manager's "My team's tasks", the service
    managers' list and the social workers' colleagues' list (as every IRO's, lawyer's and
    panel chair's task of a team, on the shipped pathway)."""
    _children(staff)
    register_child(staff, child_details(reference="C-4", name="Uma Waiting", social_worker=""), "tm",
                   process_id="demo_pathway")
    sign_in(client, "tm")
    html = client.get("/inbox").get_data(as_text=True)
    assert _order(html, "team-tasks") == ["Cat Own", "Ben Other", "Ann Own", "Uma Waiting"]
    assert _count(html, "team") == 4 and _count(html, "mine") == 0
    sign_in(client, "sw")
    html = client.get("/inbox").get_data(as_text=True)
    assert _order(html, "team-tasks") == ["Ben Other", "Uma Waiting"]
    assert _order(html, "my-tasks") == ["Cat Own", "Ann Own"]
    sign_in(client, "hos")
    assert "Tasks across the service (5)" in page_text(client.get("/inbox"))
