"""The documentation site builds with --strict (a broken link, a missing image or a page outside the
menu fails), offline: no page loads a script, style or font from another site."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_site_builds_strictly_and_loads_nothing_from_elsewhere(tmp_path):
    mkdocs = Path(sys.executable).with_name("mkdocs")
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [str(mkdocs), "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    site = tmp_path / "site"
    for page in ("index.html", "gebruikershandleiding/crisisteam.html", "beheer/backup.html",
                 "ontwikkelaars/onderdelen/matcher.html", "regels/index.html"):
        assert (site / page).exists(), page
    loaded = re.compile(r"<(?:script|img|link)\b[^>]*\b(?:src|href)=\"(?:https?:)?//[^\"]*", re.I)
    offenders = [f"{page.relative_to(site)}: {m.group(0)}" for page in site.rglob("*.html")
                 for m in loaded.finditer(page.read_text(encoding="utf-8"))]
    assert offenders == [], "pages load from another site (vendor it instead)"
