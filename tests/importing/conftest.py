"""The shipped pathway published, one member of staff per lane in team North (as the
scenario tests have) and an administrator to import as."""
import pytest

from engine.people import add_user
from workflows import roles

from ..scenarios.conftest import make_pathway_council


@pytest.fixture
def pathway_council(db):
    make_pathway_council(db)
    with db.transaction() as session:
        add_user(session, "admin", "Ada Admin", [roles.ADMINISTRATOR])
    return db
