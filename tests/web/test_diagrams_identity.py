"""A published process keeps its identity: files brought in whose main process id is already
published are not silently its next version (three unrelated `Process_1` diagrams must not
become versions 1 to 3 of one process); the main process is chosen, not the first file's."""
import json

import pytest
from sqlalchemy import func, select

from engine import ProcessIdTaken, publish
from models import DiagramVersion
from workflows.diagrams import DiagramBundle

from ..workflows.bpmn import process_xml
from .conftest import page_text
from .diagrams.support import (  # noqa: F401  (fixtures)
    EXTERNAL, diagram_app, draft_from_files, new_draft, po, problems_listed, upload,
)

FILES = ("camunda-fixed.bpmn", "kinship-ppm.json", "kinship-confirm.json")


def _versions(db, process_id) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(DiagramVersion)
                        .where(DiagramVersion.process_id == process_id))


def _other_kinship_draft(po) -> str:
    """A different diagram whose process has the same id (Camunda Modeler's random ids collide
    less often than `Process_1`, but they do)."""
    xml = (EXTERNAL / "camunda-fixed.bpmn").read_text().replace('name="Kinship planning"', 'name="Respite care"')
    response = po.post("/diagrams/drafts", data={"files": [upload("respite.bpmn", content=xml.encode()),
                                                           upload("kinship-ppm.json"), upload("kinship-confirm.json")]},
                       content_type="multipart/form-data")
    assert response.status_code == 302
    return response.headers["Location"].rsplit("/", 1)[1]


def test_unrelated_files_with_a_published_process_id_are_refused_unless_the_owner_says_so(po, staff):
    first = draft_from_files(po, *FILES)
    assert po.post(f"/diagrams/drafts/{first}/publish", data={"note": "Kinship"}).status_code == 302
    other = _other_kinship_draft(po)
    page = page_text(po.get(f"/diagrams/drafts/{other}/validate"))
    assert "A process Process_1q8w3e5 is already published" in page
    refused = po.post(f"/diagrams/drafts/{other}/publish", data={"note": "Respite"})
    assert refused.status_code == 400
    assert "A different process 'Process_1q8w3e5' is already published (version 1)" in page_text(refused)
    assert 'value="Respite"' in refused.get_data(as_text=True) or "Respite" in page_text(refused)
    assert _versions(staff, "Process_1q8w3e5") == 1
    confirmed = po.post(f"/diagrams/drafts/{other}/publish",
                        data={"note": "Respite", "next_version_of": "Process_1q8w3e5"})
    assert confirmed.headers["Location"] == "/diagrams/Process_1q8w3e5/versions/2"


def test_a_draft_started_from_a_version_publishes_as_its_next_version(po, staff):
    first = draft_from_files(po, *FILES)
    po.post(f"/diagrams/drafts/{first}/publish", data={"note": "Kinship"})
    draft = new_draft(po, "Process_1q8w3e5", 1)
    xml = po.get(f"/diagrams/drafts/{draft}/files/camunda-fixed.bpmn").get_data(as_text=True)
    po.post(f"/diagrams/drafts/{draft}/files/camunda-fixed.bpmn", content_type="application/xml",
            data=xml.replace("Hold initial PPM", "Hold the initial PPM").encode())
    published = po.post(f"/diagrams/drafts/{draft}/publish", data={"note": "Clearer name"})
    assert published.headers["Location"] == "/diagrams/Process_1q8w3e5/versions/2"


def test_the_engine_refuses_a_new_process_whose_id_is_taken(db):
    def diagram(name):
        return DiagramBundle("Process_1", {"p.bpmn": process_xml("Process_1", "", [("start", "end")])
                                           .replace('id="Process_1"', f'id="Process_1" name="{name}"')})
    publish(db, diagram("Leaving care"), "po", new_process=True)
    with pytest.raises(ProcessIdTaken, match="A process 'Process_1' is already published"):
        publish(db, diagram("Fostering panel"), "po", new_process=True)
    assert _versions(db, "Process_1") == 1
    assert publish(db, diagram("Leaving care, v2"), "po")[0].version == 2  # its next version, said so


def _two_process_files(main_name="zz_main.bpmn"):
    called = process_xml("aa_routes", "", [("start", "end")])
    main = process_xml("zz_main", '<bpmn:callActivity id="call" name="Routes" calledElement="aa_routes" />',
                       [("start", "call"), ("call", "end")])
    return {"aa_routes.bpmn": called, main_name: main}


def test_the_main_process_is_the_one_no_other_calls_not_the_first_file(po):
    files = _two_process_files()
    response = po.post("/diagrams/drafts", data={"files": [upload(n, content=x.encode()) for n, x in files.items()]},
                       content_type="multipart/form-data")
    draft = response.headers["Location"].rsplit("/", 1)[1]
    assert "Draft of zz_main" in page_text(po.get(f"/diagrams/drafts/{draft}"))


def test_spiffarena_process_model_names_the_main_process(po):
    files = {"a.bpmn": process_xml("a_process", "", [("start", "end")]),
             "b.bpmn": process_xml("b_process", "", [("start", "end")])}
    meta = json.dumps({"display_name": "B", "primary_process_id": "b_process", "primary_file_name": "b.bpmn"})
    uploads = [upload(n, content=x.encode()) for n, x in files.items()] + [upload("process_model.json", content=meta.encode())]
    response = po.post("/diagrams/drafts", data={"files": uploads}, content_type="multipart/form-data")
    draft = response.headers["Location"].rsplit("/", 1)[1]
    page = page_text(po.get(f"/diagrams/drafts/{draft}"))
    assert "Draft of b_process" in page and "Process metadata from SpiffArena (not a form)" in page
    assert problems_listed(po.get(f"/diagrams/drafts/{draft}/validate")) == []


def test_an_ambiguous_main_process_must_be_chosen(po):
    files = {"a.bpmn": process_xml("a_process", "", [("start", "end")]),
             "b.bpmn": process_xml("b_process", "", [("start", "end")])}
    response = po.post("/diagrams/drafts", data={"files": [upload(n, content=x.encode()) for n, x in files.items()]},
                       content_type="multipart/form-data")
    draft = response.headers["Location"].rsplit("/", 1)[1]
    page = po.get(f"/diagrams/drafts/{draft}/validate")
    listed = problems_listed(page)
    assert len(listed) == 1 and "main process more than one process in these files could be the main one" in listed[0]
    assert f'href="/diagrams/drafts/{draft}#process_id">main process</a>' in page.get_data(as_text=True)
    po.post(f"/diagrams/drafts/{draft}/process", data={"process_id": "b_process"})
    assert problems_listed(po.get(f"/diagrams/drafts/{draft}/validate")) == []
