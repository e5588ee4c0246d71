"""Cheap requests (issue 15, section 2): a page's reads share one snapshot (one connection
and one transaction, whatever number of engine functions the page calls), the user is
looked up with one query of columns, yet nothing is kept between requests: a sign-out or a
disabled account stops the next request; a page's own writes still commit."""
from sqlalchemy import event, func, select

from engine import register_child
from models import AuditEvent, User
from models.database import READING

from ..conftest import child_details
from .conftest import sign_in


class _Transactions:
    """The transactions a request begins, as (reading or writing) in order."""

    def __init__(self, db):
        self.kinds: list[str] = []
        self.statements = 0
        event.listen(db.engine, "begin", self._begin)
        event.listen(db.engine, "before_cursor_execute", self._statement)
        self.db = db

    def _begin(self, connection):
        self.kinds.append("read" if connection.get_execution_options().get(READING) else "write")

    def _statement(self, *_args):
        self.statements += 1

    def reset(self):
        self.kinds, self.statements = [], 0

    def close(self):
        event.remove(self.db.engine, "begin", self._begin)
        event.remove(self.db.engine, "before_cursor_execute", self._statement)


def test_a_child_page_reads_in_one_transaction_and_records_the_viewing_in_its_own(client, staff):
    child = register_child(staff, child_details(), "sw", process_id="demo_pathway")
    sign_in(client, "sw")
    seen = _Transactions(staff)
    try:
        page = client.get(f"/children/{child.child_id}")
        assert page.status_code == 200
        # Who is asking, the child, its tasks, timeline, records, plan, events, placements:
        # one reading transaction; the viewing is audited by a write of its own.
        assert sorted(seen.kinds) == ["read", "write"]
        seen.reset()
        assert client.get("/inbox").status_code == 200
        assert seen.kinds == ["read"]
        # The user, each section's count and page, the kinds (12); the panel business (the
        # team's children due at a panel, their papers and actions), family-time reviews and
        # actions owned: a fixed number, whatever the number of rows.
        assert seen.statements <= 24
    finally:
        seen.close()
    with staff.reading() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.kind == "viewed")) == 1


def test_nothing_is_kept_between_requests_a_disabled_account_stops_at_the_next(client, staff):
    sign_in(client, "sw")
    assert client.get("/inbox").status_code == 200
    with staff.transaction() as session:
        session.scalars(select(User).filter_by(username="sw")).unique().one().active = False
    refused = client.get("/inbox")
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/sign-in")


def _header(page: str) -> tuple[str, str, str]:
    """The name shown, the sign-out form's token and the timeout warning's token."""
    import re
    name = re.search(r'app-sign-out__who">([^<]*)<', page).group(1)
    form = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    warning = re.search(r'data-csrf-token="([^"]+)"', page).group(1)
    return name, form, warning


def test_the_kept_header_shows_a_rename_at_once_and_each_session_its_own_token(app, client, staff):
    """The header is rendered once per name, roles and page and kept (issue 15): a rename is
    seen by the next request, and each session's sign-out form carries its own token."""
    sign_in(client, "sw")
    name, token, warning = _header(client.get("/inbox").get_data(as_text=True))
    assert token == warning    # this request's token, not one kept from another
    with staff.transaction() as session:
        session.scalars(select(User).filter_by(username="sw")).unique().one().display_name = "Sam Renamed"
    renamed, _, _ = _header(client.get("/inbox").get_data(as_text=True))
    assert name != "Sam Renamed" and renamed == "Sam Renamed"
    other = app.test_client()
    sign_in(other, "sw")
    _, other_token, other_warning = _header(other.get("/inbox").get_data(as_text=True))
    assert other_token == other_warning
    with client.session_transaction() as first, other.session_transaction() as second:
        assert first["csrf_token"] != second["csrf_token"]   # two sessions, two secrets


def test_a_reading_transaction_on_postgresql_is_repeatable_read_read_only_and_a_write_is_not(staff):
    """Both said to psycopg before it begins (one BEGIN, issue 15): a pooled connection that
    last read writes at the server's default, and one that last wrote reads read only."""
    import pytest
    from sqlalchemy import text
    if not staff.is_postgresql:
        pytest.skip("SQLite's reading transaction is a deferred one (models/database.py)")
    show = "SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')"
    for _ in range(2):   # the same pooled connection, read, written, read again
        with staff.reading() as session:
            assert tuple(session.execute(text(show)).one()) == ("repeatable read", "on")
        with staff.transaction() as session:
            assert tuple(session.execute(text(show)).one()) == ("read committed", "off")


def test_a_page_snapshot_ends_keeping_its_connections_prepared_statements(staff):
    """Issue 15: a page's snapshot only read, and ends with COMMIT. psycopg forgets every
    statement it prepared on a connection at a ROLLBACK (and tells the server to deallocate
    them), so each page had all its statements parsed and planned afresh on PostgreSQL."""
    import pytest
    from sqlalchemy import text

    from models import Deadline
    if not staff.is_postgresql:
        pytest.skip("prepared statements are psycopg's and PostgreSQL's")
    page_read = select(Deadline.label).where(Deadline.instance_id == 1)
    for _ in range(6):   # psycopg prepares at the fifth use; on the connection used last
        with staff.one_snapshot(), staff.reading() as session:
            session.execute(page_read).all()
    with staff.one_snapshot(), staff.reading() as session:
        prepared = session.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
    assert any("FROM deadline" in statement for statement in prepared), prepared
