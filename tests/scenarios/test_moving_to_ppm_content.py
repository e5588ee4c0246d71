"""Running pathways move onto the version whose PPM records who came, the voice and the
plan's content, and whose actions are owned by staff (A4, A5, D8, J1), through the dry run
and the move. `before_ppm_content/` holds the PPM and CLA review forms as they were before
(the diagrams themselves are unchanged). Runs on SQLite and PostgreSQL, with a fixed clock.

Both children became looked after on Monday 2 March 2026. Ava's initial PPM was held on
Monday 9 March on the old form (a typed owner); Ben's is still open when the pathway moves.
"""
import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from engine import publish
from engine.migration import move_instances, plan_move
from engine.plan import child_plan
from models import HumanTask, PpmAction
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS
from .conftest import PPM_AREAS, PROCESS, Case, at

BEFORE = Path(__file__).parent / "before_ppm_content"
OLD_PPM = dict(chaired_by="social_worker", background="Background.", options_and_outcomes="Options.",
               contingency_plan="Long-term fostering.", reunification_discussed=True, plan_identified=False)


def _before_bundle():
    bundle = load_directory(DIAGRAMS, PROCESS)
    for path in BEFORE.iterdir():
        bundle.form_files[path.name] = json.loads(path.read_text())
    return bundle


def test_a5_d8_j1_running_pathways_move_to_the_ppm_with_owned_actions(council_with_pathway):
    db = council_with_pathway
    version1, _ = publish(db, _before_bundle(), "tests")
    ava = Case.start(db, date(2026, 3, 2), date(2018, 1, 10), reference="A-1")
    ava.do("Hold the initial PPM", on=date(2026, 3, 9), held_on=date(2026, 3, 9), **OLD_PPM,
           actions=[{"action": "Parenting assessment", "owner": "Sam", "due_on": "2026-03-20"}])
    ben = Case.start(db, date(2026, 3, 2), date(2019, 2, 2), reference="B-1")
    at(date(2026, 3, 10))
    version2, new = publish(db, load_directory(DIAGRAMS, PROCESS), "tests", note="PPM content (issue 12)")
    assert new and version2.version == version1.version + 1
    plan = plan_move(db, PROCESS, version2.version)
    assert [(c.child_name, c.can_move, c.reasons) for c in plan] == [("Alex Example", True, [])] * 2
    report = move_instances(db, PROCESS, version2.version, "sm")
    assert len(report.moved) == 2 and not report.not_moved
    # Ava's old record keeps its typed owner, shown on the plan as it was set.
    with db.transaction() as session:
        [typed] = [a for a in child_plan(session, ava.child_id).actions if a["from"] == "PPM"]
    assert (typed["owner"], typed["status"]) == ("Sam", "Open")
    # Ben's initial PPM, open across the move, is now asked on the new form: who came, the
    # voice, and actions with owners picked from staff.
    with db.transaction() as session:
        form = session.scalar(select(HumanTask.form).where(
            HumanTask.child_id == ben.child_id, HumanTask.status == "open", HumanTask.bpmn_id == "initial_ppm"))
    assert form == "ppm.json"
    ben.do("Hold the initial PPM", on=date(2026, 3, 11), held_on=date(2026, 3, 11), **PPM_AREAS,
           reunification_discussed=True, plan_identified=False,
           decisions_shared=[{"who": "parents", "told_on": "2026-03-11"}],
           actions=[{"action": "Family network meeting", "owner": "sw", "due_on": "2026-03-25"}])
    with db.transaction() as session:
        owned = [(a.action, a.owner.username, a.due_on) for a in session.scalars(
            select(PpmAction).where(PpmAction.child_id == ben.child_id)).unique()]
    assert owned == [("Family network meeting", "sw", date(2026, 3, 25))]
