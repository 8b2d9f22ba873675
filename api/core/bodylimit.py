"""A limit on the size of request bodies, answered 413 before the body is read (pure ASGI middleware).

Why: every route parses its body into memory (JSON, forms, uploads); without a limit one anonymous request
of a few hundred megabytes fills a worker's memory. A declared ``Content-Length`` over the limit is refused
at once, without reading a byte; a body sent without one (chunked) is counted as it streams in and refused
as soon as it passes the limit. Upload routes (CSV import, storage photos) get a larger limit of their own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MIB = 1024 * 1024
DEFAULT_LIMIT = 1 * MIB  # JSON and forms
UPLOAD_LIMIT = 12 * MIB  # uploads: a storage photo may be 8 MiB, plus the multipart envelope


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_message(limit))


def too_large_message(limit: int) -> str:
    return (
        f"Het verzoek is te groot (hoogstens {limit // MIB} MiB). / "
        f"Request body too large (at most {limit // MIB} MiB)."
    )


class BodySizeLimit:
    def __init__(
        self,
        app: ASGIApp,
        *,
        default_limit: int = DEFAULT_LIMIT,
        upload_limit: int = UPLOAD_LIMIT,
        upload_paths: Iterable[str] = (),
    ) -> None:
        self.app = app
        self.default_limit = default_limit
        self.upload_limit = upload_limit
        self.upload_paths = [re.compile(p) for p in upload_paths]

    def limit_for(self, path: str) -> int:
        return self.upload_limit if any(p.fullmatch(path) for p in self.upload_paths) else self.default_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit)  # before a single byte of the body is read
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps(
        {"detail": [{"loc": ["body"], "msg": too_large_message(limit), "type": "too_large"}]}, ensure_ascii=False
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
