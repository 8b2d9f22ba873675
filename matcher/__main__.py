"""Command line: ``python -m matcher solve IN.json -o OUT.json`` and ``python -m matcher validate IN.json``.

Exit codes: 0 success, 2 bad input or an unusable output path (one line per problem on
stderr, naming the JSON path; no traceback; no output file written), 1 internal error (a bug:
one line, still no traceback and no output file). The solution file is written
atomically (temporary file in the same folder, then rename), so a reader never sees a
partial SOLUTION.json.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import IMPORT_STARTED
from .run import solve
from .schema import MAX_INPUT_BYTES, InstanceError, parse_json, validate
from .solve.options import SolverOptions

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1


def _load(path: str, max_bytes: int | None = None) -> Any:
    """Read and parse an instance file (not yet checked against the schema: ``validate``
    does that, ``solve`` checks as it goes); InstanceError on any problem.

    At most `max_bytes` (default MAX_INPUT_BYTES) + 1 bytes are read, so a huge file is
    refused before parsing.
    """
    if max_bytes is None:
        max_bytes = MAX_INPUT_BYTES
    try:
        if path == "-":
            text = sys.stdin.buffer.read(max_bytes + 1)
        else:
            with open(path, "rb") as fh:
                text = fh.read(max_bytes + 1)
    except OSError as err:
        raise InstanceError([("", f"cannot read {path}: {err.strerror or err}")]) from None
    if len(text) > max_bytes:
        raise InstanceError([("", f"input is larger than {max_bytes:,} bytes")])
    return parse_json(text, max_bytes=max_bytes)


def _seconds(text: str) -> float:
    """argparse type for --time-limit: a finite number of seconds >= 0."""
    try:
        value = float(text)
        SolverOptions(time_limit=value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds >= 0: {text!r}") from None
    return value


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


def keep_freed_memory() -> None:
    """Let glibc serve every allocation from its heap and keep what is freed (this process only).

    Why: the solve allocates and frees arrays of tens of megabytes (one value per eligible
    pair) dozens of times. glibc maps each one fresh from the kernel and unmaps it on free, so
    every use pays a page fault per 4 KiB page; on the virtual machines measured here that was
    about half of the solve's CPU at 3000 x 15000 (2.5 s -> 1.1 s in ``solve_pairs``, same
    instance). With mmap off and no trimming, freed blocks are reused at no cost. Only for the
    short-lived ``python -m matcher`` process: the memory goes back to the system at exit.
    A long-running server keeps glibc's defaults. No-op where there is no glibc.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    m_trim_threshold, m_mmap_max = -1, -4
    mallopt(m_mmap_max, 0)
    mallopt(m_trim_threshold, 2**30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matcher", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_solve = sub.add_parser("solve", help="solve an onderdak.instance/1 file")
    p_solve.add_argument("instance")
    p_solve.add_argument("-o", "--output", help="solution file (default: standard output)")
    p_solve.add_argument("--time-limit", type=_seconds, default=None,
                         help="seconds; the best solution so far is returned then, with status feasible")
    p_solve.add_argument("--language", choices=("nl", "en"), default="nl", help="language of reasons")
    p_val = sub.add_parser("validate", help="check an instance file; exit 2 with the problems if invalid")
    p_val.add_argument("instance")
    args = parser.parse_args(argv)
    try:
        return _run(args, IMPORT_STARTED if argv is None else time.perf_counter())
    except Exception as err:  # a bug: say so in one line, never a traceback or a partial file
        print(f"{args.instance}: internal error ({type(err).__name__}): {err}", file=sys.stderr)
        return EXIT_INTERNAL


def _run(args: argparse.Namespace, started: float) -> int:
    """`started`: when the command began (for ``python -m matcher``: when the package began to
    import); the time limit counts from there, so imports, reading and parsing the file are
    inside it and only the interpreter's own start (some 50 ms) is not. The search gets the
    limit less a tenth of it (at most 1 s), which is kept for what follows the search
    (settle, explanations, writing the file), so the whole command ends near the limit."""
    try:
        data = _load(args.instance)
        if args.command == "validate":
            validate(data)
            print(f"{args.instance}: valid")
            return 0
        limit = args.time_limit
        if limit is not None:  # a tenth (at most 1 s) is kept for the explanations and the output
            limit = max(limit - min(0.1 * limit, 1.0) - (time.perf_counter() - started), 0.0)
        solution = solve(data, options=SolverOptions(time_limit=limit), language=args.language)
    except InstanceError as err:
        for line in err.lines():
            print(f"{args.instance}: {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    text = json.dumps(solution.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"
    if args.output:
        try:
            _write_atomic(Path(args.output), text)
        except OSError as err:
            print(f"{args.output}: cannot write the solution: {err.strerror or err}", file=sys.stderr)
            return EXIT_BAD_INPUT
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    keep_freed_memory()
    sys.exit(main())
