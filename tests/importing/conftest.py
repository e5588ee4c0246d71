"""The shipped pathway published, one member of staff per lane in team North (as the
scenario tests have) and an administrator to import as."""
import pytest

from engine import figures
from engine.people import add_user
from workflows import roles

from ..scenarios.conftest import PROCESS, make_pathway_council


@pytest.fixture
def pathway_council(db):
    make_pathway_council(db)
    with db.transaction() as session:
        add_user(session, "admin", "Ada Admin", [roles.ADMINISTRATOR])
    yield db
    # What an import writes keeps the dashboards' running figures right (issue 15 s3).
    assert figures.check(db, PROCESS) == []
