"""Headers on every response (issue 8, section 4): a Content Security Policy with a fresh
nonce per request that the base template's inline script carries, no framing, no sniffing,
no referrer leaving the site, HSTS when the session cookie is Secure, and no-store on every
page and download but the static files. (That the pages work under the policy, bpmn-js
included, is checked in Chromium by tests/browser.)"""
import re

from web.settings import Settings
from web import create_app

from .conftest import FIXED, make_app, sign_in


def _nonce(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    return re.search(r"'nonce-([^']+)'", policy).group(1)


def test_every_page_has_a_policy_with_a_fresh_nonce_that_the_inline_script_carries(client):
    first, second = client.get("/sign-in"), client.get("/sign-in")
    assert _nonce(first) != _nonce(second)
    html = first.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{_nonce(first)}"' in attrs for attrs in inline)
    policy = first.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy and "base-uri 'none'" in policy
    script = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script


def test_the_other_headers_are_on_pages_errors_downloads_and_files(client, council):
    sign_in(client, "po")
    for url in ("/sign-in", "/inbox", "/no-such-page", "/healthz", "/diagrams",
                "/diagrams/demo_pathway/versions/1/bundle.zip", "/static/css/app.css"):
        response = client.get(url)
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["Referrer-Policy"] == "same-origin", url
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url
        if url.startswith("/static/"):
            assert "no-store" not in response.headers.get("Cache-Control", ""), url
        else:
            assert "no-store" in response.headers["Cache-Control"], url


def test_hsts_only_when_the_session_cookie_is_secure(council):
    secure = make_app(council).test_client().get("/sign-in")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    plain_http = create_app(Settings(database_url=council.url, secret_key="t", clock=FIXED,
                                     insecure_cookies=True), db=council)
    assert "Strict-Transport-Security" not in plain_http.test_client().get("/sign-in").headers
