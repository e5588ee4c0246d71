"""Finding the person an operation is done as, and the people work can be given to."""
from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session, joinedload

from models import Child, User
from models.integration import ApiToken

from .errors import NotAllowed


#: Built once: every request asks it (building and keying a statement costs more than running it).
_BY_NAME = select(User).where(User.username == bindparam("username"))


def user_by_name(session: Session, username: str) -> User:
    """Looked up once per session: a page's one snapshot (models.Database.one_snapshot) asks
    for its user from each of the engine functions it calls; the first answer stands for the
    session's life (a request), so nothing is kept between requests."""
    known = session.info.setdefault("users_by_name", {})
    user = known.get(username)
    if user is None:
        user = session.scalars(_BY_NAME, {"username": username}).unique().first()
        if user is None or not user.active:
            raise NotAllowed(f"There is no active user '{username}'")
        known[username] = user
    return user


_CHILD = select(Child).options(joinedload(Child.team), joinedload(Child.social_worker))


def child_by_id(session: Session, child_id: int) -> Child | None:
    """A child with their team and social worker, read once per session like `user_by_name`:
    the child page's parts (position, timeline, records, plan, case details) each check the
    child in the page's one snapshot, and the identity map alone would forget it in between.
    The caller still checks `engine.access` each time."""
    known = session.info.setdefault("children_by_id", {})
    child = known.get(child_id)
    if child is None:
        child = session.scalars(_CHILD.where(Child.id == child_id)).unique().first()
        if child is not None:
            known[child_id] = child
    return child


def remember_child(session: Session, child: Child) -> Child:
    """A child read another way (a task's row with its child, team and social worker joined,
    as `_CHILD` reads them), kept for `child_by_id` in the same session."""
    session.info.setdefault("children_by_id", {}).setdefault(child.id, child)
    return child


def active_staff():
    """Active people, by name: never an API token's service user, which acts for a
    case-management system and cannot own an action, be allocated a child or attend."""
    return (select(User).where(User.active.is_(True),
                               ~exists(select(ApiToken.id).where(ApiToken.user_id == User.id)))
            .order_by(User.display_name))


def is_service_user(session: Session, user: User) -> bool:
    return session.scalar(select(exists().where(ApiToken.user_id == user.id))) or False
