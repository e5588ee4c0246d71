"""Lists of open tasks, read from the human_task rows (never from workflows), filtered on
the server by what the asking user may see and do."""
from sqlalchemy import select

from models import Child, Database, HumanTask

from . import clock
from .access import COUNCIL_WIDE_ROLES
from .position import OPEN_ORDER, task_view
from .users import user_by_name
from workflows.roles import ADMINISTRATOR, TEAM_SCOPED_ROLES


def open_tasks(db: Database, child_id: int | None = None, username: str | None = None,
               limit: int = 500) -> list[dict]:
    """Open tasks by due date (undated last). With a user: only tasks in their lanes, for
    children they may act on."""
    with db.reading() as session:
        query = (select(HumanTask, Child.name, Child.reference)
                 .join(Child, Child.id == HumanTask.child_id)
                 .where(HumanTask.status == "open"))
        if child_id is not None:
            query = query.where(HumanTask.child_id == child_id)
        if username:
            user = user_by_name(session, username)
            roles = user.roles
            lanes = [r for r in roles if r not in {ADMINISTRATOR}]
            query = query.where(HumanTask.lane.in_(lanes))
            if not roles & COUNCIL_WIDE_ROLES:
                if not roles & TEAM_SCOPED_ROLES:
                    return []
                query = query.where(Child.team_id == user.team_id)
        query = query.order_by(*OPEN_ORDER).limit(limit)
        today = clock.today()
        rows = []
        for task, name, reference in session.execute(query):
            view = task_view(task, today)
            view.update(child_name=name, child_reference=reference)
            rows.append(view)
        return rows
