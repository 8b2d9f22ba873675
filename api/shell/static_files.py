"""The app's static files with cache headers: browsers keep assets instead of asking for them on every page.

A versioned URL (``?v=`` with the file's content hash, api.core.static_assets, as every page links its
assets) is kept for a year and marked ``immutable``: a new content is a new URL. Without the version:
vendored libraries (``/static/vendor/``) change only when a new release is vendored, so they are kept for a
long time (``VENDOR_MAX_AGE``); the app's own CSS and JavaScript change with each deployment and are kept
briefly (``OWN_MAX_AGE``). Both carry an ETag and Last-Modified (Starlette), so after the max-age a browser
revalidates with a cheap 304 instead of downloading the file again. Never personal data: pages and the API
stay ``no-store`` (api.shell.main).
"""

from __future__ import annotations

import os

from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from api.core.static_assets import asset_version

VENDOR_MAX_AGE = 30 * 86400  # vendored releases: a month (a new release is a new deployment anyway)
OWN_MAX_AGE = 600  # the app's own assets: ten minutes, then revalidated with the ETag
VERSIONED = "public, max-age=31536000, immutable"  # a URL with the content's hash: a year, never revalidated


def cache_control(path: str, version: str | None = None) -> str:
    """The Cache-Control header for a path relative to /static (``vendor/leaflet/leaflet.js``) and the
    ``v`` of its URL (immutable only when it is the file's current hash)."""
    if version and version == asset_version(path):
        return VERSIONED
    if path.lstrip("/").startswith("vendor/"):
        return f"public, max-age={VENDOR_MAX_AGE}"
    return f"public, max-age={OWN_MAX_AGE}"


class CachedStaticFiles(StaticFiles):
    """StaticFiles whose answers (200 and 304) carry :func:`cache_control`."""

    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        version = QueryParams(scope.get("query_string", b"")).get("v")
        response.headers["Cache-Control"] = cache_control(self.get_path(scope), version)
        return response
