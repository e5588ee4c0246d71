"""Scenario tests drive the real pathway diagrams through the engine with a fixed clock.

`Case` wraps one child: what is open (name, lane, due date, rule), doing a task as the
user of its lane, moving the clock and sweeping timers. Expected dates are worked out by
hand in each test from RULES.md and the England and Wales bank holidays.
"""
from datetime import date, datetime

import pytest

from engine import clock, complete_task, figures, open_tasks, position, publish, register_child, sweep
from engine.people import add_user, ensure_team
from models import Database
from workflows import roles
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS

PROCESS = "permanence_pathway"

#: One member of staff per lane, all in team North except the council-wide roles.
STAFF = {
    roles.SOCIAL_WORKER: "sw", roles.TEAM_MANAGER: "tm", roles.IRO: "iro",
    roles.PANEL_CHAIR: "chair", roles.PANEL_ADMINISTRATOR: "paneladmin", roles.ADM: "adm",
    roles.LEGAL: "legal", roles.SERVICE_MANAGER: "sm", roles.HEAD_OF_SERVICE: "hos",
    roles.SENIOR_MANAGER: "senior",
}


@pytest.fixture
def council_with_pathway(db):
    yield make_pathway_council(db)
    # After every scenario, the dashboards' running figures kept through it equal a full
    # recount of the projections (issue 15 section 3), as on the test's last day.
    assert figures.check(db, PROCESS) == []


def make_pathway_council(db):
    publish(db, load_directory(DIAGRAMS, PROCESS), "tests")
    with db.transaction() as session:
        north = ensure_team(session, "North")
        for role, username in STAFF.items():
            team = north if role in roles.TEAM_SCOPED_ROLES else None
            add_user(session, username, username.title(), [role], team)
    return db


def at(day: date, hour: int = 9) -> None:
    """Set the clock to `hour` o'clock London time on `day`."""
    clock.set_fixed(datetime(day.year, day.month, day.day, hour, tzinfo=clock.LONDON))


class Case:
    def __init__(self, db: Database, child_id: int, instance_id: int):
        self.db, self.child_id, self.instance_id = db, child_id, instance_id

    @classmethod
    def start(cls, db, looked_after_on: date, born: date, legal_status="ico", reference="C-1"):
        at(looked_after_on)
        registered = register_child(db, {
            "reference": reference, "name": "Alex Example", "date_of_birth": born.isoformat(),
            "legal_status": legal_status, "looked_after_on": looked_after_on.isoformat(),
            "team": "North", "social_worker": "sw"}, "sw", process_id=PROCESS)
        assert registered.outcome.error is None, registered.outcome.error
        return cls(db, registered.child_id, registered.outcome.instance_id)

    def open(self) -> set[tuple]:
        """(name, lane, due date, rule) of every open task."""
        return {(t["name"], t["lane"], t["due_on"], t["rule"]) for t in open_tasks(self.db, child_id=self.child_id)}

    def names(self) -> set[str]:
        return {t["name"] for t in open_tasks(self.db, child_id=self.child_id)}

    def task(self, name: str) -> dict:
        found = [t for t in open_tasks(self.db, child_id=self.child_id) if t["name"] == name]
        assert len(found) == 1, (name, sorted(self.names()))
        return found[0]

    def due(self, name: str) -> tuple[date, str]:
        task = self.task(name)
        assert task["due_error"] is None, task["due_error"]
        return task["due_on"], task["rule"]

    def do(self, name: str, on: date | None = None, **answers):
        """Complete the open task `name` as the member of staff of its lane, on day `on`."""
        if on is not None:
            at(on)
        task = self.task(name)
        data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in answers.items()}
        outcome = complete_task(self.db, task["task_id"], data, STAFF[task["lane"]])
        assert outcome.error is None, outcome.error
        return outcome

    def sweep(self, on: date, hour: int = 9):
        at(on, hour)
        report = sweep(self.db)
        assert not report.errors, report.errors
        return report

    @property
    def position(self):
        return position(self.db, self.child_id)

    def deadline(self, rule: str) -> list[tuple]:
        return [(d["label"], d["due_on"], d["status"], d["met_on"])
                for d in self.position.deadlines if d["rule"] == rule]


PPM_AREAS = dict(invited=["fostering_team", "adoption_team", "family_and_friends_team", "iro", "childrens_guardian"],
                 wishes_and_feelings="Wants to stay with her brother.", child_consulted_how="met_alone",
                 views_of_parents="Mother wants the children home.", advocacy_information_given=False,
                 parallel_plan_explained=True, route_evidence="The parenting assessment.",
                 previous_assessments="The parenting and sibling assessments.",
                 race_equality="Placed with carers who share her heritage.", resources_available=True,
                 higher_options_ruled_out="Return home and family placements were assessed and ruled out.",
                 chaired_by="social_worker", background="Background.", options_and_outcomes="Options.",
                 contingency_plan="Long-term fostering with the current carers.")


def told_the_family(agreed_on: date) -> dict:
    """What a reunification plan tells the family (E3, E5): what must happen for the child to
    return home, by whom and by when, explained in writing on the day it was agreed."""
    from datetime import timedelta
    return dict(conditions=[{"condition": "Attend every parenting session", "who": "Both parents",
                             "by_when": agreed_on + timedelta(weeks=4)}],
                explained_on=agreed_on, explained_how=["in_writing", "in_person"],
                sustaining_support="Family support worker weekly for three months after the return home.")


@pytest.fixture(autouse=True)
def _demo_before_legal_and_leaving(monkeypatch):
    """The demo as the moving tests' earlier diagrams knew it: without Kai's LGM by referral
    and Leah's care-leaving PPM (web/demo_legal_and_leaving.py, tested on its own in
    tests/web/test_demo_legal_and_leaving.py), whose steps changed since those versions."""
    from web import demo_legal_and_leaving
    monkeypatch.setattr(demo_legal_and_leaving, "load", lambda db, today: False)
