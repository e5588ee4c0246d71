"""A child known before care in a real browser (A10, E18): Asha registers an unborn baby from
"Start a pathway", a mistake in the expected date shown beside its field with the rest kept;
the child's page says "Before care", and Noah (DEMO-011, on the edge of care, in
pre-proceedings) is in her list, tagged. Every page is checked with axe-core and at 320 px."""
import pytest
from playwright.sync_api import expect

from .conftest import checked_page, running_server, screenshot, sign_in


@pytest.fixture(scope="module")
def pathway_server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("before-care"), "permanence_pathway") as base:
        yield base


@pytest.fixture
def worker_page(browser, pathway_server):
    with checked_page(browser, pathway_server) as page:
        yield page


def test_A10_E18_an_unborn_baby_is_registered_before_care_and_Noah_is_listed_before_care(worker_page):
    page = worker_page
    sign_in(page, "asha.sw")
    page.goto("/children/new")
    page.get_by_role("link", name="Register a child before care").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a child before care")
    page.get_by_label("Reference number").fill("UNB-B1")
    page.get_by_label("Full name").fill("Baby of Jane Smith")
    page.get_by_label("Unborn: known before the birth").check()
    expected = page.get_by_role("group", name="Expected date of birth")
    expected.get_by_label("Day").fill("20")
    expected.get_by_label("Month").fill("13")
    expected.get_by_label("Year").fill("2026")
    told = page.get_by_role("group", name="Date the council was told or the child referred")
    told.get_by_label("Day").fill("23")
    told.get_by_label("Month").fill("2")
    told.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Register the child").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Expected date of birth must be a real date")
    expect(page.get_by_label("Full name")).to_have_value("Baby of Jane Smith")
    screenshot(page, "before-care-errors")
    page.get_by_role("group", name="Expected date of birth").get_by_label("Month").fill("5")
    page.get_by_role("button", name="Register the child").click()
    expect(page.locator("#before-care")).to_have_text("Before care")
    expect(page.locator("main")).to_contain_text("Record the notification and the counselling offered before the birth")
    screenshot(page, "before-care-child")
    page.goto("/children?show=all&q=DEMO-011")
    expect(page.locator("#children")).to_contain_text("Noah Price")
    expect(page.locator("#children")).to_contain_text("Before care")
