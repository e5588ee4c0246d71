"""A practitioner's day in a real browser: sign in, find the task, make a mistake, see it
beside the field with the rest kept, correct it, and find the next task in the inbox; a
manager looks at a child and sees where they are on the diagram.

The demo data as at Monday 2 March 2026 (web/demo.py): Alfie Brown (DEMO-001, Asha's) waits
for his initial PPM; Charlie White's (DEMO-003, Ben's) is overdue, so his Team Manager is
also asked to chase it."""
import re

from playwright.sync_api import expect

from .conftest import screenshot, sign_in


def test_a_social_worker_records_the_initial_ppm_after_correcting_a_mistake(page):
    sign_in(page, "asha.sw")
    expect(page).to_have_url(re.compile(r"/inbox$"))
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    screenshot(page, "1-inbox-social-worker")

    mine = page.locator("#my-tasks")
    row = mine.locator("tr", has=page.get_by_role("link", name="Alfie Brown"))
    expect(row).to_contain_text("Fri 13 Mar 2026")
    expect(row).to_contain_text("(R7)")
    row.get_by_role("link", name="Record initial PPM").click()
    expect(page.get_by_role("heading", name="Record initial PPM")).to_be_visible()

    held = page.get_by_role("group", name="Date the meeting was held")
    held.get_by_label("Day").fill("20")          # 20 March 2026: still to come
    held.get_by_label("Month").fill("3")
    held.get_by_label("Year").fill("2026")
    page.get_by_label("Background (optional)").fill("Alfie came into care with his sister.")
    page.get_by_label("Adoption").check()
    page.get_by_label("Contingency plan").fill("Long-term fostering with the current carers")
    page.get_by_role("button", name="Continue", exact=True).click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Date the meeting was held must be today or in the past")
    expect(page.locator("#held_on-error")).to_contain_text("must be today or in the past")
    expect(held.get_by_label("Day")).to_have_value("20")
    expect(page.get_by_label("Background (optional)")).to_have_value("Alfie came into care with his sister.")
    expect(page.get_by_label("Adoption")).to_be_checked()
    screenshot(page, "2-task-with-error")

    summary.get_by_role("link", name=re.compile("Date the meeting was held")).click()
    expect(held.get_by_label("Day")).to_be_focused()
    held.get_by_label("Day").fill("2")
    page.get_by_role("button", name="Continue", exact=True).click()

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.locator("#answers")).to_contain_text("Monday 2 March 2026")
    screenshot(page, "2b-check-your-answers")
    page.get_by_role("button", name="Complete task").click()

    expect(page).to_have_url(re.compile(r"/inbox$"))
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Record initial PPM for Alfie Brown is done")
    expect(banner).to_contain_text("Record review PPM for the Social Worker, due Mon 13 Apr 2026 (R8)")
    expect(banner.get_by_role("link", name="Record review PPM")).to_have_attribute("href", re.compile(r"^/tasks/"))
    alfie = page.locator("#my-tasks tr", has=page.get_by_role("link", name="Alfie Brown"))
    expect(alfie.get_by_role("link", name="Record review PPM")).to_be_visible()
    screenshot(page, "3-inbox-after-completing")


def test_a_manager_sees_where_a_child_is_on_the_diagram(page):
    sign_in(page, "tom.tm")
    expect(page.locator("#team-tasks")).to_be_visible()
    page.locator("#team-tasks").get_by_role("link", name="Charlie White").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Charlie White")

    diagram = page.locator("[data-pathway-diagram]")
    expect(diagram).to_have_attribute("data-diagram-state", "shown")
    task = diagram.locator('svg g.djs-element[data-element-id="record_initial_ppm"]')
    expect(task).to_have_class(re.compile(r"\bapp-diagram--current\b"))
    chase = diagram.locator('svg g.djs-element[data-element-id="chase_initial_ppm"]')
    expect(chase).to_have_class(re.compile(r"\bapp-diagram--current\b"))
    review = diagram.locator('svg g.djs-element[data-element-id="record_review_ppm"]')
    expect(review).not_to_have_class(re.compile(r"app-diagram--"))
    expect(page.locator("#deadlines ~ table").first).to_contain_text("Missed")
    diagram.scroll_into_view_if_needed()
    screenshot(page, "4-child-page-manager")


def test_the_pages_run_under_the_content_security_policy(page):
    """GOV.UK Frontend's inline script runs with the request's nonce (the page fixture fails
    the test if the policy blocked anything, here and in every browser test)."""
    response = page.goto("/sign-in")
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    sign_in(page, "asha.sw")
    page.wait_for_url("**/inbox")
    assert page.evaluate("document.body.classList.contains('js-enabled')")
