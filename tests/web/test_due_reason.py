"""A task's `dueReason` property says in plain words why it is due when it is; rendered
when the task opens (dates as "2 March 2026") and shown with the rule id wherever its due
date is. Without one, or when it cannot be rendered, the rule's own statement is shown."""
from pathlib import Path


from engine import open_tasks, publish, register_child
from engine.projections import due_reason
from models import HumanTask
from workflows.diagrams import load_directory

from ..conftest import child_details
from .conftest import page_text, sign_in

PANEL = Path(__file__).parent / "diagrams" / "panel_actions"


class _Spec:
    def __init__(self, reason):
        self.extensions = {"properties": {"dueReason": reason}} if reason is not None else {}


def test_the_reason_is_rendered_over_the_task_data_with_dates_in_words():
    from datetime import date
    data = {"looked_after_on": date(2026, 3, 2), "child_name": "Alex"}
    spec = _Spec("10 working days after {{ child_name }} became looked after on {{ looked_after_on }}")
    assert due_reason(spec, data) == "10 working days after Alex became looked after on 2 March 2026"
    assert due_reason(_Spec(None), data) is None
    assert due_reason(_Spec("6 weeks after the PPM on {{ held_on }}"), data) is None  # not in the data
    assert due_reason(_Spec("{{ broken"), data) is None


def test_instructions_write_dates_in_words_as_due_reasons_do():
    # Walking issues 12 and 13: "Notice was given on 2026-10-14" read as a database value.
    from datetime import date
    from engine.projections import render_instructions
    data = {"notice_given_on": "2026-10-14", "panel_held_on": date(2026, 4, 16), "reference": "2026-10-X",
            "actions": [{"action": "Sibling assessment", "due_on": "2026-05-14"}]}
    assert render_instructions("Notice was given on {{ notice_given_on }} ({{ reference }}).", data) == \
        "Notice was given on 14 October 2026 (2026-10-X)."
    assert render_instructions("The panel on {{ panel_held_on }}:{% for a in actions %} {{ a.action }}, due "
                               "{{ a.due_on }}{% endfor %}", data) == \
        "The panel on 16 April 2026: Sibling assessment, due 14 May 2026"
    assert data["notice_given_on"] == "2026-10-14"    # the task's data is left as it was


def test_the_reason_is_stored_with_the_task_and_shown_with_its_rule(client, staff):
    publish(staff, load_directory(PANEL, "panel_actions"), "tests")
    child = register_child(staff, child_details(), "sw", process_id="panel_actions").child_id
    [task] = open_tasks(staff, child_id=child)
    with staff.transaction() as session:
        row = session.query(HumanTask).filter_by(task_id=task["task_id"]).one()
        assert row.due_reason == "3 working days after Alex Example became looked after on 2 March 2026"
    sign_in(client, "paneladmin")
    expected = ("Thu 5 Mar 2026 Due this week 3 working days after Alex Example became looked after "
                "on 2 March 2026 (R11)")
    assert expected in page_text(client.get("/inbox"))
    assert expected in page_text(client.get(f"/children/{child}"))
    assert "3 working days after Alex Example" in page_text(client.get(f"/tasks/{task['task_id']}"))


def test_without_a_reason_the_rules_statement_is_shown(client, staff):
    register_child(staff, child_details(), "sw", process_id="demo_pathway")  # the demo pathway gives no dueReason yet
    sign_in(client, "sw")
    assert ("Mon 16 Mar 2026 Initial Permanency Planning Meeting within 10 working days of "
            "becoming looked after (R7)") in page_text(client.get("/inbox"))
