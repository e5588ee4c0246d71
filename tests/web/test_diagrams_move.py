"""Moving running pathways onto a published version: the dry run lists every running pathway on
an older version (child, version, can move or why not); the button moves the ones that can,
and the page says which moved and which stayed, and why."""
from sqlalchemy import select

from engine import complete_task, open_tasks, register_child
from models import AuditEvent, HumanTask, PathwayInstance

from ..conftest import child_details
from .conftest import page_text
from .diagrams.support import diagram_app, edit_demo, new_draft, po  # noqa: F401  (fixtures)


def _children(staff):
    """Ava waits for her initial PPM; Ben has had his and waits for a review PPM."""
    ava = register_child(staff, child_details(reference="A-1", name="Ava Waiting"), "sw", process_id="demo_pathway")
    ben = register_child(staff, child_details(reference="B-1", name="Ben Reviewed"), "sw", process_id="demo_pathway")
    [task] = open_tasks(staff, child_id=ben.child_id)
    complete_task(staff, task["task_id"], {"held_on": "2026-03-02", "plan": "adoption", "contingency_plan": "Fostering"}, "sw")
    return ava.outcome.instance_id, ben.outcome.instance_id


def _publish_with_a_new_initial_ppm_form(po):
    """Version 2: the initial PPM task asks with another form, so a child who has done it
    cannot move (what was recorded no longer matches), and a child waiting at it can."""
    draft = new_draft(po)
    edit_demo(po, draft, ('value="initial-ppm.json"', 'value="review-ppm.json"'))
    response = po.post(f"/diagrams/drafts/{draft}/publish", data={"note": "One PPM form for all"})
    assert response.headers["Location"] == "/diagrams/demo_pathway/versions/2"


def _version_of(staff, instance_id) -> int:
    with staff.transaction() as session:
        return session.get(PathwayInstance, instance_id).diagram_version_id


def test_the_dry_run_says_who_can_move_and_why_not_and_moves_nobody(po, staff):
    ava, ben = _children(staff)
    _publish_with_a_new_initial_ppm_form(po)
    response = po.get("/diagrams/demo_pathway/versions/2/move")
    text = page_text(response)
    # Ben's initial PPM is pruned from his stored state: the recorded history still counts.
    assert "Ben Reviewed pathway %d 1 Stays 'Record initial PPM (record_initial_ppm)' was done and is " \
           "changed in the new version" % ben in text
    assert "Ava Waiting pathway %d 1 Can move" % ava in text
    assert "Move the 1 pathway(s) that can move" in text
    assert (_version_of(staff, ava), _version_of(staff, ben)) == (1, 1)


def test_moving_moves_the_ones_that_can_and_says_which_stayed(po, staff):
    ava, ben = _children(staff)
    _publish_with_a_new_initial_ppm_form(po)
    response = po.post("/diagrams/demo_pathway/versions/2/move")
    assert response.status_code == 200
    text = page_text(response)
    assert "Moved to version 2: 1 Ava Waiting (pathway %d, from version 1)" % ava in text
    assert "Stayed where they were: 1" in text and "Ben Reviewed" in text and "was done and is changed" in text
    assert (_version_of(staff, ava), _version_of(staff, ben)) == (2, 1)
    # Ava's open task now asks with the new version's form.
    with staff.transaction() as session:
        [row] = session.scalars(select(HumanTask).where(HumanTask.instance_id == ava, HumanTask.status == "open"))
        assert row.form == "review-ppm.json"
    with staff.transaction() as session:
        moved = session.scalars(select(AuditEvent).where(AuditEvent.kind == "migrated")).all()
        assert [(e.instance_id, e.actor_name, e.detail) for e in moved] == [
            (ava, "Pam Owner", {"from_version": 1, "to_version": 2})]
    again = page_text(po.get("/diagrams/demo_pathway/versions/2/move"))
    assert "Ava Waiting" not in again and "Ben Reviewed" in again      # Ava is on version 2 now


def test_nothing_to_move_onto_the_first_version(po, staff):
    _children(staff)
    text = page_text(po.get("/diagrams/demo_pathway/versions/1/move"))
    assert "No running pathway is on an older version of demo_pathway" in text
    assert po.get("/diagrams/demo_pathway/versions/7/move").status_code == 404
    assert po.post("/diagrams/demo_pathway/versions/7/move").status_code == 404


def test_the_version_page_counts_the_running_pathways_on_it(po, staff):
    _children(staff)
    assert "Running pathways on it 2" in page_text(po.get("/diagrams/demo_pathway/versions/1"))
