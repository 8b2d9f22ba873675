"""Typed errors of the rules engine.

Every error names the input ``field`` it is about (a dotted path such as
``host.members[0].birth_date``), so the API can map it once to a 422 body
``{"detail": [{"loc": [...], "msg": ..., "type": ...}]}`` and the CLI to a
readable line with exit status 2. The rules never guess a default: bad input or a
date outside the known policy is an error, because a silent default would show a
household or a host a wrong amount.
"""

from __future__ import annotations

from datetime import date


class RulesError(ValueError):
    """Base class: a rule could not be applied to this input.

    ``field`` is the dotted path of the offending input, ``type`` a short
    machine-readable code for the API error body.
    """

    type = "rules_error"

    def __init__(self, field: str, msg: str) -> None:
        super().__init__(f"{field}: {msg}")
        self.field = field
        self.msg = msg

    @property
    def loc(self) -> list[str | int]:
        """The field as a location list (``a.b[0].c`` -> ``["a", "b", 0, "c"]``)."""
        parts: list[str | int] = []
        for chunk in self.field.split("."):
            name, _, rest = chunk.partition("[")
            if name:
                parts.append(name)
            while rest:
                index, _, rest = rest.partition("]")
                parts.append(int(index) if index.isdigit() else index)
                rest = rest.removeprefix("[")
        return parts


class InvalidInputError(RulesError):
    """The input itself is impossible (birth date in the future, negative amount, ...)."""

    type = "value_error.rules"


class PolicyDateError(RulesError):
    """No parameter set of ``key`` is in force on ``day``.

    Raised for a day before the first ``valid_from`` and for a day after the
    ``valid_until`` of the last known set (benefit norms change every 1 January
    and 1 July: an old amount must not be applied silently to a newer date).
    """

    type = "value_error.policy_date"

    def __init__(self, key: str, day: date, msg: str | None = None, field: str = "day") -> None:
        super().__init__(field, msg or f"no policy parameter '{key}' is known for {day.isoformat()}")
        self.key = key
        self.day = day


class PolicyValueError(RulesError):
    """A parameter set lacks a value a rule needs, or holds a value of the wrong kind."""

    type = "value_error.policy_value"

    def __init__(self, key: str, name: str, msg: str) -> None:
        super().__init__(f"policy.{key}.{name}", msg)
        self.key = key
        self.name = name
