"""Who is asking: a small immutable value that every service and route can trust."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    user_id: int
    email: str
    role: str
    municipality_id: int
    host_id: int | None = None
    via_token: bool = False

    @property
    def sees_exact_host_location(self) -> bool:
        """On maps and lists only the crisis team, who brings the household there, needs it."""
        return self.role == "crisis_team"
