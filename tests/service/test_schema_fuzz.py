"""schemathesis against the OpenAPI schema: generated requests never get a 500, and every
answer matches the schema (status codes, content type, response bodies).

Bounded: a few dozen examples per operation, no shrinking deadline, small texts.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis (test extra) missing")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tokbench.service import Settings, create_app  # noqa: E402

# Small limits keep every generated request cheap; the limits' own errors are valid answers.
APP = create_app(Settings(max_texts=20, max_chars=2000, max_body_bytes=20_000))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(case) -> None:
    # Generous timeout: on a busy 2-core machine the first /v1/tokenizers loads 14 vocabularies.
    response = case.call(timeout=120)
    # Not positive_data_acceptance: "exactly one of text / texts" is a rule between fields
    # that the generated schema does not state, so a schema-valid body may rightly get a 422.
    case.validate_response(response, checks=CHECKS)
    assert response.status_code < 500
    if response.status_code >= 400:
        error = response.json()["error"]
        assert set(error) == {"code", "message", "details"}
