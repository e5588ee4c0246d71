"""The demo children move onto the adoption route with early permanence, relinquished babies
and the match's siblings and contact (E18-E22, B12, C15), through the dry run and the move,
with their running deadlines and open tasks kept. The diagram as it was is kept in
`before_adoption_routes/`; the forms as they were are built from today's by taking the new
questions away."""
import json


from engine import FormInvalid, clock, find_child, open_tasks, publish
from engine.migration import move_instances, plan_move
from web.demo import load_demo
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS
from .conftest import PROCESS
from .moving import running_work

BEFORE = DIAGRAMS.parent / "tests" / "scenarios" / "before_adoption_routes"
NEW_FORMS = ("ffa-approval.json", "ffa-placement.json", "relinquishment.json", "relinquishment-uischema.json",
             "cafcass-notified.json", "adoption-match-uischema.json")
NEW_PPM_QUESTIONS = ("early_permanence_considered", "ffa_proposed", "early_permanence_notes", "relinquished_baby")


def _before_bundle():
    bundle = load_directory(DIAGRAMS, PROCESS)
    bundle.bpmn_files["route_adoption.bpmn"] = (BEFORE / "route_adoption.bpmn").read_text()
    forms = bundle.form_files
    for name in NEW_FORMS:
        forms.pop(name, None)
    ppm = json.loads(json.dumps(forms["ppm.json"]))
    for name in NEW_PPM_QUESTIONS:
        del ppm["properties"][name]
    ppm["x-rules"] = [r for r in ppm["x-rules"] if not any(n in r["when"] for n in NEW_PPM_QUESTIONS)]
    forms["ppm.json"] = ppm
    ui = dict(forms["ppm-uischema.json"])
    for name in NEW_PPM_QUESTIONS:
        ui.pop(name, None)
    forms["ppm-uischema.json"] = ui
    cpr = json.loads(json.dumps(forms["cpr.json"]))
    cpr["required"] = ["cpr_sent_on", "ffa_considered"]
    forms["cpr.json"] = cpr
    match = json.loads(json.dumps(forms["adoption-match.json"]))
    for name in ("siblings_placement", "siblings_apart_reason", "contact_arrangements"):
        del match["properties"][name]
    match["required"] = ["matched_on", "adopters"]
    match.pop("x-rules")
    forms["adoption-match.json"] = match
    return bundle


def test_E18_E20_E22_the_demo_children_move_onto_the_adoption_route_with_their_deadlines_kept(db):
    version1, _ = publish(db, _before_bundle(), "tests")
    assert load_demo(db, PROCESS)   # on the old route the new steps are not there: skipped
    ethan, mia, imogen = (find_child(db, r) for r in ("DEMO-005", "DEMO-009", "DEMO-101"))
    assert "Approve the prospective adopters as temporary foster carers (reg 25A)" not in {
        t["name"] for t in open_tasks(db, child_id=ethan)}
    deadlines, tasks = running_work(db)
    assert deadlines and tasks
    version2, new = publish(db, load_directory(DIAGRAMS, PROCESS), "tests", note="Early permanence")
    assert new and version2.version == version1.version + 1
    plan = plan_move(db, PROCESS, version2.version)
    assert {c.child_name for c in plan} >= {"Ethan Grey", "Mia Clarke", "Imogen Ward"}
    assert [(c.child_name, c.reasons) for c in plan if not c.can_move] == []
    report = move_instances(db, PROCESS, version2.version, "olly.po")
    assert len(report.moved) == len(plan) and not report.not_moved
    assert running_work(db) == (deadlines, tasks)

    # On the new version the moved children take the new steps still ahead of them: Imogen,
    # imported past her placement order, is matched with brothers and sisters and contact (E22).
    [match] = [t for t in open_tasks(db, child_id=imogen) if t["name"] == "Record the adoption match"]
    from engine import complete_task
    today = clock.today().isoformat()
    with_adopters = {"matched_on": today, "adopters": "Mr and Mrs Ward"}
    try:
        complete_task(db, match["task_id"], with_adopters, "asha.sw")
        raise AssertionError("the match was recorded without siblings or contact")
    except FormInvalid as refused:
        assert set(refused.errors) == {"siblings_placement", "contact_arrangements"}
    outcome = complete_task(db, match["task_id"], {**with_adopters, "siblings_placement": "no_siblings",
                                                   "contact_arrangements": "Letterbox contact with her mother."},
                            "asha.sw")
    assert outcome.error is None
    assert "Record the placement for adoption" in {t["name"] for t in open_tasks(db, child_id=imogen)}
    # Ethan and Mia began their routes on the old version: nothing new opens behind them.
    assert {t["name"] for t in open_tasks(db, child_id=mia)} & {
        "Notify Cafcass to witness consent", "Record the relinquishment and the counselling offered"} == set()


def test_E18_E21_the_demo_on_the_new_version_shows_a_relinquished_baby_and_an_FfA_placement(db):
    publish(db, load_directory(DIAGRAMS, PROCESS), "tests")
    assert load_demo(db, PROCESS)
    today = clock.today()
    mia = {t["name"]: t for t in open_tasks(db, child_id=find_child(db, "DEMO-009"))}
    # Born 30 days ago: Cafcass to be notified within her first 6 weeks, in 12 days (R18).
    cafcass = mia["Notify Cafcass to witness consent"]
    assert (cafcass["rule"], (cafcass["due_on"] - today).days) == ("R18", 12)
    assert "Record the relinquishment and the counselling offered" not in mia
    ethan = {t["name"] for t in open_tasks(db, child_id=find_child(db, "DEMO-005"))}
    assert "Record the Fostering for Adoption placement" not in ethan
    assert "Hold the adoption review (placed)" not in ethan
    from engine import position
    assert any(d["rule"] == "R18" and d["status"] == "running" for d in position(db, find_child(db, "DEMO-009")).deadlines)
