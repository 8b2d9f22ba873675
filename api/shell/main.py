"""The FastAPI application: middleware, the one error mapping, and the routers per domain."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.utils import create_model_field
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import BaseRoute

from api.auth.dependencies import current_principal
from api.core import clock, error_codes, error_schema
from api.core.bodylimit import BodySizeLimit
from api.core.clock import Clock
from api.core.config import get_settings
from api.core.errors import Conflict, DatabaseUnavailable, InvalidInput, OnderdakError, Problem
from api.shell.headers import LanguageAndHeaders
from api.shell.routers import ROUTERS
from api.shell.static_files import CachedStaticFiles

log = logging.getLogger("onderdak")
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

GZIP_MINIMUM_BYTES = 1024  # smaller answers gain nothing from compression
# Level 5, not Starlette's 9: on the map's GeoJSON and a run (300-500 KiB of JSON) level 9 takes 3.5 times the
# CPU for 3% fewer bytes, and under load that CPU is every other user's waiting time.
GZIP_LEVEL = 5

# Routes that take a file get the larger upload limit (api.core.bodylimit); everything else 1 MiB.
UPLOAD_PATHS = (
    r"/api/households/import",
    r"/huishoudens/import",
    r"/api/storage/lots/\d+/attachments",
    r"/opslag/\d+/foto",
)


def create_app(app_clock: Clock | None = None) -> FastAPI:
    """The app; ``app_clock`` is the clock every request runs under (default: from the settings)."""
    settings = get_settings()
    settings.check_production_ready()
    docs = settings.docs_enabled
    app = FastAPI(
        title="Onderdak",
        version="0.1.0",
        description="Opvang na een huisuitzetting: matching, gastgevers, opslag van inboedels.",
        openapi_url="/openapi.json" if docs else None,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
    )
    app.state.clock = app_clock or clock.configured()
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.effective_secret_key,
        session_cookie="onderdak_session",
        max_age=settings.session_max_age_s,
        same_site="lax",
        https_only=settings.is_production,
    )
    app.add_middleware(BodySizeLimit, upload_paths=UPLOAD_PATHS)  # 413 before a too large body is read
    # Pages and lists are text: compressed they travel 5-10 times smaller (clients that ask for gzip only).
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES, compresslevel=GZIP_LEVEL)

    app.add_middleware(LanguageAndHeaders, production=settings.is_production)  # outermost: added last

    _install_error_handlers(app)
    app.mount("/static", CachedStaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        document_errors(router.routes)
        app.include_router(router)
    return app


def document_errors(routes: Sequence[BaseRoute]) -> None:
    """Each documented route declares the error answers of its kind with the real error body
    (:mod:`api.core.error_schema`); what a route declares itself wins. Runs on the routers before they are
    included (a nested router's routes through its ``original_router``); running it twice changes nothing."""
    for route in routes:
        nested = getattr(route, "original_router", None)
        if nested is not None:
            document_errors(nested.routes)
            continue
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        method = next(iter(route.methods or {"GET"}))
        media_type = getattr(route.response_class, "media_type", None)
        shared = error_schema.responses_for(
            method,
            authenticated=_authenticated(route.dependant),
            json_route=media_type in (None, "application/json"),
        )
        route.responses = {**shared, **route.responses}
        for status, response in route.responses.items():
            if "model" in response and status not in route.response_fields:
                route.response_fields[status] = create_model_field(
                    name=f"Response_{status}_{route.unique_id}", type_=response["model"], mode="serialization"
                )


def _authenticated(dependant: Dependant) -> bool:
    """Whether the route asks for a logged-in principal (directly or through ``require_roles``)."""
    for dep in dependant.dependencies:
        call = dep.call
        name = getattr(call, "__qualname__", "")
        if call is current_principal or name.startswith("require_roles") or name == "feed_principal":
            return True
        if _authenticated(dep):
            return True
    return False


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def _error_response(request: Request, status: int, problems: list[Problem]) -> Response:
    if status == 401 and _wants_html(request):
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    response: Response
    if _wants_html(request):
        from api.core.templating import render

        response = render(request, "error.html", {"status": status, "problems": problems}, status_code=status)
    else:
        response = JSONResponse({"detail": [p.as_dict() for p in problems]}, status_code=status)
    if status == 503:
        response.headers["Retry-After"] = "5"  # the database is away: clients and proxies may retry shortly
    return response


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(OnderdakError)
    async def domain_error(request: Request, exc: OnderdakError) -> Response:
        return _error_response(request, exc.status_code, exc.problems)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            code, params = error_codes.pydantic_problem_args(err)
            loc = tuple(err.get("loc", ()))
            problems.append(
                Problem(loc, str(err.get("msg", "invalid")), str(err.get("type", "value_error")), code, params)
            )
        return _error_response(request, 422, problems)

    @app.exception_handler(IntegrityError)
    async def integrity_error(request: Request, _exc: IntegrityError) -> Response:
        log.info("integrity error on %s %s", request.method, request.url.path)
        return _error_response(
            request, 409, Conflict("conflicts with existing data; reload and retry", code="db.conflict").problems
        )

    @app.exception_handler(DataError)
    async def data_error(request: Request, exc: DataError) -> Response:
        """A value the database cannot hold (e.g. an id beyond its integer range): the caller's input, not a bug."""
        log.info("data error on %s %s: %s", request.method, request.url.path, type(exc.orig).__name__)
        return _error_response(
            request, 422, InvalidInput("a value is out of range or malformed", code="db.out_of_range").problems
        )

    @app.exception_handler(OverflowError)
    async def overflow_error(request: Request, _exc: OverflowError) -> Response:
        """SQLite refuses integers beyond 64 bits before the query runs; same answer as DataError."""
        log.info("overflow on %s %s", request.method, request.url.path)
        return _error_response(
            request, 422, InvalidInput("a number is out of range", code="db.number_out_of_range").problems
        )

    @app.exception_handler(InterfaceError)
    @app.exception_handler(OperationalError)
    async def database_down(request: Request, exc: OperationalError | InterfaceError) -> Response:
        log.warning("database error on %s %s: %s", request.method, request.url.path, type(exc.orig).__name__)
        return _error_response(
            request, 503, DatabaseUnavailable("database unavailable; try again", code="db.unavailable").problems
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error_response(request, exc.status_code, [Problem((), str(exc.detail), "http_error")])

    @app.exception_handler(Exception)
    async def unexpected(request: Request, _exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _error_response(
            request, 500, [Problem((), "internal error; it has been logged", "internal", "internal")]
        )


__all__ = ["create_app"]
