"""Issue 15: a child's timeline reads the kinds of event it shows by index, however many
times the child's page was looked at (each look is an audit event, kept for the trail)."""
from sqlalchemy import select

from engine import audit, clock, register_child
from engine.views import _TIMELINE_PAGE, child_timeline
from models import User
from tests.conftest import child_details


def test_the_timeline_leaves_out_looks_and_reads_by_the_child_kind_index(council):
    child = register_child(council, child_details(), "sw", process_id="demo_pathway").child_id
    with council.transaction() as session:
        sw = session.scalar(select(User).where(User.username == "sw"))
        for _ in range(300):
            audit.record_now(session, audit.VIEWED, clock.now(), actor=sw, child_id=child)
    assert [e["kind"] for e in child_timeline(council, child, "sw")] == ["task_opened", "started"]
    with council.engine.connect() as conn, conn.begin() as transaction:
        sql = str(_TIMELINE_PAGE.params(child_id=child).compile(
            conn, compile_kwargs={"literal_binds": True}))
        if council.is_postgresql:
            conn.exec_driver_sql("ANALYZE audit_event")
            # the choice at council scale, not the scan of a table this small
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            plan = " ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}"))
        else:
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
        transaction.rollback()
    assert "ix_audit_event_child_kind" in plan, plan
