"""Demo data for `permanence init --demo`: two teams, one account per role, and children at
different points of the pathway, all put there through the engine as real users would."""
from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from engine import clock, complete_task, open_tasks, register_child, sweep
from engine.people import add_user, ensure_team
from models import Child, Database, User
from workflows import roles

DEMO_PASSWORD = "permanence-demo"

NORTH, SOUTH = "Children in Care North", "Children in Care South"

STAFF = [
    ("asha.sw", "Asha Patel", [roles.SOCIAL_WORKER], NORTH),
    ("ben.sw", "Ben Carter", [roles.SOCIAL_WORKER], NORTH),
    ("cara.sw", "Cara Jones", [roles.SOCIAL_WORKER], SOUTH),
    ("tom.tm", "Tom Hughes", [roles.TEAM_MANAGER], NORTH),
    ("tia.tm", "Tia Evans", [roles.TEAM_MANAGER], SOUTH),
    ("iris.iro", "Iris Okafor", [roles.IRO], None),
    ("pat.chair", "Pat Morgan", [roles.PANEL_CHAIR], None),
    ("paul.paneladmin", "Paul Reid", [roles.PANEL_ADMINISTRATOR], None),
    ("ada.adm", "Ada Singh", [roles.ADM], None),
    ("lee.legal", "Lee Walsh", [roles.LEGAL], None),
    ("sam.sm", "Sam Fraser", [roles.SERVICE_MANAGER, roles.SENIOR_MANAGER], None),
    ("hana.hos", "Hana Ali", [roles.HEAD_OF_SERVICE], None),
    ("olly.po", "Olly Brooks", [roles.PROCESS_OWNER], None),
    ("root.admin", "Rita Admin", [roles.ADMINISTRATOR], None),
]

# reference, name, age in years, days looked after, legal status, social worker,
# and whether the initial PPM has been held (with its plan)
CHILDREN = [
    ("DEMO-001", "Alfie Brown", 4, 3, "ico", "asha.sw", None),
    ("DEMO-002", "Bella Green", 9, 9, "s20", "asha.sw", None),
    ("DEMO-003", "Charlie White", 2, 30, "ico", "ben.sw", None),
    ("DEMO-004", "Daisy Black", 12, 40, "co", "ben.sw", "long_term_fostering"),
    ("DEMO-005", "Ethan Grey", 1, 25, "ico", "asha.sw", "adoption"),
    ("DEMO-006", "Freya Scott", 7, 12, "pwp", "cara.sw", "reunification"),
    ("DEMO-007", "George Hall", 15, 5, "s20", "cara.sw", None),
    ("DEMO-008", "Hollie King", 16, 60, "co", "cara.sw", "family_and_friends"),
]


#: How the initial meeting is recorded on each pathway the demo can load: the task's name and
#: the answers, given the plan and the date held.
INITIAL_MEETING = {
    "permanence_pathway": ("Hold the initial PPM", lambda plan, held_on: {
        "held_on": held_on, "chaired_by": "social_worker", "background": "Demo record.",
        "options_and_outcomes": "Options discussed with the family.", "reunification_discussed": True,
        "plan_identified": True, "routes": [plan],
        "contingency_plan": "Long-term fostering with the current carers"}),
    # The small diagram the engine's own tests run on (tests/engine/diagrams/demo).
    "demo_pathway": ("Record initial PPM", lambda plan, held_on: {
        "held_on": held_on, "plan": plan, "background": "Demo record.",
        "contingency_plan": "Long-term fostering with the current carers"}),
}


def load_demo(db: Database, process_id: str = "permanence_pathway") -> bool:
    """Add the demo staff and children once; False if the database already has children."""
    with db.transaction() as session:
        if session.scalar(select(func.count()).select_from(Child)):
            return False
        password = generate_password_hash(DEMO_PASSWORD)
        for username, name, user_roles, team in STAFF:
            if session.scalar(select(User.id).where(User.username == username)) is None:
                add_user(session, username, name, user_roles,
                         ensure_team(session, team) if team else None, password)
        ensure_team(session, NORTH)
        ensure_team(session, SOUTH)
    today = clock.today()
    for reference, name, age, days, status, worker, plan in CHILDREN:
        _add_child(db, process_id, today, reference, name, age, days, status, worker, plan)
    sweep(db)  # let the overdue ones escalate, as the worker would
    return True


def _add_child(db, process_id, today, reference, name, age, days, status, worker, plan):
    """Register the child on the day after they became looked after and record the initial
    PPM a week in, each as at that day, so the history and the deadlines are realistic."""
    looked_after = today - timedelta(days=days)
    team = NORTH if worker in ("asha.sw", "ben.sw") else SOUTH
    with clock.frozen_at(_morning(min(looked_after + timedelta(days=1), today))):
        child = register_child(db, {
            "reference": reference, "name": name, "legal_status": status,
            "date_of_birth": (today - timedelta(days=365 * age + 40)).isoformat(),
            "looked_after_on": looked_after.isoformat(), "team": team, "social_worker": worker,
        }, worker, process_id)
    if not plan:
        return
    held_on = min(looked_after + timedelta(days=7), today)
    meeting, answers = INITIAL_MEETING[process_id]
    with clock.frozen_at(_morning(held_on)):
        task = next(t for t in open_tasks(db, child_id=child.child_id) if t["name"] == meeting)
        complete_task(db, task["task_id"], answers(plan, held_on.isoformat()), worker)


def _morning(day):
    return datetime.combine(day, time(16, 0), tzinfo=clock.LONDON)


def issue_demo_token(db: Database) -> str:
    """A read-only API token for trying the API (/api/v1/docs): an IRO's sight of every team,
    no writes. Printed once by `init --demo`; revoke it at /admin/tokens."""
    from engine import tokens
    token, _info = tokens.issue(db, None, name="demo-cms", roles=[roles.IRO], teams=None,
                                scopes=["children:read", "tasks:read", "events:read"])
    return token
