"""The demo shows the Legal Gateway Meeting by referral with its review open (A10, A11), a
young person approaching 18 with independent living planned (E33, L1, L2) and the care-leaving
PPM's referral action open in her social worker's inbox (L3); Jacob (DEMO-102) keeps his
care-leaving PPM open (a CLI test relies on it)."""
from sqlalchemy import select

from engine import find_child, open_tasks, publish
from engine.case_events import child_events
from models import TaskRecord
from web.demo import load_demo
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS
from .conftest import make_app, page_text, sign_in


def test_A10_A11_E33_L3_the_demo_shows_the_lgm_by_referral_and_a_young_person_leaving_care(db):
    app = make_app(db)
    for process in ("permanence_pathway", "before_care"):
        publish(db, load_directory(DIAGRAMS, process), "tests")
    assert load_demo(db, "permanence_pathway")

    kai = find_child(db, "DEMO-013", "ben.sw")
    assert [e["kind"] for e in child_events(db, kai, "ben.sw")][:1] == ["lgm_referral"]
    kai_tasks = {(t["name"], t["lane"]) for t in open_tasks(db, child_id=kai)}
    assert ("Review the care plan at the Legal Gateway Meeting", "Legal") in kai_tasks   # A11
    assert ("Review pre-proceedings", "Legal") in kai_tasks                               # R13

    leah = find_child(db, "DEMO-014", "cara.sw")
    assert "Confirm care-leaver status at a PPM" not in {t["name"] for t in open_tasks(db, child_id=leah)}
    client = app.test_client()
    sign_in(client, "cara.sw")
    inbox = page_text(client.get("/inbox"))
    assert "Refer to the Placement and Resource Panel" in inbox and "Leah Turner" in inbox   # L3
    with db.reading() as session:                                                          # E33
        record = session.scalar(select(TaskRecord).where(TaskRecord.child_id == leah,
                                                         TaskRecord.bpmn_id == "confirm_care_leaver"))
        answers = record.answers
    assert answers["accommodation_plan"] == "semi_independent"
    assert answers["independent_living_skills"] and answers["independent_living_support"]
    assert "Semi-independent living" in page_text(client.get(f"/records/{record.id}"))

    jacob = find_child(db, "DEMO-102", "cara.sw")
    assert "Confirm care-leaver status at a PPM" in {t["name"] for t in open_tasks(db, child_id=jacob)}
