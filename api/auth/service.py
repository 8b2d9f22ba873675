"""Accounts: creation, log-in and API tokens. Services flush, never commit."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from api.auth.models import ROLES, ApiToken, FeedToken, UserAccount, WebSession
from api.auth.security import hash_password, new_token, token_digest, verify_password
from api.core import clock
from api.core.config import get_settings
from api.core.errors import InvalidInput, NotAuthenticated

MIN_PASSWORD_LENGTH = 10


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def create_user(
    db: Session, *, municipality_id: int, email: str, password: str, role: str, host_id: int | None = None
) -> UserAccount:
    if role not in ROLES:
        raise InvalidInput(code="auth.unknown_role", loc=("role",), role=repr(role), roles=", ".join(ROLES))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(code="auth.password_too_short", loc=("password",), min=MIN_PASSWORD_LENGTH)
    user = UserAccount(
        municipality_id=municipality_id,
        email=email.strip().lower(),
        password_hash=hash_password(password),
        role=role,
        host_id=host_id,
    )
    db.add(user)
    db.flush()
    return user


def find_user(db: Session, *, email: str) -> UserAccount | None:
    return db.scalar(select(UserAccount).where(func.lower(UserAccount.email) == email.strip().lower()))


def authenticate(db: Session, *, email: str, password: str) -> UserAccount:
    """The same answer for an unknown e-mail and a wrong password: no account enumeration."""
    user = find_user(db, email=email)
    if user is None:
        verify_password(_dummy_hash(), password)  # same work as for a real account: no timing oracle
        raise NotAuthenticated(code="auth.bad_credentials", loc=("body", "password"))
    if not user.active or not verify_password(user.password_hash, password):
        raise NotAuthenticated(code="auth.bad_credentials", loc=("body", "password"))
    user.last_login_at = clock.now()
    db.flush()
    return user


def issue_token(db: Session, *, user: UserAccount, label: str, days: int = 90) -> str:
    token, digest = new_token()
    db.add(ApiToken(user_id=user.id, token_hash=digest, label=label, expires_at=clock.now() + timedelta(days=days)))
    db.flush()
    return token


# ---------------------------------------------------------------- web sessions

SEEN_EVERY_S = 60  # ``last_seen_at`` is written at most once a minute per session


def start_web_session(db: Session, *, user: UserAccount) -> str:
    """A new server-side session; the returned id goes into the signed cookie, only its digest is stored."""
    session_id = new_token()[0]
    now = clock.now()
    db.add(WebSession(id_hash=token_digest(session_id), user_id=user.id, created_at=now, last_seen_at=now))
    db.flush()
    return session_id


def web_session_is_live(db: Session, *, session_id: str, user_id: int) -> bool:
    """The session exists for this user, was not ended and is within its idle and absolute limits."""
    row = db.scalar(select(WebSession).where(WebSession.id_hash == token_digest(session_id)))
    return row is not None and row.user_id == user_id and session_row_is_live(db, row)


def session_row_is_live(db: Session, row: WebSession) -> bool:
    """A loaded session row is not ended and within its limits; one that ran out is ended now, and the time
    it was last seen is written at most once a minute (so a busy user's requests stay reads)."""
    if row.ended_at is not None:
        return False
    settings, now = get_settings(), clock.now()
    if now - row.created_at > timedelta(seconds=settings.session_max_age_s) or now - row.last_seen_at > timedelta(
        seconds=settings.session_idle_s
    ):
        row.ended_at = now
        db.flush()
        return False
    if now - row.last_seen_at > timedelta(seconds=SEEN_EVERY_S):
        row.last_seen_at = now
        db.flush()
    return True


def end_web_session(db: Session, *, session_id: str) -> None:
    db.execute(
        update(WebSession)
        .where(WebSession.id_hash == token_digest(session_id), WebSession.ended_at.is_(None))
        .values(ended_at=clock.now())
    )


def end_web_sessions_of(db: Session, *, user_id: int) -> int:
    """Log-out everywhere: after a password change or when an admin blocks the account."""
    result = db.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
        .values(ended_at=clock.now())
    )
    return int(getattr(result, "rowcount", 0) or 0)


# ---------------------------------------------------------------- calendar feed tokens


def issue_feed_token(db: Session, *, user: UserAccount) -> str:
    """A new read-only feed token for the user; an earlier one stops working."""
    token, digest = new_token()
    db.execute(delete(FeedToken).where(FeedToken.user_id == user.id))
    db.add(FeedToken(user_id=user.id, token_hash=digest, created_at=clock.now()))
    db.flush()
    return token


def revoke_feed_token(db: Session, *, user_id: int) -> bool:
    result = db.execute(delete(FeedToken).where(FeedToken.user_id == user_id))
    return bool(getattr(result, "rowcount", 0))


def feed_token_created(db: Session, *, user_id: int) -> datetime | None:
    """When the user's calendar address was made, or None when there is none (the address itself is not kept)."""
    return db.scalar(select(FeedToken.created_at).where(FeedToken.user_id == user_id))


def user_of_feed_token(db: Session, *, token: str) -> UserAccount | None:
    """The active account the feed token belongs to, else None."""
    user = db.scalar(
        select(UserAccount)
        .join(FeedToken, FeedToken.user_id == UserAccount.id)
        .where(FeedToken.token_hash == token_digest(token))
    )
    return user if user is not None and user.active else None
