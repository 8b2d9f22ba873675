"""Typed domain errors and their one mapping to HTTP responses and CLI exits.

Services raise these with a stable ``code`` from :mod:`api.core.error_codes`; routes never build
error responses themselves. Every body has the same shape::

    {"detail": [{"loc": [...], "msg": "...", "type": "...", "code": "...", "message": "...", "field": "..."}]}

``loc``/``msg``/``type`` are the original contract (``msg`` is language-independent: Dutch and English
together for coded errors); ``code`` is stable, ``message`` is in the language of the request and
``field`` is the dotted ``loc``.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from api.core import error_codes


@dataclass
class Problem:
    loc: tuple[str | int, ...]
    msg: str = ""
    type: str = "value_error"
    code: str = ""
    params: dict[str, Any] = dc_field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.code:
            self.code = error_codes.GENERIC_BY_TYPE.get(self.type, error_codes.GENERIC)
        if not self.msg:
            self.msg = error_codes.bilingual(self.code, self.params)

    @property
    def message(self) -> str:
        """The text for a person, in the current language (Dutch by default)."""
        if self.code in error_codes.CODES and self.code not in error_codes.PASSTHROUGH:
            return error_codes.render(self.code, self.params)
        return self.msg

    @property
    def field(self) -> str | None:
        return ".".join(str(part) for part in self.loc) or None

    def as_dict(self) -> dict[str, object]:
        return {
            "loc": list(self.loc),
            "msg": self.msg,
            "type": self.type,
            "code": self.code,
            "message": self.message,
            "field": self.field,
        }

    def as_line(self) -> str:
        where = self.field
        return f"{where}: {self.message}" if where else self.message


class OnderdakError(Exception):
    """Base of every error a user can cause; never a bug.

    ``raise Conflict(code="placement.double_booking", loc=("body", "place_id"))``; keyword arguments
    beyond ``msg``/``code``/``loc``/``problems`` fill the ``%(name)s`` parameters of the code's texts.
    A bare ``msg`` (no code) still works and gets the generic code of the error's type.
    """

    status_code = 400
    error_type = "onderdak_error"

    def __init__(
        self,
        msg: str | None = None,
        *,
        code: str | None = None,
        loc: tuple[str | int, ...] = (),
        problems: list[Problem] | None = None,
        **params: Any,
    ):
        if problems:
            first = problems[0]
            msg = msg or first.msg
        else:
            first = Problem(loc, msg or "", self.error_type, code or "", params)
            msg = first.msg
        super().__init__(msg)
        self.msg = msg
        self.code = first.code
        self.problems = problems or [first]

    @property
    def message(self) -> str:
        """The localised text of the first problem (what a form shows)."""
        return self.problems[0].message if self.problems else self.msg

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
