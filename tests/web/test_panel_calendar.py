"""The panel invitation as a calendar file (N2, B14, C7): parsed back with `icalendar` (RFC
5545), one event per child of the person's at its 15-minute slot in the agenda's order, the
whole sitting for the panel's roles, and the link from the inbox's invitation. On SQLite and
PostgreSQL, at the app's fixed clock (Monday 2 March 2026): Thursday 5 March discusses
children with no plan (BCP week 9)."""
from datetime import datetime, timezone

import icalendar

from engine import register_child

from ..conftest import child_details
from .conftest import sign_in

ICS = "/panel/2026-03-05/invitation.ics"


def _children(db):
    # In the agenda's order (by name): Alex (N-1, sw), Bea (N-2, sw2), Cal (S-1, South).
    register_child(db, child_details(reference="N-1", name="Alex Able"), "sw", process_id="demo_pathway")
    register_child(db, child_details(reference="N-2", name="Bea Bright", social_worker="sw2"), "sw2",
                   process_id="demo_pathway")
    register_child(db, child_details(reference="S-1", name="Cal Coast", team="South",
                                     social_worker="sw_south"), "sw_south", process_id="demo_pathway")


def _calendar(client, user) -> icalendar.Calendar:
    sign_in(client, user)
    response = client.get(ICS)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="permanence-panel-2026-03-05.ics"'
    raw = response.get_data()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))       # RFC 5545 §3.1 folding
    assert raw.endswith(b"END:VCALENDAR\r\n")
    return icalendar.Calendar.from_ical(raw)


def _events(calendar):
    return [(str(e["SUMMARY"]), e.decoded("DTSTART"), e.decoded("DTEND"), str(e["UID"]))
            for e in calendar.walk("VEVENT")]


def test_N2_C7_a_social_worker_s_calendar_file_holds_their_child_at_its_slot(client, staff):
    _children(staff)
    calendar = _calendar(client, "sw2")
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["METHOD"]) == "PUBLISH"
    # Bea is second on the agenda: 14:15 to 14:30 (GMT in March), the reference only.
    [(summary, start, end, uid)] = _events(calendar)
    assert summary == "Permanence Panel: N-2"
    assert (start, end) == (datetime(2026, 3, 5, 14, 15, tzinfo=timezone.utc),
                            datetime(2026, 3, 5, 14, 30, tzinfo=timezone.utc))
    [event] = calendar.walk("VEVENT")
    description = str(event["DESCRIPTION"])
    assert "Papers on record by 26 February 2026" in description and "Bea" not in description
    assert uid.startswith("panel-2026-03-05-sw2-")


def test_N2_B14_the_team_manager_is_copied_on_the_team_s_children_and_the_chair_has_the_sitting(client, staff):
    _children(staff)
    assert [e[0] for e in _events(_calendar(client, "tm"))] == ["Permanence Panel: N-1", "Permanence Panel: N-2"]
    [(summary, start, end, _uid)] = _events(_calendar(client, "chair"))
    assert summary == "Permanence Panel: 3 children"
    assert (start, end) == (datetime(2026, 3, 5, 14, 0, tzinfo=timezone.utc),
                            datetime(2026, 3, 5, 14, 45, tzinfo=timezone.utc))


def test_N2_the_inbox_invitation_links_to_the_calendar_file(client, staff):
    _children(staff)
    sign_in(client, "sw")
    page = client.get("/inbox").get_data(as_text=True)
    assert f'href="{ICS}"' in page
    assert ('Add to calendar<span class="govuk-visually-hidden">: the panel on 5 March 2026, Alex Able'
            '</span>') in page


def test_N2_the_inbox_s_panel_business_reads_a_fixed_handful_of_statements(staff):
    """The inbox is the hot path: two panels in the invitation window (5 and 12 March) are
    worked out from one reading; roles with no panel business read only who is asking."""
    from engine.panel_business import panel_alerts

    from .test_one_snapshot import _Transactions
    _children(staff)
    seen = _Transactions(staff)
    try:
        alerts = panel_alerts(staff, "tm")
        assert [(a.kind, a.child, str(a.panel_date)) for a in alerts if a.kind == "invitation"] == [
            ("invitation", "Alex Able", "2026-03-05"), ("invitation", "Bea Bright", "2026-03-05")]
        # The user and their team; the children, proceedings, actions; papers (two).
        assert seen.statements <= 8
        seen.reset()
        assert panel_alerts(staff, "iro") == []
        assert seen.statements <= 2
    finally:
        seen.close()


def test_N2_N3_the_inbox_s_panel_business_agrees_with_the_panel_page(staff):
    """Read from one reading or not, the inbox lists what the panel page lists: the team's
    children on each panel in the window, and the same papers missing."""
    from engine import reporting
    from engine.panel_business import panel_alerts
    _children(staff)
    alerts = panel_alerts(staff, "tm")
    days = sorted({a.panel_date for a in alerts if a.kind == "invitation"} | {
        a.panel_date for a in alerts})
    assert days
    for day in days:
        agenda = reporting.panel(staff, "sm", day)
        page = {(c["name"], tuple(c["missing_papers"])) for cohort in agenda.cohorts
                for c in cohort.children if c["team"] == "North"}
        invited = {a.child for a in alerts if a.kind == "invitation" and a.panel_date == day}
        papers = {a.child: a.text.split(": ", 1)[1] for a in alerts if a.kind == "papers" and a.panel_date == day}
        assert {name for name, _m in page} == invited
        assert {name: "; ".join(m) for name, m in page if m} == papers


def test_N2_N3_the_inbox_pages_panel_business_at_25_with_the_whole_count(client, staff):
    """Only the page shown is rendered; the heading counts the whole list, and the pages
    together list every alert in the order panel_alerts gives."""
    import re

    from engine.panel_business import panel_alerts
    for n in range(14):
        register_child(staff, child_details(reference=f"N-{n:02}", name=f"Nell {n:02}"), "sw",
                       process_id="demo_pathway")
    alerts = panel_alerts(staff, "tm")
    assert len(alerts) > 25
    sign_in(client, "tm")

    def rows(page):
        section = page.split('id="panel-business"', 1)[1].split("</section>", 1)[0]
        return section, re.findall(r'<tr class="govuk-table__row" data-alert="(\w+)">', section)
    first, on_first = rows(client.get("/inbox").get_data(as_text=True))
    second, on_second = rows(client.get("/inbox?panel_page=2").get_data(as_text=True))
    assert f'<span class="app-count">({len(alerts)})</span>' in first
    assert f"1 to 25 of {len(alerts)}." in first and f"26 to {len(alerts)} of {len(alerts)}." in second
    assert on_first + on_second == [a.kind for a in alerts]
    assert "panel_page=2#panel-business" in first
    assert client.get("/inbox?panel_page=99").status_code == 200   # past the end: the last page
