"""Accounts: creation, log-in and API tokens. Services flush, never commit."""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.auth.models import ROLES, ApiToken, UserAccount
from api.auth.security import hash_password, new_token, verify_password
from api.core import clock
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
