"""The child's record in a real browser (D7): a social worker records Charlie's initial PPM,
opens it from his timeline, prints it, and downloads the PDF, whose text holds the answers.

The demo data as at Monday 2 March 2026 (web/demo.py): Charlie White (DEMO-003, Ben's) waits
for his initial PPM (the browser tests share one server: Alfie's and Bella's are done by
test_practitioner.py and test_never_lose_work.py, which run first)."""
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import screenshot, sign_in

BACKGROUND = "Charlie settled quickly with his foster carers and sees his sister weekly."


def test_a_social_worker_records_a_ppm_reads_it_from_the_timeline_prints_it_and_gets_the_pdf(page, tmp_path):
    sign_in(page, "ben.sw")
    row = page.locator("#my-tasks tr", has=page.get_by_role("link", name="Charlie White"))
    row.get_by_role("link", name="Record initial PPM").click()
    held = page.get_by_role("group", name="Date the meeting was held")
    held.get_by_label("Day").fill("2")
    held.get_by_label("Month").fill("3")
    held.get_by_label("Year").fill("2026")
    page.get_by_label("Background (optional)").fill(BACKGROUND)
    page.get_by_label("Long-term fostering").check()
    page.get_by_label("Contingency plan").fill("Special guardianship with her aunt")
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    page.get_by_role("button", name="Complete task").click()
    expect(page).to_have_url(re.compile(r"/inbox$"))

    page.locator("#my-tasks").get_by_role("link", name="Charlie White").first.click()
    expect(page.get_by_role("heading", name="Charlie White", exact=True)).to_be_visible()
    records = page.locator("table.app-records")
    expect(records).to_contain_text("Record initial PPM")
    completed = page.locator(".app-timeline__item--task_completed", has_text="Record initial PPM")
    completed.get_by_role("link", name=re.compile("Read the record")).click()

    expect(page.get_by_role("heading", name="Initial Permanency Planning Meeting")).to_be_visible()
    answers = page.locator(".app-record__answers").first
    expect(answers).to_contain_text("Monday 2 March 2026")
    expect(answers).to_contain_text(BACKGROUND)
    expect(answers).to_contain_text("Long-term fostering")
    expect(answers).to_contain_text("Not recorded")      # the wishes and feelings were left empty
    screenshot(page, "records-1-record-page")

    page.get_by_role("link", name="Print view").click()
    expect(page.locator(".app-print__marking").first).to_have_text("OFFICIAL-SENSITIVE")
    expect(page.locator(".app-print__child").first).to_contain_text("DEMO-003")
    page.emulate_media(media="print")
    expect(page.locator(".app-print__controls")).to_be_hidden()
    screenshot(page, "records-2-print-view")
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("DEMO-003-")
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))
    assert BACKGROUND in text
    assert "Special guardianship with her aunt" in text
    assert "OFFICIAL-SENSITIVE" in text and "DEMO-003" in text
