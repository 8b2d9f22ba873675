"""Request-scoped dependencies shared by every router: the session and the caller.

One transaction per request: :func:`get_db` commits when the route returns (before
the response leaves) and rolls back when it raises (the route never commits itself).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth.models import ApiToken, UserAccount
from api.auth.security import token_digest
from api.auth.service import web_session_is_live
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


def _principal_from_token(db: Session, header: str) -> Principal:
    token = header.split(" ", 1)[1].strip()
    row = db.execute(
        select(ApiToken, UserAccount)
        .join(UserAccount, UserAccount.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_digest(token))
    ).first()
    if row is None:
        raise NotAuthenticated(code="auth.invalid_token", loc=("header", "authorization"))
    api_token, user = row
    expired = api_token.expires_at is not None and api_token.expires_at < clock.now()
    if api_token.revoked or expired or not user.active:
        raise NotAuthenticated(code="auth.invalid_token", loc=("header", "authorization"))
    return _principal(user, via_token=True)


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
    """The caller from a bearer token or the session cookie; kept on request.state for pages."""
    principal = _find_principal(request, db)
    request.state.principal = principal
    if principal is not None:
        municipality = db.get(Municipality, principal.municipality_id)
        if municipality is not None:
            request.state.theme = theme_of(municipality.theme_colour, municipality.logo_path, municipality.name)
    return principal


def _find_principal(request: Request, db: Session) -> Principal | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return _principal_from_token(db, header)
    user_id = request.session.get("uid")
    if user_id is None:
        return None
    session_id = request.session.get("sid")
    user = db.get(UserAccount, user_id)
    if (
        user is None
        or not user.active
        or not isinstance(session_id, str)
        or not web_session_is_live(db, session_id=session_id, user_id=user.id)
    ):
        request.session.clear()  # ended (log-out, password change, block) or expired: a replayed cookie is refused
        return None
    return _principal(user)


def current_principal(principal: Annotated[Principal | None, Depends(optional_principal)]) -> Principal:
    if principal is None:
        raise NotAuthenticated(code="auth.login_required", loc=("session",))
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: str) -> Callable[[Principal], Principal]:
    """A dependency that lets only the named roles through (403 for the others)."""

    def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise Forbidden(code="auth.role_forbidden", loc=("role",), role=repr(principal.role))
        return principal

    check.__name__ = f"require_{'_'.join(roles)}"
    return check


def ensure_same_municipality(principal: Principal, municipality_id: int, what: str) -> None:
    """Objects of another municipality are reported as missing, so ids cannot be probed."""
    if principal.municipality_id != municipality_id:
        raise NotFound(code="object.not_found", loc=("path", "id"), what=object_label(what))
