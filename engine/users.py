"""Finding the person an operation is done as."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import User

from .errors import NotAllowed


def user_by_name(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).unique().first()
    if user is None or not user.active:
        raise NotAllowed(f"There is no active user '{username}'")
    return user
