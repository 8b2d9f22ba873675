"""The one error body of the API, as a Pydantic model, and the shared error responses per kind of route.

Every error answer (a domain error, a validation error, 401/403/404, 413, 429, 503) has the shape written by
:meth:`api.core.errors.OnderdakError.as_body`; :class:`ErrorBody` is that shape for the OpenAPI document.
The shell gives each JSON route the error responses of its kind (:func:`responses_for`); a route's own
``responses=`` entries take precedence.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorItem(BaseModel):
    loc: list[str | int] = Field(description="where: ('body', 'email'), ('path', 'user_id') …; empty for the request")
    msg: str = Field(description="language-independent text (Dutch and English for coded errors)")
    type: str = Field(description="kind of error: value_error, not_found, conflict, rule_breach …")
    code: str = Field(description="stable code from the error catalogue, e.g. admin.email_taken")
    message: str = Field(description="the text for a person, in the language of the request")
    field: str | None = Field(description="the dotted loc, or null")


class ErrorBody(BaseModel):
    detail: list[ErrorItem]


DESCRIPTIONS: dict[int, str] = {
    400: "the body could not be read (not decodable)",
    401: "not logged in, or the session or token has ended",
    403: "the role may not do this, or a cookie call lacks its CSRF token",
    404: "no such object in the caller's municipality",
    409: "conflicts with the current state of the data",
    413: "the body is too large",
    422: "the input is invalid, or a rule refuses the action",
    429: "too many attempts; the message says when to try again",
    503: "the database is unavailable; try again",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody, "description": DESCRIPTIONS[status]} for status in statuses}


# The kinds of route. Public routes are throttled (429); authenticated ones may get 401/403/404; writes may
# get an unreadable or too large body (400/413) and conflicts (409); every route may meet a database outage.
PUBLIC_READ = error_responses(404, 422, 429, 503)
PUBLIC_WRITE = error_responses(400, 401, 403, 404, 413, 422, 429, 503)
READ = error_responses(401, 403, 404, 422, 503)
WRITE = error_responses(400, 401, 403, 404, 409, 413, 422, 503)


def responses_for(method: str, *, authenticated: bool, json_route: bool = True) -> dict[int | str, dict[str, Any]]:
    """The shared error responses of a route's kind. A route whose own answer is not JSON (an HTML view)
    still answers errors with the JSON body (or, to a browser, the HTML error page)."""
    write = method.upper() in ("POST", "PUT", "PATCH", "DELETE")
    if authenticated:
        kind = WRITE if write else READ
    else:
        kind = PUBLIC_WRITE if write else PUBLIC_READ
    return kind if json_route else {status: _explicit(r) for status, r in kind.items()}


def _explicit(response: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": response["description"],
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}},
            "text/html": {"schema": {"type": "string"}},
        },
    }


def file_response(*media_types: str, description: str) -> dict[int | str, dict[str, Any]]:
    """The 200 of a route that answers with a file (PDF, calendar, photo) instead of JSON."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {200: {"description": description, "content": dict.fromkeys(media_types, binary)}}
