"""A Head of Service's oversight pages in a real browser (issue 11 §6): the performance page
with a mistaken period shown again, then its figures, charts and the Board report's links
(I3, I4); a tracking meeting by age band (I5, I6). The server runs the shipped pathway with
the demo children, so the figures are real ones. Every page visited is checked with axe-core
and at 320 px for sideways scrolling, as the other browser tests do."""
import pytest
from playwright.sync_api import expect

from .conftest import checked_page, running_server, screenshot, sign_in


@pytest.fixture(scope="module")
def pathway_server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("oversight"), "permanence_pathway") as base:
        yield base


@pytest.fixture
def manager_page(browser, pathway_server):
    with checked_page(browser, pathway_server) as page:
        yield page


def test_a_head_of_service_reads_the_performance_figures_and_a_tracking_meeting_I3_I4_I5(manager_page):
    page = manager_page
    sign_in(page, "hana.hos")
    page.get_by_role("link", name="Performance").first.click()
    expect(page.get_by_role("heading", name="Performance", level=1)).to_be_visible()
    # A period that ends before it starts: said beside the field, the dates typed kept.
    start = page.get_by_role("group", name="From")
    start.get_by_label("Day").fill("1")
    start.get_by_label("Month").fill("6")
    start.get_by_label("Year").fill("2026")
    end = page.get_by_role("group", name="To")
    end.get_by_label("Day").fill("1")
    end.get_by_label("Month").fill("1")
    end.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The end of the period must be on or after its start")
    expect(start.get_by_label("Month")).to_have_value("6")
    screenshot(page, "oversight-1-period-error")
    end.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("today or earlier")
    end.get_by_label("Day").fill("2")
    end.get_by_label("Month").fill("3")
    end.get_by_label("Year").fill("2026")
    start.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_text("From 1 June 2025 to 2 March 2026")).to_be_visible()
    expect(page.get_by_role("img", name="Statutory clocks met on time by rule, Council")).to_be_visible()
    expect(page.locator("#table-headline")).to_contain_text("Plan by the second CLA review (R4)")
    expect(page.get_by_role("link", name="PDF")).to_have_attribute("href", "/oversight/performance/board.pdf?"
                                                                     "from-day=1&from-month=6&from-year=2025&to-day=2&to-month=3&to-year=2026")
    screenshot(page, "oversight-2-performance")
    page.get_by_role("link", name="Tracking meetings").first.click()
    page.get_by_label("Age band").select_option("6-18")
    page.get_by_role("button", name="Show children").click()
    expect(page.get_by_role("heading", name="Young people aged 6 to 18, 2 March 2026")).to_be_visible()
    expect(page.locator("table[data-team]").first).to_be_visible()
    screenshot(page, "oversight-3-tracking")


def test_a_panel_chair_looks_back_at_disruptions_learning_and_fgc_use_G5_G6_G7(manager_page):
    page = manager_page
    sign_in(page, "pat.chair")
    page.goto("/panel/learning")
    expect(page.get_by_role("heading", name="Panel learning and monitoring", level=1)).to_be_visible()
    # The demo: Hollie's placement disrupted ten days ago, not yet reviewed at panel (G5);
    # Daisy's panel recorded learning (G6); FGC use of the children considered (G7).
    expect(page.locator(".app-learning-disruptions")).to_contain_text("Not yet reviewed")
    expect(page.locator(".app-learning-themes")).to_contain_text("Propose matches before the second review")
    expect(page.locator(".app-fgc-share")).to_contain_text("had a Family Group Conference held")
    screenshot(page, "panel-learning")
    page.get_by_role("link", name="Print view").click()
    expect(page.get_by_role("heading", name="Panel learning and monitoring", level=1)).to_contain_text("to 2 March 2026")
