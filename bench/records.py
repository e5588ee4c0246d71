"""The child's record: the child page with its Records section and plan, and the panel papers.

record_page_ms: median server time of GET /children/<id> (signed in as the child's social
  worker) for a child with five years of records: 40 PPMs (three actions each), 10 CLA
  reviews, 5 panels (outcome and actions); record_detail_ms the record page of one PPM.
  The database also holds `record_children` other children with 10 records each, so the
  records table is not just this child's. Target: under 100 ms.
panel_pack_pdf_ms: GET /panel/packs.pdf for a panel of 8 children, each with 10 PPMs, 3 CLA
  reviews and 2 panels of records: the whole agenda's papers as one PDF. Target: under 3,000 ms.

The first child of each is registered and takes its first PPM through the engine (so the
record, its form and the pathway are real); the other records are copies of real ones with
their own dates, written straight into `task_record`.
"""
import os
import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select, text

from engine import clock, complete_task, open_tasks, register_child
from engine.people import add_user
from models import Child, Database, TaskRecord
from web import create_app
from web.settings import Settings
from workflows import roles

from .common import START, council, median_ms, timed
from .dashboard import _signed_in

PROCESS = "permanence_pathway"
SAMPLES = 15
OTHER_CHILDREN = int(os.environ.get("BENCH_RECORD_CHILDREN", "5000"))
PPM = {"invited": ["fostering_team", "adoption_team", "family_and_friends_team", "iro", "childrens_guardian"],
            "wishes_and_feelings": "Not recorded before the service was used.", "child_consulted_how": "met_alone",
            "views_of_parents": "Not recorded before the service was used.", "advocacy_information_given": False,
            "parallel_plan_explained": True, "route_evidence": "As the council's tracker recorded it.",
            "higher_options_ruled_out": "As the council's tracker recorded it.", "chaired_by": "social_worker", "background": "Background of the case. " * 20,
       "options_and_outcomes": "Options and likely outcomes. " * 10, "reunification_discussed": True,
       "plan_identified": True, "routes": ["adoption", "long_term_fostering"],
       "contingency_plan": "Long-term fostering with the current carers"}


def _first_ppm(db: Database, reference: str, legal_status: str = "ico",
               routes=("adoption", "long_term_fostering")) -> tuple[int, dict]:
    """A child registered through the engine, with its initial PPM recorded; its record row."""
    child_id = register_child(db, {
        "reference": reference, "name": f"Child {reference}", "date_of_birth": "2015-05-04",
        "legal_status": legal_status, "looked_after_on": START.date().isoformat(), "team": "North",
        "social_worker": "sw"}, "sw", process_id=PROCESS).child_id
    task = next(t for t in open_tasks(db, child_id=child_id) if t["name"] == "Hold the initial PPM")
    complete_task(db, task["task_id"], dict(PPM, held_on=START.date().isoformat(), routes=list(routes),
                                            actions=[{"action": f"Action {n}", "owner": "Sam Worker",
                                                      "due_on": "2026-04-01"} for n in range(3)]), "sw")
    with db.transaction() as session:
        record = session.scalar(select(TaskRecord).where(TaskRecord.child_id == child_id))
        columns = {c.name: getattr(record, c.name) for c in TaskRecord.__table__.columns if c.name != "id"}
    return child_id, columns


def _copy(template: dict, child_id: int, day: date, bpmn_id: str, name: str, kind: str,
          answers: dict, form: dict | None = None) -> dict:
    at = datetime(day.year, day.month, day.day, 12, tzinfo=clock.LONDON)
    return dict(template, child_id=child_id, task_id=str(uuid.uuid4()), bpmn_id=bpmn_id,
                task_name=name, kind=kind, answers=answers, form=form or template["form"],
                completed_at=at, recorded_at=at, human_task_id=None, due_on=day, on_time=True)


def _forms(db: Database) -> dict:
    """The published forms as records keep them (so copied CLA and panel records render)."""
    from engine.records import form_snapshot
    from models import DiagramVersion
    from workflows.diagrams import load_forms
    with db.transaction() as session:
        files = session.scalar(select(DiagramVersion.form_files))
    forms, _problems = load_forms(files)
    return {name: form_snapshot(form) for name, form in forms.items()}


FORMS: dict = {}


def _history(template: dict, child_id: int, years_from: date, ppms: int, reviews: int, panels: int) -> list[dict]:
    rows, day = [], years_from
    for n in range(ppms):
        day += timedelta(weeks=6)
        answers = dict(template["answers"], held_on=day.isoformat(), actions=[
            {"action": f"Action {n}.{k}", "owner": "Sam Worker", "due_on": (day + timedelta(weeks=4)).isoformat()}
            for k in range(3)])
        rows.append(_copy(template, child_id, day, "review_ppm", "Hold the review PPM", "ppm", answers))
    for n in range(reviews):
        day_n = years_from + timedelta(weeks=26 * n + 3)
        rows.append(_copy(template, child_id, day_n, "later_review", "Hold the CLA review", "cla_review",
                          {"review_held_on": day_n.isoformat(), "plan_identified": True,
                           "iro_comments": "The plan is right. " * 10}, form=FORMS["cla-review.json"]))
    for n in range(panels):
        day_n = years_from + timedelta(weeks=52 * n + 5)
        rows.append(_copy(template, child_id, day_n, "next_panel", "Record the Permanence Panel review",
                          "panel", {"panel_held_on": day_n.isoformat(),
                                    "recommendation": "Keep to the plan. " * 10,
                                    "legal_advice_needed": False}, form=FORMS["panel-outcome.json"]))
        rows.append(_copy(template, child_id, day_n + timedelta(days=1), "record_panel_actions",
                          "Record the panel actions", "panel", {"actions": [
                              {"action": f"Panel action {n}", "owner": "Tina Manager",
                               "due_on": (day_n + timedelta(weeks=3)).isoformat()}]}, form=FORMS["panel-actions.json"]))
    return rows


def _other_children(db: Database, template: dict, count: int) -> None:
    with db.transaction() as session:
        team_id = session.execute(text("SELECT id FROM team LIMIT 1")).scalar()
        for start in range(0, count, 1000):
            ids = session.execute(insert(Child).returning(Child.id), [
                {"reference": f"OTHER-{n:06}", "name": f"Other child {n}", "team_id": team_id,
                 "date_of_birth": date(2015, 1, 1), "legal_status": "co",
                 "looked_after_on": date(2023, 1, 1), "created_at": START}
                for n in range(start, min(start + 1000, count))]).scalars().all()
            rows = [r for child_id in ids for r in _history(template, child_id, date(2023, 1, 1), 7, 2, 0)]
            session.execute(insert(TaskRecord), rows)


def _median(client, path, samples: int = SAMPLES) -> float:
    for _ in range(2):
        assert client.get(path).status_code == 200, path
    return round(median_ms([timed(lambda: client.get(path)) for _ in range(samples)]), 1)


def run(url: str | None = None) -> dict:
    with council(url, "bench_records", PROCESS) as db:
        return _measure(db)


def _measure(db) -> dict:
    with db.transaction() as session:
        add_user(session, "chair", "Chris Chair", [roles.PANEL_CHAIR])
    FORMS.update(_forms(db))
    child_id, template = _first_ppm(db, "REC-1")
    with db.transaction() as session:
        session.execute(insert(TaskRecord), _history(template, child_id, date(2021, 3, 1), 39, 10, 5))
    _other_children(db, template, OTHER_CHILDREN)
    panel = []
    for n in range(8):
        panel_child, panel_template = _first_ppm(db, f"PANEL-{n}", legal_status="co",
                                                 routes=["long_term_fostering"])
        with db.transaction() as session:
            session.execute(insert(TaskRecord), _history(panel_template, panel_child, date(2024, 3, 1), 9, 3, 2))
        panel.append(panel_child)
    app = create_app(Settings(database_url=db.url, secret_key="bench", process_id=PROCESS,
                              clock=START.isoformat()), db=db)
    social_worker, chair = _signed_in(app, db, "sw"), _signed_in(app, db, "chair")
    with db.transaction() as session:
        ppm_id = session.scalar(select(TaskRecord.id).where(TaskRecord.child_id == child_id,
                                                            TaskRecord.bpmn_id == "review_ppm").limit(1))
    # Thursday 5 March 2026: the panel after the clock's Monday; all 8 are long-term fostering, not yet matched.
    agenda = "/panel/packs.pdf?panel_date-day=5&panel_date-month=3&panel_date-year=2026"
    agenda_text = chair.get("/panel?panel_date-day=5&panel_date-month=3&panel_date-year=2026").get_data(as_text=True)
    agenda_text = agenda_text[agenda_text.index('id="agenda"'):agenda_text.index('id="excluded"')
                              if 'id="excluded"' in agenda_text else None]
    on_agenda = sum(f'/panel/children/{c}/pack"' in agenda_text for c in panel)
    from io import BytesIO
    from pypdf import PdfReader
    pages = len(PdfReader(BytesIO(chair.get(agenda).data)).pages)
    figures = {
        "record_children": OTHER_CHILDREN + 9,
        "record_page_ms": _median(social_worker, f"/children/{child_id}"),
        "record_detail_ms": _median(social_worker, f"/records/{ppm_id}"),
        "panel_pack_children": on_agenda,
        "panel_pack_pages": pages,
        "panel_pack_pdf_ms": _median(chair, agenda, samples=5),
    }
    return figures
