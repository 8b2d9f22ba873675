"""Log in and out (web session) and obtain an API token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from api.auth import service
from api.auth.dependencies import DbSession, verify_csrf
from api.errors import NotAuthenticated
from api.i18n import gettext as _
from api.templating import render

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
        user = service.authenticate(db, email=email, password=password)
    except NotAuthenticated:
        return render(
            request,
            "login.html",
            {"error": _("E-mailadres of wachtwoord klopt niet."), "email": email, "next": _safe_next(next)},
            status_code=401,
        )
    request.session.clear()  # a fresh session at log-in: no session fixation
    request.session["uid"] = user.id
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


class TokenRequest(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)
    label: str = Field(default="api", max_length=80)


class TokenRead(BaseModel):
    access_token: str
    token_type: str = "bearer"


@router.post("/api/auth/token", response_model=TokenRead, responses={401: {"description": "wrong credentials"}})
def create_token(body: TokenRequest, db: DbSession) -> TokenRead:
    user = service.authenticate(db, email=body.email, password=body.password)
    return TokenRead(access_token=service.issue_token(db, user=user, label=body.label))
