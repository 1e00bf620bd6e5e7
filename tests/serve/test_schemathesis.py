"""Fuzz the server's API from its own OpenAPI document with schemathesis.

Every operation gets schema-valid and schema-invalid requests (positive and negative generation
modes); each response is checked by schemathesis' default checks: no 5xx, status codes and
content types as documented, responses valid against their schemas, invalid data rejected, valid
data accepted, and authentication not ignored. One rule JSON Schema cannot state: ``/openrlhf``'s
three lists must have the same length, so for that operation a schema-valid body with lists of
different lengths may be rejected, with a 422 naming the mismatch and nothing else. Two
mutations are not the server's to reject: a removed or broken ``Authorization`` header (the test
sends a valid token on every call) and query parameters no operation declares (ignored, as HTTP
APIs do); a negative case whose only invalid parts are those is not required to be rejected.
"""

from __future__ import annotations

from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis fuzzes the API (dev)")
pytest.importorskip("fastapi", reason="the serve extra provides FastAPI")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import negative_data_rejection, positive_data_acceptance  # noqa: E402
from schemathesis.core.parameters import ParameterLocation  # noqa: E402

from ehrmind_rewards.serve.app import create_app  # noqa: E402
from ehrmind_rewards.serve.settings import ServeSettings  # noqa: E402

TOKEN = "fuzz-token"
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(ServeSettings(token=TOKEN)))
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)


def _length_rule_only(response: Any) -> bool:
    if response.status_code != 422:
        return False
    detail = response.json()["detail"]
    return [error["type"] for error in detail] == ["length_mismatch"]


_NOT_THE_SERVERS = frozenset({ParameterLocation.HEADER, ParameterLocation.QUERY})


def _invalid_only_where_ignored(case: Any) -> bool:
    """Whether every negative part of ``case`` is its headers or its query string."""
    negative = {location for location in case.meta.components if case.meta.is_negative_at(location)}
    return bool(negative) and negative <= _NOT_THE_SERVERS


@schema.parametrize()
@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case: Any) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    excluded = [negative_data_rejection] if _invalid_only_where_ignored(case) else []
    if case.path == "/openrlhf":
        response = case.call(headers=headers)
        if _length_rule_only(response):
            return
        case.validate_response(response, excluded_checks=[positive_data_acceptance, *excluded])
        if case.meta.generation.mode.is_positive:
            assert response.status_code == 200, response.text
        return
    case.call_and_validate(headers=headers, excluded_checks=excluded)


def test_the_document_names_every_endpoint_and_error() -> None:
    document = create_app().openapi()
    assert set(document["paths"]) == {"/v1/score", "/openrlhf", "/health", "/metrics"}
    responses = document["paths"]["/v1/score"]["post"]["responses"]
    assert {"200", "400", "401", "413", "422", "503"} <= set(responses)
    request = document["components"]["schemas"]["ScoreRequest"]["properties"]
    assert None in request["spec"]["enum"] and "ehrmind" in request["spec"]["enum"]
    assert set(request["task"]["enum"]) == {"ehrshot", "medcalc", "trials", None}
