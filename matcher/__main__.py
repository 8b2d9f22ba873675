"""Command line: ``python -m matcher solve IN.json -o OUT.json`` and ``python -m matcher validate IN.json``.

Exit codes: 0 success, 2 bad input (one line per problem on stderr, naming the JSON path;
no traceback; no output file written), 1 internal error. The solution file is written
atomically (temporary file in the same folder, then rename), so a reader never sees a
partial SOLUTION.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from .run import solve
from .schema import Instance, InstanceError, validate_json

EXIT_BAD_INPUT = 2


def _load(path: str) -> Instance:
    """Read and validate an instance file; InstanceError on any problem."""
    try:
        text = Path(path).read_bytes() if path != "-" else sys.stdin.buffer.read()
    except OSError as err:
        raise InstanceError([("", f"cannot read {path}: {err.strerror}")]) from None
    return validate_json(text)


def _write_atomic(path: Path, text: str) -> None:
    """Write text to path via a temporary file and rename: all or nothing."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matcher", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_solve = sub.add_parser("solve", help="solve an onderdak.instance/1 file")
    p_solve.add_argument("instance")
    p_solve.add_argument("-o", "--output", help="solution file (default: standard output)")
    p_solve.add_argument("--time-limit", type=float, default=None, help="seconds; then status feasible")
    p_solve.add_argument("--language", choices=("nl", "en"), default="nl", help="language of reasons")
    p_val = sub.add_parser("validate", help="check an instance file; exit 2 with the problems if invalid")
    p_val.add_argument("instance")
    args = parser.parse_args(argv)
    try:
        instance = _load(args.instance)
    except InstanceError as err:
        for line in err.lines():
            print(f"{args.instance}: {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.command == "validate":
        print(f"{args.instance}: valid")
        return 0
    solution = solve(instance, time_limit_s=args.time_limit, language=args.language)
    text = json.dumps(solution.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"
    if args.output:
        _write_atomic(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
