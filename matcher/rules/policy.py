"""Dated policy parameters: which amount, age or period applies on which day.

Why: norms, ages and periods change by law (benefit norms every 1 January and
1 July, the cost-sharing age from 21 to 27 on 1 January 2023) and municipalities
choose some of them. A rule therefore never holds a literal; it asks the
:class:`PolicyBook` for the value of a key *at a date*, and every value carries
the source it came from.

Files: ``seed_data/policy/*.toml``, one parameter set per file::

    key = "stay_limits"
    valid_from = 2021-01-01
    valid_until = 2024-06-30     # optional: last day the set is known to be right
    source = "law or publication the values come from"
    [value]
    minimum_days = 42

Municipality overrides come from the database table
``policy_parameter(municipality_id, key, valid_from, value_json, source)`` and are
passed to :func:`load_policy_book` as plain dicts. An override applies from its
``valid_from`` until a newer national set or override starts; its values are laid
over the national set in force on that day, so a municipality may override just
one value of a set (for example only one priority weight).

Lookup rules (all errors name key and date, never a silent default):

- a day before the first ``valid_from`` of a key raises :class:`PolicyDateError`;
- a day after the ``valid_until`` of the newest applicable set raises too: an old
  benefit norm must not be applied to a newer half year;
- on equal ``valid_from`` an override wins over the national set.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from matcher.rules.errors import InvalidInputError, PolicyDateError, PolicyValueError

__all__ = [
    "ParameterSet",
    "PolicyBook",
    "load_policy_book",
    "load_seed_sets",
    "parameter_set_from_override",
    "seed_policy_dir",
]


@dataclass(frozen=True)
class ParameterSet:
    """One dated set of values for one key, with the source that justifies it."""

    key: str
    valid_from: date
    source: str
    value: Mapping[str, Any]
    valid_until: date | None = None
    origin: str = "seed"
    is_override: bool = False

    def __post_init__(self) -> None:
        if not self.key:
            raise InvalidInputError("key", "a parameter set needs a key")
        if not self.source or not self.source.strip():
            raise InvalidInputError(f"{self.key}.source", "every parameter set must name its source")
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise InvalidInputError(f"{self.key}.valid_until", "valid_until lies before valid_from")
        object.__setattr__(self, "value", MappingProxyType(dict(self.value)))

    def expired_on(self, day: date) -> bool:
        """True when ``day`` lies after the last day this set is known to be right."""
        return self.valid_until is not None and day > self.valid_until


@dataclass(frozen=True)
class _Resolved:
    value: Mapping[str, Any]
    sets: tuple[ParameterSet, ...]


@dataclass
class PolicyBook:
    """All parameter sets for one municipality (national seed plus its overrides)."""

    sets: tuple[ParameterSet, ...]
    _by_key: dict[str, list[ParameterSet]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_key: dict[str, list[ParameterSet]] = {}
        seen: set[tuple[str, date, bool]] = set()
        for ps in self.sets:
            ident = (ps.key, ps.valid_from, ps.is_override)
            if ident in seen:
                raise InvalidInputError(
                    f"{ps.key}.valid_from",
                    f"two parameter sets for '{ps.key}' start on {ps.valid_from.isoformat()} ({ps.origin})",
                )
            seen.add(ident)
            by_key.setdefault(ps.key, []).append(ps)
        for items in by_key.values():
            items.sort(key=lambda p: (p.valid_from, p.is_override))
        self._by_key = by_key

    def keys(self) -> list[str]:
        return sorted(self._by_key)

    def with_overrides(self, overrides: Iterable[Mapping[str, Any]]) -> PolicyBook:
        """A new book with municipality overrides (dicts, see module docstring) added."""
        extra = tuple(parameter_set_from_override(o) for o in overrides)
        return PolicyBook(self.sets + extra)

    def _latest(self, key: str, day: date, *, override: bool) -> ParameterSet | None:
        found = None
        for ps in self._by_key.get(key, ()):
            if ps.is_override == override and ps.valid_from <= day:
                found = ps
        return found

    def _resolve(self, key: str, day: date) -> _Resolved:
        if key not in self._by_key:
            msg = f"no policy parameter '{key}' exists at all"
            raise PolicyDateError(key, day, msg, field=f"policy.{key}")
        base = self._latest(key, day, override=False)
        over = self._latest(key, day, override=True)
        if base is None and over is None:
            first = self._by_key[key][0].valid_from
            msg = f"'{key}' is only known from {first.isoformat()}; {day.isoformat()} lies before that"
            raise PolicyDateError(key, day, msg)
        if over is not None and (base is None or over.valid_from >= base.valid_from):
            if over.expired_on(day):
                raise PolicyDateError(key, day, _expired_msg(over, day))
            if base is not None and not base.expired_on(day):
                return _Resolved(MappingProxyType({**base.value, **over.value}), (base, over))
            return _Resolved(over.value, (over,))
        assert base is not None
        if base.expired_on(day):
            raise PolicyDateError(key, day, _expired_msg(base, day))
        return _Resolved(base.value, (base,))

    def at(self, key: str, day: date) -> Mapping[str, Any]:
        """The values of ``key`` in force on ``day`` (read-only mapping)."""
        return self._resolve(key, day).value

    def sets_at(self, key: str, day: date) -> tuple[ParameterSet, ...]:
        """The parameter sets that make up the value on ``day`` (national first)."""
        return self._resolve(key, day).sets

    def sources(self, key: str, day: date) -> list[str]:
        """Human-readable sources of the value on ``day``, for explanations."""
        return [f"{ps.source} (geldig vanaf {ps.valid_from.isoformat()}; {ps.origin})" for ps in self.sets_at(key, day)]

    # Typed accessors: a rule reads a value through these, so a wrong or missing value
    # in a seed file or an override becomes an error naming key and value.

    def raw(self, key: str, day: date, name: str) -> Any:
        values = self.at(key, day)
        if name not in values:
            raise PolicyValueError(key, name, f"not set for {day.isoformat()} (a municipality must set it)")
        return values[name]

    def decimal(self, key: str, day: date, name: str) -> Decimal:
        """A non-negative amount. Amounts are written as strings ("1834.04") to stay exact."""
        raw = self.raw(key, day, name)
        if isinstance(raw, bool):
            raise PolicyValueError(key, name, "must be an amount, not true/false")
        try:
            amount = Decimal(str(raw))
        except InvalidOperation as exc:
            raise PolicyValueError(key, name, f"not an amount: {raw!r}") from exc
        if not amount.is_finite() or amount < 0:
            raise PolicyValueError(key, name, f"must be a non-negative amount, got {raw!r}")
        return amount

    def integer(self, key: str, day: date, name: str, *, minimum: int = 0) -> int:
        raw = self.raw(key, day, name)
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise PolicyValueError(key, name, f"must be a whole number, got {raw!r}")
        if raw < minimum:
            raise PolicyValueError(key, name, f"must be at least {minimum}, got {raw}")
        return raw

    def boolean(self, key: str, day: date, name: str) -> bool:
        raw = self.raw(key, day, name)
        if not isinstance(raw, bool):
            raise PolicyValueError(key, name, f"must be true or false, got {raw!r}")
        return raw


def _expired_msg(ps: ParameterSet, day: date) -> str:
    assert ps.valid_until is not None
    return (
        f"'{ps.key}' is only known up to {ps.valid_until.isoformat()} ({ps.origin}); "
        f"add the set in force on {day.isoformat()} with its source"
    )


def _as_date(raw: Any, field_name: str) -> date:
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError as exc:
            raise InvalidInputError(field_name, f"not an ISO date: {raw!r}") from exc
    raise InvalidInputError(field_name, f"not a date: {raw!r}")


def seed_policy_dir() -> Path:
    """The ``seed_data/policy`` directory, found through the ``seed_data`` package."""
    return Path(str(resources.files("seed_data"))) / "policy"


def _parse_file(path: Path) -> ParameterSet:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    where = path.name
    for required in ("key", "valid_from", "source", "value"):
        if required not in data:
            raise InvalidInputError(f"{where}.{required}", "missing in policy file")
    if not isinstance(data["value"], dict):
        raise InvalidInputError(f"{where}.value", "must be a table")
    until = data.get("valid_until")
    return ParameterSet(
        key=str(data["key"]),
        valid_from=_as_date(data["valid_from"], f"{where}.valid_from"),
        valid_until=None if until is None else _as_date(until, f"{where}.valid_until"),
        source=str(data["source"]),
        value=data["value"],
        origin=f"seed_data/policy/{where}",
    )


@lru_cache(maxsize=4)
def _cached_seed_sets(directory: str) -> tuple[ParameterSet, ...]:
    return tuple(_parse_file(p) for p in sorted(Path(directory).glob("*.toml")))


def load_seed_sets(directory: Path | None = None) -> tuple[ParameterSet, ...]:
    """Parse every ``*.toml`` in the policy directory (parsed once per process)."""
    return _cached_seed_sets(str(directory or seed_policy_dir()))


def parameter_set_from_override(row: Mapping[str, Any]) -> ParameterSet:
    """A municipality override from a plain dict (a ``policy_parameter`` row).

    Accepted keys: ``key``, ``valid_from`` (date or ISO string), ``value`` (dict) or
    ``value_json`` (JSON text or dict), ``source``, optional ``valid_until`` and
    ``municipality_id``.
    """
    key = row.get("key")
    if not key:
        raise InvalidInputError("override.key", "missing")
    raw_value = row.get("value", row.get("value_json"))
    if isinstance(raw_value, str):
        try:
            raw_value = json.loads(raw_value)
        except json.JSONDecodeError as exc:
            raise InvalidInputError(f"override.{key}.value_json", f"not valid JSON: {exc.msg}") from exc
    if not isinstance(raw_value, Mapping):
        raise InvalidInputError(f"override.{key}.value_json", "must be a JSON object")
    if "valid_from" not in row:
        raise InvalidInputError(f"override.{key}.valid_from", "missing")
    until = row.get("valid_until")
    municipality = row.get("municipality_id")
    return ParameterSet(
        key=str(key),
        valid_from=_as_date(row["valid_from"], f"override.{key}.valid_from"),
        valid_until=None if until is None else _as_date(until, f"override.{key}.valid_until"),
        source=str(row.get("source") or ""),
        value=raw_value,
        origin=f"municipality {municipality}" if municipality is not None else "municipality",
        is_override=True,
    )


def load_policy_book(overrides: Iterable[Mapping[str, Any]] = (), *, directory: Path | None = None) -> PolicyBook:
    """The national seed sets plus one municipality's overrides (plain dicts)."""
    return PolicyBook(load_seed_sets(directory)).with_overrides(overrides)
