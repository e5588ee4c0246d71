"""Moving running pathways onto a published version: the dry run lists every running pathway on
an older version (child, version, can move or why not); the button moves the ones that can,
and the page says which moved and which stayed, and why."""
from sqlalchemy import select

from engine import complete_task, open_tasks, register_child
from models import AuditEvent, PathwayInstance

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


def _publish_without_the_initial_ppm_task(po):
    """Version 2: the initial PPM task has a new id, so a child waiting at it cannot move."""
    draft = new_draft(po)
    edit_demo(po, draft, ("record_initial_ppm", "record_first_ppm"))
    response = po.post(f"/diagrams/drafts/{draft}/publish", data={"note": "New id for the initial PPM"})
    assert response.headers["Location"] == "/diagrams/demo_pathway/versions/2"


def _version_of(staff, instance_id) -> int:
    with staff.transaction() as session:
        return session.get(PathwayInstance, instance_id).diagram_version_id


def test_the_dry_run_says_who_can_move_and_why_not_and_moves_nobody(po, staff):
    ava, ben = _children(staff)
    _publish_without_the_initial_ppm_task(po)
    response = po.get("/diagrams/demo_pathway/versions/2/move")
    text = page_text(response)
    assert "Ava Waiting pathway %d 1 Stays the child is at 'Record initial PPM (record_initial_ppm)', which is " \
           "removed in the new version" % ava in text
    assert "Ben Reviewed pathway %d 1 Can move" % ben in text
    assert "Move the 1 pathway(s) that can move" in text
    assert (_version_of(staff, ava), _version_of(staff, ben)) == (1, 1)


def test_moving_moves_the_ones_that_can_and_says_which_stayed(po, staff):
    ava, ben = _children(staff)
    _publish_without_the_initial_ppm_task(po)
    response = po.post("/diagrams/demo_pathway/versions/2/move")
    assert response.status_code == 200
    text = page_text(response)
    assert "Moved to version 2: 1 Ben Reviewed (pathway %d, from version 1)" % ben in text
    assert "Stayed where they were: 1" in text and "Ava Waiting" in text and "which is removed in the new version" in text
    assert (_version_of(staff, ava), _version_of(staff, ben)) == (1, 2)
    with staff.transaction() as session:
        moved = session.scalars(select(AuditEvent).where(AuditEvent.kind == "migrated")).all()
        assert [(e.instance_id, e.actor_name, e.detail) for e in moved] == [
            (ben, "Pam Owner", {"from_version": 1, "to_version": 2})]
    again = page_text(po.get("/diagrams/demo_pathway/versions/2/move"))
    assert "Ben Reviewed" not in again and "Ava Waiting" in again      # Ben is on version 2 now


def test_nothing_to_move_onto_the_first_version(po, staff):
    _children(staff)
    text = page_text(po.get("/diagrams/demo_pathway/versions/1/move"))
    assert "No running pathway is on an older version of demo_pathway" in text
    assert po.get("/diagrams/demo_pathway/versions/7/move").status_code == 404
    assert po.post("/diagrams/demo_pathway/versions/7/move").status_code == 404


def test_the_version_page_counts_the_running_pathways_on_it(po, staff):
    _children(staff)
    assert "Running pathways on it 2" in page_text(po.get("/diagrams/demo_pathway/versions/1"))
