"""Municipality profiles for the year simulator (``onderdak simulate generate --profile NAME``)."""

from __future__ import annotations

from pathlib import Path

PROFILE_DIR = Path(__file__).parent
PROFILES = ("small", "medium", "large")


def profile_path(name: str) -> Path:
    """The file of a shipped profile by name, or ``name`` itself read as a path."""
    if name in PROFILES:
        return PROFILE_DIR / f"{name}.json"
    return Path(name)
