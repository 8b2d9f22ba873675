"""Schemathesis against /openapi.json with authenticated calls: every check schemathesis has, on every operation.

No 5xx, every answer matches the schema, a schema-invalid request is refused and a schema-valid one is accepted:
the models are narrowed (day windows, money bounds, enums, required reasons) so that the document says what the
app takes. The only 422s left on schema-valid input are listed in :data:`REFUSALS_THE_SCHEMA_CANNOT_STATE`, each by
error code and field with its reason: a relation between fields, the content of an uploaded file, or what the
database holds (a storage that began later than the date given, a host not yet confirmed).

Bounded in time: MAX_EXAMPLES cases per operation (ONDERDAK_FUZZ_EXAMPLES to change), both generation
modes (valid and invalid input). Each call runs in the test's rolled-back transaction, with the bearer token
of a demo role that the access matrix lets use the operation (crisis team first, then coordinator, case
worker, admin, host), so the authorised code paths are exercised and not only the 401s and 403s.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as REGISTRY
from schemathesis.openapi.checks import RejectedPositiveData

from tests.api.security.access_matrix import MATRIX
from tests.security.conftest import reset_rate_limits

log = logging.getLogger(__name__)

MAX_EXAMPLES = int(os.environ.get("ONDERDAK_FUZZ_EXAMPLES", "20"))
# Every registered check: no 5xx, documented status codes, content types, headers and bodies (error bodies
# included: see api/core/error_schema.py), schema-invalid input refused, schema-valid input accepted, ...
CHECKS = list(REGISTRY.get_all())
ONLY = os.environ.get("ONDERDAK_FUZZ_ONLY", "")  # a part of the path, to fuzz fewer operations while fixing one

# Schema-valid requests that the app still refuses with 422, and why JSON Schema cannot say so in advance.
# Keyed by operation; each entry is an error code and the field it names (fnmatch pattern). Only these pass
# the "schema-valid request rejected" check: any other 422 (or a 400) on schema-valid input fails the test.
RELATION = "a relation between fields of the request, which JSON Schema cannot express"
STORED = "depends on what the database holds for this record, not on the request"
UPLOAD = "the content of an uploaded file (the schema describes it as binary)"
REFUSALS_THE_SCHEMA_CANNOT_STATE: dict[tuple[str, str], dict[tuple[str, str], str]] = {
    ("POST", "/api/households"): {
        ("input.invalid_value", "body"): RELATION + " (an adult on the eviction day)",
        ("input.invalid_value", "body.eviction"): RELATION + " (eviction not before its announcement)",
        ("input.invalid_value", "body.members.*.birth_date"): "a birth date after today (the clock, not the request)",
    },
    ("POST", "/api/households/import"): {("household.import_*", "file*"): UPLOAD},
    ("PUT", "/api/hosts/{host_id}/checklist"): {("host.checklist_before_confirmation", "body.status"): STORED},
    ("POST", "/api/places/{place_id}/unavailability"): {
        ("input.invalid_value", "body"): RELATION + " (end after start)"
    },
    ("GET", "/api/matching/instance"): {("policy.invalid_at", "policy.day"): STORED + " (policy known from a day)"},
    ("POST", "/api/placements/{placement_id}/end"): {("placement.end_before_arrival", "body.ended_on"): STORED},
    ("POST", "/api/rules/cost-sharing/preview"): {
        ("rules.invalid", "body.host_members.*.birth_date"): RELATION + " (born before the calculation day)",
        ("rules.invalid", "body.guests.*.birth_date"): RELATION + " (born before the calculation day)",
        ("policy.invalid_at", "*"): STORED + " (policy known from a day)",
    },
    ("POST", "/api/rules/hosts/{host_id}/exemption-decision"): {
        ("rules.invalid", "body.decided_on"): STORED + " (the policy is known from 2015-11-13)",
    },
    ("GET", "/api/rules/placements/{placement_id}/agreement"): {
        ("rules.agreement_needs_host", "path.placement_id"): STORED + " (a stay with a host, not a waiting room)",
    },
    ("GET", "/api/rules/placements/{placement_id}/agreement.pdf"): {
        ("rules.agreement_needs_host", "path.placement_id"): STORED + " (a stay with a host, not a waiting room)",
    },
    ("POST", "/api/storage/lots/{lot_id}/returns"): {("storage.return_before_storage", "body.returned_on"): STORED},
    ("POST", "/api/storage/lots/{lot_id}/waivers"): {("storage.waiver_before_storage", "body.signed_on"): STORED},
    ("POST", "/api/storage/lots/{lot_id}/disposals"): {
        ("storage.unsellable_reason_required", "body.unsellable_reason"): RELATION + " (destroying needs a reason)",
    },
    ("PUT", "/api/storage/lots/{lot_id}/costs/decision"): {
        ("storage.suspension_reason_required", "body.reason"): RELATION + " (a suspension needs a reason)",
    },
    ("PUT", "/api/storage/lots/{lot_id}/costs/paid"): {("storage.paid_before_storage", "body.paid_on"): STORED},
    ("POST", "/api/storage/lots/{lot_id}/attachments"): {("storage.file_empty", "body.file"): UPLOAD},
}
# Operations that do heavy work per call (a matching run, the hard rules of a manual placement): fewer examples.
HEAVY = {("POST", "/api/matching/runs"): 3, ("POST", "/api/placements"): 5}


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
        if ONLY not in operation.path:
            continue
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
        response = None
        try:
            response = case.call(timeout=120)  # a slow answer on a busy machine is not a failure
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected, reported together
            if response is not None and _refusal_the_schema_cannot_state(operation, exc, response):
                return
            if len(seen) < 2:
                seen.append(f"{label}: {type(exc).__name__}: {str(exc)[:800]}\n  {case.as_curl_command()}")

    run()
    return count, seen


def _refusal_the_schema_cannot_state(operation, exc: BaseException, response) -> bool:  # type: ignore[no-untyped-def]
    """Whether the only failure is a 422 on schema-valid input whose every problem is a listed one."""
    failures = exc.exceptions if isinstance(exc, BaseExceptionGroup) else (exc,)
    if response.status_code != 422 or not all(isinstance(f, RejectedPositiveData) for f in failures):
        return False
    listed = REFUSALS_THE_SCHEMA_CANNOT_STATE.get((operation.method.upper(), operation.path), {})
    try:
        problems = [(p["code"], p["field"]) for p in response.json()["detail"]]
    except (ValueError, KeyError, TypeError):
        return False
    return bool(problems) and all(
        any(fnmatch.fnmatchcase(code, c) and fnmatch.fnmatchcase(field, f) for c, f in listed)
        for code, field in problems
    )


@pytest.fixture(autouse=True)
def _fresh_limits():
    reset_rate_limits()
    yield
    reset_rate_limits()
