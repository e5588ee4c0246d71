"""The managers' pages over a national-sized table.

dashboard_ms: median server time of GET /dashboard (Flask test client, signed in as a Head of
  Service, every team) with 100,000 children; dashboard_team_ms the same for a team manager.
children_list_ms: the first page of GET /children, sorted by next due date, same database.
The same pages with 1,000 children are measured in the same run (`*_baseline_ms`), and the
ratios printed, so growth can be read at a glance. Target: under 150 ms at 100,000. Each page
is measured warm (every page requested five times first), after the load has been written
out to disk, as a server that has been running for a while would answer it.

One child is registered through the engine; the others are copies of its pathway row (state
and all, so rows are their real width) with their own child rows, spread realistically over
ten teams, the stages and routes (a tenth on twin-track plans), legal statuses, ages, last
PPMs and panels, each with 3 open tasks at real diagram steps, 2 done, and 2 statutory clocks.
"""
import os
import random
import uuid
from datetime import timedelta

from sqlalchemy import insert, text

from engine import clock, figures
from engine.people import add_user, ensure_team
from models import Child, Database, Deadline, HumanTask, PathwayInstance
from web import create_app
from web.identity import SESSION_KEY
from web.settings import Settings
from workflows import roles

from .common import START, council, median_ms, register, timed

PROCESS = "permanence_pathway"
TODAY = START.date()
TEAMS = [f"Team {n:02}" for n in range(1, 11)]
SAMPLES = 21
#: stage, weight, route choices, the step the child is at (bpmn id, name, lane, rule)
PROFILES = [
    ("Initial PPM", 8, [""], ("initial_ppm", "Hold the initial PPM", "Social Worker", "R7")),
    ("Planning", 10, [""], ("review_ppm", "Hold the review PPM", "Social Worker", "R8")),
    ("Reunification", 14, ["reunification", "reunification + adoption"],
     ("reunification_plan", "Agree the reunification support plan", "Social Worker", "R8")),
    ("Family and friends", 12, ["family_and_friends", "family_and_friends + adoption"],
     ("connected_assessment", "Complete the connected person assessment", "Social Worker", "R8")),
    ("Adoption", 14, ["adoption", "adoption + long_term_fostering"],
     ("adm_decision", "Decide whether the child should be placed for adoption", "Agency Decision Maker", "R15")),
    ("Long-term fostering", 20, ["long_term_fostering"],
     ("ratify_match", "Ratify the long-term match at panel", "Panel Chair", "R22")),
    ("Residential", 3, ["residential"],
     ("residential_review", "Review the residential placement at panel", "Panel Chair", "R25")),
    ("Permanence achieved", 19, ["long_term_fostering", "residential"],
     ("permanence_review", "Review the permanence plan", "Social Worker", "R23")),
]
SIDE_STEPS = [("later_review", "Hold the CLA review", "IRO", "R3"),
              ("next_panel", "Record the Permanence Panel review", "Panel Chair", "R12"),
              ("complete_panel_action", "Complete the panel action", "Social Worker", "R12"),
              ("route_review_ppm", "Hold the review PPM", "Social Worker", "R8")]
LEGAL = [("co", 45), ("ico", 18), ("s20", 15), ("pwp", 8), ("po", 12), ("epo", 2)]


def _fill(db: Database, total: int) -> None:
    template = register(db, "TEMPLATE", process=PROCESS)
    with db.transaction() as session:
        row = session.get(PathwayInstance, template.outcome.instance_id)
        state, version_id = row.state, row.diagram_version_id
        teams = [ensure_team(session, name) for name in TEAMS]
        session.flush()
        team_ids = [t.id for t in teams]
        add_user(session, "hos", "Hal Head", [roles.HEAD_OF_SERVICE])
        add_user(session, "tm", "Tina Manager", [roles.TEAM_MANAGER], teams[0])
    rng = random.Random(7)
    batch = 2000
    with db.engine.begin() as conn:
        for start in range(0, total - 1, batch):
            size = min(batch, total - 1 - start)
            children = [_child(rng, start + i, team_ids) for i in range(size)]
            ids = conn.execute(insert(Child).returning(Child.id, sort_by_parameter_order=True),
                               [c for c, _ in children]).scalars().all()
            pathways = [_pathway(rng, child_id, c, extra, state, version_id)
                        for child_id, (c, extra) in zip(ids, children)]
            instance_ids = conn.execute(
                insert(PathwayInstance).returning(PathwayInstance.id, sort_by_parameter_order=True),
                [p for p, _ in pathways]).scalars().all()
            tasks, deadlines = [], []
            for instance_id, child_id, (c, _), (p, profile) in zip(instance_ids, ids, children, pathways):
                tasks += [{**task, "team_id": c["team_id"]}
                          for task in _tasks(rng, instance_id, child_id, p, profile)]
                deadlines += _deadlines(rng, instance_id, child_id, p)
            conn.execute(insert(HumanTask), tasks)
            conn.execute(insert(Deadline), deadlines)
    # The copies bypass the unit of work that keeps the running figures: count them once,
    # as `permanence figures rebuild` would after such a load.
    figures.rebuild_all(db)
    with db.engine.connect() as conn:   # as a live database would be after autovacuum
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text("VACUUM ANALYZE" if db.is_postgresql else "ANALYZE"))
    os.sync()   # measure the pages, not the disk still writing out gigabytes of copies


def _weighted(rng, choices):
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _child(rng, n: int, team_ids) -> tuple[dict, dict]:
    looked_after = TODAY - timedelta(days=rng.randrange(20, 4 * 365))
    born = min(looked_after, TODAY - timedelta(days=rng.randrange(30, 17 * 365 + 300)))
    legal = _weighted(rng, LEGAL)
    return ({"reference": f"C-{n:06}", "name": f"Child {n:06} {rng.choice('ABCDEFGHJKLMNPRSTW')}",
             "date_of_birth": born, "legal_status": legal, "looked_after_on": looked_after,
             "team_id": rng.choice(team_ids), "created_at": START},
            {"legal": legal, "since": looked_after})


def _pathway(rng, child_id, child, extra, state, version_id) -> tuple[dict, tuple]:
    profile = _weighted(rng, [(p, p[1]) for p in PROFILES])
    stage, _, routes, _ = profile
    route = rng.choice(routes)
    # Most PPMs are on their six-weekly cadence; about one child in eight has gone longer.
    since_ppm = rng.randrange(1, 42) if rng.random() < 0.88 else rng.randrange(43, 150)
    facts = {"legal_status": extra["legal"], "routes": route.split(" + ") if route else [],
             "plan_identified": bool(route),
             "held_on": (TODAY - timedelta(days=since_ppm)).isoformat(),
             "review_held_on": (TODAY - timedelta(days=rng.randrange(1, 180))).isoformat()}
    if rng.random() < 0.04:
        facts.pop("held_on")   # no PPM yet
    if rng.random() < 0.7:
        facts["panel_held_on"] = (TODAY - timedelta(days=rng.randrange(1, 360))).isoformat()
    if extra["legal"] == "s20" and rng.random() < 0.5:
        facts["s20_endorsed"] = True
    status = "completed" if rng.random() < 0.03 else "active"
    return ({"child_id": child_id, "diagram_version_id": version_id, "state": state,
             "status": status, "stage": "Pathway complete" if status == "completed" else stage,
             "route": route, "facts": facts, "started_at": START, "updated_at": START,
             "next_due_at": START + timedelta(days=rng.randrange(1, 200)), "version": 1},
            profile)


def _task(instance_id, child_id, step, stage, due_on, status="open") -> dict:
    bpmn_id, name, lane, rule = step
    return {"task_id": str(uuid.uuid4()), "instance_id": instance_id, "child_id": child_id,
            "bpmn_id": bpmn_id, "name": name, "lane": lane, "stage": stage, "due_on": due_on,
            "rule": rule, "status": status, "created_at": START, "instructions": "",
            "completed_at": START if status == "completed" else None}


def _tasks(rng, instance_id, child_id, pathway, profile) -> list[dict]:
    def due():   # about one open task in eight is overdue
        return TODAY + timedelta(days=rng.randrange(-40, 240))
    done = [_task(instance_id, child_id, SIDE_STEPS[0], "CLA reviews", TODAY - timedelta(days=200), "completed"),
            _task(instance_id, child_id, profile[3], profile[0], TODAY - timedelta(days=100), "completed")]
    if pathway["status"] == "completed":
        return done
    side = rng.sample(SIDE_STEPS, 2)
    return done + [_task(instance_id, child_id, profile[3], profile[0], due())] + [
        _task(instance_id, child_id, step, "CLA reviews", due()) for step in side]


def _deadlines(rng, instance_id, child_id, pathway) -> list[dict]:
    r4_status = "missed" if rng.random() < 0.08 else "met"
    r4_due = TODAY - timedelta(days=rng.randrange(30, 900))
    running = "cancelled" if pathway["status"] == "completed" else "running"
    return [
        {"instance_id": instance_id, "child_id": child_id, "key": str(uuid.uuid4()),
         "bpmn_id": "planning_deadline", "rule": "R4", "label": "Permanency planning: deadline",
         "due_on": r4_due, "status": r4_status, "met_on": None if r4_status == "missed" else r4_due},
        {"instance_id": instance_id, "child_id": child_id, "key": str(uuid.uuid4()),
         "bpmn_id": "later_review_deadline", "rule": "R3", "label": "Hold the CLA review: deadline",
         "due_on": TODAY + timedelta(days=rng.randrange(-5, 180)), "status": running, "met_on": None},
    ]


PAGES = (("hos", "/dashboard", "dashboard_ms"), ("tm", "/dashboard", "dashboard_team_ms"),
         ("hos", "/children", "children_list_ms"))


def _measure(db: Database) -> dict[str, float]:
    """Median server time of each page, after every page has been warmed (templates
    compiled, the diagram's processes read once, the database's pages in memory)."""
    clock.set_fixed(START)
    app = create_app(Settings(database_url=db.url, secret_key="bench", process_id=PROCESS,
                              clock=START.isoformat()), db=db)
    clients = [(_signed_in(app, db, username), path, name) for username, path, name in PAGES]
    for client, path, _ in clients * 5:
        assert client.get(path).status_code == 200
    return {name: round(median_ms([timed(lambda: client.get(path)) for _ in range(SAMPLES)]), 1)
            for client, path, name in clients}


def _signed_in(app, db: Database, username: str):
    client = app.test_client()
    with db.transaction() as session:
        user_id = session.execute(text("SELECT id FROM app_user WHERE username = :u"),
                                  {"u": username}).scalar()
    with client.session_transaction() as flask_session:
        flask_session[SESSION_KEY] = user_id
    return client


def run(url: str | None = None, total: int = 100_000, baseline: int = 1_000) -> dict:
    lines = {"dashboard_children": total}
    results = {}
    for size, name in ((total, "dashboard_large"), (baseline, "dashboard_small")):
        with council(url, name, PROCESS) as db:
            _fill(db, size)
            results[size] = _measure(db)
    for key, value in results[total].items():
        lines[key] = value
    lines["dashboard_baseline_children"] = baseline
    for key, value in results[baseline].items():
        lines[key.replace("_ms", "_baseline_ms")] = value
    for key in results[total]:
        lines[key.replace("_ms", "_ratio")] = round(results[total][key] / results[baseline][key], 2)
    return lines
