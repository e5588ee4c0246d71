"""A task form's fields are rendered from kept markup (web/form_html.py): character for
character what GOV.UK Frontend's macros render (`form_fields.html`), for every form of the
shipped diagrams, blank, filled in with awkward text and sent back with the engine's errors;
and what the kept markup depends on changing (a member of staff joining, a new diagram
version's question) is on the very next page."""
import copy
import json

import pytest
from flask import render_template_string

from engine import open_tasks, publish, register_child
from engine.people import add_user
from web import form_html
from web.form_widgets import widgets
from web.task_form import for_submission, initial_answers
from workflows.diagrams import is_form, load_directory, ui_schema_names
from workflows.form_choices import with_choices
from workflows.forms import load_form
from workflows.roles import SOCIAL_WORKER

from ..conftest import DIAGRAMS, child_details, set_clock
from .conftest import make_app, sign_in

#: What the macros render, as task.html rendered the fields before they were kept.
REFERENCE = '{% from "form_fields.html" import form_field %}{% for w in widgets %}{{ form_field(w) }}{% endfor %}'
STAFF = {"staff": [("asha.sw", "Asha <Social> Worker (social worker, North)"), ("tom.tm", "Tom \"TM\" (team manager)")]}
AWKWARD = 'Tom & Jerry\'s <b>"plan"</b>\n  second line\ttabbed'


def _shipped_forms():
    for path in sorted(DIAGRAMS.glob("*.json")):
        if is_form(path.name):
            ui = next((DIAGRAMS / n for n in ui_schema_names(path.name) if (DIAGRAMS / n).exists()), None)
            yield with_choices(load_form(path, ui), STAFF)


def _typed(fields, text: str, rows: int = 3) -> dict:
    """Answers as a practitioner might send them: text with markup characters and line
    breaks, dates half typed, options chosen, several rows to each list."""
    answers = {}
    for i, f in enumerate(fields):
        if f.kind == "list":
            answers[f.name] = [_typed(f.item_fields, f"{text} row {r}", rows) for r in range(rows)]
        elif f.kind == "date":
            answers[f.name] = {"day": "31", "month": "<2>" if i % 2 else "2", "year": "2026 " if i % 3 else ""}
        elif f.kind == "multichoice":
            answers[f.name] = [v for v, _ in f.options[:2]]
        elif f.kind == "choice":
            answers[f.name] = f.options[-1][0] if f.options else text
        elif f.kind == "boolean":
            answers[f.name] = "false"
        elif f.kind in ("number", "integer"):
            answers[f.name] = "12.5" if i % 2 else "-3"
        else:
            answers[f.name] = f"{text} {f.name}"
    return answers


@pytest.fixture
def fields_app(tmp_path):
    from models import Database
    db = Database(f"sqlite:///{tmp_path / 'unused.db'}")   # fields are rendered, nothing read
    yield make_app(db)
    db.dispose()


def _both(app, shown: list[dict]) -> tuple[str, str]:
    with app.test_request_context():
        return str(form_html.fields_html(shown)), render_template_string(REFERENCE, widgets=shown)


def test_every_shipped_form_renders_as_the_macros_render_it_blank_typed_and_with_errors(fields_app):
    forms = list(_shipped_forms())
    assert len(forms) > 40
    checked = 0
    for form in forms:
        blank = initial_answers(form.fields)
        typed = _typed(form.fields, AWKWARD)
        for answers in (blank, typed):
            _clean, errors = form.validate(for_submission(form.fields, copy.deepcopy(answers)))
            for shown_errors in ({}, errors):
                shown = widgets(form, copy.deepcopy(answers), shown_errors)
                for _ in range(2):   # rendered, then from what was kept
                    fast, reference = _both(fields_app, shown)
                    assert fast == reference, form.name
                    checked += 1
        # The same shapes with other text typed: the kept markup with that text in it.
        other = widgets(form, _typed(form.fields, "Other & <text>\nhere", rows=3), {})
        fast, reference = _both(fields_app, other)
        assert fast == reference, form.name
    assert checked > 300


def test_kept_markup_is_reused_for_other_text_and_text_it_cannot_hold_goes_to_the_macros(fields_app):
    form = next(f for f in _shipped_forms() if f.name == "ppm.json")
    with fields_app.test_request_context():
        template = fields_app.jinja_env.get_template("form_fields.html")
        kept = form_html._kept.setdefault(template, form_html._Kept())
        kept.clear()
        form_html.fields_html(widgets(form, _typed(form.fields, "First"), {}))
        shapes = len(kept)
        assert shapes >= len(form.fields) - 1
        shown = widgets(form, _typed(form.fields, "Second <i>&</i>"), {})
        assert str(form_html.fields_html(shown)) == render_template_string(REFERENCE, widgets=shown)
        assert len(kept) == shapes   # nothing new rendered: the same shapes, other text
        # A date part with a line break (indented by the macros) and text holding the
        # placeholders' own characters are rendered by the macros themselves.
        odd = _typed(form.fields, "Odd \ue000 0 \ue001")
        date_field = next(f for f in form.fields if f.kind == "date")
        odd[date_field.name] = {"day": "1\n2", "month": "3", "year": "2026"}
        shown = widgets(form, odd, {})
        html = str(form_html.fields_html(shown))
        assert html == render_template_string(REFERENCE, widgets=shown)
        assert 'value="1\n' in html and "Odd \ue000 0 \ue001" in html


def test_what_is_kept_is_bounded_and_the_page_is_the_same_past_the_bound(fields_app, monkeypatch):
    form = next(f for f in _shipped_forms() if f.name == "ppm.json")
    monkeypatch.setattr(form_html, "MAX_KEPT_CHARS", 5000)
    with fields_app.test_request_context():
        kept = form_html._kept.setdefault(fields_app.jinja_env.get_template("form_fields.html"), form_html._Kept())
        for text in ("One", "Two"):
            shown = widgets(form, _typed(form.fields, text), {})
            assert str(form_html.fields_html(shown)) == render_template_string(REFERENCE, widgets=shown)
            assert kept.chars < 5000 + max(len(k) + len(v or "") for k, v in kept.items())
            assert len(kept) < len(form.fields)


def test_a_question_changed_in_a_new_version_is_shown_at_once(fields_app):
    form = next(f for f in _shipped_forms() if f.name == "ppm.json")
    schema = json.loads(json.dumps(form.schema_json))
    schema["properties"]["contingency_plan"]["title"] = "The contingency, if the plan cannot happen"
    from workflows.forms import form_from_dicts
    changed = form_from_dicts("ppm.json", schema, form.ui_schema_json)
    answers = initial_answers(form.fields)
    first, _ = _both(fields_app, widgets(form, answers, {}))
    second, reference = _both(fields_app, widgets(changed, answers, {}))
    assert second == reference
    assert "The contingency, if the plan cannot happen" in second and "The contingency, if" not in first


def _initial_ppm(db, reference: str) -> str:
    set_clock(2026, 3, 2)
    child = register_child(db, child_details(reference=reference), "sw", process_id="permanence_pathway").child_id
    [task] = [t for t in open_tasks(db, child_id=child) if t["name"] == "Hold the initial PPM"]
    return task["task_id"]


def test_staff_joining_and_a_new_diagram_version_are_on_the_next_page(client, staff):
    """The owner of a PPM action is picked from staff (A5): someone who joins is on the very
    next page; a child on a newly published version sees its question, one on the old
    version keeps the old."""
    bundle = load_directory(DIAGRAMS, "permanence_pathway")
    publish(staff, bundle, "tests")
    old_task = _initial_ppm(staff, "C-001")
    sign_in(client, "sw")
    before = client.get(f"/tasks/{old_task}").get_data(as_text=True)
    assert "Nadia Newcomer" not in before and "Contingency plan" in before
    with staff.transaction() as session:
        add_user(session, "nadia.sw", "Nadia Newcomer", [SOCIAL_WORKER])
    after = client.get(f"/tasks/{old_task}").get_data(as_text=True)
    assert after.count('<option value="nadia.sw">Nadia Newcomer (Social Worker)</option>') == 2   # an action's owner, and whom a delay goes to

    ppm = json.loads(json.dumps(bundle.form_files["ppm.json"]))
    ppm["properties"]["contingency_plan"]["title"] = "Fallback plan agreed"
    publish(staff, type(bundle)(bundle.process_id, bundle.bpmn_files, {**bundle.form_files, "ppm.json": ppm}),
            "tests", "a clearer question")
    new_task = _initial_ppm(staff, "C-002")
    newer = client.get(f"/tasks/{new_task}").get_data(as_text=True)
    assert "Fallback plan agreed" in newer and "Contingency plan" not in newer
    assert "Contingency plan" in client.get(f"/tasks/{old_task}").get_data(as_text=True)
