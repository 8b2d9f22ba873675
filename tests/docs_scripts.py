"""The scripts of docs/ (build_docs.py, make_screenshots.py) as modules for the tests: docs/ is no package,
because the scripts run before anything is installed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

DOCS = Path(__file__).resolve().parents[1] / "docs"


def load_script(name: str) -> ModuleType:
    """docs/<name>.py, loaded once (registered in sys.modules so that its dataclasses resolve)."""
    key = f"docs_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, DOCS / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


build_docs = load_script("build_docs")
make_screenshots = load_script("make_screenshots")
