"""The dated policy in force for a municipality, and the one translation of a rule's typed error.

National parameter sets come from ``seed_data/policy`` (through :mod:`matcher.rules.policy`); a
municipality's own values are ``policy_parameter`` rows. Every domain reads policy through
:func:`policy_book`, and maps a :class:`matcher.rules.errors.RulesError` with :func:`rules_errors`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core.errors import InvalidInput, Problem
from api.core.models import PolicyParameter
from matcher.rules.errors import RulesError
from matcher.rules.policy import PolicyBook, load_policy_book

RULES_INVALID = "rules.invalid"  # the rules engine's own text, passed through (it names the field)


def rules_problem(loc: tuple[str | int, ...], exc: RulesError) -> Problem:
    """One problem for a rule's typed error: code ``rules.invalid`` with the engine's text as its detail."""
    return Problem(loc, exc.msg, exc.type, RULES_INVALID, {"detail": exc.msg})


def _loc(exc: RulesError, prefix: tuple[str | int, ...], renames: Mapping[str, tuple[str | int, ...]]) -> tuple:
    loc = list(exc.loc)
    for i in range(len(loc), 0, -1):
        key = ".".join(str(p) for p in loc[:i])
        if key in renames:
            return (*renames[key], *loc[i:])
    return (*prefix, *loc)


@contextmanager
def rules_errors(
    prefix: tuple[str | int, ...] = (), renames: Mapping[str, tuple[str | int, ...]] | None = None
) -> Iterator[None]:
    """Turn a rule's typed error into the app's 422 with the field as ``loc``."""
    try:
        yield
    except RulesError as exc:
        loc = _loc(exc, prefix, renames or {})
        raise InvalidInput(code=RULES_INVALID, problems=[rules_problem(loc, exc)]) from None


def policy_book(db: Session, *, municipality_id: int | None) -> PolicyBook:
    """National parameter sets plus the municipality's overrides (``policy_parameter`` rows)."""
    rows: Sequence[PolicyParameter] = ()
    if municipality_id is not None:
        rows = db.scalars(select(PolicyParameter).where(PolicyParameter.municipality_id == municipality_id)).all()
    overrides = [
        {
            "key": r.key,
            "valid_from": r.valid_from,
            "value": r.value_json,
            "source": r.source,
            "municipality_id": r.municipality_id,
        }
        for r in rows
    ]
    with rules_errors(("policy_parameter",)):
        return load_policy_book(overrides)
