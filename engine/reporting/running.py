"""The dashboard's figures read from the running figures (models.figures): one grouped scan
of a small table, whatever the number of children, instead of a count over every child.

Each function gives what its counterpart over the projections gives (overview.counts,
overview.overdue, the drift lists' totals, the heatmap's counts per step); `engine.figures`
checks that they agree.
"""
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import DashboardFigure as Figure

from ..figures.contributions import (
    DEADLINE_OVERDUE, DRIFT, HEAT, PATHWAYS, TASK_OVERDUE, heat_key,
)
from .overview import Counts, OverdueTable, counts_from, table
from .scope import Scope


class Figures:
    """The figures in scope as they stand on `today`: {(kind, key): n} and per team."""

    def __init__(self, session: Session, scope: Scope, today: date):
        # The rows dated today or earlier, read along the index on the day and summed here:
        # a GROUP BY would have the database walk the key index over every row, the days
        # still to come too (tens of thousands at council scale), to read a few hundred.
        query = select(Figure.kind, Figure.team_id, Figure.key, Figure.n).where(Figure.day <= today)
        if not scope.every_team:
            query = query.where(Figure.team_id == scope.team_id)
        sums: dict[tuple, int] = {}
        for kind, team, key, n in session.execute(query):
            if kind != "basis":
                sums[(kind, team, key)] = sums.get((kind, team, key), 0) + n
        self.rows = [(kind, team, key, n) for (kind, team, key), n in sorted(sums.items(), key=str) if n]
        self._by_kind: dict[str, list[tuple]] = {}
        for kind, team, key, n in self.rows:   # each figure's rows, in the same order
            self._by_kind.setdefault(kind, []).append((team, key, n))
        self.session, self.scope = session, scope

    def _of(self, kind: str):
        return self._by_kind.get(kind, [])

    def counts(self) -> Counts:
        return counts_from((*key.split("|", 1), n) for _, key, n in self._of(PATHWAYS))

    def overdue(self) -> tuple[OverdueTable, OverdueTable]:
        teams = self.scope.teams(self.session)
        return (table(teams, [(team, key or None, n) for team, key, n in self._of(TASK_OVERDUE)]),
                table(teams, [(team, key or None, n) for team, key, n in self._of(DEADLINE_OVERDUE)]))

    def drift_total(self, list_key: str) -> int:
        return sum(n for _, _, n in self._of(DRIFT[list_key]))

    def open_tasks_by_element(self, version_id: int) -> dict[str, int]:
        prefix = heat_key(version_id, "")
        found: dict[str, int] = {}
        for _, key, n in self._of(HEAT):
            if key.startswith(prefix):
                found[key[len(prefix):]] = found.get(key[len(prefix):], 0) + n
        return found
