"""A practitioner's day, the parts that must never go wrong, in a real browser (the demo data
as at Monday 2 March 2026; see web/demo.py): a draft saved, signed out and found again; a
session that expired with answers typed; checking the answers and changing one; Enter in a
field never completing a task; finding a child by part of a name; reallocating a child with
the open tasks following; every role's pages. axe-core checks every page and state."""
import re

from playwright.sync_api import expect

from .conftest import screenshot, sign_in


def _open_task(page, child: str, task: str) -> None:
    page.goto("/inbox")
    page.locator("tr", has=page.get_by_role("link", name=child)).get_by_role("link", name=task).first.click()
    expect(page.get_by_role("heading", name=task)).to_be_visible()


def _fill_ppm(page, day="2", background="Bella settled with her foster carers.", plan="Adoption"):
    held = page.get_by_role("group", name="Date the meeting was held")
    held.get_by_label("Day").fill(day)
    held.get_by_label("Month").fill("3")
    held.get_by_label("Year").fill("2026")
    page.get_by_label("Background (optional)").fill(background)
    page.get_by_label(plan).check()
    page.get_by_label("Contingency plan").fill("Long-term fostering")


def test_a_draft_is_saved_and_restored_after_signing_out(page):
    sign_in(page, "asha.sw")
    _open_task(page, "Bella Green", "Record initial PPM")
    _fill_ppm(page)
    page.get_by_role("button", name="Save and come back later").click()
    expect(page).to_have_url(re.compile(r"/inbox$"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your answers to Record initial PPM for Bella Green are saved")
    screenshot(page, "20-draft-saved")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "asha.sw")
    _open_task(page, "Bella Green", "Record initial PPM")
    expect(page.locator("#draft-restored")).to_contain_text("are back in the form below")
    expect(page.get_by_label("Background (optional)")).to_have_value("Bella settled with her foster carers.")
    expect(page.get_by_label("Adoption")).to_be_checked()
    screenshot(page, "21-draft-restored")


def test_answers_typed_when_the_session_expired_are_kept(page):
    sign_in(page, "cara.sw")
    _open_task(page, "George Hall", "Record initial PPM")
    _fill_ppm(page, background="George wants to stay near his school.", plan="Reunification with parents")
    page.context.clear_cookies()   # the session cookie has expired, as a browser drops it
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.locator("#signed-out-expired")).to_contain_text("What you typed has been kept")
    screenshot(page, "22-signed-out-answers-kept")
    page.get_by_label("Username").fill("cara.sw")
    page.get_by_label("Password").fill("permanence-demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Record initial PPM")).to_be_visible()
    expect(page.get_by_label("Background (optional)")).to_have_value("George wants to stay near his school.")
    expect(page.get_by_label("Reunification with parents")).to_be_checked()
    screenshot(page, "23-answers-back-after-signing-in")


def test_enter_never_completes_and_answers_are_checked_and_changed_first(page):
    sign_in(page, "asha.sw")   # Bella's task (her draft was saved in the first test)
    _open_task(page, "Bella Green", "Record initial PPM")
    _fill_ppm(page, background="Bella is thriving.")
    page.get_by_role("group", name="Date the meeting was held").get_by_label("Year").press("Enter")
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    answers = page.locator("#answers")
    expect(answers).to_contain_text("Monday 2 March 2026")
    expect(answers).to_contain_text("Adoption")
    screenshot(page, "24-check-your-answers")
    answers.get_by_role("link", name="Change plan").click()
    expect(page.get_by_label("Adoption")).to_be_checked()     # everything typed is there
    page.get_by_label("Long-term fostering", exact=True).check()
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.locator("#answers")).to_contain_text("Long-term fostering")
    page.get_by_role("button", name="Complete task").click()
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Record initial PPM for Bella Green is done")
    banner.get_by_role("link", name="Record review PPM").click()
    expect(page.get_by_role("heading", name="Record review PPM")).to_be_visible()
    screenshot(page, "25-next-task-from-the-banner")


def test_search_finds_a_child_by_part_of_the_name(page):
    sign_in(page, "iris.iro")
    search = page.get_by_role("search", name="Children")
    search.get_by_label("Find a child by name or reference").fill("  HOLL ")
    search.get_by_role("button", name="Search").click()
    expect(page.locator("#children")).to_contain_text("Hollie King")
    expect(page.locator("#children tbody tr")).to_have_count(1)
    screenshot(page, "26-search-results")
    page.get_by_role("link", name="Hollie King").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hollie King")


def test_a_team_manager_reallocates_a_child_and_the_open_tasks_follow(page):
    sign_in(page, "tom.tm")
    page.goto("/children?q=ethan")
    page.get_by_role("link", name="Ethan Grey").click()
    page.get_by_role("link", name="Change social worker or team").click()
    page.get_by_label("Social worker").select_option(label="Ben Carter (Children in Care North)")
    page.get_by_label("Reason for the change").fill("")
    page.get_by_role("button", name="Change allocation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for the change")
    screenshot(page, "27-reallocation-error")
    page.get_by_label("Reason for the change").fill("Asha is on leave for three months")
    page.get_by_role("button", name="Change allocation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Ethan Grey is now allocated to Ben Carter")
    expect(page.locator(".app-timeline")).to_contain_text(
        "Social worker changed from Asha Patel to Ben Carter")
    screenshot(page, "28-reallocated")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "ben.sw")
    expect(page.locator("#my-tasks")).to_contain_text("Ethan Grey")
    expect(page.locator("#my-tasks").get_by_role("link", name="Record review PPM").first).to_be_visible()


def test_every_role_finds_its_pages(page):
    for user in ("asha.sw", "tom.tm", "iris.iro", "pat.chair", "ada.adm", "lee.legal", "hana.hos",
                 "olly.po", "root.admin"):
        sign_in(page, user)
        expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
        for link in ("Children", "Dashboard", "Panel", "Diagrams"):
            nav = page.get_by_role("navigation", name="Menu").get_by_role("link", name=link, exact=True)
            if nav.count():
                nav.click()
                page.wait_for_load_state("networkidle")
                page.go_back()
        page.get_by_role("link", name="Glossary").click()
        page.get_by_role("button", name="Sign out").click()
