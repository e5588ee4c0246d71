"""The dashboard's figures: children by stage and by route, and what is overdue, by team and
by the rule that set the date. Here each is counted over the projections, one grouped query
answered from an index: what the running figures the dashboard reads (`running.py`) are
checked against. `counts_from` and `table` shape both alike."""
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from models import Child, Deadline, HumanTask, PathwayInstance
from workflows.rules import rule_label
from workflows.stages import ROUTE_LABELS, stage_rank

from .scope import COMPLETED, Scope, looked_after

NO_PLAN = "No plan yet"


@dataclass(frozen=True)
class Counts:
    total: int
    by_stage: list[tuple[str, int]]    # in the pathway's order
    by_route: list[tuple[str, int]]    # a twin-track child is counted under each route
    twin_track: int


@dataclass(frozen=True)
class OverdueTable:
    """Rows are rules, columns the teams in scope."""
    teams: list[str]
    rows: list[dict]      # {"rule", "label", "counts": [per team], "total"}
    total: int


def route_ids(route: str) -> list[str]:
    """"adoption + long_term_fostering" (twin-track) as ["adoption", "long_term_fostering"]."""
    return [part.strip() for part in (route or "").split("+") if part.strip()]


def route_text(route_id: str) -> str:
    return ROUTE_LABELS.get(route_id, route_id.replace("_", " ").capitalize())


def counts(session: Session, scope: Scope) -> Counts:
    # Grouped in the order of ix_pathway_instance_summary (status first), so the database
    # counts along the index without sorting; finished pathways are left out here.
    query = (select(PathwayInstance.status, PathwayInstance.stage, PathwayInstance.route, func.count())
             .join(Child, Child.id == PathwayInstance.child_id)
             .where(looked_after())   # A10, E18: a child before care is in no looked-after count
             .group_by(PathwayInstance.status, PathwayInstance.stage, PathwayInstance.route))
    query = scope.children(query)
    return counts_from((stage, route, n) for status, stage, route, n in session.execute(query)
                       if status != COMPLETED)


def counts_from(rows) -> Counts:
    """Counts from (stage, route, children) of running pathways."""
    stages: dict[str, int] = {}
    routes: dict[str, int] = {}
    total = twin = 0
    for stage, route, n in rows:
        total += n
        stages[stage or "Not started"] = stages.get(stage or "Not started", 0) + n
        labels = _route_labels(route)
        twin += n if len(labels) > 1 else 0
        for label in labels:
            routes[label] = routes.get(label, 0) + n
    route_order = [*ROUTE_LABELS.values(), NO_PLAN]
    return Counts(
        total,
        sorted(stages.items(), key=lambda kv: (stage_rank(kv[0]), kv[0])),
        sorted(routes.items(), key=lambda kv: (route_order.index(kv[0])
                                               if kv[0] in route_order else len(route_order), kv[0])),
        twin)


@lru_cache(maxsize=256)
def _route_labels(route: str | None) -> tuple[str, ...]:
    """The labels a pathway's route is counted under ("No plan yet" for none): the same few
    routes on every dashboard, worked out once."""
    return tuple(route_text(r) for r in route_ids(route)) or (NO_PLAN,)


def overdue(session: Session, scope: Scope, today: date) -> tuple[OverdueTable, OverdueTable]:
    """Overdue tasks, and overdue statutory deadlines, each by team and rule.

    A task is overdue when open past its due date. A deadline when past its date and not
    met: still running (the timer has not fired yet), or missed while the work it guards is
    still open (a task under the same rule on the same pathway). A clock missed long ago
    whose work was done since is history, not something overdue now."""
    tasks = (select(Child.team_id, HumanTask.rule, func.count())
             .join(Child, Child.id == HumanTask.child_id)
             .where(HumanTask.status == "open", HumanTask.due_on < today)
             .group_by(Child.team_id, HumanTask.rule))
    task = aliased(HumanTask)
    still_open = exists().where(task.instance_id == Deadline.instance_id, task.status == "open",
                                task.rule == Deadline.rule)
    deadlines = [(select(Child.team_id, Deadline.rule, func.count())
                  .join(Child, Child.id == Deadline.child_id).where(*where)
                  .group_by(Child.team_id, Deadline.rule))
                 for where in ((Deadline.status == "running", Deadline.due_on < today),
                               (Deadline.status == "missed", still_open))]
    teams = scope.teams(session)
    return (table(teams, session.execute(scope.children(tasks)).all()),
            table(teams, [row for query in deadlines
                           for row in session.execute(scope.children(query)).all()]))


def rule_order(rule: str | None) -> tuple:
    """R1, R2, ... R25 in number order; no rule last."""
    if not rule:
        return (1, 0, "")
    digits = rule[1:]
    return (0, int(digits) if digits.isdigit() else 999, rule)


def table(teams: list[tuple[int, str]], rows) -> OverdueTable:
    column = {team_id: i for i, (team_id, _) in enumerate(teams)}
    by_rule: dict[str | None, list[int]] = {}
    for team_id, rule, n in rows:
        if team_id not in column:
            continue
        by_rule.setdefault(rule, [0] * len(teams))[column[team_id]] += n
    table = [{"rule": rule or "", "label": rule_label(rule) or "No rule given",
              "counts": per_team, "total": sum(per_team)}
             for rule, per_team in sorted(by_rule.items(), key=lambda kv: rule_order(kv[0]))]
    return OverdueTable([name for _, name in teams], table, sum(r["total"] for r in table))

