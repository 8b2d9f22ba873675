"""Independent oracles at a scale brute force cannot reach: networkx on the eligibility graph."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

import matcher
from matcher.eligibility import build_arrays, eligible_pairs
from matcher.schema import validate
from matcher.solve import components

bench = pytest.importorskip("benchmarks.bench_matcher")


def _graph(a, pairs) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(("h", i) for i in range(a.n_h))
    g.add_nodes_from(("p", j) for j in range(a.n_p))
    g.add_edges_from((("h", int(h)), ("p", int(p))) for h, p in zip(pairs.h, pairs.p, strict=True))
    return g


@pytest.mark.parametrize("seed", [2, 5])
def test_level_one_equals_a_maximum_matching(seed: int) -> None:
    """Without host limits, level 1 (households placed) is the size of a maximum matching of
    the eligibility graph; Hopcroft–Karp in networkx says what that size is."""
    data = bench.generate(200, 260, seed=seed, host_limits=False)
    data["policy"]["max_distance_km"] = 25  # scarce enough that not everyone fits
    a = build_arrays(validate(data))
    pairs = eligible_pairs(a)
    g = _graph(a, pairs)
    top = {("h", i) for i in range(a.n_h)}
    size = len(nx.bipartite.hopcroft_karp_matching(g, top_nodes=top)) // 2
    sol = matcher.solve(data)
    assert sol.status == "optimal"
    assert sol.objective.placed == size
    assert 0 < size < a.n_h  # the instance really is contested


def test_components_equal_networkx_components() -> None:
    """The parts the branch and bound works on are the connected components of the
    eligibility graph with every limited host's rooms joined."""
    data = bench.generate(150, 400, seed=4, host_limits=True)
    data["policy"]["max_distance_km"] = 15  # many small regions
    a = build_arrays(validate(data))
    pairs = eligible_pairs(a)
    g = _graph(a, pairs)
    limited = {h["id"] for h in data["hosts"]}
    rooms_by_host: dict[str, list[int]] = {}
    for j, place in enumerate(data["places"]):
        if place.get("host_id") in limited:
            rooms_by_host.setdefault(place["host_id"], []).append(j)
    for rooms in rooms_by_host.values():
        g.add_edges_from((("p", rooms[0]), ("p", r)) for r in rooms[1:])
    want = set()
    for comp in nx.connected_components(g):
        hs = {i for kind, i in comp if kind == "h"}
        idx = np.flatnonzero(np.isin(pairs.h, list(hs)))
        if idx.size:
            want.add(tuple(idx.tolist()))
    got = {tuple(part.tolist()) for part in components(a, pairs)}
    assert got == want
    assert len(got) > 1
