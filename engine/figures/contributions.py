"""What one pathway adds to each dashboard figure, worked out from its projection rows.

A figure key is (kind, team, key, day): see models.figures. A pathway's contribution is a
Counter of keys, read from its own rows only (the pathway, its child, its open tasks and
its running or missed clocks), so a save recomputes one pathway's contribution before and
after and the difference goes into the running figures. The same function over every
pathway is the full recount the figures are checked against and rebuilt from.

The conditions mirror the dashboard's queries (engine.reporting.overview, .drift,
.heatmap); each time-dependent one is turned into the day it starts to hold.
"""
import json
from collections import Counter
from datetime import date, timedelta

from typing import NamedTuple

from sqlalchemy import Text, bindparam, cast, literal_column, select, union_all

from models import ALWAYS, FOREVER, Child, Deadline, HumanTask, PathwayInstance
from workflows.calendar import add_working_days, as_date
from workflows.local_settings import setting

PATHWAYS = "pathways"                # key stage|route: running pathways
TASK_OVERDUE = "task_overdue"        # key rule: open tasks, from the day after due
DEADLINE_OVERDUE = "deadline_overdue"  # key rule: running clocks after due, missed with work open
HEAT = "heat"                        # key version|step: open tasks at a diagram element
DRIFT = {"no-plan": "drift_no_plan", "s20": "drift_s20", "no-ppm": "drift_no_ppm",
         "panel-actions": "drift_panel"}
KINDS = (PATHWAYS, TASK_OVERDUE, DEADLINE_OVERDUE, HEAT, *DRIFT.values())

#: As engine.reporting (scope.COMPLETED, drift.ACHIEVED, drift.PANEL_ACTION) reads them.
COMPLETED = "completed"
ACHIEVED = "Permanence achieved"
PANEL_ACTION = "complete_panel_action"
_DAY = timedelta(days=1)
#: Pathways read at a time in a recount.
CHUNK = 500


class _Task(NamedTuple):
    rule: str | None
    due_on: date | None
    bpmn_id: str


class _Clock(NamedTuple):
    rule: str
    due_on: date
    status: str


def pathway_key(stage: str, route: str) -> str:
    return f"{stage or ''}|{route or ''}"


def heat_key(version_id: int, bpmn_id: str) -> str:
    return f"{version_id}|{bpmn_id}"


def contributions(conn, instance_ids, entries: list | None = None) -> Counter:
    """The figure keys the given pathways add up to, as they stand in `conn`'s view; with
    `entries`, their drift entries (models.DriftEntry rows as dicts) are added to it."""
    found: Counter = Counter()
    ids = sorted(set(instance_ids))
    for start in range(0, len(ids), CHUNK):
        _add(conn, ids[start:start + CHUNK], found, entries)
    return found


def all_instance_ids(conn) -> list[int]:
    return list(conn.execute(select(PathwayInstance.id).order_by(PathwayInstance.id)).scalars())


_IDS = bindparam("ids", expanding=True)
# Open tasks and running or missed clocks, as rows of one shape.
_TASKS_AND_CLOCKS = union_all(
    select(literal_column("'t'").label("what"), HumanTask.instance_id, HumanTask.rule,
           HumanTask.due_on, HumanTask.bpmn_id.label("other"))
    .where(HumanTask.instance_id.in_(_IDS), HumanTask.status == "open"),
    select(literal_column("'d'"), Deadline.instance_id, Deadline.rule, Deadline.due_on,
           Deadline.status)
    .where(Deadline.instance_id.in_(_IDS), Deadline.status.in_(("running", "missed")))).subquery()
#: The pathways with their children, a row for each open task or running or missed clock
#: (one row, without, for a pathway with none): one statement, built once. A save reads it
#: twice, a sweep's batch twice for its twenty pathways; a round trip each, and building and
#: keying a statement, cost more than the pathway's columns sent again on each row. The
#: facts come as text, parsed once a pathway.
_PATHWAYS = (
    select(PathwayInstance.id, PathwayInstance.child_id, PathwayInstance.status, PathwayInstance.stage,
           PathwayInstance.route, cast(PathwayInstance.facts, Text).label("facts"),
           PathwayInstance.diagram_version_id, Child.team_id, Child.legal_status,
           Child.looked_after_on, Child.date_of_birth, Child.before_care,
           _TASKS_AND_CLOCKS.c.what, _TASKS_AND_CLOCKS.c.rule, _TASKS_AND_CLOCKS.c.due_on,
           _TASKS_AND_CLOCKS.c.other)
    .join(Child, Child.id == PathwayInstance.child_id)
    .outerjoin(_TASKS_AND_CLOCKS, _TASKS_AND_CLOCKS.c.instance_id == PathwayInstance.id)
    .where(PathwayInstance.id.in_(_IDS)))


class _Pathway(NamedTuple):
    """What a pathway's contribution reads of it and its child."""
    id: int
    child_id: int
    status: str
    stage: str | None
    route: str | None
    facts: dict | None
    diagram_version_id: int
    team_id: int
    legal_status: str
    looked_after_on: date
    date_of_birth: date
    before_care: str | None


def _add(conn, ids: list[int], found: Counter, entries: list | None) -> None:
    pathways: dict[int, _Pathway] = {}
    tasks: dict[int, list] = {}
    clocks: dict[int, list] = {}
    for row in conn.execute(_PATHWAYS, {"ids": ids}):
        if row.id not in pathways:
            facts = row.facts
            pathways[row.id] = _Pathway(*row[:5], json.loads(facts) if facts is not None else None,
                                        *row[6:12])
            tasks[row.id], clocks[row.id] = [], []
        if row.what == "t":
            tasks[row.id].append(_Task(row.rule, row.due_on, row.other))
        elif row.what == "d":
            clocks[row.id].append(_Clock(row.rule, row.due_on, row.other))
    for p in pathways.values():
        listed: list = []
        _pathway(p, tasks[p.id], clocks[p.id], found, listed)
        if entries is not None:
            entries += [{"list": name, "instance_id": p.id, "child_id": p.child_id,
                         "team_id": p.team_id, "shown": shown, "since": since, "until": until,
                         "detail": detail[:200]}
                        for name, shown, since, until, detail in listed]


def _pathway(p, tasks, clocks, found: Counter, listed: list) -> None:
    """Adds the pathway's figure keys to `found`, and its drift entries to `listed` as
    (list, shown, since, until, detail): the figure counts them from `since`."""
    team, running = p.team_id, p.status != COMPLETED
    facts = p.facts or {}
    open_rules = {t.rule for t in tasks}
    for t in tasks:
        found[(HEAT, team, heat_key(p.diagram_version_id, t.bpmn_id), ALWAYS)] += 1
        if t.due_on is not None:
            found[(TASK_OVERDUE, team, t.rule or "", t.due_on + _DAY)] += 1
    for d in clocks:
        if d.status == "running":
            found[(DEADLINE_OVERDUE, team, d.rule or "", d.due_on + _DAY)] += 1
        elif d.rule in open_rules:
            found[(DEADLINE_OVERDUE, team, d.rule or "", ALWAYS)] += 1
    actions = [t.due_on for t in tasks if t.bpmn_id == PANEL_ACTION and t.due_on is not None]
    if actions:
        found[(DRIFT["panel-actions"], team, "", min(actions) + _DAY)] += 1
        listed.append(("panel-actions", min(actions), min(actions) + _DAY, FOREVER, ""))
    if not running or p.before_care:   # A10, E18: not looked after: in no looked-after figure
        return
    found[(PATHWAYS, team, pathway_key(p.stage, p.route), ALWAYS)] += 1
    if (p.route or "") == "":
        for d in clocks:
            if d.rule == "R4":
                since = ALWAYS if d.status == "missed" else d.due_on + _DAY
                found[(DRIFT["no-plan"], team, "", since)] += 1
                listed.append(("no-plan", d.due_on, since, FOREVER,
                               "Deadline missed" if d.status == "missed" else "Overdue"))
    _s20(p, facts, team, found, listed)
    if (p.stage or "") != ACHIEVED:
        _no_ppm(p, facts, team, found, listed)


def _s20(p, facts: dict, team: int, found: Counter, listed: list) -> None:
    legal = facts.get("legal_status")
    is_s20 = legal == "s20" if legal is not None else p.legal_status == "s20"
    if (not is_s20 or facts.get("s20_endorsed") is True or facts.get("issued_on") is not None
            or facts.get("still_s20") is False):
        return
    start = p.looked_after_on + timedelta(weeks=setting("s20_drift_weeks"))
    until = seventeenth_birthday(p.date_of_birth)
    if start < until:
        found[(DRIFT["s20"], team, "", start)] += 1
        found[(DRIFT["s20"], team, "", until)] -= 1
        listed.append(("s20", start, start, until,
                       f"Looked after under section 20 since {long_date(p.looked_after_on)}"))


def seventeenth_birthday(born: date) -> date:
    """The first day a child born on `born` is 17 (scope.last_day_aged's reading: a 29
    February birthday falls on 1 March)."""
    try:
        return born.replace(year=born.year + 17)
    except ValueError:
        return date(born.year + 17, 3, 1)


def _no_ppm(p, facts: dict, team: int, found: Counter, listed: list) -> None:
    held = facts.get("held_on")
    if held is not None:
        try:
            last = as_date(str(held)[:10])
        except (TypeError, ValueError):
            return
        due = last + timedelta(weeks=setting("review_ppm_weeks"))
        detail = f"Last PPM {long_date(last)}"
    else:
        due = as_date(add_working_days(p.looked_after_on, setting("initial_ppm_working_days")))
        detail = f"No PPM yet; looked after since {long_date(p.looked_after_on)}"
    found[(DRIFT["no-ppm"], team, "", due + _DAY)] += 1
    listed.append(("no-ppm", due, due + _DAY, FOREVER, detail))


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
