"""The served OpenAPI document, tested by schemathesis through the Flask app (WSGI): for every
operation, generated requests never get a 5xx, and every answer matches the document (status,
content type, headers, body), on SQLite and PostgreSQL. Bounded: a few dozen examples per
operation, no shrinking past that, so it takes seconds."""
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_headers_conformance, response_schema_conformance,
    status_code_conformance,
)

from ..conftest import make_app
from .conftest import bearer

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
EXAMPLES = 20


def test_the_document_is_openapi_3_1_built_from_the_schemas(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    assert set(doc["paths"]) == {
        "/api/v1/children", "/api/v1/children/before-care", "/api/v1/children/{child_id}",
        "/api/v1/children/{child_id}/position",
        "/api/v1/children/{child_id}/deadlines", "/api/v1/tasks", "/api/v1/tasks/{task_id}",
        "/api/v1/tasks/{task_id}/complete", "/api/v1/events", "/api/v1/tracker",
        "/api/v1/webhooks", "/api/v1/webhooks/{webhook_id}",
        "/api/v1/children/{child_id}/records", "/api/v1/records/{record_id}",
        "/api/v1/children/{child_id}/case-events", "/api/v1/children/{child_id}/placements",
        "/api/v1/children/{child_id}/allocation", "/api/v1/children/{child_id}/case-details",
        "/api/v1/children/{child_id}/identity", "/api/v1/children/{child_id}/family-network",
        "/api/v1/children/{child_id}/health-assessments"}
    assert doc["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    assert "Problem" in doc["components"]["schemas"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and b"/static/swagger-ui/swagger-ui-bundle.js" in page.data
    assert b"https://" not in page.data.split(b"<body>")[0]   # nothing from a CDN


@pytest.mark.parametrize("token_name", ["tm", "north"])
def test_generated_requests_get_no_server_error_and_match_the_document(
        staff, api_tokens, children, token_name):
    from .conftest import issue
    from workflows import roles
    tokens = dict(api_tokens, tm=issue(staff, "tm-every-scope", [roles.TEAM_MANAGER], ["North"]))
    app = make_app(staff, PROPAGATE_EXCEPTIONS=False)   # a crash must show as a 500, not raise
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = bearer(tokens[token_name])
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 25   # with the family network (A9, E6) and health (E25) writes
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS)
        check()
