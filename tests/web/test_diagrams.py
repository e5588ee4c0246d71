"""The process owners' area: published versions, drafts and their files (upload, download, the
modeler's save, new files, removal), and what comes in from other tools.

The council has the demo pathway published as version 1 (tests/conftest.py)."""
import io
import json
import zipfile

from sqlalchemy import select

from models import DiagramVersion

from .conftest import page_text, sign_in
from .diagrams.support import (  # noqa: F401  (fixtures)
    DEMO, EXTERNAL, diagram_app, draft_file, draft_from_files, edit_demo, new_draft, po, save_xml,
    upload,
)


def test_the_diagrams_page_lists_each_process_with_its_versions(po):
    edit_demo(po, new_draft(po), ("Record review PPM", "Record the review PPM"))
    text = page_text(po.get("/diagrams"))
    assert "demo_pathway" in text and "Latest: version 1" in text
    assert "Version 1 2 March 2026 at 9am by tests No note 0" in text   # init published it as "tests"
    assert "demo_pathway version 1 2 March 2026 at 9am by Pam Owner Open the draft of demo_pathway" in text


def test_a_published_version_shows_who_published_it_and_what_changed(po, diagram_app):
    draft = new_draft(po)
    edit_demo(po, draft, ("Record review PPM", "Record the review PPM"))
    response = po.post(f"/diagrams/drafts/{draft}/publish", data={"note": "Clearer name for the review"})
    assert response.headers["Location"] == "/diagrams/demo_pathway/versions/2"
    text = page_text(po.get("/diagrams/demo_pathway/versions/2"))
    assert "Version 2" in text and "by Pam Owner" in text and "Clearer name for the review" in text
    assert "demo_pathway.bpmn" in text and "initial-ppm.json" in text
    index = page_text(po.get("/diagrams"))
    assert "Latest: version 2" in index and "Clearer name for the review" in index


def test_the_navigation_offers_diagrams_to_process_owners_and_administrators(diagram_app):
    for user, shown in [("po", True), ("admin", True), ("sw", False), ("tm", False)]:
        client = diagram_app.test_client()
        sign_in(client, user)
        assert ('href="/diagrams"' in client.get("/inbox").get_data(as_text=True)) is shown, user


def test_editing_a_version_copies_all_its_files_into_a_draft(po):
    draft = new_draft(po)
    text = page_text(po.get(f"/diagrams/drafts/{draft}"))
    assert "Draft of demo_pathway" in text and "version 1 of demo_pathway" in text
    for name in ("demo_pathway.bpmn", "initial-ppm.json", "review-ppm.json", "escalation.json"):
        assert name in text
    assert draft_file(po, draft, "demo_pathway.bpmn") == (DEMO / "demo_pathway.bpmn").read_text()
    assert json.loads(draft_file(po, draft, "initial-ppm.json")) == json.loads((DEMO / "initial-ppm.json").read_text())


def test_opening_a_file_of_a_version_in_the_modeler_starts_a_draft(po):
    response = po.post("/diagrams/demo_pathway/versions/1/drafts", data={"open": "demo_pathway.bpmn"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/files/demo_pathway.bpmn/edit")
    page = po.get(response.headers["Location"]).get_data(as_text=True)
    assert "bpmn-modeler.production.min.js" in page and "diagram-modeler.js" in page
    assert 'data-descriptor-url="/static/js/diagram-spiffworkflow.json"' in page
    for rule in ("R1: First looked-after (CLA) review", "R25: Residential placement"):
        assert rule in page                       # rules to choose from, with their statements
    assert '<option value="initial-ppm.json">' in page and "uischema" not in page
    assert 'id="prop-dueDate"' in page and 'id="prop-rule"' in page and 'id="element-lane"' in page


def test_the_modeler_opens_at_the_element_a_problem_names(po):
    draft = new_draft(po)
    page = po.get(f"/diagrams/drafts/{draft}/files/demo_pathway.bpmn/edit?element=plan_gateway").get_data(as_text=True)
    assert 'data-element="plan_gateway"' in page


def test_the_modelers_save_replaces_the_file_in_the_draft(po):
    draft = new_draft(po)
    edit_demo(po, draft, ('name="Record initial PPM"', 'name="Hold the initial PPM"'))
    assert 'name="Hold the initial PPM"' in draft_file(po, draft, "demo_pathway.bpmn")
    assert "by Pam Owner" in page_text(po.get(f"/diagrams/drafts/{draft}"))


def test_the_save_refuses_what_is_not_safe_bpmn(po):
    draft = new_draft(po)
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol2;</bpmn:definitions>')
    external = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&x;</bpmn:definitions>')
    for xml, message in [
        (bomb, "a DOCTYPE is not allowed"), (external, "a DOCTYPE is not allowed"),
        ("<bpmn:definitions", "not well-formed XML"), ("<html><body>hello</body></html>", "not a BPMN file"),
    ]:
        response = save_xml(po, draft, "demo_pathway.bpmn", xml)
        assert response.status_code == 400 and message in response.get_json()["message"], xml
    assert draft_file(po, draft, "demo_pathway.bpmn") == (DEMO / "demo_pathway.bpmn").read_text()
    too_big = save_xml(po, draft, "demo_pathway.bpmn", "<x/>" + " " * 2_100_000)
    assert too_big.status_code == 413
    assert save_xml(po, draft, "other.bpmn", "<x/>").status_code == 404   # only files of the draft


def test_camunda_and_spiffarena_files_come_in_and_go_out_unchanged(po):
    names = ["spiffarena.bpmn", "ppm-review-schema.json", "ppm-review-uischema.json", "chase-schema.json"]
    draft = draft_from_files(po, *names)
    text = page_text(po.get(f"/diagrams/drafts/{draft}"))
    assert "Draft of Process_review_ppms_4k2m9xq" in text and "files brought in" in text
    for name in names:
        assert draft_file(po, draft, name) == (EXTERNAL / name).read_text()
    archive = zipfile.ZipFile(io.BytesIO(po.get(f"/diagrams/drafts/{draft}/bundle.zip").data))
    assert sorted(archive.namelist()) == sorted(names)
    assert archive.read("spiffarena.bpmn").decode() == (EXTERNAL / "spiffarena.bpmn").read_text()
    response = po.get(f"/diagrams/drafts/{draft}/files/spiffarena.bpmn")
    assert response.headers["Content-Disposition"] == 'attachment; filename="spiffarena.bpmn"'
    assert response.mimetype == "application/xml"


def test_a_published_version_downloads_file_by_file_and_as_a_zip(po):
    bpmn = po.get("/diagrams/demo_pathway/versions/1/files/demo_pathway.bpmn")
    assert bpmn.get_data(as_text=True) == (DEMO / "demo_pathway.bpmn").read_text()
    form = po.get("/diagrams/demo_pathway/versions/1/files/review-ppm.json")
    assert json.loads(form.data) == json.loads((DEMO / "review-ppm.json").read_text())
    archive = zipfile.ZipFile(io.BytesIO(po.get("/diagrams/demo_pathway/versions/1/bundle.zip").data))
    assert sorted(archive.namelist()) == sorted(p.name for p in DEMO.iterdir())
    assert po.get("/diagrams/demo_pathway/versions/1/files/nothing.bpmn").status_code == 404
    assert po.get("/diagrams/demo_pathway/versions/9").status_code == 404
    viewer = po.get("/diagrams/demo_pathway/versions/1/files/demo_pathway.bpmn/view").get_data(as_text=True)
    assert "bpmn-navigated-viewer.production.min.js" in viewer


def test_uploading_into_a_draft_adds_or_replaces_files(po):
    draft = new_draft(po)
    changed = (DEMO / "escalation.json").read_text().replace('"title"', '"$comment": "v2", "title"', 1)
    response = po.post(f"/diagrams/drafts/{draft}/upload", content_type="multipart/form-data", data={
        "files": [upload("kinship-ppm.json"), upload("escalation.json", content=changed.encode())]})
    assert response.status_code == 302
    assert draft_file(po, draft, "kinship-ppm.json") == (EXTERNAL / "kinship-ppm.json").read_text()
    assert draft_file(po, draft, "escalation.json") == changed


def test_an_upload_that_cannot_be_used_is_refused_plainly(po):
    draft = new_draft(po)
    for name, content, message in [
        ("notes.txt", b"hello", "is not a name a diagram file can have"),
        ("bad.json", b'{"title": }', "bad.json: line 1, column 11: not valid JSON"),
        ("list.json", b"[1, 2]", "a form must be a JSON object"),
        ("broken.bpmn", b"<bpmn:definitions>\n<oops", "broken.bpmn: line 1: not well-formed XML"),
        ("latin.bpmn", '<?xml version="1.0" encoding="ISO-8859-1"?><bpmn:definitions xmlns:bpmn='
                       '"http://www.omg.org/spec/BPMN/20100524/MODEL" id="é"/>'.encode("latin-1"), "UTF-8"),
    ]:
        response = po.post(f"/diagrams/drafts/{draft}/upload", content_type="multipart/form-data",
                           data={"files": [upload(name, content=content)]})
        assert response.status_code == 400, name
        assert message in page_text(response), (name, page_text(response))
    nothing = po.post(f"/diagrams/drafts/{draft}/upload", content_type="multipart/form-data", data={})
    assert "Choose one or more .bpmn or .json files" in page_text(nothing)


def test_a_folder_in_a_file_name_is_dropped(po):
    draft = new_draft(po)
    po.post(f"/diagrams/drafts/{draft}/upload", content_type="multipart/form-data",
            data={"files": [upload("../../kinship-ppm.json", content=(EXTERNAL / "kinship-ppm.json").read_bytes())]})
    assert draft_file(po, draft, "kinship-ppm.json") == (EXTERNAL / "kinship-ppm.json").read_text()
    assert po.get(f"/diagrams/drafts/{draft}/files/..%2Fdraft.json").status_code == 404


def test_new_diagrams_and_forms_start_from_a_skeleton(po):
    draft = new_draft(po)
    response = po.post(f"/diagrams/drafts/{draft}/new-diagram", data={"process_id": "route_kinship", "title": "Kinship care"})
    assert response.headers["Location"].endswith("/files/route_kinship.bpmn/edit")
    xml = draft_file(po, draft, "route_kinship.bpmn")
    assert '<bpmn:process id="route_kinship" name="Kinship care" isExecutable="true">' in xml
    response = po.post(f"/diagrams/drafts/{draft}/new-form", data={"form_name": "kinship-assessment"})
    assert response.headers["Location"].endswith("/forms/kinship-assessment.json")
    assert json.loads(draft_file(po, draft, "kinship-assessment.json"))["type"] == "object"
    again = po.post(f"/diagrams/drafts/{draft}/new-form", data={"form_name": "kinship-assessment.json"})
    assert again.status_code == 400 and "already has a file kinship-assessment.json" in page_text(again)
    bad = po.post(f"/diagrams/drafts/{draft}/new-diagram", data={"process_id": "1 bad id"})
    assert bad.status_code == 400 and "Enter a process id" in page_text(bad)


def test_a_file_can_be_removed_and_the_main_process_changed(po):
    draft = new_draft(po)
    po.post(f"/diagrams/drafts/{draft}/new-diagram", data={"process_id": "route_kinship"})
    po.post(f"/diagrams/drafts/{draft}/files/escalation.json/remove")
    assert po.get(f"/diagrams/drafts/{draft}/files/escalation.json").status_code == 404
    po.post(f"/diagrams/drafts/{draft}/process", data={"process_id": "route_kinship"})
    assert "Draft of route_kinship" in page_text(po.get(f"/diagrams/drafts/{draft}"))
    assert po.post(f"/diagrams/drafts/{draft}/process", data={"process_id": "no good"}).status_code == 400


def test_a_discarded_draft_is_gone(po):
    draft = new_draft(po)
    assert po.post(f"/diagrams/drafts/{draft}/discard").headers["Location"] == "/diagrams"
    assert po.get(f"/diagrams/drafts/{draft}").status_code == 404
    assert po.get("/diagrams/drafts/not-a-draft").status_code == 404


def test_drafts_are_files_under_the_instance_folder_and_nothing_in_the_database(po, diagram_app, staff):
    draft = new_draft(po)
    folder = diagram_app.config["PERMANENCE"].instance_dir / "drafts" / draft
    meta = json.loads((folder / "draft.json").read_text())
    assert (meta["process_id"], meta["based_on"], meta["created_by"]) == ("demo_pathway", 1, "Pam Owner")
    assert sorted(p.name for p in (folder / "files").iterdir()) == sorted(p.name for p in DEMO.iterdir())
    with staff.transaction() as session:
        assert session.scalars(select(DiagramVersion.version)).all() == [1]
