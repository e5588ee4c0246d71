"""Issue 15: an inbox page is read by walking the team's due-date index and stopping at the
page, not by sorting every open task of the team (1,500 for a team manager at council scale,
every task in the council for a head of service)."""
import re

from engine import clock, inbox_sections, register_child
from engine.users import user_by_name
from tests.conftest import child_details


def test_the_team_managers_page_walks_the_due_date_index_and_sorts_nothing_whole(council):
    for n in range(3):
        register_child(council, child_details(reference=f"C-{n}"), "sw", process_id="demo_pathway")
    with council.reading() as session:
        user = user_by_name(session, "tm")
        who = inbox_sections._Who(user.id, frozenset(user.roles), user.team_id)
    plan = inbox_sections._plan(who, inbox_sections.InboxFilters(), clock.today())
    page = inbox_sections._page(plan, inbox_sections.TEAM, 1)
    with council.engine.connect() as conn, conn.begin() as transaction:
        sql = str(page.compile(conn, compile_kwargs={"literal_binds": True}))
        if council.is_postgresql:
            # the choices at council scale, not those a table of three children gets
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                conn.exec_driver_sql(f"SET LOCAL {setting} = off")
            plan_lines = [r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}")]
            plan_text = "\n".join(plan_lines)
            assert "ix_human_task_team_open" in plan_text, plan_text
            # an incremental sort of equal due dates by id at most, never a whole sort
            assert not any(re.match(r"\s*(->\s*)?Sort\s+\(cost", line) for line in plan_lines), plan_text
        else:
            plan_text = "\n".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
            assert "ix_human_task_team_open" in plan_text, plan_text
            assert "USE TEMP B-TREE FOR ORDER BY" not in plan_text, plan_text
        transaction.rollback()


def test_a_task_with_no_due_date_lists_after_every_dated_one(council):
    """NULLS LAST is the order the lists always had: soonest due first, undated last (SQLite
    puts NULL first in an ascending sort unless told)."""
    from sqlalchemy import func, select, update

    from models import HumanTask
    for n in range(3):
        register_child(council, child_details(reference=f"C-{n}"), "sw", process_id="demo_pathway")
    with council.transaction() as session:
        first = session.scalar(select(func.min(HumanTask.id)))
        session.execute(update(HumanTask).where(HumanTask.id == first).values(due_on=None))
    found = inbox_sections.inbox(council, "tm")
    [team] = [s for s in found.sections if s.key == inbox_sections.TEAM]
    dates = [row["due_on"] for row in team.rows]
    assert len(dates) == 3 and dates[-1] is None and None not in dates[:-1]

