"""The inbox counts in the database and reads one page at a time (issue 15): on the demo
data, for every member of staff, each section's count is the number of rows its pages hold,
in strict due-date order, no row twice, no section overlapping another; and a social worker's
panel business, read for their own children only, is exactly what their team's managers see
for those children (B14, B15, C7)."""
from datetime import date

import pytest
from sqlalchemy import select, update

import engine
from engine import publish
from engine.paging import PER_PAGE
from engine.panel_business import panel_alerts
from models import Child, PathwayInstance, User
from web.demo import load_demo
from workflows import roles
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS, set_clock

PATHWAY = "permanence_pathway"


@pytest.fixture
def demo(db):
    set_clock(2026, 9, 7)
    publish(db, load_directory(DIAGRAMS, PATHWAY), "tests")
    assert load_demo(db, PATHWAY)
    return db


def _staff(db) -> list[User]:
    with db.reading() as session:
        return [u for u in session.scalars(select(User).where(User.active).order_by(User.username)).unique()]


def _every_page(db, username: str, filters=engine.InboxFilters()) -> dict[str, tuple[int, list[dict]]]:
    """Each section's count, and its rows read page by page to the last."""
    first = engine.inbox(db, username, filters)
    found = {}
    for section in first.sections:
        rows = []
        for page in range(1, section.pages + 1):
            [again] = [s for s in engine.inbox(db, username, filters, {section.key: page}).sections
                       if s.key == section.key]
            assert again.total == section.total and again.page == page
            assert len(again.rows) == (PER_PAGE if page < section.pages else section.total - PER_PAGE * (page - 1))
            rows += again.rows
        found[section.key] = (section.total, rows)
    return found


def test_on_the_demo_data_the_counts_are_the_rows_and_panel_business_is_unchanged(demo):
    """One demo council (each database) for both checks: it takes a while to build."""
    _each_sections_count_is_the_rows_its_pages_hold_for_every_member_of_staff(demo)
    _a_social_workers_panel_business_is_their_managers_for_their_children(demo)
    _panel_business_kept_is_worked_out_afresh_after_any_write(demo)


def _each_sections_count_is_the_rows_its_pages_hold_for_every_member_of_staff(demo):
    seen_tasks = 0
    for user in _staff(demo):
        for filters in (engine.InboxFilters(), engine.InboxFilters(overdue=True)):
            sections = _every_page(demo, user.username, filters)
            ids = [r["task_id"] for _, rows in sections.values() for r in rows]
            assert len(ids) == len(set(ids)), (user.username, "a task in two sections or twice")
            for key, (total, rows) in sections.items():
                assert total == len(rows), (user.username, key)
                order = [(r["due_on"] is None, r["due_on"] or date.min, r["id"]) for r in rows]
                assert order == sorted(order), (user.username, key)
            seen_tasks += len(ids)
        # Every kind offered to filter by is on a task the user has in a section.
        kinds = engine.inbox(demo, user.username).kinds
        assert kinds == sorted(set(kinds))
        for kind in kinds:
            assert sum(t for t, _ in _every_page(demo, user.username, engine.InboxFilters(kind=kind)).values())
    assert seen_tasks > PER_PAGE   # the demo's inboxes have work in them, some of it paged


def _a_social_workers_panel_business_is_their_managers_for_their_children(demo):
    staff = _staff(demo)
    with demo.reading() as session:
        worker_of = dict(session.execute(select(Child.id, Child.social_worker_id)).all())

    def seen(alerts):
        return [(a.kind, a.panel_date, a.child_id, a.child, a.team, a.due_on, a.overdue) for a in alerts]
    checked = 0
    for worker in [u for u in staff if roles.SOCIAL_WORKER in u.roles and not u.roles & {roles.TEAM_MANAGER}]:
        managers = [u for u in staff if roles.TEAM_MANAGER in u.roles and u.team_id == worker.team_id]
        own = seen(panel_alerts(demo, worker.username))
        for manager in managers:
            theirs = [a for a in seen(panel_alerts(demo, manager.username)) if worker_of[a[2]] == worker.id]
            assert own == theirs, worker.username
            checked += len(own)
    assert checked   # the demo has panel business for a social worker to compare


def _panel_business_kept_is_worked_out_afresh_after_any_write(demo):
    """The alerts are kept by everything they were worked out from, so the next inbox after
    a write (by this process or another: here plain SQL) shows it."""
    manager = "tom.tm"
    first = panel_alerts(demo, manager)
    assert first and panel_alerts(demo, manager) == first
    [alert] = [a for a in first if a.kind == "invitation"][:1]
    with demo.transaction() as session:      # renamed, as another process would write it
        session.execute(update(Child).where(Child.id == alert.child_id).values(name="Renamed Child"))
    renamed = panel_alerts(demo, manager)
    assert [a.child for a in renamed if a.child_id == alert.child_id] == \
        ["Renamed Child"] * len([a for a in first if a.child_id == alert.child_id])
    assert "Renamed Child is on the Permanence Panel" in " ".join(a.text for a in renamed)
    with demo.transaction() as session:      # s20 endorsed by an LGM: no longer for this panel (F2)
        facts = session.scalar(select(PathwayInstance.facts).where(PathwayInstance.child_id == alert.child_id,
                                                                   PathwayInstance.status != "completed"))
        session.execute(update(PathwayInstance).where(PathwayInstance.child_id == alert.child_id)
                        .values(facts={**facts, "s20_endorsed": True}))
    assert not [a for a in panel_alerts(demo, manager) if a.child_id == alert.child_id]
