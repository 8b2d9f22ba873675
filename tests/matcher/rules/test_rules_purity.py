"""matcher.rules is pure: it imports no web framework, database layer or map library."""

import subprocess
import sys

MODULES = ["errors", "policy", "dates", "cost_sharing", "logeer", "stay_clock", "priority", "calendar"]


def test_rules_import_no_infrastructure() -> None:
    code = (
        "import sys\n"
        + "".join(f"import matcher.rules.{m}\n" for m in MODULES)
        + "bad = [m for m in sys.modules if m.split('.')[0] in {'api', 'sqlalchemy', 'fastapi', 'folium'}]\n"
        + "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
