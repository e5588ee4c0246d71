"""Who may use the process owners' pages: every route of the diagrams area against every kind
of user, on SQLite and on PostgreSQL.

Process owners (po) may do everything; administrators (admin) may read (GET) and nothing else;
every other role is refused (403) on every route, whatever the draft or version; anon and the
deactivated gone are sent to sign in (302). Each case gets a fresh draft, copied from version 1
of the demo pathway, so what one case changes (publishing, discarding) cannot change another's
answer. The council (tests/conftest.py and MORE_STAFF) has the demo pathway published twice
(version 2 renames a task) and one child running on version 1.
"""
import io
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from engine import clock, publish, register_child
from models import Database
from models.migrate import upgrade
from web.diagram_drafts import DraftStore
from workflows.diagrams import DiagramBundle, load_directory

from ..conftest import DEMO_DIAGRAMS, child_details, make_council
from .conftest import add_more_staff, sign_in
from .diagrams.support import EXTERNAL, diagrams_app

USERS = ["anon", "gone", "sw", "sw2", "tm", "sw_south", "tm_south", "iro", "chair",
         "paneladmin", "adm", "legal", "sm", "hos", "po", "admin"]
CASEWORK = USERS[2:14]

#: route -> (code for po, code for admin); everyone doing casework gets 403, anon and gone 302.
READ = {
    "/diagrams": (200, 200),
    "/diagrams/demo_pathway/versions/1": (200, 200),
    "/diagrams/demo_pathway/versions/1/files/demo_pathway.bpmn": (200, 200),
    "/diagrams/demo_pathway/versions/1/files/initial-ppm.json": (200, 200),
    "/diagrams/demo_pathway/versions/1/files/demo_pathway.bpmn/view": (200, 200),
    "/diagrams/demo_pathway/versions/1/bundle.zip": (200, 200),
    "/diagrams/demo_pathway/versions/2/move": (200, 200),
    "/diagrams/demo_pathway/versions/9": (404, 404),
    "/diagrams/drafts/{draft}": (200, 200),
    "/diagrams/drafts/{draft}/files/demo_pathway.bpmn": (200, 200),
    "/diagrams/drafts/{draft}/files/demo_pathway.bpmn/edit": (200, 200),
    "/diagrams/drafts/{draft}/bundle.zip": (200, 200),
    "/diagrams/drafts/{draft}/forms/escalation.json": (200, 200),
    "/diagrams/drafts/{draft}/validate": (200, 200),
    "/diagrams/drafts/{draft}/rehearsal": (200, 200),
    "/diagrams/drafts/0123456789ab": (404, 404),
}
WRITE = {
    "/diagrams/drafts": 302,
    "/diagrams/demo_pathway/versions/1/drafts": 302,
    "/diagrams/demo_pathway/versions/2/move": 200,
    "/diagrams/drafts/{draft}/process": 302,
    "/diagrams/drafts/{draft}/upload": 302,
    "/diagrams/drafts/{draft}/new-diagram": 302,
    "/diagrams/drafts/{draft}/new-form": 302,
    "/diagrams/drafts/{draft}/files/demo_pathway.bpmn": 200,
    "/diagrams/drafts/{draft}/files/escalation.json/remove": 302,
    "/diagrams/drafts/{draft}/forms/escalation.json": 302,
    "/diagrams/drafts/{draft}/forms/escalation.json/preview": 200,
    "/diagrams/drafts/{draft}/rehearsal": 200,
    "/diagrams/drafts/{draft}/publish": 302,
    "/diagrams/drafts/{draft}/discard": 302,
}


def _expected(method, route, user) -> int:
    if user in ("anon", "gone"):
        return 302
    if user in CASEWORK:
        return 403
    if method == "GET":
        return READ[route][0 if user == "po" else 1]
    return WRITE[route] if user == "po" else 403


CASES = [(m, r, u, _expected(m, r, u)) for m, routes in (("GET", READ), ("POST", WRITE))
         for r in routes for u in USERS]

DEMO_XML = (DEMO_DIAGRAMS / "demo_pathway.bpmn").read_text()
REHEARSAL = {"rehearsal-steps": "[]", "rehearsal-action": "show",
             "rehearsal-child": '{"looked_after_on": "2026-02-16", "legal_status": "ico"}'}


def _body(route: str) -> dict:
    """Valid requests, so a refusal can only come from who is asking."""
    files = {"files": [(io.BytesIO((EXTERNAL / "kinship-ppm.json").read_bytes()), "kinship-ppm.json")]}
    return {
        "/diagrams/drafts": files, "/diagrams/drafts/{draft}/upload": files,
        "/diagrams/drafts/{draft}/process": {"process_id": "demo_pathway"},
        "/diagrams/drafts/{draft}/new-diagram": {"process_id": "route_extra"},
        "/diagrams/drafts/{draft}/new-form": {"form_name": "extra"},
        "/diagrams/drafts/{draft}/forms/escalation.json": {"action": "save", "definition": '{"type": "object"}'},
        "/diagrams/drafts/{draft}/forms/escalation.json/preview": {"definition": '{"type": "object"}'},
        "/diagrams/drafts/{draft}/rehearsal": REHEARSAL,
        "/diagrams/drafts/{draft}/publish": {"note": "Nothing changed"},
    }.get(route, {})


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def council_with_versions(request, tmp_path_factory):
    """A council of its own (on PostgreSQL a separate database), with two versions published."""
    folder = tmp_path_factory.mktemp("diagram-matrix")
    if request.param == "sqlite":
        db = Database(f"sqlite:///{folder / 'matrix.db'}")
    else:
        url = make_url(request.getfixturevalue("postgres_url"))
        with Database(url.render_as_string(hide_password=False)).engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(text("DROP DATABASE IF EXISTS permanence_diagram_matrix"))
            conn.execute(text("CREATE DATABASE permanence_diagram_matrix"))
        db = Database(url.set(database="permanence_diagram_matrix").render_as_string(hide_password=False))
    upgrade(db)
    clock.set_fixed(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    try:
        make_council(db)
        add_more_staff(db)
        register_child(db, child_details(), "sw", process_id="demo_pathway")
        bundle = load_directory(DEMO_DIAGRAMS, "demo_pathway")
        renamed = bundle.bpmn_files["demo_pathway.bpmn"].replace("Record review PPM", "Record the review PPM")
        publish(db, DiagramBundle("demo_pathway", {"demo_pathway.bpmn": renamed}, bundle.form_files), "tests")
    finally:
        clock.reset()
    yield db, folder / "instance"
    db.dispose()


@pytest.fixture(scope="module")
def matrix_app(council_with_versions):
    db, instance = council_with_versions
    return diagrams_app(db, instance)


def _fresh_draft(instance: Path) -> str:
    bundle = load_directory(DEMO_DIAGRAMS, "demo_pathway")
    files = {name: (DEMO_DIAGRAMS / name).read_text() for name in [*bundle.bpmn_files, *bundle.form_files]}
    return DraftStore(instance / "drafts").create("demo_pathway", 1, "Pam Owner", files).id


@pytest.mark.parametrize("method, route, user, expected", CASES,
                         ids=[f"{m} {r} as {u}" for m, r, u, _ in CASES])
def test_who_may_use_the_diagram_pages(matrix_app, council_with_versions, method, route, user, expected):
    _, instance = council_with_versions
    client = matrix_app.test_client()
    if user != "anon":
        sign_in(client, user)
    path = route.format(draft=_fresh_draft(instance))
    if method == "GET":
        response = client.get(path)
    elif route.endswith("/files/demo_pathway.bpmn"):
        response = client.post(path, data=DEMO_XML.encode(), content_type="application/xml")
    else:
        response = client.post(path, data=_body(route), content_type="multipart/form-data")
    assert response.status_code == expected, response.get_data(as_text=True)[:1500]
    if expected == 302 and user in ("anon", "gone"):
        assert response.headers["Location"].startswith("/sign-in")
