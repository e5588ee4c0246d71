"""The form editor: a form's JSON definition in a textarea, and a preview rendered exactly as
the task page renders the form; problems in the JSON or the definition shown with their line
or path; UI schemas previewed with the form they belong to."""
import json
import re
from pathlib import Path

from engine import open_tasks, register_child

from ..conftest import child_details
from .conftest import page_text, sign_in
from .diagrams.support import (  # noqa: F401  (fixtures)
    DEMO, diagram_app, draft_file, draft_from_files, new_draft, po,
)

PANEL_FORM = Path(__file__).parent / "diagrams" / "panel_actions" / "panel-actions.json"


def _fields(html: str, start: str, end: str) -> str:
    """The form's fields between two markers, spaces normalised."""
    segment = html[html.index(start) + len(start):]
    segment = segment[:segment.index(end)]
    return re.sub(r"\s+", " ", segment).strip()


def test_the_preview_is_the_task_pages_form_exactly(po, diagram_app, staff):
    child = register_child(staff, child_details(), "sw", process_id="demo_pathway")
    [task] = open_tasks(staff, child_id=child.child_id)
    worker = diagram_app.test_client()
    sign_in(worker, "sw")
    task_page = worker.get(f"/tasks/{task['task_id']}").get_data(as_text=True)
    on_task_page = _fields(task_page, 'aria-hidden="true">Continue</button>', '<div class="govuk-button-group">')
    draft = new_draft(po)
    editor = po.get(f"/diagrams/drafts/{draft}/forms/initial-ppm.json").get_data(as_text=True)
    in_preview = _fields(editor, '<div class="app-form-preview__form">', '<button type="button" class="govuk-button app-complete"')
    assert in_preview == on_task_page
    assert 'name="held_on-day"' in in_preview and 'name="plan"' in in_preview
    assert "Record the initial PPM (R7)." in editor           # the form's description, as on the task page


def test_the_editor_shows_the_definition_to_edit(po):
    draft = new_draft(po)
    page = po.get(f"/diagrams/drafts/{draft}/forms/initial-ppm.json").get_data(as_text=True)
    textarea = re.search(r'<textarea[^>]*name="definition"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    from html import unescape
    assert json.loads(unescape(textarea)) == json.loads((DEMO / "initial-ppm.json").read_text())


def test_preview_refreshes_from_what_is_typed_without_saving(po):
    draft = new_draft(po)
    definition = {"title": "Chase", "type": "object", "required": ["agreed_on"], "properties": {
        "agreed_on": {"type": "string", "format": "date", "title": "Date agreed"},
        "reason": {"type": "string", "title": "Why it is late", "enum": ["sickness", "court"],
                   "enumNames": ["Sickness", "Court"]}}}
    fragment = po.post(f"/diagrams/drafts/{draft}/forms/escalation.json/preview",
                       data={"definition": json.dumps(definition)}).get_data(as_text=True)
    assert 'data-preview-state="shown"' in fragment
    assert 'name="agreed_on-day"' in fragment and 'value="court"' in fragment and "Why it is late (optional)" in fragment
    assert "<html" not in fragment                                   # a fragment, for the page to swap in
    page = po.post(f"/diagrams/drafts/{draft}/forms/escalation.json",
                   data={"definition": json.dumps(definition), "action": "preview"})
    assert 'name="agreed_on-day"' in page.get_data(as_text=True)      # the same without JavaScript
    assert json.loads(draft_file(po, draft, "escalation.json")) == json.loads((DEMO / "escalation.json").read_text())


def test_json_that_does_not_parse_is_shown_with_its_line(po):
    draft = new_draft(po)
    fragment = po.post(f"/diagrams/drafts/{draft}/forms/escalation.json/preview",
                       data={"definition": '{\n  "title": "Chase",\n  "type": "object"\n  "properties": {}\n}'})
    assert 'data-preview-state="problem"' in fragment.get_data(as_text=True)
    assert "escalation.json: line 4, column 3: not valid JSON (Expecting ',' delimiter)" in page_text(fragment)


def test_a_definition_problem_is_shown_with_its_path(po):
    draft = new_draft(po)
    for definition, message in [
        ({"type": "object", "properties": {"held_on": {"type": "string", "format": "time"}}},
         "escalation.json: properties.held_on.format: unsupported format 'time' (only 'date')"),
        ({"type": "object", "properties": {"owner": {"type": "string", "pattern": "[A-Z]+"}}},
         "escalation.json: properties.owner: unsupported keyword 'pattern'"),
        ({"type": "object", "required": ["who"], "properties": {}},
         "escalation.json: required: 'who' is not in properties"),
        ({"type": "object", "properties": {"a": {"type": "boolean"}},
          "x-rules": [{"when": "open('x')", "field": "a", "message": "No"}]},
         "escalation.json: x-rules[0].when: 'open' is not available in diagram scripts"),
        ([1, 2], "escalation.json: a form must be a JSON object"),
    ]:
        response = po.post(f"/diagrams/drafts/{draft}/forms/escalation.json/preview",
                           data={"definition": json.dumps(definition)})
        assert message in page_text(response), (message, page_text(response))


def test_a_ui_schema_is_previewed_with_its_form(po):
    draft = draft_from_files(po, "spiffarena.bpmn", "ppm-review-schema.json", "ppm-review-uischema.json")
    page = po.get(f"/diagrams/drafts/{draft}/forms/ppm-review-uischema.json").get_data(as_text=True)
    assert "Form: Review Permanency Planning Meeting (ppm-review-schema.json)" in page
    assert '<textarea class="govuk-textarea" id="notes" name="notes"' in page   # ui:widget textarea
    assert "What was agreed, and by whom" in page                              # ui:help
    order = [page.index(f'name="{n}') for n in ("review_held_on-day", "plan_achieved", "notes")]
    assert order == sorted(order)
    wrong = po.post(f"/diagrams/drafts/{draft}/forms/ppm-review-uischema.json/preview",
                    data={"definition": json.dumps({"notes": {"ui:widget": "checkboxes"}})})
    assert "ppm-review-uischema.json: uiSchema.notes.ui:widget: widget 'checkboxes' does not suit a text field" \
        in page_text(wrong)
    form = po.get(f"/diagrams/drafts/{draft}/forms/ppm-review-schema.json").get_data(as_text=True)
    assert '<textarea class="govuk-textarea" id="notes"' in form               # the form uses its UI schema too


def test_a_list_of_objects_is_previewed_with_its_rows(po):
    draft = new_draft(po)
    po.post(f"/diagrams/drafts/{draft}/new-form", data={"form_name": "panel-actions"})
    response = po.post(f"/diagrams/drafts/{draft}/forms/panel-actions.json/preview",
                       data={"definition": PANEL_FORM.read_text()})
    html = response.get_data(as_text=True)
    assert 'data-module="app-add-another"' in html and "Add another action" in html


def test_saving_keeps_the_definition_and_refuses_what_is_not_json(po):
    draft = new_draft(po)
    url = f"/diagrams/drafts/{draft}/forms/escalation.json"
    refused = po.post(url, data={"action": "save", "definition": '{"title": '})
    assert refused.status_code == 400 and "not valid JSON" in page_text(refused)
    assert '{&#34;title&#34;: </textarea>' in refused.get_data(as_text=True)   # what was typed is kept
    assert json.loads(draft_file(po, draft, "escalation.json")) == json.loads((DEMO / "escalation.json").read_text())
    text = '{\n  "title": "Chase",\n  "type": "object",\n  "properties": {"note": {"type": "string"}}\n}\n'
    saved = po.post(url, data={"action": "save", "definition": text})
    assert saved.status_code == 302 and saved.headers["Location"] == url
    assert draft_file(po, draft, "escalation.json") == text                    # as typed, layout and all
    assert "escalation.json saved in the draft" in page_text(po.get(url))


def test_a_bpmn_file_opens_in_the_modeler_not_the_form_editor(po):
    draft = new_draft(po)
    response = po.get(f"/diagrams/drafts/{draft}/forms/demo_pathway.bpmn")
    assert response.headers["Location"].endswith("/files/demo_pathway.bpmn/edit")
    assert po.get(f"/diagrams/drafts/{draft}/forms/nothing.json").status_code == 404
