"""Schemathesis against /openapi.json with authenticated calls: no 5xx, and every answer matches the schema.

Bounded in time: MAX_EXAMPLES cases per operation (ONDERDAK_FUZZ_EXAMPLES to change), both generation
modes (valid and invalid input). Each call runs in the test's rolled-back transaction, with the bearer token
of a demo role that the access matrix lets use the operation (crisis team first, then coordinator, case
worker, admin, host), so the authorised code paths are exercised and not only the 401s and 403s.
"""

from __future__ import annotations

import logging
import os
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.security.access_matrix import MATRIX
from tests.security.conftest import reset_rate_limits

log = logging.getLogger(__name__)

MAX_EXAMPLES = int(os.environ.get("ONDERDAK_FUZZ_EXAMPLES", "20"))
# Every answer: no 5xx, its status code is documented for the operation, its content type is the documented one
# and its body matches the documented schema (error bodies included: see api/core/error_schema.py).
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
if os.environ.get("ONDERDAK_FUZZ_CHECKS") == "all":  # every registered check (slower; see the README for findings)
    from schemathesis.checks import CHECKS as REGISTRY

    CHECKS = list(REGISTRY.get_all())
# Operations that do heavy work per call (a full matching run): fewer examples, same checks.
HEAVY = {("POST", "/api/matching/runs"): 3}


PREFERENCE = ("crisis_team", "coordinator", "case_worker", "admin", "host")


def _role_for(method: str, path: str) -> str:
    """The first role the access matrix lets through (so the fuzzer reaches the code behind the role check)."""
    expected = MATRIX.get((method, path))
    if expected is not None:
        cells = expected.cells("own")
        for role in PREFERENCE:
            if cells[role] not in (401, 403):
                return role
    return "crisis_team"


@pytest.mark.usefixtures("client")
def test_openapi_fuzzing_finds_no_server_error_and_no_schema_violation(app, as_role, backend, record_property):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    tokens = {role: as_role(role) for role in PREFERENCE}
    started = time.monotonic()
    failures: list[str] = []
    cases_run = 0
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10, "the API should expose its operations in /openapi.json"

    for operation in operations:
        label = (operation.method.upper(), operation.path)
        count, found = _fuzz(
            operation,
            tokens[_role_for(label[0], label[1])],
            HEAVY.get(label, MAX_EXAMPLES),
        )
        cases_run += count
        failures.extend(found)

    elapsed = time.monotonic() - started
    record_property("fuzz_cases", cases_run)
    record_property("fuzz_seconds", round(elapsed, 1))
    log.info("fuzzing (%s): %d operations, %d cases in %.1f s", backend, len(operations), cases_run, elapsed)
    reset_rate_limits()
    assert not failures, f"{len(failures)} failing operations:\n" + "\n\n".join(failures)


def _fuzz(operation, headers: dict[str, str], max_examples: int) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    """Valid and invalid cases for one operation; at most two failures kept (with a curl line to replay)."""
    label = f"{operation.method.upper()} {operation.path}"
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )
    seen: list[str] = []
    count = 0

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=strategy)
    def run(case) -> None:  # type: ignore[no-untyped-def]
        nonlocal count
        count += 1
        reset_rate_limits()
        case.headers = {**(case.headers or {}), **headers}
        try:
            response = case.call()
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected, reported together
            if len(seen) < 2:
                seen.append(f"{label}: {type(exc).__name__}: {str(exc)[:800]}\n  {case.as_curl_command()}")

    run()
    return count, seen


@pytest.fixture(autouse=True)
def _fresh_limits():
    reset_rate_limits()
    yield
    reset_rate_limits()
