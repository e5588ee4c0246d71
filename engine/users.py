"""Finding the person an operation is done as."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import User

from .errors import NotAllowed


def user_by_name(session: Session, username: str) -> User:
    """Looked up once per session: a page's one snapshot (models.Database.one_snapshot) asks
    for its user from each of the engine functions it calls; the first answer stands for the
    session's life (a request), so nothing is kept between requests."""
    known = session.info.setdefault("users_by_name", {})
    user = known.get(username)
    if user is None:
        user = session.scalars(select(User).where(User.username == username)).unique().first()
        if user is None or not user.active:
            raise NotAllowed(f"There is no active user '{username}'")
        known[username] = user
    return user
