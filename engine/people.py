"""Teams and staff accounts: created by `init --demo`, tests and (later) an admin page."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Team, User, UserRole
from workflows.roles import ALL_ROLES


def ensure_team(session: Session, name: str) -> Team:
    team = session.scalar(select(Team).where(Team.name == name))
    if team is None:
        team = Team(name=name)
        session.add(team)
        session.flush()
    return team


def add_user(session: Session, username: str, display_name: str, roles: list[str],
             team: Team | None = None, password_hash: str | None = None) -> User:
    unknown = [r for r in roles if r not in ALL_ROLES]
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(unknown)}")
    user = User(username=username, display_name=display_name, team_id=team.id if team else None,
                password_hash=password_hash, active=True,
                role_rows=[UserRole(role=r) for r in roles])
    session.add(user)
    session.flush()
    return user
