"""The process owners' pages against hostile or careless input (issue 8, section 4): deeply
nested or huge JSON, 100,000-digit integers, lone surrogates and process ids written with
entities, in the form editor, the preview, upload, the rehearsal and the zip downloads, give
a clear error and never a 500."""
import pytest

from .diagrams.support import DEMO, diagram_app, new_draft, po, upload  # noqa: F401 (fixtures)
from .conftest import page_text

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"type": "object", "title": ' + "[" * 5000 + "]" * 5000 + "}"
HUGE_INT = '{"type": "object", "properties": {"n": {"type": "integer", "maximum": ' + "9" * 100_000 + "}}}"
SURROGATE = '{"type": "object", "title": "Half \\ud800 a character", "properties": {}}'
SURROGATE_KEY = '{"type": "object", "properties": {"\\udc00": {"type": "string"}}}'
HOSTILE_FORMS = {"deep": DEEP, "deep in an object": DEEP_OBJECT, "huge integer": HUGE_INT,
                 "lone surrogate": SURROGATE, "surrogate key": SURROGATE_KEY}


@pytest.mark.parametrize("kind", HOSTILE_FORMS)
def test_the_form_editor_and_preview_refuse_hostile_json_clearly(po, kind):
    draft = new_draft(po)
    text = HOSTILE_FORMS[kind]
    url = f"/diagrams/drafts/{draft}/forms/initial-ppm.json"
    preview = po.post(f"{url}/preview", data={"definition": text})
    assert preview.status_code == 200, kind
    assert "initial-ppm.json" in page_text(preview), kind
    saved = po.post(url, data={"definition": text, "action": "save"})
    assert saved.status_code == 400, kind
    assert "initial-ppm.json" in page_text(saved)
    assert po.get(url).status_code == 200  # the draft still has its good form
    assert po.get(f"/diagrams/drafts/{draft}/bundle.zip").status_code == 200


@pytest.mark.parametrize("kind", HOSTILE_FORMS)
def test_an_upload_refuses_hostile_json_clearly(po, kind):
    draft = new_draft(po)
    response = po.post(f"/diagrams/drafts/{draft}/upload",
                       data={"files": [upload("extra.json", content=HOSTILE_FORMS[kind].encode())]},
                       content_type="multipart/form-data")
    assert response.status_code == 400, kind
    assert "extra.json" in page_text(response)


@pytest.mark.parametrize("state", [
    {"rehearsal-steps": DEEP}, {"rehearsal-child": DEEP},
    {"rehearsal-steps": "[" + "9" * 100_000 + "]"},
    {"rehearsal-child": '{"looked_after_on": "\\ud800", "legal_status": "ico"}'},
    {"rehearsal-steps": '[{"kind": "\\ud800"}]'},
    {"setup-looked_after_on-year": "9" * 100_000, "setup-looked_after_on-month": "1",
     "setup-looked_after_on-day": "1", "action": "setup"},
])
def test_the_rehearsal_refuses_a_hostile_state_clearly(po, state):
    draft = new_draft(po)
    response = po.post(f"/diagrams/drafts/{draft}/rehearsal", data=state)
    assert response.status_code in (200, 400), response.status_code


ENTITY_IDS = ["demo&amp;pathway", "demo&#10;pathway", "demo&quot;pathway", "demo&#x2F;pathway"]


@pytest.mark.parametrize("process_id", ENTITY_IDS)
def test_a_process_id_written_with_entities_is_refused_where_it_comes_in(po, process_id):
    xml = (DEMO / "demo_pathway.bpmn").read_text().replace('id="demo_pathway"', f'id="{process_id}"')
    files = [upload("demo_pathway.bpmn", content=xml.encode()), *[upload(p.name, DEMO) for p in DEMO.glob("*.json")]]
    response = po.post("/diagrams/drafts", data={"files": files}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "the process id" in page_text(response) and "cannot be used" in page_text(response)
    draft = new_draft(po)
    into_draft = po.post(f"/diagrams/drafts/{draft}/upload", content_type="multipart/form-data",
                         data={"files": [upload("demo_pathway.bpmn", content=xml.encode())]})
    assert into_draft.status_code == 400 and "cannot be used" in page_text(into_draft)
    saved = po.post(f"/diagrams/drafts/{draft}/files/demo_pathway.bpmn", data=xml.encode(),
                    content_type="application/xml")
    assert saved.status_code == 400 and "cannot be used" in saved.get_json()["message"]
    assert po.get(f"/diagrams/drafts/{draft}/bundle.zip").status_code == 200
