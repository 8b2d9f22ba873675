"""``onderdak rules …``: the rules engine from the command line (no database needed).

Registered in api/shell/cli.py as the ``rules`` command group.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from api.shell.cli_support import fail, friendly

rules_app = typer.Typer(help="Rules (cost-sharing norm, art. 22a Participatiewet).", no_args_is_help=True)


@rules_app.command("cost-sharing")
@friendly
def cost_sharing(case: Annotated[Path, typer.Argument(help="CASE.json: date, host, guests (see README)")]) -> None:
    """Each beneficiary's A and norm without and with the guests, as JSON (national norms)."""
    from matcher.rules.cost_sharing_case import run_case
    from matcher.rules.errors import RulesError
    from matcher.rules.policy import load_policy_book

    try:
        data = json.loads(case.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"{case}: cannot read ({exc.strerror})")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"$: not valid JSON ({exc})")
    try:
        out = run_case(data, load_policy_book())
    except RulesError as exc:
        fail(f"{exc.field}: {exc.msg}")
    typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
