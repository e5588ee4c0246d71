"""A council for the managers' pages, on the shipped pathway: two teams, one member of staff
per role, and nine children put where they are through the engine, as real users would
have, by Monday 7 September 2026 (the panel that week is on Thursday 10 September).

| child | team  | legal | looked after | what happened                                            |
|-------|-------|-------|--------------|----------------------------------------------------------|
| A Ava   N-1 | North | ico | 2 Mar | nothing: no PPM, no plan by the second review (R4)   |
| B Ben   N-2 | North | s20 | 2 Mar | PPM 9 Mar (reunification), aged 14, s20 not endorsed |
| C Cara  N-3 | North | s20 | 1 Jun | PPMs 8 Jun, 20 Jul, 31 Aug (reunification); s20 endorsed by the LGM 1 Sep |
| D Dan   S-1 | South | co  | 2 Mar | aged 17; initial PPM late on 27 Aug (long-term fostering), after his team manager answered the escalation |
| E Eve   S-2 | South | pwp | 6 Jul | PPM 13 Jul (reunification); panel 13 Aug, an action due 28 Aug |
| F Finn  N-4 | North | co  | 17 Aug | PPM 24 Aug: twin-track adoption and long-term fostering |
| G Gus   S-3 | South | co  | 3 Aug | PPM 10 Aug, no plan; first panel 20 Aug            |
| H Hana  N-5 | North | ico | 2 Feb | proceedings issued 9 Feb; PPM 9 Feb (reunification) |
| I Isla  S-4 | South | co  | 10 Aug | PPM 17 Aug (reunification)                        |

The timer worker swept on 24 August and on the morning of 7 September.
"""
import pytest
from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.engine import make_url

from engine import clock, complete_task, open_tasks, publish, register_child, sweep
from engine.people import add_user, ensure_team
from models import Database
from models.migrate import upgrade
from web import create_app
from web.settings import Settings
from workflows import roles
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS

PROCESS = "permanence_pathway"
TODAY = date(2026, 9, 7)      # Monday
PANEL = date(2026, 9, 10)     # Thursday

#: username, name, role, team
STAFF = [
    ("sw", "Sam Worker", roles.SOCIAL_WORKER, "North"),
    ("sw2", "Sue Second", roles.SOCIAL_WORKER, "North"),
    ("tm", "Tina Manager", roles.TEAM_MANAGER, "North"),
    ("sw_south", "Sid South", roles.SOCIAL_WORKER, "South"),
    ("tm_south", "Tom South", roles.TEAM_MANAGER, "South"),
    ("iro", "Ivy Reviewer", roles.IRO, None),
    ("chair", "Chris Chair", roles.PANEL_CHAIR, None),
    ("paneladmin", "Pia Panel", roles.PANEL_ADMINISTRATOR, None),
    ("adm", "Dee Decider", roles.ADM, None),
    ("legal", "Len Legal", roles.LEGAL, None),
    ("sm", "Sal Service", roles.SERVICE_MANAGER, None),
    ("hos", "Hal Head", roles.HEAD_OF_SERVICE, None),
    ("senior", "Sen Senior", roles.SENIOR_MANAGER, None),
    ("po", "Pam Owner", roles.PROCESS_OWNER, None),
    ("admin", "Ada Admin", roles.ADMINISTRATOR, None),
]
COUNCIL_WIDE = {role: username for username, _, role, team in STAFF if team is None}
TEAM_MANAGERS = {"North": "tm", "South": "tm_south"}
PPM_AREAS = dict(invited=["fostering_team", "adoption_team", "family_and_friends_team", "iro", "childrens_guardian"],
                 wishes_and_feelings="Wants to stay with her brother.", child_consulted_how="met_alone",
                 views_of_parents="Mother wants the children home.", advocacy_information_given=False,
                 parallel_plan_explained=True, route_evidence="The parenting assessment.",
                 previous_assessments="The parenting and sibling assessments.",
                 race_equality="Placed with carers who share her heritage.", resources_available=True,
                 higher_options_ruled_out="Return home and family placements were assessed and ruled out.",
                 chaired_by="social_worker", background="Background.",
                 options_and_outcomes="Options.", contingency_plan="Long-term fostering.")


def at(day: date, hour: int = 9) -> None:
    clock.set_fixed(datetime(day.year, day.month, day.day, hour, tzinfo=clock.LONDON))


def publish_council(db: Database) -> Database:
    publish(db, load_directory(DIAGRAMS, PROCESS), "tests")
    with db.transaction() as session:
        teams = {name: ensure_team(session, name) for name in ("North", "South")}
        for username, name, role, team in STAFF:
            add_user(session, username, name, [role], teams.get(team))
    return db


def manager_app(db: Database):
    app = create_app(Settings(database_url=db.url, secret_key="test", process_id=PROCESS,
                              clock=TODAY.isoformat() + "T09:00:00+01:00"), db=db)
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    return app


class Kid:
    """One child of the scenario: tasks are done by the member of staff of the task's lane
    (the child's own social worker, their team's manager, or the council-wide role)."""

    def __init__(self, db, child_id, team, worker):
        self.db, self.child_id, self.team, self.worker = db, child_id, team, worker

    @classmethod
    def register(cls, db, reference, name, team, worker, looked_after_on, born, legal_status):
        at(looked_after_on)
        registered = register_child(db, {
            "reference": reference, "name": name, "date_of_birth": born.isoformat(),
            "legal_status": legal_status, "looked_after_on": looked_after_on.isoformat(),
            "team": team, "social_worker": worker}, worker, process_id=PROCESS)
        assert registered.outcome.error is None, registered.outcome.error
        return cls(db, registered.child_id, team, worker)

    def who(self, lane: str) -> str:
        if lane == roles.SOCIAL_WORKER:
            return self.worker
        if lane == roles.TEAM_MANAGER:
            return TEAM_MANAGERS[self.team]
        return COUNCIL_WIDE[lane]

    def do(self, name: str, on: date, **answers):
        at(on)
        found = [t for t in open_tasks(self.db, child_id=self.child_id) if t["name"] == name]
        assert len(found) == 1, (name, [t["name"] for t in open_tasks(self.db, child_id=self.child_id)])
        data = {k: v.isoformat() if isinstance(v, date) else v for k, v in answers.items()}
        outcome = complete_task(self.db, found[0]["task_id"], data, self.who(found[0]["lane"]))
        assert outcome.error is None, outcome.error

    def ppm(self, on: date, routes=None, first=True):
        if first:
            self.do("Hold the initial PPM", on, held_on=on, **PPM_AREAS, reunification_discussed=True,
                    plan_identified=bool(routes), **({"routes": routes} if routes else {}),
                    decisions_shared=[{"who": "child", "told_on": on.isoformat()}])   # J6: told that day
        else:
            self.do("Hold the review PPM", on, held_on=on, progress="Going to plan.",
                    wishes_and_feelings="Happy where she is.", change_of_plan_proposed=False)


def build_scenario(db: Database) -> dict[str, Kid]:
    """The nine children, in the order things happened."""
    d = date
    kids = {"H": Kid.register(db, "N-5", "Hana Hill", "North", "sw", d(2026, 2, 2), d(2018, 8, 8), "ico")}
    kids["H"].do("Record care proceedings issued", d(2026, 2, 9), issued_on=d(2026, 2, 9))
    kids["H"].ppm(d(2026, 2, 9), ["reunification"])
    kids["A"] = Kid.register(db, "N-1", "Ava Adams", "North", "sw", d(2026, 3, 2), d(2016, 1, 1), "ico")
    kids["B"] = Kid.register(db, "N-2", "Ben Brown", "North", "sw", d(2026, 3, 2), d(2012, 5, 5), "s20")
    kids["D"] = Kid.register(db, "S-1", "Dan Davies", "South", "sw_south", d(2026, 3, 2), d(2009, 1, 15), "co")
    kids["B"].ppm(d(2026, 3, 9), ["reunification"])
    kids["C"] = Kid.register(db, "N-3", "Cara Clark", "North", "sw2", d(2026, 6, 1), d(2010, 10, 10), "s20")
    kids["C"].ppm(d(2026, 6, 8), ["reunification"])
    kids["E"] = Kid.register(db, "S-2", "Eve Evans", "South", "sw_south", d(2026, 7, 6), d(2020, 2, 2), "pwp")
    kids["E"].ppm(d(2026, 7, 13), ["reunification"])
    kids["C"].ppm(d(2026, 7, 20), first=False)
    kids["G"] = Kid.register(db, "S-3", "Gus Green", "South", "sw_south", d(2026, 8, 3), d(2015, 5, 5), "co")
    kids["G"].ppm(d(2026, 8, 10))
    kids["I"] = Kid.register(db, "S-4", "Isla Irwin", "South", "sw_south", d(2026, 8, 10), d(2017, 7, 7), "co")
    kids["E"].do("Record the first Permanence Panel outcome", d(2026, 8, 13), panel_held_on=d(2026, 8, 13),
                 recommendation="Support the return home.", legal_advice_needed=False)
    kids["E"].do("Record the panel actions", d(2026, 8, 14), actions=[
        {"action": "Update the support plan", "owner": "sw_south", "due_on": "2026-08-28"}])
    kids["F"] = Kid.register(db, "N-4", "Finn Foster", "North", "sw", d(2026, 8, 17), d(2019, 3, 3), "co")
    kids["I"].ppm(d(2026, 8, 17), ["reunification"])
    kids["G"].do("Record the first Permanence Panel outcome", d(2026, 8, 20), panel_held_on=d(2026, 8, 20),
                 recommendation="Agree a plan.", legal_advice_needed=False)
    at(d(2026, 8, 24), 6)
    sweep(db)
    kids["F"].ppm(d(2026, 8, 24), ["adoption", "long_term_fostering"])
    kids["C"].do("Refer s20 drift to the Legal Gateway Meeting", d(2026, 8, 25), still_s20=True,
                 referred_on=d(2026, 8, 25))
    kids["D"].do("Escalate: initial PPM overdue", d(2026, 8, 25), agreed_date=d(2026, 8, 27),
                 action_taken="Booked the meeting.")
    kids["D"].ppm(d(2026, 8, 27), ["long_term_fostering"])
    kids["C"].ppm(d(2026, 8, 31), first=False)
    kids["C"].do("Record the Legal Gateway Meeting decision", d(2026, 9, 1), lgm_held_on=d(2026, 9, 1),
                 threshold_met=False, decision="no_further_action", s20_endorsed=True,
                 s20_reason="additional_needs")
    at(TODAY, 6)
    sweep(db)
    at(TODAY)
    return kids


_BUILT: dict[str, tuple[str, dict]] = {}


def scenario(kind: str, tmp_path_factory, postgres_url: str | None) -> tuple[Database, dict[str, Kid]]:
    """The scenario council, built once per database kind for the whole test session (its
    tests only read it). On PostgreSQL a database of its own, which other tests' truncation
    cannot touch."""
    if kind not in _BUILT:
        if kind == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('managers') / 'managers.db'}"
        else:
            server = make_url(postgres_url)
            with Database(server.render_as_string(hide_password=False)).engine.connect() as conn:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                conn.execute(text("DROP DATABASE IF EXISTS permanence_managers"))
                conn.execute(text("CREATE DATABASE permanence_managers"))
            url = server.set(database="permanence_managers").render_as_string(hide_password=False)
        db = Database(url)
        upgrade(db)
        try:
            kids = build_scenario(publish_council(db))
        finally:
            clock.reset()
        _BUILT[kind] = (url, {k: (kid.child_id, kid.team, kid.worker) for k, kid in kids.items()})
        db.dispose()
    url, kids = _BUILT[kind]
    db = Database(url)
    return db, {k: Kid(db, *values) for k, values in kids.items()}


# The shared fixtures of the managers' page tests: one scenario per database kind, built
# once per module, and a test client on it at the scenario's "today".
@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def council(request, tmp_path_factory):
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    db, kids = scenario(request.param, tmp_path_factory, url)
    yield db, kids, manager_app(db)
    db.dispose()


@pytest.fixture
def client(council):
    at(TODAY)
    return council[2].test_client()
