"""The year simulator: every policy against hindsight on the shipped profiles, and timings.

``python -m benchmarks.bench_simulate`` (also run by ``make bench``) prints, per profile and
load (demand as a share of capacity), the comparison table (mean ± 95% confidence half-width
over the seeds), with a reference row ``anticipating-foresight`` (the same policy as if every
household had been announced before the year began: what better information, not a better
policy, would add) and, with ``--notice-days 7,14``, rows ``anticipating+7d`` for the same policy
with every household announced that many days earlier; then the time of one ``daily-optimum`` year
and of hindsight on the medium profile. The default (small profile, 3 seeds, hindsight 30 s per stream) takes about ten
minutes; the issue's full measurement is ``--profiles small,medium,large --seeds 10
--hindsight-seconds 120`` (hours on two cores).
"""

from __future__ import annotations

import argparse
import json
import time

from matcher.simulate import POLICIES, REFERENCES, hindsight, simulate, validate_stream
from matcher.simulate.generate import generate, validate_profile
from matcher.simulate.replicate import LocalExecutor, compare, format_table
from seed_data.simulation import profile_path


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.bench_simulate")
    ap.add_argument("--profiles", default="small", help="comma-separated: small,medium,large")
    ap.add_argument("--loads", default="0.8,1.0,1.2", help="demand as shares of capacity")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--hindsight-seconds", type=float, default=30.0)
    ap.add_argument("--no-timings", action="store_true")
    ap.add_argument("--no-foresight", action="store_true",
                    help="leave out the reference row: anticipating with every household known in advance")
    ap.add_argument("--notice-days", default="",
                    help="comma-separated, e.g. 7,14,28: add anticipating with every household announced that "
                         "many days earlier (what earlier signals from the bailiff would be worth)")
    ap.add_argument("--notice-policy", default="anticipating", help="the policy of the --notice-days rows")
    ap.add_argument("--policies", default=",".join(POLICIES),
                    help=f"comma-separated, of {', '.join(POLICIES + REFERENCES)}")
    args = ap.parse_args()
    notice = [int(x) for x in args.notice_days.split(",") if x.strip()]
    policies = [x for x in args.policies.split(",") if x.strip()]
    for name in args.profiles.split(","):
        prof = validate_profile(json.loads(profile_path(name).read_text()))
        for load in (float(x) for x in args.loads.split(",")):
            t = time.perf_counter()
            rows = compare(prof, seeds=args.seeds, load=load, hindsight_seconds=args.hindsight_seconds,
                           executor=LocalExecutor(args.jobs), foresight=not args.no_foresight,
                           notice_days=notice, notice_policy=args.notice_policy, policies=policies)
            print(f"\n### {name}, demand {100 * load:.0f}% of capacity, {args.seeds} seeds "
                  f"({time.perf_counter() - t:.0f} s)\n", flush=True)
            print(format_table(rows), flush=True)
    if args.no_timings:
        return
    prof = validate_profile(json.loads(profile_path("medium").read_text()))
    stream = validate_stream(generate(prof, 1, load=0.7))
    r = simulate(stream, "daily-optimum")
    print(f"\nmedium profile, {len(stream.households)} households, {len(stream.places)} places:")
    print(f"- a daily-optimum year: {r.seconds:.1f} s")
    h = hindsight(stream, time_limit=120)
    gap = (h.bound or h.value) / max(1, h.value) - 1
    print(f"- hindsight (limit 120 s): {h.seconds:.1f} s, status {h.status}, value {h.value}, bound {h.bound}, "
          f"gap {100 * gap:.2f}%", flush=True)


if __name__ == "__main__":
    main()
