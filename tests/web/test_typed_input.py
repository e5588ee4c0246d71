"""What typed input may hold (issue 8, section 4), on SQLite and PostgreSQL: control
characters are refused with a clear message in task forms, the child form, query parameters
and the command line (a vertical tab in a name made every XLSX tracker 500, a NUL 500'd on
PostgreSQL); a tracker shows one stored before as a visible mark; dates typed have sane
bounds (from 1990, to two years ahead, not before the child's birth unless a field says so);
and `serve --port 99999` is refused."""
import io
import subprocess

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from engine import open_tasks, register_child
from models import Child
from workflows.forms import form_from_dicts

from ..conftest import child_details
from .conftest import page_text, sign_in
from .test_cli import run

PPM = {"held_on-day": "2", "held_on-month": "3", "held_on-year": "2026", "plan": "adoption",
       "contingency_plan": "Long-term fostering"}
CHILD = {"reference": "C-9", "name": "Ava Brown", "date_of_birth-day": "4", "date_of_birth-month": "5",
         "date_of_birth-year": "2019", "legal_status": "ico", "looked_after_on-day": "2",
         "looked_after_on-month": "3", "looked_after_on-year": "2026"}


@pytest.fixture
def ppm(staff):
    child = register_child(staff, child_details(), "sw", process_id="demo_pathway")
    [task] = open_tasks(staff, child_id=child.child_id)
    return f"/tasks/{task['task_id']}"


@pytest.mark.parametrize("typed, message", [
    ({"contingency_plan": "Long-term\x0bfostering"}, "Contingency plan must not contain a vertical tab"),
    ({"background": "Known\x00since 2024"}, "Background must not contain a null character"),
])
def test_a_task_form_refuses_control_characters_beside_the_field(client, ppm, typed, message):
    sign_in(client, "sw")
    response = client.post(ppm, data={**PPM, **typed})
    assert response.status_code == 400
    assert message in page_text(response)
    assert "Long-term" in response.get_data(as_text=True)  # what was typed is kept


def test_a_text_area_keeps_tabs_and_line_breaks(client, ppm):
    sign_in(client, "sw")
    response = client.post(ppm, data={**PPM, "background": "Known since 2024.\r\n\tTwo moves."})
    assert response.status_code == 302


@pytest.mark.parametrize("name, message", [
    ("Ava\x0bBrown", "Name must not contain a vertical tab"),
    ("Ava\x00Brown", "Name must not contain a null character"),
])
def test_the_child_form_refuses_control_characters(client, name, message):
    sign_in(client, "sw")
    response = client.post("/children/new", data={**CHILD, "name": name})
    assert response.status_code == 400
    assert message in page_text(response)


@pytest.mark.parametrize("url", ["/children?q=Ava%00", "/children?q=%0B", "/dashboard?process=%00x",
                                 "/sign-in?next=/inbox%00"])
def test_query_parameters_with_control_characters_are_refused_clearly(client, url):
    sign_in(client, "tm")
    response = client.get(url)
    assert response.status_code == 400, url
    assert "The address of this page contains a" in page_text(response)


def test_a_path_with_a_control_character_is_not_found(client):
    sign_in(client, "sw")
    assert client.get("/tasks/%00").status_code == 404
    assert client.get("/children/%0B1").status_code == 404


def test_a_sign_in_name_with_a_null_is_refused_not_a_500(client):
    response = client.post("/sign-in", data={"username": "sw\x00", "password": "x"})
    assert response.status_code == 400
    assert "What you sent contains a null character" in page_text(response)


def test_trackers_show_a_control_character_stored_before_as_a_visible_mark(client, staff):
    register_child(staff, child_details(), "sw", process_id="demo_pathway")
    with staff.transaction() as session:  # stored before control characters were refused
        session.execute(update(Child).values(name="Alex\x0bExample"))
    sign_in(client, "tm")
    workbook = client.get("/dashboard/tracker.xlsx")
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.get_data())).active
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == ["Alex\ufffdExample"]
    assert "Alex\ufffdExample" in client.get("/dashboard/tracker.csv").get_data(as_text=True)


@pytest.mark.parametrize("dates, message", [
    ({"looked_after_on-year": "0001"}, "Date the child became looked after must be on or after 1 January 1990"),
    ({"date_of_birth-year": "1926"}, "Date of birth must be on or after 1 January 1990"),
])
def test_the_child_form_refuses_dates_out_of_bounds(client, dates, message):
    sign_in(client, "sw")
    response = client.post("/children/new", data={**CHILD, **dates})
    assert response.status_code == 400
    assert message in page_text(response)


@pytest.mark.parametrize("held, message", [
    ({"held_on-year": "1926"},
     "Date the meeting was held must be on or after the child's date of birth (4 May 2019)"),
    ({"held_on-year": "2019", "held_on-month": "1"},
     "Date the meeting was held must be on or after the child's date of birth (4 May 2019)"),
])
def test_a_task_form_refuses_dates_out_of_bounds(client, ppm, held, message):
    sign_in(client, "sw")
    response = client.post(ppm, data={**PPM, **held})
    assert response.status_code == 400
    assert message in page_text(response)


def test_a_one_line_answer_refuses_a_tab_and_a_line_break_a_paragraph_keeps_them():
    form = form_from_dicts("f.json", {"type": "object", "properties": {
        "venue": {"type": "string", "title": "Venue", "maxLength": 100},
        "notes": {"type": "string", "title": "Notes", "maxLength": 4000}}})
    _, errors = form.validate({"venue": "Town\tHall", "notes": "One.\n\tTwo."})
    assert errors == {"venue": ["Venue must not contain a tab"]}
    _, errors = form.validate({"venue": "Town Hall", "notes": "One.\x1bTwo\ud800"})
    assert errors == {"notes": ["Notes must not contain a control character (U+001B)"]}


def test_date_bounds_in_every_form_and_a_field_may_say_otherwise():
    """The general rule is the forms' own, so the shipped FGC form (R6) refuses a conference
    before birth, and the SGO applicant's date of birth may be decades earlier."""
    form = form_from_dicts("f.json", {"type": "object", "properties": {
        "fgc_held_on": {"type": "string", "format": "date", "title": "Date the conference was held"},
        "next_on": {"type": "string", "format": "date", "title": "Next meeting"},
        "carer_born_on": {"type": "string", "format": "date", "title": "Carer's date of birth",
                          "x-earliest": "1900-01-01"}}})
    from datetime import date
    today, born = date(2026, 3, 2), {"date_of_birth": "2019-05-04"}
    _, errors = form.validate({"fgc_held_on": "2019-05-03", "next_on": "2028-03-03",
                               "carer_born_on": "1961-07-01"}, today, born)
    assert errors == {
        "fgc_held_on": ["Date the conference was held must be on or after the child's date of birth (4 May 2019)"],
        "next_on": ["Next meeting must be no later than 2 March 2028"]}
    assert form.validate({"fgc_held_on": "2019-05-04", "next_on": "2028-03-02",
                          "carer_born_on": "1961-07-01"}, today, born)[1] == {}


def test_the_command_line_refuses_control_characters_and_a_port_out_of_range(tmp_path):
    port = run(tmp_path, "serve", "--port", "99999")
    assert port.returncode != 0 and "99999 is not in the range 1<=x<=65535" in port.stderr
    typed = run(tmp_path, "child", "show", "C-1\x0b")
    assert typed.returncode == 2
    assert typed.stderr.startswith("error: argument 3 ('C-1\\x0b') contains a vertical tab")
