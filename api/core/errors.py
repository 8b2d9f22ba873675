"""Typed domain errors and their one mapping to HTTP responses and CLI exits.

Services raise these; routes never build error responses themselves. Every body
has the same shape: ``{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Problem:
    loc: tuple[str | int, ...]
    msg: str
    type: str = "value_error"

    def as_dict(self) -> dict[str, object]:
        return {"loc": list(self.loc), "msg": self.msg, "type": self.type}

    def as_line(self) -> str:
        where = ".".join(str(part) for part in self.loc)
        return f"{where}: {self.msg}" if where else self.msg


class OnderdakError(Exception):
    """Base of every error a user can cause; never a bug."""

    status_code = 400
    error_type = "onderdak_error"

    def __init__(self, msg: str, *, loc: tuple[str | int, ...] = (), problems: list[Problem] | None = None):
        super().__init__(msg)
        self.msg = msg
        self.problems = problems or [Problem(loc, msg, self.error_type)]

    def as_body(self) -> dict[str, object]:
        return {"detail": [p.as_dict() for p in self.problems]}


class ConfigurationError(OnderdakError):
    status_code = 500
    error_type = "configuration"


class DatabaseUnavailable(OnderdakError):
    status_code = 503
    error_type = "database_unavailable"


class NotFound(OnderdakError):
    status_code = 404
    error_type = "not_found"


class Forbidden(OnderdakError):
    status_code = 403
    error_type = "forbidden"


class NotAuthenticated(OnderdakError):
    status_code = 401
    error_type = "not_authenticated"


class Conflict(OnderdakError):
    status_code = 409
    error_type = "conflict"


class InvalidInput(OnderdakError):
    status_code = 422
    error_type = "value_error"


class RuleBreach(OnderdakError):
    """A hard rule (E1–E10, four-eyes, personal documents …) refuses the action."""

    status_code = 422
    error_type = "rule_breach"


class RateLimited(OnderdakError):
    status_code = 429
    error_type = "rate_limited"
