"""Log in and out (web session) and obtain an API token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from api.auth import service, throttle
from api.auth.dependencies import CurrentPrincipal, DbSession, optional_principal, require_roles
from api.auth.models import UserAccount
from api.core import audit
from api.core.config import get_settings
from api.core.csrf import verify_csrf
from api.core.error_schema import ErrorBody
from api.core.errors import NotAuthenticated, RateLimited
from api.core.i18n import gettext as _
from api.core.principal import Principal
from api.core.templating import flash, render

router = APIRouter(tags=["auth"])


def _safe_next(target: str | None) -> str:
    """Only local paths: an open redirect after log-in is a phishing aid."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": _safe_next(next)})


@router.post("/login", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def login(
    request: Request,
    db: DbSession,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        throttle.check(request, email, db)
    except RateLimited as exc:
        return render(
            request,
            "login.html",
            {"error": exc.msg.split(" / ")[0], "email": email},
            status_code=429,
        )
    try:
        user = service.authenticate(db, email=email, password=password)
    except NotAuthenticated:
        _failed(db, email)
        return render(
            request,
            "login.html",
            {"error": _("E-mailadres of wachtwoord klopt niet."), "email": email, "next": _safe_next(next)},
            status_code=401,
        )
    throttle.succeeded(request, email, db)
    request.session.clear()  # a fresh session at log-in: no session fixation
    request.session["uid"] = user.id
    request.session["sid"] = service.start_web_session(db, user=user)
    audit.record(db, principal=_principal(user), action="login", object_type="user_account", object_id=user.id)
    return RedirectResponse(_safe_next(next), status_code=303)


def _failed(db: DbSession, email: str) -> None:
    """The failure stays counted (reserved by throttle.check); a trace for the admin of the account's municipality
    (no e-mail stored)."""
    user = service.find_user(db, email=email)
    audit.record(
        db,
        principal=None,
        action="login_failed",
        object_type="user_account",
        object_id=user.id if user else None,
        municipality_id=user.municipality_id if user else None,
    )


@router.post("/logout", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def logout(
    request: Request, db: DbSession, principal: Annotated[Principal | None, Depends(optional_principal)]
) -> Response:
    if principal is not None:
        audit.record(db, principal=principal, action="logout", object_type="user_account", object_id=principal.user_id)
    session_id = request.session.get("sid")
    if isinstance(session_id, str):
        service.end_web_session(db, session_id=session_id)  # the cookie, replayed, no longer opens anything
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


class TokenRequest(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)
    label: str = Field(default="api", max_length=80)


class TokenRead(BaseModel):
    access_token: str
    token_type: str = "bearer"


@router.post(
    "/api/auth/token",
    response_model=TokenRead,
    responses={
        401: {"model": ErrorBody, "description": "wrong credentials"},
        429: {"model": ErrorBody, "description": "too many failed attempts from this client"},
    },
)
def create_token(body: TokenRequest, request: Request, db: DbSession) -> Response | TokenRead:
    throttle.check(request, body.email, db)
    try:
        user = service.authenticate(db, email=body.email, password=body.password)
    except NotAuthenticated as exc:
        _failed(db, body.email)
        # Returned, not raised: the request's transaction commits, so the failed attempt stays in the trail.
        return JSONResponse(exc.as_body(), status_code=exc.status_code)
    throttle.succeeded(request, body.email, db)
    token = service.issue_token(db, user=user, label=body.label)
    audit.record(db, principal=_principal(user), action="token_issued", object_type="user_account", object_id=user.id)
    return TokenRead(access_token=token)


class FeedTokenRead(BaseModel):
    feed_url: str


@router.post("/api/auth/feed-token", response_model=FeedTokenRead, status_code=201, dependencies=[Depends(verify_csrf)])
def create_feed_token(db: DbSession, principal: CurrentPrincipal) -> FeedTokenRead:
    """A read-only address for a calendar app (the deadlines feed); an earlier address stops working."""
    user = db.get(UserAccount, principal.user_id)
    assert user is not None
    token = service.issue_feed_token(db, user=user)
    audit.record(db, principal=principal, action="feed_token_issued", object_type="user_account", object_id=user.id)
    return FeedTokenRead(feed_url=f"{get_settings().base_url.rstrip('/')}/api/rules/deadlines.ics?token={token}")


@router.delete("/api/auth/feed-token", status_code=204, dependencies=[Depends(verify_csrf)])
def revoke_feed_token(db: DbSession, principal: CurrentPrincipal) -> Response:
    """The calendar address stops working at once."""
    service.revoke_feed_token(db, user_id=principal.user_id)
    audit.record(
        db, principal=principal, action="feed_token_revoked", object_type="user_account", object_id=principal.user_id
    )
    return Response(status_code=204)


# ---------------------------------------------------------------- the calendar-links page

# Only the team reads the deadlines feed (api/rules), so only the team gets a page to make its address.
FeedUser = Annotated[Principal, Depends(require_roles("crisis_team", "coordinator", "case_worker"))]


def _feed_page(request: Request, db: DbSession, principal: Principal, *, feed_url: str | None = None) -> Response:
    return render(
        request,
        "auth/feeds.html",
        {"created": service.feed_token_created(db, user_id=principal.user_id), "feed_url": feed_url},
    )


@router.get("/account/agenda", response_class=HTMLResponse, include_in_schema=False)
def feeds_page(request: Request, db: DbSession, principal: FeedUser) -> Response:
    """Whether the user has a calendar address, with buttons to make a new one or revoke it."""
    return _feed_page(request, db, principal)


@router.post("/account/agenda", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def feeds_create(request: Request, db: DbSession, principal: FeedUser) -> Response:
    """Make a new address and show it once: only its hash is stored, so it cannot be shown again later."""
    created = create_feed_token(db, principal)
    return _feed_page(request, db, principal, feed_url=created.feed_url)


@router.post("/account/agenda/intrekken", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def feeds_revoke(request: Request, db: DbSession, principal: FeedUser) -> Response:
    revoke_feed_token(db, principal)
    flash(request, "De agenda-link is ingetrokken. Uw agenda-app krijgt geen termijnen meer.")
    return RedirectResponse("/account/agenda", status_code=303)


def _principal(user: UserAccount) -> Principal:
    return Principal(
        user_id=user.id, email=user.email, role=user.role, municipality_id=user.municipality_id, host_id=user.host_id
    )
