"""The outermost middleware: the request's language, clock and client address, and the response's headers.

Why a plain ASGI middleware and not ``@app.middleware("http")``: Starlette's ``BaseHTTPMiddleware`` runs the
rest of the app in a task of its own and copies every response through a memory stream, which under load
cost about a millisecond per request for work that only sets three context variables and some headers.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.core import audit, clock, i18n

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(self), camera=(), microphone=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# Folium writes its map set-up as an inline script; only the map page relaxes script-src for it.
CSP = (
    "default-src 'self'; img-src 'self' data: blob:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)
HSTS = "max-age=31536000; includeSubDomains"
LANGUAGE_COOKIE_AGE_S = 365 * 86400


def _language_cookie(language: str) -> str:
    """The ``Set-Cookie`` value that remembers a language chosen with ``?lang=``."""
    carrier = Response()
    carrier.set_cookie("lang", language, max_age=LANGUAGE_COOKIE_AGE_S, samesite="lax", httponly=True)
    return carrier.headers["set-cookie"]


class LanguageAndHeaders:
    """Runs each HTTP request under its language, the app's clock (``app.state.clock``, which tests move)
    and the client's address for the audit trail; adds the security headers, ``Cache-Control: no-store``
    outside ``/static`` (personal data stays out of shared caches) and, in production, HSTS."""

    def __init__(self, app: ASGIApp, *, production: bool) -> None:
        self.app = app
        self.production = production

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        asked = request.query_params.get("lang")
        language = i18n.pick_language(asked, request.cookies.get("lang"), request.headers.get("accept-language"))
        remember = _language_cookie(language) if asked in i18n.LANGUAGES else None
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if remember is not None:
                    headers.append("set-cookie", remember)
                for header, value in SECURITY_HEADERS.items():
                    headers.setdefault(header, value)
                headers.setdefault("Content-Security-Policy", CSP)
                if not static:
                    headers.setdefault("Cache-Control", "no-store")
                if self.production:
                    headers["Strict-Transport-Security"] = HSTS
            await send(message)

        token = i18n.current_language.set(language)
        addr_token = audit.remote_addr_var.set(request.client.host if request.client else None)
        try:
            with clock.use(scope["app"].state.clock):
                await self.app(scope, receive, send_with_headers)
        finally:
            audit.remote_addr_var.reset(addr_token)
            i18n.current_language.reset(token)
