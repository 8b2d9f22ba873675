"""Who may use the rules endpoints, and the calendar feed's own way in."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from api.auth.dependencies import DbSession, _principal, optional_principal, require_roles
from api.auth.service import user_of_feed_token
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
    token: Annotated[
        str | None, Query(description="read-only feed token (POST /api/auth/feed-token), for calendar apps")
    ] = None,
) -> Principal:
    """Calendar apps subscribe by URL: besides header and cookie, the user's own read-only feed token as ``?token=``
    (never an API token: a URL ends up in logs and calendar servers; this key opens nothing but the feed)."""
    if token:
        user = user_of_feed_token(db, token=token)
        if user is None:
            raise NotAuthenticated(code="auth.unknown_feed_token", loc=("query", "token"))
        principal: Principal | None = _principal(user, via_token=True)
    else:
        principal = optional_principal(request, db)
    if principal is None:
        raise NotAuthenticated(code="auth.login_or_token", loc=("query", "token"))
    if principal.role not in TEAM_ROLES:
        raise Forbidden(code="auth.role_forbidden", loc=("role",), role=repr(principal.role))
    return principal


FeedReader = Annotated[Principal, Depends(feed_principal)]
