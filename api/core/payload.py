"""A cached response body that is compressed once, not on every request.

Why: the largest answers (the map's GeoJSON and document, a matching run: 300-500 KiB each at a large
city's size) are kept per data version already (api.core.data_version), but the gzip middleware compressed
them again for every request, a few milliseconds of CPU each time. A :class:`Payload` keeps the gzip form
next to the body; :func:`respond` sends it with ``Content-Encoding: gzip`` to clients that accept it, and
the middleware passes an answer that is already encoded through untouched.
"""

from __future__ import annotations

import gzip
import threading
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response

MINIMUM_BYTES = 1024  # as the middleware: smaller answers gain nothing from compression
LEVEL = 9  # once per version of the data, so the smallest form is worth its CPU


@dataclass
class Payload:
    body: bytes
    _gzipped: bytes | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def gzipped(self) -> bytes:
        with self._lock:
            if self._gzipped is None:
                self._gzipped = gzip.compress(self.body, compresslevel=LEVEL, mtime=0)
            return self._gzipped


def respond(request: Request, payload: Payload, media_type: str, headers: dict[str, str] | None = None) -> Response:
    """The payload as the client asked for it: gzipped (made once) or as it is."""
    accepts = "gzip" in request.headers.get("accept-encoding", "")
    if accepts and len(payload.body) >= MINIMUM_BYTES:
        response = Response(payload.gzipped(), media_type=media_type, headers=headers)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(payload.body, media_type=media_type, headers=headers)
    response.headers["Vary"] = "Accept-Encoding"
    return response
