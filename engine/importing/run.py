"""The import: every row checked, then each child replayed in a transaction of its own,
rolled back in a dry run (which so shows exactly the position the import would give) and
committed otherwise. A child already present (by reference) is reported and skipped, so a
rerun never duplicates one; a child that fails leaves no trace and the others go on."""
from dataclasses import dataclass, field

from models import Database

from .. import audit, clock
from ..access import may_record_history
from ..errors import NotAllowed
from ..pathway import DEFAULT_PROCESS
from ..position import position
from ..users import user_by_name
from .replay import ChildTransaction, ReplayFailed, replay
from .rows import check_row

IMPORTED = "child_imported"


@dataclass
class ChildResult:
    row: int
    reference: str
    name: str
    status: str                     # error | present | ready (dry run) | imported
    errors: dict = field(default_factory=dict)
    child_id: int | None = None
    stage: str = ""
    route: str = ""
    open_tasks: list = field(default_factory=list)
    deadlines: list = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool
    results: list[ChildResult]

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def error_count(self) -> int:
        return self.count("error")


def import_tracker(db: Database, rows: list[dict], actor: str, dry_run: bool = False,
                   process_id: str = DEFAULT_PROCESS) -> ImportReport:
    with db.transaction() as session:
        if not may_record_history(user_by_name(session, actor)):
            raise NotAllowed("Only an administrator may import children")
    seen: set[str] = set()
    results = []
    for raw in rows:
        with db.transaction() as session:
            checked = check_row(session, raw, seen)
        result = ChildResult(checked.number, checked.reference, checked.name, "error",
                             dict(checked.errors))
        if checked.present:
            result.status = "present"
        elif not checked.errors:
            _bring_on(db, checked, actor, dry_run, result, process_id)
        results.append(result)
    return ImportReport(dry_run, results)


def _bring_on(db, checked, actor, dry_run, result: ChildResult, process_id: str) -> None:
    child = ChildTransaction(db)
    commit = False
    try:
        child_id = replay(child, checked, actor, process_id)
        where = position(child, child_id)
        with child.transaction() as session:
            audit.record(session, IMPORTED, clock.now(), actor=user_by_name(session, actor),
                         child_id=child_id, instance_id=where.instance_id, row=checked.number,
                         stage=where.stage, open_tasks=len(where.open_tasks))
        result.status, result.stage, result.route = ("ready" if dry_run else "imported"), where.stage, where.route
        result.open_tasks, result.deadlines = where.open_tasks, where.deadlines
        result.child_id = None if dry_run else child_id
        commit = not dry_run
    except ReplayFailed as exc:
        result.errors.setdefault(exc.column, []).append(exc.message)
    except Exception as exc:  # noqa: BLE001 - this child fails alone, the others go on
        result.errors.setdefault("reference", []).append(
            f"{checked.reference} could not be imported, so nothing of it was: "
            f"{type(exc).__name__}: {exc}")
    finally:
        child.close(commit)
