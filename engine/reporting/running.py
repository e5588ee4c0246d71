"""The dashboard's figures read from the running figures (models.figures): one grouped scan
of a small table, whatever the number of children, instead of a count over every child.

Each function gives what its counterpart over the projections gives (overview.counts,
overview.overdue, the drift lists' totals, the heatmap's counts per step); `engine.figures`
checks that they agree.
"""
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from models import DashboardFigure as Figure

from ..figures.contributions import (
    DEADLINE_OVERDUE, DRIFT, HEAT, PATHWAYS, TASK_OVERDUE, heat_key,
)
from .overview import Counts, OverdueTable, counts_from, table
from .scope import Scope


#: The figures' rows dated on or before a day (built once: every dashboard reads them).
_EVERY_TEAM = (select(Figure.kind, Figure.team_id, Figure.key, Figure.n)
               .where(Figure.day <= bindparam("today"), Figure.kind != "basis"))
_ONE_TEAM = _EVERY_TEAM.where(Figure.team_id == bindparam("team_id"))


class Figures:
    """The figures in scope as they stand on `today`: {(kind, key): n} and per team."""

    def __init__(self, session: Session, scope: Scope, today: date):
        # The rows dated today or earlier, read along the index on the day and summed here:
        # a GROUP BY would have the database walk the key index over every row, the days
        # still to come too (tens of thousands at council scale), to read a few hundred.
        query, params = (_EVERY_TEAM, {"today": today}) if scope.every_team else \
            (_ONE_TEAM, {"today": today, "team_id": scope.team_id})
        # Read on the connection (plain rows, no ORM loading) and summed per figure: the
        # order of a figure's rows does not matter to anything built from them.
        sums: dict[str, dict[tuple, int]] = {}
        for kind, team, key, n in session.connection().execute(query, params).all():
            figure = sums.get(kind)
            if figure is None:
                figure = sums[kind] = {}
            figure[team, key] = figure.get((team, key), 0) + n
        self._by_kind: dict[str, list[tuple]] = {
            kind: [(team, key, n) for (team, key), n in figure.items() if n]
            for kind, figure in sums.items()}
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
