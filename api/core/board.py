"""The day board's sections as a registry, so any domain can add one (the floor: no domain imports another).

A section is a function ``(db, principal, today) -> Section``; a domain registers it with :func:`section`
in a module listed in ``api.board.pages.SECTION_MODULES``. The board shows the sections by ``order``, each
with its count on top and one line per thing to act on, each line a link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from api.core.principal import Principal


@dataclass(frozen=True)
class Line:
    text: str
    href: str
    urgent: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lines: list[Line] = field(default_factory=list)
    empty: str = "Niets te doen."

    @property
    def count(self) -> int:
        return len(self.lines)


SectionFunction = Callable[[Session, Principal, date], Section]


@dataclass(frozen=True)
class _Entry:
    order: int
    key: str
    build: SectionFunction
    roles: tuple[str, ...]


_REGISTRY: dict[str, _Entry] = {}


def section(key: str, *, order: int, roles: tuple[str, ...] = ("crisis_team", "coordinator", "case_worker")) -> Any:
    """Decorator: register a section under ``key`` (shown to ``roles``, sorted by ``order``)."""

    def register(fn: SectionFunction) -> SectionFunction:
        _REGISTRY[key] = _Entry(order=order, key=key, build=fn, roles=roles)
        return fn

    return register


def build(db: Session, principal: Principal, today: date) -> list[Section]:
    """Every section the caller's role may see, in order."""
    entries = sorted(_REGISTRY.values(), key=lambda e: (e.order, e.key))
    return [e.build(db, principal, today) for e in entries if principal.role in e.roles]
