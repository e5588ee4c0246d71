"""The inbox keeps each row it has drawn (`web.inbox_rows`), by everything the row shows: the
next page after any write shows the write, and the same values draw the same row."""
import re

from sqlalchemy import update

from models import Child

from ..conftest import set_clock
from .conftest import page_text, sign_in
from .test_inbox import _children, _order
from web import inbox_rows


def _table(html: str, table_id: str = "my-tasks") -> str:
    return re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)


def test_a_kept_row_is_redrawn_when_what_it_shows_changes(client, staff):
    _children(staff)
    set_clock(2026, 3, 2, 12)
    sign_in(client, "sw")
    before = client.get("/inbox").get_data(as_text=True)
    assert _order(before, "my-tasks") == ["Cat Own", "Ann Own"] and "Overdue" not in _table(before)
    kept = len(inbox_rows._KEPT)
    again = client.get("/inbox").get_data(as_text=True)         # drawn from the kept rows
    assert _table(again) == _table(before) and _table(again, "team-tasks") == _table(before, "team-tasks")
    assert len(inbox_rows._KEPT) == kept
    # Another process renames a child: the very next page shows the new name.
    with staff.transaction() as session:
        session.execute(update(Child).where(Child.reference == "C-3").values(name="Cath Renamed"))
    html = client.get("/inbox").get_data(as_text=True)
    assert _order(html, "my-tasks") == ["Cath Renamed", "Ann Own"] and "Cat Own" not in html
    # A week on, the same task is overdue: its row is drawn again with the tag.
    set_clock(2026, 3, 9, 12)
    table = _table(client.get("/inbox").get_data(as_text=True))
    assert table.count("Overdue</strong>") == 1 and 'datetime="2026-03-06"' in table


def test_rows_are_kept_for_each_user_s_lanes_apart(client, staff):
    """A task is a link only for the lanes it is in: a row drawn for a social worker is not
    shown to a manager, whose rows carry the lane and the social worker."""
    _children(staff)
    sign_in(client, "sw")
    assert 'href="/tasks/' in client.get("/inbox").get_data(as_text=True)
    sign_in(client, "tm")
    html = client.get("/inbox").get_data(as_text=True)
    assert _order(html, "team-tasks") == ["Cat Own", "Ben Other", "Ann Own"]
    assert 'href="/tasks/' not in html and "Social worker: Sue Second" in page_text(client.get("/inbox"))
