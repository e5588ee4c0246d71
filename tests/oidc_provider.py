"""A real OpenID Connect provider for the tests, on 127.0.0.1: `oidc-provider-mock` (Authlib's
server side, signing real RS256 ID tokens) in a thread, with the people the tests sign in as.

The mock does not check PKCE, which Microsoft Entra ID does; `_PkceCheck` in front of it
does: it keeps each authorization code's S256 challenge and refuses a token request whose
`code_verifier` does not hash to it, as a provider must (RFC 7636, 4.6)."""
import base64
import hashlib
import io
import json
import threading
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import werkzeug.serving


class _PkceCheck:
    def __init__(self, app):
        self.app = app
        self.challenges: dict[str, tuple[str | None, str | None]] = {}
        self.token_requests: list[dict] = []

    def __call__(self, environ, start_response):
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if path == "/oauth2/authorize" and method == "POST":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            challenge = (query.get("code_challenge", [None])[0],
                         query.get("code_challenge_method", [None])[0])

            def keep_code(status, headers, exc_info=None):
                location = dict(headers).get("Location", "")
                code = parse_qs(urlsplit(location).query).get("code", [None])[0]
                if code:
                    self.challenges[code] = challenge
                return start_response(status, headers, exc_info)
            return self.app(environ, keep_code)
        if path == "/oauth2/token" and method == "POST":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            self.token_requests.append(form)
            challenge, challenge_method = self.challenges.pop(form.get("code"), (None, None))
            verifier = form.get("code_verifier", "")
            hashed = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            if challenge_method != "S256" or not verifier \
                    or hashed.rstrip(b"=").decode() != challenge:
                start_response("400 BAD REQUEST", [("Content-Type", "application/json")])
                return [json.dumps({"error": "invalid_grant",
                                    "error_description": "PKCE verification failed"}).encode()]
        return self.app(environ, start_response)


@dataclass
class Provider:
    issuer: str
    pkce: _PkceCheck
    people: dict = field(default_factory=dict)

    def add_person(self, sub: str, username: str, name: str, groups: list[str]) -> None:
        """The person at the provider, with the claims Entra ID sends."""
        claims = {"preferred_username": f"{username}@council.example", "name": name,
                  "email": f"{username}@council.example", "groups": groups}
        request = urllib.request.Request(f"{self.issuer}/users/{sub}", method="PUT",
                                         data=json.dumps(claims).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 204

    def approve(self, authorize_url: str, sub: str) -> str:
        """The person signs in at the provider: the address it sends the browser back to."""
        request = urllib.request.Request(authorize_url, method="POST",
                                         data=f"sub={sub}".encode(),
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        opener = urllib.request.build_opener(_NoRedirect)
        with opener.open(request, timeout=10) as response:
            assert response.status == 302, response.read()
            return response.headers["Location"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp


@contextmanager
def oidc_provider():
    """The provider, listening on 127.0.0.1 until the block ends."""
    from oidc_provider_mock import app as provider_app
    application = provider_app(require_nonce=True, issue_refresh_token=False)
    pkce = _PkceCheck(application.wsgi_app)
    application.wsgi_app = pkce
    server = werkzeug.serving.make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    try:
        yield Provider(f"http://127.0.0.1:{server.server_port}", pkce)
    finally:
        server.shutdown()
        thread.join(5)
