"""Reminders by e-mail in a real browser: a social worker chooses a daily digest; an
administrator reads the e-mails the worker kept (no Notify key in the demo) and sees the
address on the staff page. Every page is checked by axe-core and at 320 px."""
from playwright.sync_api import expect

from .conftest import screenshot, sign_in


def test_a_person_chooses_a_digest_and_an_administrator_reads_the_outbox(page):
    sign_in(page, "ben.sw")
    page.get_by_role("link", name="Your reminders").click()
    expect(page.get_by_role("heading", name="Your reminders", level=1)).to_be_visible()
    expect(page.get_by_text("Reminders go to ben.sw@demo.council.example")).to_be_visible()
    page.get_by_label("An e-mail for each reminder").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your reminder choice is saved")).to_be_visible()
    expect(page.get_by_label("An e-mail for each reminder")).to_be_checked()
    screenshot(page, "reminders-mine")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "root.admin")
    page.get_by_role("link", name="E-mails").click()
    expect(page.get_by_role("heading", name="Reminder e-mails", level=1)).to_be_visible()
    expect(page.get_by_text("GOV.UK Notify is not set up")).to_be_visible()
    for _try in range(40):    # the worker's first round runs as the server starts
        if page.locator("tbody tr[id^=email-]").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    # A task reminder among them (panel business is e-mailed too: the demo's panel administrator
    # gets the coming panels' lists).
    first = page.locator("tbody tr[id^=email-]").filter(has_text="/tasks/").first
    expect(first).to_contain_text("Kept here")
    first.locator("summary").click()
    expect(first).to_contain_text("/tasks/")
    screenshot(page, "reminders-outbox")
    page.goto("/admin/staff/asha.sw")
    expect(page.get_by_label("E-mail address")).to_have_value("asha.sw@demo.council.example")
    screenshot(page, "reminders-staff")
