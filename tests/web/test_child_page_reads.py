"""A child's page (issue 15, "fast at council scale") reads each thing once: its open tasks
come with the pathway's own tasks, the current placement from the placements it lists, the
plan only beside records (and once, also for the brothers and sisters' warning). What the
page shows stays what the engine's own reads say. SQLite and PostgreSQL."""
from sqlalchemy import event

from engine import deliver_event, register_child
from engine.views import child_open_tasks

from ..conftest import child_details, set_clock
from .conftest import page_text, sign_in


def _child(db, reference, name):
    return register_child(db, child_details(reference=reference, name=name), "sw",
                          process_id="demo_pathway").child_id


def _reads(db, fetch):
    """The page fetched, and the SELECT statements its request sent, in order."""
    seen: list[str] = []

    def statement(_conn, _cursor, text, *_args):
        seen.append(text)
    event.listen(db.engine, "before_cursor_execute", statement)
    try:
        page = fetch()
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
    return page, [s for s in seen if s.lstrip().upper().startswith("SELECT")]


def test_a_child_page_reads_each_thing_once_and_no_plan_without_records(client, staff):
    ava = _child(staff, "N-1", "Ava Example")
    _child(staff, "N-2", "Ben Example")
    sign_in(client, "sw")
    assert client.post(f"/children/{ava}/siblings", data={"sibling": "N-2"}).status_code == 302
    set_clock(2026, 3, 20)
    for carers, started in (("Mr and Mrs Hill", "2026-03-02"), ("Oakfield House", "2026-03-10")):
        deliver_event(staff, ava, "placement_changed", {
            "placement_type": "residential", "carers": carers, "area": "out_of_area",
            "started_on": started}, "sw")
    page, reads = _reads(staff, lambda: client.get(f"/children/{ava}"))
    assert page.status_code == 200
    repeated = sorted({s for s in reads if reads.count(s) > 1})
    assert repeated == []        # not the plan twice, nor the placements, nor the tasks
    # No records yet: the records list is the one read of task_record (no plan is read).
    assert sum(" FROM task_record " in " ".join(s.split()) for s in reads) == 1
    text = page_text(page)
    # The current placement (the latest, not ended) is the one the warning names (K10),
    # and the brothers and sisters' warning weighs the plan as it is (none agreed yet).
    assert "Placed out of the council's area since 10 March 2026" in text
    assert "No together-or-apart assessment yet: it is made before the plan is agreed (K1)" in text
    assert "Ben Example" in text and "Oakfield House" in text and "Mr and Mrs Hill" in text


def test_a_child_pages_open_tasks_are_the_engines_list_in_its_order(client, staff):
    ava = _child(staff, "N-1", "Ava Example")
    sign_in(client, "sw")
    listed = child_open_tasks(staff, ava, "sw")
    assert listed, "the demo pathway opens tasks at the start"
    html = client.get(f"/children/{ava}").get_data(as_text=True)
    table = html[html.index('id="open-tasks"'):html.index('id="deadlines"')]
    positions = [table.index(f"/tasks/{t['task_id']}") for t in listed]
    assert positions == sorted(positions)     # every one shown, in the engine's order
    assert table.count('href="/tasks/') == len(listed)
