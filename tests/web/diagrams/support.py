"""Shared by the process owners' web tests: the application with its drafts in a temporary
folder, clients signed in as the process owner, and the files of tests/web/diagrams/external
(diagrams as Camunda Modeler and SpiffArena write them)."""
import io
import re
from pathlib import Path

import pytest

from web import create_app
from web.settings import Settings

from ..conftest import FIXED, sign_in

EXTERNAL = Path(__file__).parent / "external"
DEMO = Path(__file__).resolve().parents[2] / "engine" / "diagrams" / "demo"


def diagrams_app(db, instance_dir: Path):
    """As `make_app`, with the instance folder (where drafts are kept) in `instance_dir`."""
    settings = Settings(database_url=db.url, secret_key="test", clock=FIXED,
                        process_id="demo_pathway", instance_dir=instance_dir)
    app = create_app(settings, db=db)
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    return app


@pytest.fixture
def diagram_app(staff, tmp_path):
    return diagrams_app(staff, tmp_path / "instance")


@pytest.fixture
def po(diagram_app):
    """A test client signed in as the process owner."""
    client = diagram_app.test_client()
    sign_in(client, "po")
    return client


def new_draft(client, process_id="demo_pathway", version=1) -> str:
    """A draft copied from a published version; its id."""
    response = client.post(f"/diagrams/{process_id}/versions/{version}/drafts")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"].rsplit("/", 1)[1]


def draft_from_files(client, *names, folder=EXTERNAL) -> str:
    """A draft started from files uploaded from `folder`; its id."""
    response = client.post("/diagrams/drafts", data={"files": [upload(name, folder) for name in names]},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"].rsplit("/", 1)[1]


def upload(name: str, folder=EXTERNAL, content: bytes | None = None):
    data = content if content is not None else (Path(folder) / name).read_bytes()
    return (io.BytesIO(data), name)


def draft_file(client, draft_id, name) -> str:
    response = client.get(f"/diagrams/drafts/{draft_id}/files/{name}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def save_xml(client, draft_id, name, xml: str):
    return client.post(f"/diagrams/drafts/{draft_id}/files/{name}", data=xml.encode("utf-8"),
                       content_type="application/xml")


def edit_demo(client, draft_id, *replacements) -> None:
    """Change the draft's demo diagram as the modeler would save it."""
    xml = draft_file(client, draft_id, "demo_pathway.bpmn")
    for old, new in replacements:
        assert old in xml, old
        xml = xml.replace(old, new)
    response = save_xml(client, draft_id, "demo_pathway.bpmn", xml)
    assert response.status_code == 200, response.get_json()


def problems_listed(response) -> list[str]:
    """The problems in the table of the check page, one string per row."""
    html = response.get_data(as_text=True)
    rows = re.findall(r'<tr class="govuk-table__row" id="problem-\d+">(.*?)</tr>', html, flags=re.S)
    from html import unescape
    return [re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", row))).strip() for row in rows]
