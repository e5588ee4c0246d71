"""What the move tests compare before and after moving the demo children onto a new version:
every running deadline and every open task, with its due date and rule."""
from sqlalchemy import select

from models import Deadline, HumanTask


def running_work(db):
    with db.transaction() as s:
        deadlines = {(d.child_id, d.rule, d.label, d.due_on) for d in s.scalars(
            select(Deadline).where(Deadline.status == "running"))}
        tasks = {(t.child_id, t.name, t.due_on, t.rule) for t in s.scalars(
            select(HumanTask).where(HumanTask.status == "open"))}
    return deadlines, tasks
