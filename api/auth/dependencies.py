"""Request-scoped dependencies shared by every router: the session and the caller.

One transaction per request: :func:`get_db` commits when the route returns (before
the response leaves) and rolls back when it raises (the route never commits itself).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth.models import ApiToken, UserAccount, WebSession
from api.auth.security import token_digest
from api.auth.service import session_row_is_live
from api.core import clock
from api.core.database import session_scope
from api.core.error_codes import object_label
from api.core.errors import Forbidden, NotAuthenticated, NotFound
from api.core.models import Municipality
from api.core.principal import Principal
from api.core.templating import theme_of


def get_db() -> Iterator[Session]:
    with session_scope() as session:
        yield session


# scope="function": the commit runs when the route returns and *before* the response is sent. With the
# default ("request") FastAPI sends the response first, so a commit that fails (the database went away)
# would follow a 201 the client already received: an acknowledged write lost. Now it is a 503 instead.
DbSession = Annotated[Session, Depends(get_db, scope="function")]


# What a page needs of the caller's municipality (its house style), read in the same query as the caller.
_THEME_COLUMNS = (Municipality.theme_colour, Municipality.logo_path, Municipality.name)
ThemeColumns = tuple[str | None, str | None, str]  # colour, logo, name


def _principal_from_token(db: Session, header: str) -> tuple[Principal, ThemeColumns]:
    token = header.split(" ", 1)[1].strip()
    row = db.execute(
        select(ApiToken, UserAccount, *_THEME_COLUMNS)
        .join(UserAccount, UserAccount.id == ApiToken.user_id)
        .join(Municipality, Municipality.id == UserAccount.municipality_id)
        .where(ApiToken.token_hash == token_digest(token))
    ).first()
    if row is None:
        raise NotAuthenticated(code="auth.invalid_token", loc=("header", "authorization"))
    api_token, user = row[0], row[1]
    expired = api_token.expires_at is not None and api_token.expires_at < clock.now()
    if api_token.revoked or expired or not user.active:
        raise NotAuthenticated(code="auth.invalid_token", loc=("header", "authorization"))
    return _principal(user, via_token=True), (row[2], row[3], row[4])


def _principal(user: UserAccount, *, via_token: bool = False) -> Principal:
    return Principal(
        user_id=user.id,
        email=user.email,
        role=user.role,
        municipality_id=user.municipality_id,
        host_id=user.host_id,
        via_token=via_token,
    )


def optional_principal(request: Request, db: DbSession) -> Principal | None:
    """The caller from a bearer token or the session cookie; kept on request.state for pages.

    Why one query: this runs on every request, so the account, its log-in session (or API token) and the
    municipality's house style are read together, not in three round trips."""
    found = _find_principal(request, db)
    principal = found[0] if found else None
    request.state.principal = principal
    if found is not None:
        colour, logo, name = found[1]
        request.state.theme = theme_of(colour, logo, name)
    return principal


def _find_principal(request: Request, db: Session) -> tuple[Principal, ThemeColumns] | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return _principal_from_token(db, header)
    user_id = request.session.get("uid")
    if user_id is None:
        return None
    session_id = request.session.get("sid")
    row = None
    if isinstance(session_id, str) and isinstance(user_id, int):
        row = db.execute(
            select(UserAccount, WebSession, *_THEME_COLUMNS)
            .join(WebSession, WebSession.user_id == UserAccount.id)
            .join(Municipality, Municipality.id == UserAccount.municipality_id)
            .where(UserAccount.id == user_id, WebSession.id_hash == token_digest(session_id))
        ).first()
    if row is None or not row[0].active or not session_row_is_live(db, row[1]):
        request.session.clear()  # ended (log-out, password change, block) or expired: a replayed cookie is refused
        return None
    return _principal(row[0]), (row[2], row[3], row[4])


# The checks below do no I/O, so they are ``async def``: FastAPI runs a plain ``def`` dependency in the
# thread pool, a hand-over per dependency per request that costs more than the check itself.
async def current_principal(principal: Annotated[Principal | None, Depends(optional_principal)]) -> Principal:
    if principal is None:
        raise NotAuthenticated(code="auth.login_required", loc=("session",))
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: str) -> Callable[[Principal], Coroutine[Any, Any, Principal]]:
    """A dependency that lets only the named roles through (403 for the others)."""

    async def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise Forbidden(code="auth.role_forbidden", loc=("role",), role=repr(principal.role))
        return principal

    check.__name__ = f"require_{'_'.join(roles)}"
    return check


def ensure_same_municipality(principal: Principal, municipality_id: int, what: str) -> None:
    """Objects of another municipality are reported as missing, so ids cannot be probed."""
    if principal.municipality_id != municipality_id:
        raise NotFound(code="object.not_found", loc=("path", "id"), what=object_label(what))
