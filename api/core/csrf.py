"""Cross-site request forgery protection: one token per session, echoed by every unsafe cookie request.

Part of the floor because templates (which render the token into every form) sit there too.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from api.core.errors import Forbidden

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_SESSION_KEY = "csrf"
CSRF_FORM_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use; templates put it in every form."""
    token = request.session.get(CSRF_SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(24)
        request.session[CSRF_SESSION_KEY] = token
    return token


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
    if not expected or not hmac.compare_digest(expected, sent):
        raise Forbidden(code="auth.csrf", loc=("csrf_token",))
