"""What the API reads and changes of a child's casework for other systems: the child's
records, their case events (and recording one through `deliver_event`), their case details
(siblings, family time, identity and needs; a new version of identity), and reallocation.

Like `engine.integration`, every function takes the (service) user's name and the token's
teams (None: every team): a child outside them is NotFound in the same words as one that does
not exist, before the engine function (which applies `engine.access` to the user) is called.
Pages are cursor-paged on ids, oldest first.
"""
from sqlalchemy import select

from models import CaseEvent, Database, TaskRecord, Team

from . import audit, clock
from .allocation import Reallocation, reallocate
from .case_event_kinds import KINDS
from .case_events import Delivered, deliver_event, placements
from .errors import FormInvalid, NotFound
from .integration import _child
from .records import RecordView, current_records, read_record, summary
from .users import user_by_name


def records_page(db: Database, child_id: int, username: str, team_ids, after: int = 0,
                 limit: int = 50, kind: str | None = None) -> tuple[list[dict], int | None]:
    """The child's current records (each the latest revision), with their answers; reading
    them is audited, as reading a record on its page is."""
    with db.transaction() as session:
        user = user_by_name(session, username)
        found = _child(session, user, child_id, team_ids)
        query = current_records(select(TaskRecord).where(TaskRecord.child_id == found.id,
                                                         TaskRecord.id > after))
        if kind:
            query = query.where(TaskRecord.kind == kind)
        rows = list(session.scalars(query.order_by(TaskRecord.id).limit(limit + 1)))
        shown = rows[:limit]
        if shown:
            audit.record(session, audit.RECORD_VIEWED, clock.now(), actor=user, child_id=found.id,
                         records=[r.id for r in shown], purpose="api")
        return [summary(r) for r in shown], (rows[limit - 1].id if len(rows) > limit else None)


def record(db: Database, record_id: int, username: str, team_ids) -> RecordView:
    """A record with every revision, as `read_record` gives it to the record page."""
    with db.transaction() as session:
        user = user_by_name(session, username)
        child_id = session.scalar(select(TaskRecord.child_id).where(TaskRecord.id == record_id))
        try:
            if child_id is None:
                raise NotFound(str(record_id))
            _child(session, user, child_id, team_ids)
        except NotFound:
            raise NotFound(f"There is no record {record_id} that you can see") from None
    return read_record(db, record_id, username, purpose="api")


def case_events_page(db: Database, child_id: int, username: str, team_ids, after: int = 0,
                     limit: int = 50) -> tuple[list[dict], int | None]:
    with db.transaction() as session:
        user = user_by_name(session, username)
        found = _child(session, user, child_id, team_ids)
        rows = list(session.scalars(select(CaseEvent).where(CaseEvent.child_id == found.id,
                                                            CaseEvent.id > after)
                                    .order_by(CaseEvent.id).limit(limit + 1)))
        items = [{"id": e.id, "kind": e.kind,
                  "label": KINDS[e.kind].label if e.kind in KINDS else e.kind,
                  "occurred_on": e.occurred_on, "data": e.data, "caught_by": e.caught_by,
                  "recorded_by": e.recorded_by.username if e.recorded_by else None,
                  "recorded_at": e.recorded_at} for e in rows[:limit]]
        return items, (rows[limit - 1].id if len(rows) > limit else None)


def child_placements(db: Database, child_id: int, username: str, team_ids) -> list[dict]:
    with db.transaction() as session:
        _child(session, user_by_name(session, username), child_id, team_ids)
    return placements(db, child_id, username)


def record_case_event(db: Database, child_id: int, kind: str, data: dict, username: str,
                      team_ids) -> Delivered:
    """`deliver_event`, for a child the token may see: the event is checked against the case
    as it stands, per field, and nothing is written if it is refused."""
    with db.transaction() as session:
        _child(session, user_by_name(session, username), child_id, team_ids)
    return deliver_event(db, child_id, kind, data, username)


def reallocate_child(db: Database, child_id: int, changes: dict, username: str,
                     team_ids) -> Reallocation:
    """`reallocate`, for a child the token may see, into one of the token's teams."""
    with db.transaction() as session:
        _child(session, user_by_name(session, username), child_id, team_ids)
        if team_ids is not None:
            team = session.scalar(select(Team.id).where(Team.name == changes["team"]))
            if team is not None and team not in team_ids:
                raise FormInvalid({"team": [f"This token may not allocate children to "
                                            f"{changes['team']}"]}, changes)
    return reallocate(db, child_id, username, team=changes["team"],
                      social_worker=changes["social_worker"], on=changes["on"],
                      reason=changes["reason"])



def case_details(db: Database, child_id: int, username: str, team_ids) -> dict:
    """The case details as the child page shows them to this (service) user (K4, K9-K14)."""
    from .casework import details_for
    with db.transaction() as session:
        _child(session, user_by_name(session, username), child_id, team_ids)
    return details_for(db, child_id, username)


def save_identity(db: Database, child_id: int, data: dict, reason: str, username: str,
                  team_ids) -> int:
    """The next version of the child's identity and needs, checked as the page checks it."""
    from .casework import save_identity as save
    with db.transaction() as session:
        _child(session, user_by_name(session, username), child_id, team_ids)
    return save(db, child_id, data, reason, username)


def save_network_person(db: Database, child_id: int, data: dict, number: int | None, reason: str,
                        username: str, team_ids) -> int:
    """A9, E6: a person added to the family network, or changed, as the page and CLI do."""
    from .casework import save_network_person as save
    with db.transaction() as session:
        _child(session, user_by_name(session, username), child_id, team_ids)
    return save(db, child_id, data, username, number, reason)


def add_health_assessment(db: Database, child_id: int, data: dict, username: str, team_ids) -> int:
    """E25: a statutory health assessment recorded, as the page and CLI do."""
    from .casework import add_health_assessment as add
    with db.transaction() as session:
        _child(session, user_by_name(session, username), child_id, team_ids)
    return add(db, child_id, data, username)
