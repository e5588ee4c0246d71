"""A relinquished baby and a Fostering for Adoption placement in a real browser (E18, E19, E21,
B12): the shipped pathway with the demo children. Asha opens Mia's (DEMO-009) "Notify Cafcass to
witness consent", due within her first 6 weeks (R18); a date before the birth is shown beside its
field with the officer's name kept. Her counselling record and Ethan's (DEMO-005) FfA placement
read back from their records. Every page is checked with axe-core and at 320 px."""
import re

import pytest
from playwright.sync_api import expect

from .conftest import checked_page, running_server, screenshot, sign_in


@pytest.fixture(scope="module")
def pathway_server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("early-permanence"), "permanence_pathway") as base:
        yield base


@pytest.fixture
def worker_page(browser, pathway_server):
    with checked_page(browser, pathway_server) as page:
        yield page


def test_E18_B12_Cafcass_is_notified_for_a_relinquished_baby_and_E21_the_FfA_placement_reads_back(worker_page):
    page = worker_page
    sign_in(page, "asha.sw")
    page.goto("/children?show=all&q=DEMO-009")
    page.get_by_role("link", name="Mia Clarke").first.click()
    expect(page.get_by_role("heading", name="Mia Clarke", exact=True)).to_be_visible()
    page.get_by_role("link", name="Notify Cafcass to witness consent").first.click()
    expect(page.get_by_role("heading", name="Notify Cafcass to witness consent")).to_be_visible()
    expect(page.locator("main")).to_contain_text("R18")
    notified = page.get_by_role("group", name="Date Cafcass was notified")
    notified.get_by_label("Day").fill("1")
    notified.get_by_label("Month").fill("1")
    notified.get_by_label("Year").fill("2026")
    page.get_by_label("Cafcass officer (if allocated) (optional)").fill("Jo Reporter")
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The date Cafcass was notified must be on or after the child's date of birth")
    expect(page.get_by_label("Cafcass officer (if allocated) (optional)")).to_have_value("Jo Reporter")
    screenshot(page, "early-permanence-1-cafcass-error")

    completed = page.goto("/children?show=all&q=DEMO-009")
    assert completed.ok
    page.get_by_role("link", name="Mia Clarke").first.click()
    item = page.locator(".app-timeline__item--task_completed",
                        has_text="Record the relinquishment and the counselling offered")
    item.get_by_role("link", name=re.compile("Read the record")).click()
    answers = page.locator(".app-record__answers").first
    expect(answers).to_contain_text("Asha Patel, social worker")
    expect(answers).to_contain_text("Not appropriate")
    screenshot(page, "early-permanence-2-counselling-record")

    page.goto("/children?show=all&q=DEMO-005")
    page.get_by_role("link", name="Ethan Grey").first.click()
    item = page.locator(".app-timeline__item--task_completed", has_text="Record the Fostering for Adoption placement")
    item.get_by_role("link", name=re.compile("Read the record")).click()
    expect(page.get_by_role("heading", name="Fostering for Adoption placement")).to_be_visible()
    screenshot(page, "early-permanence-3-ffa-record")
