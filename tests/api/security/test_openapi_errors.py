"""The OpenAPI document declares the error answers of every operation with the one real error body."""

from __future__ import annotations

from api.core.error_schema import ErrorBody
from api.core.errors import NotFound
from api.shell.main import create_app

ERROR_REF = "#/components/schemas/ErrorBody"


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_declares_its_errors_with_the_error_body():
    document = create_app().openapi()
    missing = []
    for label, operation in _operations(document):
        responses = operation["responses"]
        for status in {"422", "503"}:
            schema = responses.get(status, {}).get("content", {}).get("application/json", {}).get("schema", {})
            if schema.get("$ref") != ERROR_REF:
                missing.append(f"{label} {status}")
    assert not missing, missing
    assert "HTTPValidationError" not in document["components"]["schemas"]  # FastAPI's 422 shape is not ours


def test_writes_declare_conflicts_and_body_limits_and_logged_in_routes_declare_401():
    document = create_app().openapi()
    create = document["paths"]["/api/admin/accounts"]["post"]["responses"]
    assert {"201", "202", "400", "401", "403", "404", "409", "413", "422", "503"} <= set(create)
    read = document["paths"]["/api/households/{household_id}"]["get"]["responses"]
    assert {"401", "403", "404"} <= set(read) and "409" not in read
    token = document["paths"]["/api/auth/token"]["post"]["responses"]
    assert {"401", "429"} <= set(token)
    pdf = document["paths"]["/api/placements/{placement_id}/letter.pdf"]["get"]["responses"]["200"]
    assert set(pdf["content"]) == {"application/pdf"}


def test_the_model_matches_a_real_error_body():
    body = NotFound(code="admin.change_not_found", loc=("path", "change_id")).as_body()
    assert ErrorBody.model_validate(body).detail[0].code == "admin.change_not_found"


def test_documented_host_actions_are_the_real_transitions():
    from api.hosts.schemas import ACTIONS
    from api.hosts.service import TRANSITIONS

    assert set(ACTIONS) == set(TRANSITIONS)
