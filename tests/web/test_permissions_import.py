"""Permission matrix for the import pages (issue 14, section 1): only administrators may
download the template, check a tracker or import it; everyone else is refused, on SQLite and
PostgreSQL. (What the pages do is tested in tests/importing/.)"""
import io

import pytest

from .conftest import sign_in

USERS = ["anon", "gone", "sw", "sw2", "tm", "sw_south", "tm_south", "iro", "chair",
         "paneladmin", "adm", "legal", "sm", "hos", "po", "admin"]
ROUTES = [("GET", "/admin/import", 200), ("GET", "/admin/import/template.csv", 200),
          ("GET", "/admin/import/template.xlsx", 200), ("POST", "/admin/import/check", 200),
          ("POST", "/admin/import/run", 400)]


def _body(route):
    if route == "/admin/import/check":  # a tracker whose only row has errors: nothing written
        return {"tracker": (io.BytesIO(b"reference,name,date_of_birth,legal_status,team,looked_after_on\n"
                                       b"X-1,Xan,2020-01-01,s20,Nowhere,2026-01-05\n"), "t.csv")}
    if route == "/admin/import/run":  # no checked file under that name: asked to upload again
        return {"token": "n" * 24 + ".csv", "filename": "t.csv"}
    return {}


@pytest.mark.parametrize("method, route, admin_code", ROUTES)
def test_only_administrators_may_use_the_import_pages(app, method, route, admin_code):
    wrong = []
    for user in USERS:
        client = app.test_client()
        if user != "anon":
            sign_in(client, user)
        response = (client.get(route) if method == "GET" else
                    client.post(route, data=_body(route), content_type="multipart/form-data"))
        expected = {"anon": 302, "gone": 302, "admin": admin_code}.get(user, 403)
        if response.status_code != expected:
            wrong.append((user, response.status_code, expected))
    assert wrong == []
