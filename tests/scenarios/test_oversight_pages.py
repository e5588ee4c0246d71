"""The oversight pages over the nine-child council of `oversight_council.py` (issue 11 §6):
the performance page's tables and charts (I4), the Corporate Parenting Board report read back
from its PDF and XLSX (I3), the period's field errors with what was typed kept, a team
manager's scope, the tracking meeting page (I5, I6), and the dashboard's counts leading to the
children behind them (I2, I8). The figures are the ones worked by hand in test_oversight.py.
"""
import io
import re
from datetime import datetime
from html import unescape

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from engine import clock

from ..web.conftest import make_app, page_text, sign_in
from .oversight_council import AS_OF, make_nine_children

PERIOD = {"from-day": "1", "from-month": "1", "from-year": "2027",
          "to-day": "30", "to-month": "6", "to-year": "2027"}


@pytest.fixture
def council(council_with_pathway):
    db, children = make_nine_children(council_with_pathway)
    app = make_app(db)
    clock.set_fixed(datetime(AS_OF.year, AS_OF.month, AS_OF.day, 9, tzinfo=clock.LONDON))
    return app, children


def client_for(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def test_the_performance_page_shows_the_figures_per_team_and_council_I4(council):
    app, _ = council
    page = client_for(app, "sm").get("/oversight/performance", query_string=PERIOD)
    assert page.status_code == 200
    text = page_text(page)
    assert "From 1 January 2027 to 30 June 2027" in text
    html = page.get_data(as_text=True)
    # The headline table: North, South, Council.
    assert "Plan by the second CLA review (R4) 100% (5 of 5) 67% (2 of 3) 88% (7 of 8)" in text
    assert ("Family Group Conference held (R6), of the children who entered care "
            "50% (2 of 4) 25% (1 of 4) 38% (3 of 8)") in text
    assert "R7: " in text and "75% (3 of 4) 50% (2 of 4) 63% (5 of 8)" in text
    assert "Days from entering care to the permanence plan 16 days (5 children) 14 days (2 children) 14 days (7 children)" in text
    assert "Days from entering care to the ADM decision (R15) 35 days (1 child) 30 days (1 child) 32.5 days (2 children)" in text
    assert "Days from entering care to permanence: Reunification 42 days (1 child) None 42 days (1 child)" in text
    assert "January 2027" in text and "June 2027" in text
    # Charts drawn on the page as images with a title and a description, figures in text.
    assert html.count('role="img"') == 2
    assert 'aria-labelledby="chart-clocks-title chart-clocks-desc"' in html
    assert "R7: Initial" in html and "63% (5 of 8)" in html


def test_a_team_manager_sees_only_their_team_I4_I8(council):
    app, _ = council
    text = page_text(client_for(app, "tm").get("/oversight/performance", query_string=PERIOD))
    assert "Indicator North Plan by the second CLA review (R4) 100% (5 of 5) Family" in text
    assert "South" not in text and "Council" not in text
    assert client_for(app, "sw").get("/oversight/performance").status_code == 403


@pytest.mark.parametrize("typed, message", [
    ({"from-day": "31", "from-month": "2"}, "The start of the period must be a real date"),
    ({"to-day": "", "to-month": ""}, "The end of the period must include a day and a month"),
    ({"to-year": "2026"}, "The end of the period must be on or after its start"),
    ({"to-year": "2028"}, "The end of the period must be today or earlier"),
    ({"from-year": "2023"}, "The period must be 3 years or shorter"),
])
def test_a_period_with_mistakes_is_shown_again_with_its_errors_I4(council, typed, message):
    app, _ = council
    sent = {**PERIOD, **typed}
    page = client_for(app, "sm").get("/oversight/performance", query_string=sent)
    assert page.status_code == 400
    text, html = page_text(page), page.get_data(as_text=True)
    assert "There is a problem" in text and message in text
    for name, value in sent.items():
        assert f'name="{name}" type="text" value="{value}"' in html or (
            f'name="{name}" type="text"' in html and not value), name


def test_the_corporate_parenting_board_report_as_pdf_I3(council):
    app, _ = council
    response = client_for(app, "hos").get("/oversight/performance/board.pdf", query_string=PERIOD)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "permanence-performance-2027-01-01-to-2027-06-30.pdf" in response.headers["Content-Disposition"]
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "OFFICIAL-SENSITIVE" in text and "Corporate Parenting Board" in text
    assert "Permanence: performance 1 January 2027 to 30 June 2027" in text
    assert "88% (7 of 8)" in text and "38% (3 of 8)" in text and "63% (5 of 8)" in text
    assert "32.5 days (2 children)" in text


def test_the_corporate_parenting_board_report_as_xlsx_I3(council):
    app, _ = council
    response = client_for(app, "sm").get("/oversight/performance/board.xlsx", query_string=PERIOD)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["About", "Headline", "Clocks by rule", "Days from entering care", "By month"]
    headline = {row[0]: row[1:] for row in book["Headline"].iter_rows(min_row=2, values_only=True)}
    assert headline["Plan by the second CLA review (R4)"] == (5, 5, 1, 2, 3, 2 / 3, 7, 8, 7 / 8)
    assert book["Headline"]["D1"].value == "North: %" and book["Headline"]["D2"].number_format == "0%"
    clocks = {row[0].split(":")[0]: row[1:] for row in book["Clocks by rule"].iter_rows(min_row=2, values_only=True)}
    assert clocks["R7"] == (3, 4, 0.75, 2, 4, 0.5, 5, 8, 5 / 8)
    days = {row[0]: row[1:] for row in book["Days from entering care"].iter_rows(min_row=2, values_only=True)}
    assert days["Days from entering care to the ADM decision (R15)"] == (35, 1, 30, 1, 32.5, 2)
    months = [row for row in book["By month"].iter_rows(min_row=2, values_only=True)]
    assert [(m[0], m[4], m[5]) for m in months] == [
        ("January 2027", 4, 4), ("February 2027", 2, 1), ("March 2027", 1, 2),
        ("April 2027", 0, 0), ("May 2027", 0, 0), ("June 2027", 1, 0)]


def test_the_tracking_meeting_page_by_age_band_I5_I6(council):
    app, children = council
    page = client_for(app, "hos").get("/oversight/tracking", query_string={
        "band": "0-5", "meeting_on-day": "5", "meeting_on-month": "7", "meeting_on-year": "2027"})
    assert page.status_code == 200
    text = page_text(page)
    assert "Children aged 0 to 5, 5 July 2027" in text
    assert "The meeting before was on 7 June 2027; the next is due by 2 August 2027" in text
    assert "3 with a plan that needs a family found" in text and "2 of them with no family-finding step" in text
    assert "Child's Permanence Report to the ADM: 1 February 2027 ADM decision: 8 February 2027" in text
    html = page.get_data(as_text=True)
    assert f'data-child-id="{children["N5"].child_id}"' in html
    assert f'data-child-id="{children["S4"].child_id}"' not in html   # aged 15
    bad = client_for(app, "hos").get("/oversight/tracking", query_string={
        "band": "7-9", "meeting_on-day": "5", "meeting_on-month": "13", "meeting_on-year": "2027"})
    assert bad.status_code == 400
    assert "The meeting date must be a real date" in page_text(bad)
    assert "Choose an age band" in page_text(bad)
    assert 'name="meeting_on-month" type="text" value="13"' in bad.get_data(as_text=True)


def _links(html: str, table_id: str) -> list[tuple[str, int]]:
    """(href, number shown) of each link in the table `table_id` of the dashboard."""
    table = html[html.index(f'id="{table_id}"'):]
    table = table[:table.index("</table>")]
    return [(unescape(href), int(n)) for href, n in re.findall(
        r'<a class="govuk-link" href="([^"]+)"[^>]*>(\d+)</a>', table)]


def _total(client, href: str) -> int:
    text = page_text(client.get(href))
    return int(re.search(r"(\d+) child(?:ren)?(?:, page| Sorted|\.)", text).group(1))


def test_dashboard_counts_link_to_the_children_behind_them_I2_I8(council):
    app, children = council
    client = client_for(app, "sm")
    html = client.get("/dashboard").get_data(as_text=True)
    by_stage, by_route = _links(html, "by-stage"), _links(html, "by-route")
    assert by_stage and by_route
    for href, shown in by_stage + by_route:
        assert _total(client, href) == shown, href
    # The overdue deadlines under R7 in South: S2's initial PPM was missed and is still to
    # hold; S4's was late but has been held.
    deadlines = dict(_links(html, "overdue-deadlines"))
    south_r7 = "/children?overdue=deadlines&rule=R7&team=South"
    assert deadlines[south_r7] == 1
    listed = client.get(south_r7)
    assert f'data-child-id="{children["S2"].child_id}"' in listed.get_data(as_text=True)
    assert "1 child" in page_text(listed)
    assert "Children with an overdue statutory deadline under R7" in page_text(listed)
    # A team manager's links stay within their team.
    north = client_for(app, "tm").get("/children?overdue=deadlines&rule=R7&team=South")
    assert "0 children" in page_text(north)
