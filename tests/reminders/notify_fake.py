"""A fake GOV.UK Notify on 127.0.0.1, speaking its HTTP API as the real service does, for the
real `notifications-python-client` to talk to (pointed at it by `base_url`).

It checks what Notify checks: the Authorization header is `Bearer <JWT>`, HS256, issued by
the service id (`iss`) within 30 seconds (`iat`), signed with the API key's secret; the body
names a valid e-mail address and a template the service has, with every placeholder the
template uses in `personalisation`. Answers are Notify's shapes: 201 with the notification,
or `{"status_code": ..., "errors": [{"error": ..., "message": ...}]}`. Tests script failures
(`fail_next(500)`, `fail_next(429)`) and read what was accepted (`sent`).
"""
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"permanence_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

ERRORS = {
    400: ("BadRequestError", "Can't send to this recipient using a team-only API key"),
    403: ("AuthError", "Invalid token: API key not found"),
    429: ("RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"),
    500: ("Exception", "Internal server error"),
}


class FakeNotify:
    def __init__(self):
        self.sent: list[dict] = []          # accepted notifications, as stored
        self.requests: list[tuple] = []     # (method, path, status answered)
        self._script: list[tuple] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, status: int, message: str | None = None, times: int = 1):
        error, default = ERRORS[status]
        with self._lock:
            self._script += [(status, error, message or default)] * times

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body):
                # recorded before answering: the client may go on as soon as it has the answer
                fake.requests.append((self.command, urlparse(self.path).path, status))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status, error, message):
                self._answer(status, {"status_code": status,
                                      "errors": [{"error": error, "message": message}]})

            def _authorised(self) -> bool:
                header = self.headers.get("Authorization", "")
                if not header.startswith("Bearer "):
                    self._error(401, "AuthError",
                                "Unauthorized: authentication token must be provided")
                    return False
                token = header[len("Bearer "):]
                try:
                    claims = jwt.decode(token, options={"verify_signature": False})
                    if jwt.get_unverified_header(token).get("alg") != "HS256":
                        raise jwt.InvalidAlgorithmError()
                    if claims.get("iss") != SERVICE_ID:
                        self._error(403, "AuthError", "Invalid token: service not found")
                        return False
                    jwt.decode(token, SECRET, algorithms=["HS256"])
                    if abs(time.time() - int(claims["iat"])) > 30:
                        self._error(403, "AuthError",
                                    "Error: Your system clock must be accurate to within 30 seconds")
                        return False
                except (jwt.PyJWTError, KeyError, ValueError):
                    self._error(403, "AuthError", "Invalid token: signature, api token not found")
                    return False
                return True

            def do_POST(self):
                if urlparse(self.path).path != "/v2/notifications/email":
                    return self._error(404, "BadRequestError", "Not found")
                if not self._authorised():
                    return None
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    return self._error(400, "BadRequestError", "Invalid JSON supplied in POST data")
                with fake._lock:
                    scripted = fake._script.pop(0) if fake._script else None
                if scripted:
                    return self._error(*scripted)
                if not EMAIL.fullmatch(str(body.get("email_address", ""))):
                    return self._error(400, "ValidationError",
                                       "email_address Not a valid email address")
                if body.get("template_id") != TEMPLATE_ID:
                    return self._error(400, "BadRequestError", "Template not found")
                personalisation = body.get("personalisation") or {}
                missing = [p for p in ("subject", "body") if p not in personalisation]
                if missing:
                    return self._error(400, "BadRequestError",
                                       "Missing personalisation: " + ", ".join(missing))
                notification = {
                    "id": str(uuid.uuid4()), "reference": body.get("reference"),
                    "email_address": body["email_address"], "type": "email",
                    "status": "created", "template": {"id": TEMPLATE_ID, "version": 1},
                    "subject": personalisation["subject"], "body": personalisation["body"]}
                with fake._lock:
                    fake.sent.append(notification)
                self._answer(201, {
                    "id": notification["id"], "reference": notification["reference"],
                    "content": {"subject": notification["subject"], "body": notification["body"],
                                "from_email": "permanence@notifications.service.gov.uk",
                                "one_click_unsubscribe_url": None},
                    "uri": f"{fake.base_url}/v2/notifications/{notification['id']}",
                    "template": {"id": TEMPLATE_ID, "version": 1,
                                 "uri": f"{fake.base_url}/v2/template/{TEMPLATE_ID}"},
                    "scheduled_for": None})

            def do_GET(self):
                url = urlparse(self.path)
                if url.path != "/v2/notifications":
                    return self._error(404, "BadRequestError", "Not found")
                if not self._authorised():
                    return None
                reference = (parse_qs(url.query).get("reference") or [None])[0]
                with fake._lock:
                    found = [n for n in fake.sent if reference is None or n["reference"] == reference]
                self._answer(200, {"notifications": found,
                                   "links": {"current": f"{fake.base_url}{self.path}"}})

        return Handler
