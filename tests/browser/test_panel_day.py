"""The chair's panel day in a real browser (issue 11 §5): on Thursday 5 March 2026 the chair
opens the day's agenda (and its PDF), records Alfie's outcome straight from it, with the
panel's date already there and every consideration of the council's asked for; a mistake is
shown again with everything typed kept. The administrator records the action, with its owner
picked from staff, and both come back to the agenda. The minutes then hold the
considerations, the recommendation and the action, as a page and as a PDF read back, and the
action is in its owner's inbox (D15, D18, D19, C1, C3, B18, N1).

The server runs the shipped pathway with the demo children on its own fixed clock (a
Thursday, so the day's panel is today). Every page visited is checked with axe-core and at
320 px for sideways scrolling, as the other browser tests do."""
import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import checked_page, running_server, screenshot, sign_in

FINDING = "Parallel planning with the maternal aunt has not started: the PPM must consider it."
RECOMMENDATION = "Convene a PPM within four weeks to agree Alfie's permanence plan and contingency."
ACTION = "Convene Alfie's PPM and record the plan and the contingency"


@pytest.fixture(scope="module")
def panel_server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("panel-day"), "permanence_pathway",
                        settings={"PERMANENCE_CLOCK": "2026-03-05T09:00:00+00:00"}) as base:
        yield base


@pytest.fixture
def panel_page(browser, panel_server):
    with checked_page(browser, panel_server) as page:
        yield page


def _pdf_text(page, href: str) -> str:
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages))


def _alfie(page):
    return page.locator("#agenda ~ * tr, tr").filter(has=page.get_by_role("link", name="Alfie Brown")).first


def test_the_chairs_panel_day_from_the_agenda_to_the_minutes_pdf_D15_D18_D19(panel_page):
    page = panel_page
    sign_in(page, "pat.chair")
    page.get_by_role("link", name="Panel", exact=True).click()
    expect(page.get_by_role("heading", name="Thursday 5 March 2026")).to_be_visible()
    expect(page.locator("#panel-summary + p")).to_contain_text("Agenda sent on Monday 2 March 2026")
    expect(_alfie(page)).to_contain_text("Papers missing")
    screenshot(page, "panel-day-1-agenda")
    agenda_pdf = _pdf_text(page, page.get_by_role("link", name="download it as a PDF").get_attribute("href"))
    assert "Alfie Brown" in agenda_pdf and "5 March 2026" in agenda_pdf

    # The outcome, opened from the agenda: the date is the panel's, never typed again.
    _alfie(page).get_by_role("link", name="Record the first Permanence Panel outcome").click()
    held = page.get_by_role("group", name="Date of the panel")
    expect(held.get_by_label("Day")).to_have_value("5")
    expect(held.get_by_label("Month")).to_have_value("3")
    expect(held.get_by_label("Year")).to_have_value("2026")
    expect(page.locator("#considerations-0-consideration")).to_have_value("parallel_options")
    expect(page.locator("#considerations-4-consideration")).to_have_value("matching_drift")
    page.get_by_label("Social worker", exact=True).check()
    page.get_by_label("Team manager", exact=True).check()
    page.locator("#considerations-0-finding").fill(FINDING)
    for row in range(1, 5):
        page.locator(f"#considerations-{row}-finding").fill(f"Considered at the panel: point {row + 1}.")
    page.get_by_role("button", name="Continue", exact=True).click()
    # Nothing said on legal advice: the error names it, and everything typed is kept.
    expect(page.locator(".govuk-error-summary")).to_contain_text("Is legal advice needed?")
    expect(page.locator("#considerations-0-finding")).to_have_value(FINDING)
    expect(page.get_by_label("Social worker", exact=True)).to_be_checked()
    screenshot(page, "panel-day-2-outcome-error")
    page.locator("#recommendation").fill(RECOMMENDATION)
    page.locator("#legal_advice_needed").check()
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.locator("#answers")).to_contain_text(FINDING)
    page.get_by_role("button", name="Complete task").click()

    # Back at the agenda, Alfie's outcome recorded; his actions are the administrator's.
    expect(page).to_have_url(re.compile(r"/panel\?panel_date-day=5&panel_date-month=3&panel_date-year=2026"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Record the first Permanence Panel outcome for Alfie Brown is done")
    expect(_alfie(page)).to_contain_text("Outcome recorded, actions to record")
    screenshot(page, "panel-day-3-back-at-the-agenda")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "paul.paneladmin")
    page.get_by_role("link", name="Panel", exact=True).click()
    _alfie(page).get_by_role("link", name="Record the panel actions").click()
    page.locator("#actions-0-type").select_option("convene_ppm")
    page.locator("#actions-0-action").fill(ACTION)
    page.locator("#actions-0-owner").select_option("asha.sw")
    due = page.get_by_role("group", name="Due date")
    due.get_by_label("Day").fill("2")
    due.get_by_label("Month").fill("4")
    due.get_by_label("Year").fill("2026")
    screenshot(page, "panel-day-4-actions")
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.locator("#answers")).to_contain_text("Asha Patel")
    page.get_by_role("button", name="Complete task").click()
    expect(page).to_have_url(re.compile(r"/panel\?panel_date-day=5"))
    expect(_alfie(page)).not_to_contain_text("actions to record")

    # The minutes: a page to read and print, and its PDF, both with what the panel decided.
    page.get_by_role("link", name="The minutes of this panel").click()
    expect(page.get_by_role("heading", name=re.compile(r"Permanence Panel Actions \(5 March 2026\)")).first).to_be_visible()
    main = page.locator("main")
    for text in (FINDING, RECOMMENDATION, ACTION, "Asha Patel", "2 April 2026"):
        expect(main).to_contain_text(text)
    screenshot(page, "panel-day-5-minutes")
    minutes_pdf = _pdf_text(page, page.get_by_role("link", name=re.compile("PDF")).first.get_attribute("href"))
    for text in ("Permanence Panel Actions (5 March 2026)", "Alfie Brown", FINDING, RECOMMENDATION, ACTION):
        assert text in minutes_pdf, text
    page.go_back()      # the minutes are a print page, without the service's header
    page.get_by_role("button", name="Sign out").click()

    # The action's owner finds it in her inbox, and opens it to read what the panel asked.
    sign_in(page, "asha.sw")
    row = page.locator("#my-tasks tr").filter(has=page.get_by_role("link", name="Alfie Brown")).filter(
        has_text="Complete the panel action")
    expect(row).to_contain_text("2 Apr 2026")
    screenshot(page, "panel-day-6-owners-inbox")
    row.get_by_role("link", name="Complete the panel action").click()
    expect(page.locator("main")).to_contain_text(ACTION)
    screenshot(page, "panel-day-7-the-action")
