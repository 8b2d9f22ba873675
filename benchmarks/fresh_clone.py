"""Fresh clone → "demo serving": how long a newcomer waits after `make demo`.

Clones the committed HEAD into a temporary directory, runs `make demo` there and times until the
server answers `GET /` (any HTTP status). Four ways: with uv and without it (`make UV=`: pip installs
the pinned uv into the venv first), each with a warm package cache and with an empty one
(`UV_CACHE_DIR` and `PIP_CACHE_DIR` pointing at a new empty directory, `PIP_NO_CACHE_DIR=1`).

Not one of the `bench_*` modules of `make bench` (it needs the network and takes minutes):

    .venv/bin/python -m benchmarks.fresh_clone [--only uv-warm,uv-empty,pip-warm,pip-empty] [--ref COMMIT]

`--ref` clones an older commit instead, to compare under the same load (before the lock, every way
installed with pip).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WAYS = {
    "uv-warm": {"uv": True, "empty_cache": False},
    "uv-empty": {"uv": True, "empty_cache": True},
    "pip-warm": {"uv": False, "empty_cache": False},
    "pip-empty": {"uv": False, "empty_cache": True},
}
LIMIT_S = 900


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=1)  # noqa: S310 - a local URL we built
    except urllib.error.HTTPError:
        return True  # any HTTP answer means the server is up
    except OSError:
        return False
    return True


def measure(way: str, ref: str = "HEAD") -> tuple[float, float]:
    """Seconds from `make demo` in a fresh clone until the install is done (the venv's stamp) and until
    the demo answers."""
    options = WAYS[way]
    with tempfile.TemporaryDirectory(prefix="onderdak-clone-") as tmp:
        clone = Path(tmp) / "onderdak"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", ref], check=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ONDERDAK_", "VIRTUAL_ENV"))}
        if options["empty_cache"]:
            cache = Path(tmp) / "cache"
            cache.mkdir()
            env |= {"UV_CACHE_DIR": str(cache), "PIP_CACHE_DIR": str(cache / "pip"), "PIP_NO_CACHE_DIR": "1"}
        port = _free_port()
        args = ["make", "demo", f"PORT={port}"] + ([] if options["uv"] else ["UV="])
        started = time.perf_counter()
        proc = subprocess.Popen(
            args, cwd=clone, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        stamp = clone / ".venv" / ".installed-stamp"
        installed = None
        try:
            while not _answers(f"http://127.0.0.1:{port}/"):
                if installed is None and stamp.exists():
                    installed = time.perf_counter() - started
                if proc.poll() is not None:
                    raise RuntimeError(f"{way}: make demo stopped with status {proc.returncode}")
                if time.perf_counter() - started > LIMIT_S:
                    raise RuntimeError(f"{way}: no answer after {LIMIT_S} s")
                time.sleep(0.2)
            serving = time.perf_counter() - started
            return (serving if installed is None else installed), serving
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(WAYS), help="comma-separated: " + ", ".join(WAYS))
    parser.add_argument("--ref", default="HEAD", help="commit to clone (an older one: compare under the same load)")
    args = parser.parse_args()
    ways = [w for w in args.only.split(",") if w]
    # Wall-clock times depend on what else the machine runs: the load average is printed with each row.
    print("| way | install done | demo serving | load average |\n|---|---|---|---|", flush=True)
    for way in ways:
        installed, serving = measure(way, args.ref)
        print(f"| {way} | {installed:.1f} s | {serving:.1f} s | {os.getloadavg()[0]:.1f} |", flush=True)


if __name__ == "__main__":
    main()
