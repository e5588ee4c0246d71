"""Panel papers (D14, N7, D27, D19): for each child on the agenda, the plan, the latest PPM,
the latest CLA review, and earlier panel recommendations with their actions' status; one
page and one PDF per child, and the whole agenda as one PDF. Two children, both databases."""
import io
import re
import pytest
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from engine import open_tasks
from models import AuditEvent
from tests.scenarios.conftest import PPM_AREAS, STAFF, Case, at
from tests.web.conftest import page_text, sign_in

from .pages import app_for


@pytest.fixture(autouse=True)
def _every_cohort(every_cohort_weekly):
    """These tests read every BCP cohort on one Thursday (no rotation): the rotation has its
    own tests in tests/scenarios/test_permanence_panel.py."""


PANEL = "panel_date-day=8&panel_date-month=4&panel_date-year=2027"


def _two_children(db):
    """Rosa: a plan of reunification, at panel in March with two actions (one done) and a
    CLA review; Ben: no plan yet. Both go to the panel on Thursday 8 April 2027."""
    rosa = Case.start(db, date(2027, 3, 1), date(2019, 5, 4), legal_status="co", reference="R-1")
    rosa.do("Hold the initial PPM", on=date(2027, 3, 10), held_on=date(2027, 3, 10), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["reunification"],
            actions=[{"action": "Parenting assessment", "owner": "sw", "due_on": "2027-04-30"}])
    rosa.do("Record the first Permanence Panel outcome", on=date(2027, 3, 11),
            panel_held_on=date(2027, 3, 11), recommendation="Reunification: agree the support plan.",
            legal_advice_needed=False)
    rosa.do("Record the panel actions", on=date(2027, 3, 12), actions=[
        {"action": "Agree the support plan with mother", "owner": "tm", "due_on": "2027-03-25"},
        {"action": "Book the family network meeting", "owner": "sw", "due_on": "2027-04-01"}])
    [first] = [t for t in open_tasks(db, child_id=rosa.child_id)
               if t["name"] == "Complete the panel action" and t["due_on"] == date(2027, 3, 25)]
    at(date(2027, 3, 24))
    from engine import complete_task
    complete_task(db, first["task_id"], {"completed_on": "2027-03-24", "notes": "Agreed."},
                  STAFF[first["lane"]])
    rosa.do("Hold the first CLA review", on=date(2027, 3, 26), review_held_on=date(2027, 3, 26),
            plan_identified=True, iro_comments="The plan is right for Rosa.")
    ben = Case.start(db, date(2027, 3, 1), date(2016, 2, 2), legal_status="co", reference="B-2")
    at(date(2027, 4, 6))
    return rosa, ben


def _pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_d14_each_childs_panel_papers_and_the_whole_agenda_as_one_pdf(council_with_pathway):
    db = council_with_pathway
    rosa, ben = _two_children(db)
    client = app_for(db, clock="2027-04-06T09:00:00+01:00").test_client()
    sign_in(client, "chair")
    agenda = client.get(f"/panel?{PANEL}").get_data(as_text=True)
    assert f'href="/panel/children/{rosa.child_id}/pack"' in agenda
    assert f'href="/panel/children/{ben.child_id}/pack"' in agenda

    papers = client.get(f"/panel/children/{rosa.child_id}/pack")
    assert papers.status_code == 200 and papers.headers["Cache-Control"] == "no-store"
    text = page_text(papers)
    assert "Current plan Route Reunification" in text.replace("Reunification with parents", "Reunification")
    assert "Latest PPM: Permanency Planning Meeting" in text and "Parenting assessment" in text
    assert "Latest CLA review: Looked-after (CLA) review" in text
    assert "The plan is right for Rosa." in text
    assert "Reunification: agree the support plan." in text
    assert "Agree the support plan with mother Tm 25 March 2027 Done on 24 March 2027" in text
    assert "Book the family network meeting Sw 1 April 2027 Overdue" in text

    ben_text = page_text(client.get(f"/panel/children/{ben.child_id}/pack"))
    assert "Latest PPM None recorded yet." in ben_text and "This is the child's first panel." in ben_text

    one = _pdf_text(client.get(f"/panel/children/{rosa.child_id}/pack.pdf").data)
    assert "OFFICIAL-SENSITIVE" in one and "R-1" in one and "Book the family network meeting" in one

    whole = client.get(f"/panel/packs.pdf?{PANEL}")
    assert whole.status_code == 200 and whole.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(whole.data))
    starts = [i for i, p in enumerate(reader.pages) if "Panel papers:" in p.extract_text()]
    text = _pdf_text(whole.data)
    assert "Panel papers: Alex Example" in text and len(starts) == 2   # each child starts a page
    assert "R-1" in text and "B-2" in text
    with db.transaction() as s:
        audited = s.scalars(select(AuditEvent.child_id).where(
            AuditEvent.kind == "record_downloaded",
            AuditEvent.detail["purpose"].as_string() == "agenda pdf")).all()
    assert sorted(audited) == sorted([rosa.child_id, ben.child_id])


def test_panel_papers_are_for_panel_roles(council_with_pathway):
    db = council_with_pathway
    rosa, _ben = _two_children(db)
    client = app_for(db, clock="2027-04-06T09:00:00+01:00").test_client()
    for user, code in (("chair", 200), ("paneladmin", 200), ("sm", 200), ("sw", 403), ("iro", 403), ("po", 403)):
        sign_in(client, user)
        assert client.get(f"/panel/children/{rosa.child_id}/pack").status_code == code, user
    sign_in(client, "chair")
    assert client.get("/panel/packs.pdf?panel_date-day=7&panel_date-month=4&panel_date-year=2027").status_code == 400


def test_d20_d21_the_tracker_has_the_contingency_and_open_actions(council_with_pathway):
    db = council_with_pathway
    rosa, _ben = _two_children(db)
    client = app_for(db, clock="2027-04-06T09:00:00+01:00").test_client()
    sign_in(client, "tm")
    lines = client.get("/dashboard/tracker.csv").get_data(as_text=True).lstrip("\ufeff")
    import csv
    rows = list(csv.DictReader(io.StringIO(lines)))
    row = next(r for r in rows if r["Reference"] == "R-1")
    assert row["Contingency plan"] == PPM_AREAS["contingency_plan"]
    actions = row["Open and recent actions (owner, due, status, latest progress)"].splitlines()
    assert actions == [
        "Parenting assessment (Sw, due 2027-04-30, Open; PPM)",
        # J6: the PPM recorded no one told of its decisions, so the social worker must tell them.
        "Tell the child, the family and the carers the decisions of the PPM, and record the date "
        "they were told (Sw, due 2027-03-17, Overdue; PPM)",
        # I1: the latest panel's actions stay on the tracker once done (recent), with the date.
        "Agree the support plan with mother (Tm, due 2027-03-25, Done on 24 March 2027; Permanence Panel)",
        "Book the family network meeting (Sw, due 2027-04-01, Overdue; Permanence Panel)"]
    assert next(r for r in rows if r["Reference"] == "B-2")["Open and recent actions (owner, due, status, latest progress)"] == ""
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(client.get("/dashboard/tracker.xlsx").data))
    sheet = book.active
    headings = [c.value for c in sheet[1]]
    assert headings[17:19] == ["Contingency plan", "Open and recent actions (owner, due, status, latest progress)"]
