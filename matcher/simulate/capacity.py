"""How many rooms a municipality needs: share sheltered on the eviction day against rooms.

The arrivals stay fixed (the profile's, per seed) while the stock varies, so every point of the
curve sees the same households. A point's share is the mean over the seeds of
``sheltered_on_release_day / households``, with a 95% confidence band; the policy is
``anticipating`` (the best measured) unless told otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .generate import Profile, generate
from .replicate import Executor, LocalExecutor, mean_ci
from .stream import validate_stream
from .year import simulate


def share_sheltered(job: dict[str, Any]) -> float:
    """One seed, one stock: the share of households sheltered on their eviction day."""
    prof = Profile.model_validate(job["profile"])
    stream = validate_stream(
        generate(prof, job["seed"], wachtkamer=job["wachtkamer"], host_rooms=job["host_rooms"])
    )
    r = simulate(stream, job["policy"])
    return r.sheltered_on_release_day / max(1, len(stream.households))


def _band(mean: float, half: float) -> dict[str, float]:
    """The confidence band, cut to the possible shares [0, 1]."""
    return {"low": max(0.0, mean - half), "high": min(1.0, mean + half)}


def _point(prof: Profile, w: int, r: int, seeds: int, policy: str, ex: Executor) -> tuple[float, float]:
    dump = prof.model_dump(mode="json")
    jobs = [
        {"profile": dump, "seed": s, "wachtkamer": w, "host_rooms": r, "policy": policy} for s in range(1, seeds + 1)
    ]
    return mean_ci(ex.map(share_sheltered, jobs))


def plan(
    prof: Profile,
    *,
    target: float = 0.95,
    seeds: int = 5,
    policy: str = "anticipating",
    scales: Sequence[float] = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0),
    executor: Executor | None = None,
) -> dict[str, Any]:
    """The curve (rooms → share, with band) at the profile's mix, and the smallest mix meeting ``target``.

    The smallest mix is searched per number of host rooms (0, the profile's, twice it): the
    fewest Wachtkamer dwellings whose mean share reaches the target (bisection: the share grows
    with rooms), then the mix with the fewest rooms in total.
    """
    ex = executor or LocalExecutor()
    w0, r0 = prof.stock.wachtkamer, prof.stock.host_rooms
    curve = []
    for f in scales:
        w, r = round(w0 * f), round(r0 * f)
        m, h = _point(prof, w, r, seeds, policy, ex)
        curve.append({"wachtkamer": w, "host_rooms": r, "rooms": w + r, "share": m, **_band(m, h)})
    best: dict[str, Any] | None = None
    for r in sorted({0, r0, 2 * r0}):
        lo, hi = 0, max(4 * (w0 + r0), 8)
        if _point(prof, hi, r, seeds, policy, ex)[0] < target:
            continue
        while lo < hi:
            mid = (lo + hi) // 2
            if _point(prof, mid, r, seeds, policy, ex)[0] >= target:
                hi = mid
            else:
                lo = mid + 1
        m, h = _point(prof, lo, r, seeds, policy, ex)
        cand = {"wachtkamer": lo, "host_rooms": r, "rooms": lo + r, "share": m, **_band(m, h)}
        if best is None or cand["rooms"] < best["rooms"]:
            best = cand
    return {"profile": prof.name, "target": target, "policy": policy, "seeds": seeds, "curve": curve, "smallest": best}
