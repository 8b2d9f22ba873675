"""Versioned URLs of the app's static files: ``/static/css/onderdak.css?v=<hash of its content>``.

Why: with the content's hash in the URL a browser may keep the file for a year without asking again
(``immutable``, api.shell.static_files), and a new deployment still reaches every browser at once, because a
changed file gets a new URL. Pages link their assets through :func:`static_url` (the ``static`` template
global); a URL without the version (old bookmarks, folium's map document) keeps the short cache.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
VERSION_LENGTH = 12


@lru_cache(maxsize=512)
def asset_version(path: str) -> str | None:
    """The first characters of the SHA-256 of the file at ``path`` (relative to /static); None when absent.

    Read once per process: the files change only with a deployment, which restarts the workers."""
    target = (STATIC_DIR / path.lstrip("/")).resolve()
    if STATIC_DIR not in target.parents or not target.is_file():
        return None
    return hashlib.sha256(target.read_bytes()).hexdigest()[:VERSION_LENGTH]


def static_url(path: str) -> str:
    """``/static/<path>?v=<version>`` (without the version when the file does not exist)."""
    clean = path.lstrip("/")
    version = asset_version(clean)
    return f"/static/{clean}" + (f"?v={version}" if version else "")
