"""Who may use the rules endpoints, and the calendar feed's own way in."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from api.auth.dependencies import DbSession, _principal_from_token, optional_principal, require_roles
from api.core.errors import Forbidden, NotAuthenticated
from api.core.principal import Principal

TEAM_ROLES = ("crisis_team", "coordinator", "case_worker")
DECIDING_ROLES = ("crisis_team", "coordinator")

TeamMember = Annotated[Principal, Depends(require_roles(*TEAM_ROLES))]
TeamOrHost = Annotated[Principal, Depends(require_roles(*TEAM_ROLES, "host"))]
Decider = Annotated[Principal, Depends(require_roles(*DECIDING_ROLES))]


def feed_principal(
    request: Request,
    db: DbSession,
    token: Annotated[str | None, Query(description="API token, for calendar apps that cannot send headers")] = None,
) -> Principal:
    """Calendar apps subscribe by URL: accept the API token as ``?token=`` besides header and cookie."""
    principal = _principal_from_token(db, f"Bearer {token}") if token else optional_principal(request, db)
    if principal is None:
        raise NotAuthenticated(code="auth.login_or_token", loc=("query", "token"))
    if principal.role not in TEAM_ROLES:
        raise Forbidden(code="auth.role_forbidden", loc=("role",), role=repr(principal.role))
    return principal


FeedReader = Annotated[Principal, Depends(feed_principal)]
