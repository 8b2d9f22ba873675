"""Request bodies are limited: 1 MiB for JSON and forms, a larger limit for upload routes; the answer is
413 before the body is read (a declared Content-Length) or as soon as a streamed body passes the limit."""

from __future__ import annotations

import asyncio

from api.core.bodylimit import DEFAULT_LIMIT, MIB, UPLOAD_LIMIT, BodySizeLimit
from api.shell.main import UPLOAD_PATHS


def test_a_5_mb_anonymous_json_body_is_refused_with_413(client):
    body = b'{"email": "' + b"a" * (5 * 1000 * 1000) + b'", "password": "x"}'
    answer = client.post("/api/auth/token", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 413, answer.status_code
    assert answer.json()["detail"][0]["type"] == "too_large"
    assert "te groot" in answer.json()["detail"][0]["msg"]


def test_a_streamed_body_without_length_is_cut_off_at_the_limit(client, as_role):
    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"display_name": "'
        for _ in range(3 * 64):
            yield b"x" * 16384  # 3 MiB in all, no Content-Length (chunked)
        yield b'"}'

    answer = client.post(
        "/api/households", content=chunks(), headers={**as_role("crisis_team"), "content-type": "application/json"}
    )
    assert answer.status_code == 413, answer.text[:200]


def test_a_small_json_body_passes_and_an_upload_route_has_a_larger_limit(client, as_role):
    assert client.post("/api/households", json={}, headers=as_role("crisis_team")).status_code == 422
    csv = b"reference\n" + b"x" * (2 * MIB)  # over 1 MiB: not refused by the size limit, but by the importer
    answer = client.post(
        "/api/households/import", files={"file": ("h.csv", csv, "text/csv")}, headers=as_role("crisis_team")
    )
    assert answer.status_code != 413 and answer.status_code < 500, answer.status_code
    too_big = b"x" * (UPLOAD_LIMIT + 1)
    answer = client.post(
        "/api/households/import", files={"file": ("h.csv", too_big, "text/csv")}, headers=as_role("crisis_team")
    )
    assert answer.status_code == 413


def test_the_body_is_not_read_when_the_declared_length_is_too_large():
    reads: list[int] = []

    async def app(_scope, _receive, _send):  # type: ignore[no-untyped-def]
        raise AssertionError("the app must not run")

    async def receive():  # type: ignore[no-untyped-def]
        reads.append(1)
        return {"type": "http.request", "body": b"x", "more_body": False}

    sent: list[dict] = []

    async def send(message):  # type: ignore[no-untyped-def]
        sent.append(message)

    limiter = BodySizeLimit(app, upload_paths=UPLOAD_PATHS)
    too_long = [(b"content-length", str(DEFAULT_LIMIT + 1).encode())]
    scope = {"type": "http", "path": "/api/households", "headers": too_long}
    asyncio.run(limiter(scope, receive, send))
    assert sent[0]["status"] == 413 and reads == []
    assert limiter.limit_for("/opslag/12/foto") == UPLOAD_LIMIT
    assert limiter.limit_for("/api/households") == DEFAULT_LIMIT
