"""PPM actions as people read them: an action's page, a person's inbox of their own and
escalated actions, and a child's actions for the plan (engine.ppm_actions writes them)."""
from datetime import date
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from models import Database, PpmAction, User
from workflows.roles import HEAD_OF_SERVICE, SERVICE_MANAGER, TEAM_MANAGER

from . import clock
from .access import may_complete_action, may_handle_escalation, may_see_action, may_see_child
from .errors import NotFound
from .paging import PER_PAGE, page_within
from .records import child_card
from .users import user_by_name


def seen_action(session: Session, action_id: int, username: str) -> tuple[User, PpmAction]:
    user = user_by_name(session, username)
    action = session.scalars(select(PpmAction).where(PpmAction.id == action_id)
                             .options(joinedload(PpmAction.child), joinedload(PpmAction.owner))).unique().first()
    if action is None or not may_see_action(user, action):
        raise NotFound(f"There is no action {action_id} that you can see")
    return user, action


def status_of(action: PpmAction, today: date) -> str:
    if action.status == "done":
        return f"Done on {_long(action.done_on)}"
    if action.escalated_at is not None:
        return "Escalated to the team manager" + (": answered" if action.escalation_handled_at else "")
    return "Overdue" if action.due_on < today else "Open"


def _view(action: PpmAction, today: date) -> dict:
    return {"id": action.id, "child_id": action.child_id, "child_name": action.child.name,
            "child_reference": action.child.reference, "from": action.source, "set_on": action.set_on,
            "action": action.action, "owner": action.owner.display_name,
            "owner_username": action.owner.username, "due_on": action.due_on,
            "status": status_of(action, today), "open": action.status == "open",
            "overdue": action.status == "open" and action.due_on < today,
            "done": action.status == "done", "done_on": action.done_on, "done_note": action.done_note,
            "escalated": action.escalated_at is not None,
            "escalation_note": action.escalation_note, "record_id": action.record_id}


def action_page(db: Database, action_id: int, username: str) -> dict:
    """An action as its page shows it, and what this user may do with it."""
    with db.reading() as session:
        user, action = seen_action(session, action_id, username)
        view = _view(action, clock.today())
        view.update(child=child_card(action.child), may_see_child=may_see_child(user, action.child),
                    may_complete=action.status == "open" and may_complete_action(user, action),
                    may_answer=action.escalation_handled_at is None and may_handle_escalation(user, action))
        return view


def inbox_actions(db: Database, username: str, pages: dict | None = None) -> dict:
    """The user's own open actions ("owned") and the missed ones escalated to them
    ("escalated"), by due date, each with its count ("owned_total", "escalated_total").
    With `pages` ({"owned": n, "escalated": n}), each list is that page read with its count
    in the database, as the inbox shows it (a person may own hundreds); without, all of them."""
    with db.reading() as session:
        user = user_by_name(session, username)
        today = clock.today()
        escalated_to = None
        if user.roles & {TEAM_MANAGER, SERVICE_MANAGER, HEAD_OF_SERVICE}:
            escalated_to = (("every team",) if user.roles & {SERVICE_MANAGER, HEAD_OF_SERVICE}
                            else ("team", user.team_id))
        found = {}
        for key, queries in zip(("owned", "escalated"), _inbox_queries(user.id, escalated_to)):
            actions, total = [], 0
            if queries is not None:
                listed, counted = queries
                if pages is None:
                    actions = session.scalars(listed).unique().all()
                    total = len(actions)
                else:
                    total = session.scalar(counted)
                    page, _ = page_within(total, pages.get(key, 1))
                    actions = session.scalars(listed.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).unique().all()
            found[key], found[f"{key}_total"] = [_view(a, today) for a in actions], total
        return found


@lru_cache(maxsize=256)
def _inbox_queries(owner_id: int, escalated_to) -> tuple:
    """The inbox's two lists for one person (`escalated_to`: None, ("team", its id) or
    ("every team",)), each as (its statement, its count), or None for a list they do not
    have: values of their arguments, built once (building them was most of the time)."""
    def both(*criteria):
        return (select(PpmAction).where(*criteria)
                .options(joinedload(PpmAction.child), joinedload(PpmAction.owner))
                .order_by(PpmAction.due_on, PpmAction.id),
                select(func.count()).select_from(PpmAction).where(*criteria))
    owned = both(PpmAction.owner_id == owner_id, PpmAction.status == "open")
    if escalated_to is None:
        return owned, None
    escalated = (PpmAction.escalated_at.is_not(None), PpmAction.escalation_handled_at.is_(None))
    if escalated_to[0] == "team":
        escalated += (PpmAction.escalated_to_team_id == escalated_to[1],)
    return owned, both(*escalated)


def child_actions(session: Session, child_ids: list[int], today: date) -> dict[int, list[dict]]:
    """Every action of these children (the plan shows them), oldest first."""
    found: dict[int, list[dict]] = {i: [] for i in child_ids}
    for action in session.scalars(select(PpmAction).where(PpmAction.child_id.in_(child_ids))
                                  .options(joinedload(PpmAction.child), joinedload(PpmAction.owner))
                                  .order_by(PpmAction.set_on, PpmAction.id)).unique():
        found[action.child_id].append(_view(action, today))
    return found


def _long(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "an unknown date"
