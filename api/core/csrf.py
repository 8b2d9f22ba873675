"""Cross-site request forgery protection: one token per session, echoed by every unsafe cookie request.

Part of the floor because templates (which render the token into every form) sit there too.

Masked per use (BREACH): pages are gzipped, and a secret that appears unchanged in every compressed answer
next to text an attacker can reflect can be guessed byte by byte from the answers' lengths. So the session's
token never appears as such: each rendering is ``base64url(pad + (pad XOR token))`` with a fresh random pad,
and the check unmasks what comes back. The bare token is still accepted (clients that kept one from before).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets

from fastapi import Request

from api.core.errors import Forbidden

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_SESSION_KEY = "csrf"
CSRF_FORM_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def _session_token(request: Request) -> str:
    token = request.session.get(CSRF_SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(24)
        request.session[CSRF_SESSION_KEY] = token
    return str(token)


def mask(token: str) -> str:
    """``token`` under a fresh random pad: a different string every time, the same token inside."""
    raw = token.encode()
    pad = secrets.token_bytes(len(raw))
    return base64.urlsafe_b64encode(pad + bytes(a ^ b for a, b in zip(pad, raw, strict=True))).decode()


def unmask(sent: str) -> str | None:
    """The token inside a masked value; None when ``sent`` is not one."""
    try:
        data = base64.urlsafe_b64decode(sent.encode())
    except (binascii.Error, ValueError):
        return None
    if not data or len(data) % 2:
        return None
    half = len(data) // 2
    try:
        return bytes(a ^ b for a, b in zip(data[:half], data[half:], strict=True)).decode()
    except UnicodeDecodeError:
        return None


def csrf_token(request: Request) -> str:
    """The session's CSRF token, masked afresh (see the module docstring); templates put it in every form."""
    return mask(_session_token(request))


def _matches(expected: str, sent: str) -> bool:
    unmasked = unmask(sent) if len(sent) != len(expected) else None
    candidate = unmasked if unmasked is not None else sent
    return hmac.compare_digest(expected.encode(), candidate.encode())


async def verify_csrf(request: Request) -> None:
    """Cookie-authenticated unsafe requests must echo the session's token (form field or header)."""
    if request.method not in UNSAFE_METHODS:
        return
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return  # bearer tokens are not sent by browsers on their own: no CSRF risk
    expected = request.session.get(CSRF_SESSION_KEY, "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        sent = str(form.get(CSRF_FORM_FIELD, ""))
    if not expected or not sent or not _matches(str(expected), sent):
        raise Forbidden(code="auth.csrf", loc=("csrf_token",))
