"""Starting a child's pathway from the page, and the child's page: details, stage and route,
open tasks, statutory deadlines, the timeline from the audit trail, and the diagram."""
import json
import re
from html import unescape

from sqlalchemy import select

from engine import complete_task, open_tasks, register_child, sweep
from models import AuditEvent

from ..conftest import child_details, set_clock
from .conftest import page_text, sign_in

NEW = {"reference": "CLA-7", "name": "Nia New", "legal_status": "ico", "team": "North",
       "social_worker": "sw2", "date_of_birth-day": "1", "date_of_birth-month": "6",
       "date_of_birth-year": "2015", "looked_after_on-day": "2", "looked_after_on-month": "3",
       "looked_after_on-year": "2026"}


def test_the_form_offers_a_team_scoped_user_their_own_team_and_themselves(client, staff):
    sign_in(client, "sw")
    html = client.get("/children/new").get_data(as_text=True)
    assert re.search(r'<option value="North" selected>', html)
    assert '<option value="South"' not in html
    assert re.search(r'<option value="sw" selected>Sam Worker \(North\)</option>', html)
    assert '<option value="sw_south"' not in html and '<option value="gone"' not in html
    assert html.count('name="legal_status"') == 7
    sign_in(client, "iro")  # council-wide: any team, nobody chosen for them
    html = client.get("/children/new").get_data(as_text=True)
    assert '<option value="South"' in html and not re.search(r'value="\w+" selected', html)


def test_starting_a_pathway_opens_the_first_task_and_shows_the_child(client, staff):
    sign_in(client, "sw")
    response = client.post("/children/new", data=NEW)
    assert response.status_code == 302
    assert re.fullmatch(r"/children/\d+", response.headers["Location"])
    text = page_text(client.get(response.headers["Location"]))
    assert "Nia New's pathway has started" in text
    assert "Next: Record initial PPM for the Social Worker, due 16 March 2026 (R7)" in text
    assert "Social worker Sue Second" in text and "Legal status Interim care order" in text


def test_mistakes_are_named_by_field_with_what_was_typed_kept(client, staff):
    register_child(staff, child_details(reference="CLA-7"), "sw", process_id="demo_pathway")
    sign_in(client, "sw")
    bad = {**NEW, "name": "", "date_of_birth-month": "", "looked_after_on-day": "31",
           "looked_after_on-month": "2", "legal_status": ""}
    response = client.post("/children/new", data=bad)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    box = html.split("govuk-error-summary__body")[1].split("</ul>")[0]
    summary = [(href, unescape(text)) for href, text in re.findall(r'<a href="(#[\w-]+)">([^<]+)</a>', box)]
    assert summary == [
        ("#reference", "A child with reference CLA-7 is already registered"),
        ("#name", "Enter the child's name"),
        ("#date_of_birth-month", "Date of birth must include a month"),
        ("#legal_status", "Select the child's legal status"),
        ("#looked_after_on-day", "Date the child became looked after must be a real date"),
    ]
    for name, typed in (("reference", "CLA-7"), ("date_of_birth-year", "2015"),
                        ("looked_after_on-day", "31")):
        assert re.search(rf'name="{name}"[^>]*value="{typed}"', html), name
    assert re.search(r'<option value="sw2" selected>', html)


def test_a_team_scoped_user_cannot_start_a_pathway_for_another_team(client, staff):
    sign_in(client, "sw_south")
    response = client.post("/children/new", data=NEW)
    assert response.status_code == 400
    assert "you can only start a pathway for a child in your team" in page_text(response)


def _child_on_review(db):
    """Registered 2 March; the initial PPM held 4 March with a plan of adoption."""
    child = register_child(db, child_details(), "sw", process_id="demo_pathway").child_id
    set_clock(2026, 3, 4, 15)
    [ppm] = open_tasks(db, child_id=child)
    complete_task(db, ppm["task_id"], {"held_on": "2026-03-04", "plan": "adoption",
                                       "contingency_plan": "Long-term fostering"}, "sw")
    return child


def test_the_child_page_shows_where_the_child_is_and_what_is_due(client, staff):
    child = _child_on_review(staff)
    sign_in(client, "tm")
    response = client.get(f"/children/{child}")
    assert response.status_code == 200
    text = page_text(response)
    for fact in ("C-001 Alex Example", "Date of birth 4 May 2019", "Looked after since 2 March 2026",
                 "Team North", "Social worker Sam Worker", "Stage Review PPMs", "Route Adoption",
                 "Pathway Running"):
        assert fact in text, fact
    assert "demo_pathway" not in text and "version" not in text   # the diagram's words are the process owners'
    assert "Open tasks Task For Due Record review PPM The Social Worker Wed 15 Apr 2026" in text
    assert "Initial PPM deadline R7 Initial Permanency Planning Meeting" in text
    assert "16 March 2026 Met on 4 March 2026" in text
    # The team manager cannot do the social worker's task: its name is not a link for them
    assert 'href="/tasks/' not in response.get_data(as_text=True)


def test_the_timeline_is_the_audit_trail_newest_first_including_timers_and_missed_deadlines(client, staff):
    child = register_child(staff, child_details(), "sw", process_id="demo_pathway").child_id
    set_clock(2026, 3, 17, 9)
    sweep(staff)  # the R7 deadline (16 March) is missed: the Team Manager is asked to chase
    sign_in(client, "sw")
    text = page_text(client.get(f"/children/{child}"))
    timeline = text.split("Timeline", 1)[1]
    events = [
        "Deadline missed: Initial PPM deadline, due 16 March 2026 (R7) Automatic, 17 March 2026 at 9am",
        "Task opened: Chase overdue initial PPM for the Team Manager, due 19 March 2026 (R7) Automatic, 17 March 2026 at 9am",
        "A time limit was reached: Initial PPM deadline Automatic, 17 March 2026 at 9am",
        "Task opened: Record initial PPM for the Social Worker, due 16 March 2026 (R7) Automatic, 2 March 2026 at 9am",
        "Pathway started Sam Worker, 2 March 2026 at 9am",
    ]
    positions = [timeline.index(e) for e in events]
    assert positions == sorted(positions)
    assert "Timer fired" not in text and "version 1" not in text
    sign_in(client, "admin")   # administrators, who fix pathways, keep the diagram's words
    admin_text = page_text(client.get(f"/children/{child}"))
    assert "Timer fired: Initial PPM deadline" in admin_text
    assert "Pathway started (diagram version 1)" in admin_text
    assert "Deadline Rule Due Status Initial PPM deadline R7" in text and "Missed" in text


def test_viewing_a_child_is_recorded_but_not_shown_in_the_timeline(client, staff):
    child = register_child(staff, child_details(), "sw", process_id="demo_pathway").child_id
    sign_in(client, "iro")
    client.get(f"/children/{child}")
    client.get(f"/children/{child}")
    with staff.transaction() as session:
        viewers = session.scalars(select(AuditEvent.actor_name).where(
            AuditEvent.child_id == child, AuditEvent.kind == "viewed")).all()
    assert viewers == ["Ivy Reviewer", "Ivy Reviewer"]
    assert "viewed" not in page_text(client.get(f"/children/{child}")).lower()


def test_the_diagram_is_the_childs_version_with_their_position_marked(client, staff):
    child = _child_on_review(staff)
    sign_in(client, "sw")
    html = client.get(f"/children/{child}").get_data(as_text=True)
    holder = re.search(r'<div class="app-diagram"[^>]*>', html).group(0)
    current = json.loads(re.search(r'data-current="([^"]*)"', holder).group(1).replace("&#34;", '"'))
    completed = json.loads(re.search(r'data-completed="([^"]*)"', holder).group(1).replace("&#34;", '"'))
    assert current == ["record_review_ppm"] and completed == ["record_initial_ppm"]
    assert f'data-diagram-url="/children/{child}/diagram.bpmn"' in holder
    assert "bpmn-navigated-viewer.production.min.js" in html
    diagram = client.get(f"/children/{child}/diagram.bpmn")
    assert diagram.status_code == 200 and diagram.mimetype == "application/xml"
    assert diagram.headers["Cache-Control"] == "private, no-store"
    assert '<bpmn:process id="demo_pathway"' in diagram.get_data(as_text=True)


def test_an_unknown_child_is_not_found(client, staff):
    sign_in(client, "sw")
    response = client.get("/children/424242")
    assert response.status_code == 404
    assert "Page not found" in page_text(response)
