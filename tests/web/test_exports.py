"""The permanence tracker as CSV and XLSX: one row per child the user may see, real dates in
the spreadsheet, and no cell that a spreadsheet would run as a formula."""
import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from engine import register_child
from web.exports import csv_cell

from .conftest import sign_in
from .managers import TODAY, at, client, council, manager_app, publish_council  # noqa: F401 (fixtures)

HEADINGS = ["Reference", "Name", "Date of birth", "Age", "Team", "Social worker", "Legal status",
            "Looked after on", "Stage", "Route(s)", "Plan identified", "Last PPM", "Last CLA review",
            "Last panel", "Next deadline", "Next deadline rule", "Anything overdue", "Contingency plan",
            "Open and recent actions (owner, due, status, latest progress)", "Placement type",
            "Placement local or out of area", "Placement since", "Family Group Conference", "FGC held on",
            "Proceedings issued on", "Final hearing due by (timetable)", "Order made", "Order made on"]


def _csv(client, username) -> list[dict]:
    sign_in(client, username)
    response = client.get("/dashboard/tracker.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="permanence-tracker-2026-09-07.csv"'
    assert response.is_streamed
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADINGS
    return [dict(zip(HEADINGS, row)) for row in rows[1:]]


def test_the_csv_has_a_row_per_child_with_iso_dates(client):
    rows = _csv(client, "hos")
    assert [r["Reference"] for r in rows] == ["N-1", "N-2", "N-3", "N-4", "N-5", "S-1", "S-2", "S-3", "S-4"]
    ben = rows[1]
    # Ben's FGC was due on 16 March and not held: the team manager's alert is his open action (R6, H12).
    actions = ben.pop("Open and recent actions (owner, due, status, latest progress)")
    assert actions.startswith("Hold a Family Group Conference for Ben Brown") and "FGC missed (R6)" in actions
    assert ben == {
        "Reference": "N-2", "Name": "Ben Brown", "Date of birth": "2012-05-05", "Age": "14",
        "Team": "North", "Social worker": "Sam Worker", "Legal status": "Accommodated under section 20",
        "Looked after on": "2026-03-02", "Stage": "Reunification", "Route(s)": "Reunification",
        "Plan identified": "Yes", "Last PPM": "2026-03-09", "Last CLA review": "", "Last panel": "",
        "Next deadline": "2026-03-16", "Next deadline rule": "R6", "Anything overdue": "Yes",
        "Contingency plan": "Long-term fostering.",
        "Placement type": "", "Placement local or out of area": "", "Placement since": "",
        "Family Group Conference": "", "FGC held on": "", "Proceedings issued on": "",
        "Final hearing due by (timetable)": "", "Order made": "", "Order made on": ""}
    finn, eve = rows[3], rows[6]
    assert finn["Route(s)"] == "Adoption; Long-term fostering"
    assert (eve["Legal status"], eve["Last panel"]) == ("Placed with parents under a care order", "2026-08-13")
    assert rows[0]["Plan identified"] == "No"


def test_a_team_manager_exports_only_their_team(client):
    assert [r["Reference"] for r in _csv(client, "tm_south")] == ["S-1", "S-2", "S-3", "S-4"]
    assert [r["Reference"] for r in _csv(client, "tm")] == ["N-1", "N-2", "N-3", "N-4", "N-5"]


def test_the_xlsx_opens_with_real_dates_and_the_same_rows(client):
    sign_in(client, "sm")
    response = client.get("/dashboard/tracker.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"].endswith('filename="permanence-tracker-2026-09-07.xlsx"')
    book = load_workbook(io.BytesIO(response.get_data()))
    sheet = book["Permanence tracker"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADINGS
    assert [r[0] for r in rows[1:]] == ["N-1", "N-2", "N-3", "N-4", "N-5", "S-1", "S-2", "S-3", "S-4"]
    ben = dict(zip(HEADINGS, rows[2]))
    assert ben["Date of birth"] == datetime(2012, 5, 5)
    assert ben["Last PPM"] == datetime(2026, 3, 9)
    assert sheet["C3"].is_date and sheet["C3"].number_format == "dd/mm/yyyy"
    assert (ben["Age"], ben["Anything overdue"], ben["Last panel"]) == (14, "Yes", None)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:AB10"


@pytest.fixture
def awkward(db):
    """Children whose names a spreadsheet would otherwise run as formulas."""
    publish_council(db)
    at(date(2026, 3, 2))
    names = ['=HYPERLINK("http://evil.example","Click")', "+44 1234", "-2+3", "@SUM(A1:A2)"]
    for n, name in enumerate(names):
        register_child(db, {"reference": f"X-{n}", "name": name, "date_of_birth": "2015-01-01",
                            "legal_status": "co", "looked_after_on": "2026-03-02", "team": "North",
                            "social_worker": "sw"}, "sw", process_id="permanence_pathway")
    at(TODAY)
    return manager_app(db), names


def test_csv_cells_that_would_be_formulas_start_with_an_apostrophe(awkward):
    app, names = awkward
    client = app.test_client()
    rows = _csv(client, "hos")
    assert [r["Name"] for r in rows] == ["'" + name for name in names]
    assert all(not r["Date of birth"].startswith("'") for r in rows)


def test_xlsx_cells_that_look_like_formulas_are_text(awkward):
    app, names = awkward
    client = app.test_client()
    sign_in(client, "hos")
    book = load_workbook(io.BytesIO(client.get("/dashboard/tracker.xlsx").get_data()))
    cells = [row[1] for row in book.active.iter_rows(min_row=2)]
    assert [c.value for c in cells] == names
    assert {c.data_type for c in cells} == {"s"}


def test_a_tab_or_carriage_return_first_is_guarded_too_and_dates_are_iso():
    assert [csv_cell(v) for v in ("\tx", "\rx", "plain", None, 3, date(2026, 9, 7))] == [
        "'\tx", "'\rx", "plain", "", "3", "2026-09-07"]
