"""The record pages (D7, D27, I7): answers under the form's own titles and order, the child
page's Records section and timeline links, a done task's page, corrections through the page,
print view and PDF. Real pages, the shipped pathway, SQLite and PostgreSQL."""
import io
from datetime import date
import re

from pypdf import PdfReader
from sqlalchemy import select

from engine import clock, open_tasks
from models import AuditEvent, TaskRecord
from tests.web.conftest import page_text, sign_in

from .pages import PPM, app_for, child_with_ppm, record_id


def test_d7_the_record_page_reads_the_answers_under_the_forms_titles(council_with_pathway):
    db = council_with_pathway
    child_with_ppm(db)
    client = app_for(db).test_client()
    sign_in(client, "iro")
    response = client.get(f"/records/{record_id(db)}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    text = page_text(response)
    assert "Permanency Planning Meeting" in text
    assert "Date the meeting was held Wednesday 10 March 2027" in text
    assert "Chaired by The allocated social worker" in text
    assert "Health Not recorded" in text
    assert "Route or routes of the plan Adoption Long-term fostering" in text
    assert "Due 15 March 2027 (R7) On time" in text
    # The actions are a table, in the form's order after the contingency plan.
    assert ("Contingency plan Long-term fostering with the current carers. Actions Action Owner "
            "Due date Referral to adoption team Sw (Social Worker, North) Wednesday 24 March 2027") in text
    assert text.index("Background") < text.index("Health") < text.index("Contingency plan")
    assert "Correct this record" not in text          # the IRO did not write it


def test_d7_an_answers_line_breaks_show_and_the_lists_indentation_does_not(council_with_pathway):
    """Answers keep their own line breaks (white-space: pre-line), so that style must sit on
    the text itself: on the summary list's value it showed the macro's indentation as an
    empty first line, each answer a line below its title."""
    db = council_with_pathway
    child_with_ppm(db)
    client = app_for(db).test_client()
    sign_in(client, "iro")
    pages = [client.get(f"/records/{record_id(db)}").text,
             client.get(f"/children/{record_child(db, record_id(db))}").text]
    for html in pages:
        values = re.findall(r'<dd class="govuk-summary-list__value app-record__answer[^"]*">(.*?)</dd>', html, re.S)
        assert values
        for value in values:
            assert re.fullmatch(r'\s*<span class="app-answer-text">[^<]*</span>\s*', value), value
    assert "Long-term fostering with the current carers." in pages[0]


def test_the_child_page_lists_records_by_kind_and_the_timeline_links_them(council_with_pathway):
    db = council_with_pathway
    case = child_with_ppm(db)
    case.do("Hold a Family Group Conference", on=date(2027, 3, 11), fgc_held_on="2027-03-11",
            fgc_outcome="family_plan_agreed")
    client = app_for(db).test_client()
    sign_in(client, "sw")
    response = client.get(f"/children/{case.child_id}")
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    records = html[html.index('id="records"'):html.index('id="timeline"')]
    assert records.index("Hold a Family Group Conference") < records.index("Hold the initial PPM")
    assert "PPMs (1)" in records
    filtered = client.get(f"/children/{case.child_id}?kind=ppm").get_data(as_text=True)
    listed = filtered[filtered.index('id="records"'):filtered.index('id="timeline"')]
    assert "Hold the initial PPM" in listed and "Hold a Family Group Conference</a>" not in listed
    links = re.findall(r'href="(/records/\d+)"[^>]*>Read the record', html)
    assert f"/records/{record_id(db)}" in links and len(links) == 2


def test_a_done_tasks_page_shows_its_record(council_with_pathway):
    db = council_with_pathway
    case = Case_start_and_task(db)
    client = app_for(db).test_client()
    sign_in(client, "sw")
    text = page_text(client.get(f"/tasks/{case}"))
    assert "was already completed by Sw" in text
    assert "What was recorded" in text and "Contingency plan Long-term fostering" in text


def Case_start_and_task(db) -> str:
    from tests.scenarios.conftest import Case
    from datetime import date
    case = Case.start(db, date(2027, 3, 1), date(2020, 6, 1))
    task_id = case.task("Hold the initial PPM")["task_id"]
    case.do("Hold the initial PPM", on=date(2027, 3, 10), held_on=date(2027, 3, 10), **PPM)
    return task_id


def _correction_form(client, rid) -> dict:
    """The correction form's fields as the browser would post them."""
    html = client.get(f"/records/{rid}/correct").get_data(as_text=True)
    data = {}
    for tag in re.findall(r'<input[^>]*>', html):
        found = re.search(r'name="([^"]+)"[^>]*value="([^"]*)"', tag)
        if found and 'type="radio"' not in tag and 'type="checkbox"' not in tag:   # those only when ticked
            data[found.group(1)] = found.group(2)
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', html):
        data[name] = value.strip()
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        picked = re.search(r'<option value="([^"]*)" selected', options)   # a PPM action's owner (A5)
        data[name] = picked.group(1) if picked else ""
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"[^>]*checked', html):
        data.setdefault(name + "[]", []).append(value)
    radios = {n: v for n, v in data.items() if not n.endswith("[]")}
    multi = {n[:-2]: v for n, v in data.items() if n.endswith("[]")}
    return {**radios, **multi}


def test_a_correction_through_the_page_keeps_what_was_typed_and_adds_a_revision(council_with_pathway):
    db = council_with_pathway
    child_with_ppm(db)
    client = app_for(db).test_client()
    sign_in(client, "sw")
    rid = record_id(db)
    data = _correction_form(client, rid)
    assert data["held_on-day"] == "10" and data["contingency_plan"] == PPM["contingency_plan"]
    data.update(contingency_plan="Special guardianship with the aunt", background="", reason="")
    refused = client.post(f"/records/{rid}/correct", data=data)
    assert refused.status_code == 400
    text = page_text(refused)
    assert "Enter the reason for the correction" in text and "Enter background" in text.replace("Enter the background", "Enter background")
    assert "Special guardianship with the aunt" in text      # kept
    data.update(background="Background, corrected.", reason="The aunt came forward on 11 March")
    saved = client.post(f"/records/{rid}/correct", data=data)
    assert saved.status_code == 302
    page = page_text(client.get(saved.headers["Location"]))
    assert "Contingency plan Special guardianship with the aunt" in page
    assert "Corrected Revision 2 by Sw" in page and "The aunt came forward on 11 March" in page
    assert "History" in page
    child_page = page_text(client.get(f"/children/{record_child(db, rid)}"))
    assert "Record corrected: Hold the initial PPM (revision 2): The aunt came forward on 11 March" in child_page
    old = page_text(client.get(f"/records/{rid}?revision=1"))
    assert "earlier version" in old and "Long-term fostering with the current carers." in old


def test_a_correction_moving_a_clock_date_is_refused_on_the_page(council_with_pathway):
    db = council_with_pathway
    child_with_ppm(db)
    client = app_for(db).test_client()
    sign_in(client, "sw")
    rid = record_id(db)
    data = _correction_form(client, rid)
    data.update({"held_on-day": "9", "reason": "It was the 9th"})
    refused = client.post(f"/records/{rid}/correct", data=data)
    assert refused.status_code == 400
    text = page_text(refused)
    assert "cannot be corrected yet: the statutory clocks now running count from 10 March 2027" in text
    assert "Hold the review PPM, due 21 April 2027 (R8)" in text
    assert 'value="9"' in refused.get_data(as_text=True)     # what was typed is kept


def test_only_the_author_or_their_team_manager_get_the_correction_page(council_with_pathway):
    db = council_with_pathway
    child_with_ppm(db)
    client = app_for(db).test_client()
    rid = record_id(db)
    for user, code in (("sw", 200), ("tm", 200), ("sw2", 403), ("iro", 403), ("sw_south", 404), ("po", 403)):
        sign_in(client, user)
        assert client.get(f"/records/{rid}/correct").status_code == code, user


def test_print_view_and_pdf_are_headed_and_marked_and_the_download_is_audited(council_with_pathway):
    db = council_with_pathway
    child_with_ppm(db)
    client = app_for(db).test_client()
    sign_in(client, "sw")
    rid = record_id(db)
    view = client.get(f"/records/{rid}/print")
    # Its own icon, as every page has: the browser otherwise asks for /favicon.ico, a 404 in
    # the console of every print view (found walking it).
    icon = re.search(r'<link rel="icon"[^>]*href="([^"]+)"', view.get_data(as_text=True))
    assert icon and client.get(icon.group(1)).status_code == 200
    printed = page_text(view)
    for words in ("OFFICIAL-SENSITIVE", "Northshire County Council", "Reference C-1",
                  "Printed 12 March 2027 at 9am", "Contingency plan Long-term fostering"):
        assert words in printed
    response = client.get(f"/records/{rid}.pdf")
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    text = re.sub(r"\s+", " ", text)
    for words in ("OFFICIAL-SENSITIVE", "Northshire County Council", "C-1",
                  "Long-term fostering with the current carers.", "Referral to adoption team",
                  "Wednesday 10 March 2027"):
        assert words in text, words
    with db.transaction() as s:
        purposes = s.scalars(select(AuditEvent.detail).where(
            AuditEvent.kind == "record_downloaded").order_by(AuditEvent.id)).all()
    assert [p["purpose"] for p in purposes] == ["print", "pdf"]


def test_d9_d24_the_child_page_shows_the_plan_its_actions_next_reviews_and_history(council_with_pathway):
    db = council_with_pathway
    case = child_with_ppm(db)
    case.do("Hold the review PPM", on=date(2027, 4, 20), held_on=date(2027, 4, 20), progress="Going well.",
            wishes_and_feelings="Happy where she is.", change_of_plan_proposed=True, proposed_change="Adoption only: the carers cannot offer permanence",
            actions=[{"action": "Family finding", "owner": "sw", "due_on": "2027-05-20"}])
    case.do("Review the proposed change of plan", on=date(2027, 4, 27), change_reviewed_on=date(2027, 4, 27),
            change_agreed=True, new_routes=["adoption"], comments="Carers cannot offer permanence.")
    client = app_for(db, clock="2027-05-25T09:00:00+00:00").test_client()
    sign_in(client, "sw")
    html = client.get(f"/children/{case.child_id}").get_data(as_text=True)
    text = page_text_of(html[html.index('id="plan"'):html.index('id="open-tasks"')])
    assert "Route Adoption" in text
    assert "Contingency plan Long-term fostering with the current carers." in text
    assert "Reasons Carers cannot offer permanence." in text
    assert "Agreed 27 April 2027, Iro" in text
    assert "Actions still to do Action Owner Due Status From" in text
    assert "Family finding Sw 20 May 2027 Overdue PPM, 20 April 2027" in text
    # A5: a PPM action is its owner's work until it is done, not closed by the next PPM.
    assert "Referral to adoption team Sw 24 March 2027 Overdue PPM, 10 March 2027" in text
    whole = page_text(client.get(f"/children/{case.child_id}/plan"))
    assert "Referral to adoption team Sw 24 March 2027 Overdue PPM, 10 March 2027" in whole
    assert "Hold the review PPM" in text      # the next PPM date
    history = text[text.index("How the plan has changed"):]
    assert history.index("27 April 2027 Adoption") < history.index("10 March 2027 Adoption and Long-term fostering")
    plan = page_text(client.get(f"/children/{case.child_id}/plan/print"))
    assert "Permanence plan for Alex Example" in plan and "OFFICIAL-SENSITIVE" in plan
    pdf = client.get(f"/children/{case.child_id}/plan.pdf")
    words = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages))
    assert "Family finding" in words and "Carers cannot offer permanence." in words


def page_text_of(html: str) -> str:
    from html import unescape
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def record_child(db, rid) -> int:
    with db.transaction() as s:
        return s.get(TaskRecord, rid).child_id
