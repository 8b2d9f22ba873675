"""Why a household was not placed, in plain Dutch and in English.

Explanations are part of the solution, not logging: a crisis team member has to be able to
tell a household (and a court, if asked) why it got no place today. Two cases:

* **No eligible place.** The rules are applied one after another to all places and the
  count that survives each rule is reported ("14 plaatsen zijn groot genoeg; daarvan staan
  0 huisdieren toe"), so the sentence names the rule that cut the last candidates.
* **Eligible places, all taken.** For each such place: which household took it and why that
  beat this household (the first objective level on which swapping the two would be worse:
  priority, waiting, distance, stay length), and whether it was that household's only place.
  Then the blocking set: following alternating paths (an eligible place, the household that
  has it, that household's other eligible places, ...) gives a group of households that
  together can only use a group of places one smaller (Hall's theorem): the real shortage.

Everything is sorted by id, so the text is deterministic. Every sentence is a fact about the
returned selection, which :mod:`matcher.settle` made locally stable first: a place named as
taken is held by the named household and this household was eligible for it; the winner
scores better there, or the same with the smaller id (ties are broken by household id, in
string order), or the swap breaks a host limit; an empty eligible place is named only when
this household would break its host's limit there; a rule is named only where it excludes
places for this household.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

import numpy as np

from .eligibility import (
    Arrays,
    Pairs,
    cos_limit,
    exact_km,
    host_ok,
    near_blocks,
    static_types,
    stay_end,
    type_rule_masks,
    unit_vectors,
)
from .nptypes import I64, Bool, IntArray

MAX_LISTED = 5
MAX_BLOCKING_SET = 25  # larger shortages are real but no help as an explanation

_KEPT = {
    "nl": {
        "E1": "zijn er {n} groot genoeg voor {persons} personen (E1)",
        "E2": "staan er {n} huisdieren toe (E2)",
        "E3": "staan er {n} kinderen toe (E3)",
        "E4": "zijn er {n} toegankelijk (E4)",
        "E5": "zijn er {n} geen kamer bij een gastgezin, wat dit huishouden niet wil (E5)",
        "E6": "hebben er {n} toestemming van de verhuurder (E6)",
        "E7": "vallen er {n} niet onder de kostendelersnorm voor een volwassene van {age} (E7)",
        "E8": "zijn er {n} niet eerder door dit huishouden geweigerd (E8)",
        "E9": "liggen er {n} binnen {km} km (E9)",
        "E10": "zijn er {n} op tijd vrij voor {min_stay} dagen (E10)",
        "HOST": "passen er {n} binnen het maximum aantal huishoudens van het gastgezin",
        "REST": "liggen er {n} binnen {km} km, op tijd vrij voor {min_stay} dagen en binnen het maximum "
        "van het gastgezin (E9, E10)",
    },
    "en": {
        "E1": "{n} are large enough for {persons} persons (E1)",
        "E2": "{n} allow pets (E2)",
        "E3": "{n} allow children (E3)",
        "E4": "{n} are accessible (E4)",
        "E5": "{n} are not host rooms, which this household does not accept (E5)",
        "E6": "{n} have the landlord's consent (E6)",
        "E7": "{n} are not under the cost-sharing norm for an adult aged {age} (E7)",
        "E8": "{n} were not refused earlier by this household (E8)",
        "E9": "{n} are within {km} km (E9)",
        "E10": "{n} are free in time for {min_stay} days (E10)",
        "HOST": "{n} fit within the host's limit on households",
        "REST": "{n} are within {km} km, free in time for {min_stay} days and within the host's limit (E9, E10)",
    },
}
_THEN = {"nl": "; daarvan ", "en": "; of those, "}

_T = {
    "nl": {
        "no_places": "Er zijn in deze ronde geen plaatsen beschikbaar.",
        "funnel": "Geen geschikte plaats: van de {total} plaatsen {steps}.",
        "late": "De uitzettingsdatum {release} valt na de planningsperiode (tot en met {last}); "
        "dit huishouden komt in een latere ronde aan bod.",
        "taken": "Er waren {n} geschikte plaatsen, maar geen daarvan kon naar dit huishouden.",
        "taken1": "Er was 1 geschikte plaats, maar die kon niet naar dit huishouden.",
        "hall": "Dit huishouden en {k} andere huishoudens kunnen samen alleen terecht op dezelfde {k} "
        "plaatsen: er is één plaats te weinig.",
        "hall1": "Dit huishouden en 1 ander huishouden kunnen samen maar op 1 plaats terecht: "
        "er is één plaats te weinig.",
        "more": "En nog {n} andere geschikte plaatsen, om dezelfde soort redenen.",
        "took": "{place} ging naar {other}",
        "why_priority": "dat een hogere voorrang heeft ({a} tegen {b})",
        "why_wait": "dat bij gelijke voorrang eerder terecht kan (gewogen wachttijd {a} tegen {b} dagen)",
        "why_distance": "dat bij gelijke voorrang en wachttijd dichterbij woont ({a:.1f} tegen {b:.1f} km)",
        "why_stay": "dat daar bij verder gelijke score langer kan blijven ({a} tegen {b} dagen)",
        "why_tie": "dat op alle punten gelijk scoort; de keuze viel op volgorde van id",
        "why_host": "hoewel dit huishouden daar beter zou scoren: het zou het maximum van gastgezin {host} "
        "overschrijden",
        "only": "voor {other} was dit de enige geschikte plaats",
        "host_full": "{place} bleef leeg, maar gastgezin {host} heeft dan het maximum van {limit} "
        "{hh} al bereikt",
    },
    "en": {
        "no_places": "There are no places in this run.",
        "funnel": "No eligible place: of the {total} places, {steps}.",
        "late": "The eviction date {release} is after the planning horizon (last day {last}); "
        "this household will be considered in a later run.",
        "taken": "There were {n} eligible places, but none of them could go to this household.",
        "taken1": "There was 1 eligible place, but it could not go to this household.",
        "hall": "This household and {k} other households can together only use the same {k} places: "
        "one place short.",
        "hall1": "This household and 1 other household can together only use 1 place: one place short.",
        "more": "And {n} more eligible places, for similar reasons.",
        "took": "{place} went to {other}",
        "why_priority": "which has a higher priority ({a} against {b})",
        "why_wait": "which, at equal priority, can move in sooner (weighted wait {a} against {b} days)",
        "why_distance": "which, at equal priority and wait, lives closer ({a:.1f} against {b:.1f} km)",
        "why_stay": "which, otherwise equal, can stay longer there ({a} against {b} days)",
        "why_tie": "which scores the same on every level; the choice followed the id order",
        "why_host": "although this household would score better there: it would exceed the limit of "
        "host {host}",
        "only": "it was the only eligible place for {other}",
        "host_full": "{place} stayed empty, but host {host} would then exceed its limit of {limit} "
        "{hh}",
    },
}


def _plural(lang: str, n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def explain_unplaced(
    a: Arrays,
    pairs: Pairs,
    chosen: IntArray,
    unplaced: Sequence[int],
    *,
    brief: bool = False,
) -> dict[int, dict[str, list[str]]]:
    """Reasons per unplaced household index, as ``{"nl": [...], "en": [...]}``.

    `brief` (when a time limit leaves little time): for a household without any eligible
    place, the funnel counts rules E1-E8 as usual and then names distance, time and host
    limit together in one last step that ends at zero (true: nothing eligible is left after
    all rules), instead of computing distances to every remaining place. Reasons that name
    competition are the same in both modes.
    """
    out: dict[int, dict[str, list[str]]] = {}
    if not unplaced:
        return out
    place_holder = np.full(a.n_p, -1, dtype=np.int64)  # pair index holding each place
    place_holder[pairs.p[chosen]] = chosen
    # pairs come sorted by household (eligible_pairs): household u's are starts[u]:starts[u + 1],
    # and the pair arrays serve as they are (copies of millions would cost more than this step)
    starts = np.searchsorted(pairs.h, np.arange(a.n_h + 1, dtype=pairs.h.dtype))
    degree = np.diff(starts)
    graph = _Alternating(pairs.p, starts, place_holder, pairs.h)
    funnels = _funnel_counts(a, [u for u in unplaced if starts[u] == starts[u + 1]], brief=brief)
    for u in unplaced:
        mine = np.arange(starts[u], starts[u + 1])
        if mine.size == 0:
            counts = funnels[u]
            out[u] = {
                lang: _late(a, u, lang) + [_funnel(a, u, counts, lang)] for lang in ("nl", "en")
            }
        else:
            hall = graph.blocking_set_size(u)
            out[u] = {
                lang: _competition(a, pairs, u, mine, place_holder, degree, hall, lang)
                for lang in ("nl", "en")
            }
    return out


def _late(a: Arrays, u: int, lang: str) -> list[str]:
    """An extra line when the household's eviction falls after the horizon."""
    if a.h_release[u] < a.horizon:
        return []
    last = a.t0 + timedelta(days=a.horizon - 1)
    return [_T[lang]["late"].format(release=a.t0 + timedelta(days=int(a.h_release[u])), last=last)]


_FUNNEL_BLOCK = 64  # households per block of the brief funnel (no distances)


def _funnel_counts(a: Arrays, rows: Sequence[int], brief: bool = False) -> dict[int, list[tuple[str, int]]]:
    """Per household: apply the rules in order; (rule, places left) for E1 and every rule
    that cuts. Vectorised: E1–E7 counted once per household type × place type (they only
    look at attributes), then per block of households the refusals (E8), and distance (E9),
    time (E10) and the host limit only on the pairs E1–E8 left, with the arithmetic of the
    eligibility filter (a test checks the counts against
    :func:`~matcher.eligibility.rule_masks`). Distances are computed only to the places
    in the block's distance window (:func:`~matcher.eligibility.near_blocks`, as the
    eligibility filter does): the places outside it are surely too far."""
    if a.n_p == 0:
        return {u: [] for u in rows}
    out: dict[int, list[tuple[str, int]]] = {}
    h_type, p_type, _ = static_types(a)
    table = _type_counts(a, h_type, p_type)
    p_xyz_t = np.ascontiguousarray(unit_vectors(a.p_lat, a.p_lon).T)
    cos_min = cos_limit(a)
    row_arr = np.asarray(rows, dtype=np.int64)
    blocks: Iterable[tuple[I64, I64 | None]] = (
        ((row_arr[lo : lo + _FUNNEL_BLOCK], None) for lo in range(0, row_arr.size, _FUNNEL_BLOCK))
        if brief
        else near_blocks(a, row_arr)
    )
    for block, cols in blocks:
        steps: list[list[tuple[str, int]]] = [[] for _ in block]
        left = np.full(block.size, a.n_p)
        for r, counts in table.counts.items():
            left = _record(steps, r, counts[h_type[block]], left)
        # E8: the refused places that E1–E7 left (a handful: no mask over every place)
        ref_k, ref_p = _refusals(a, block)
        ref_alive = table.alive[h_type[block[ref_k]], p_type[ref_p]]
        ref_k, ref_p = ref_k[ref_alive], ref_p[ref_alive]
        left = _record(steps, "E8", left - np.bincount(ref_k, minlength=block.size), left)
        if brief or cols is None:  # every row has no eligible place: E9, E10 and the host limit cut the rest
            for k, u in enumerate(block.tolist()):
                if left[k] > 0:
                    steps[k].append(("REST", 0))
                if len(steps[k]) > 1 and steps[k][0][1] == a.n_p:
                    steps[k] = steps[k][1:]
                out[u] = steps[k]
            continue
        near_alive = table.alive[h_type[block]][:, p_type[cols]]
        if ref_k.size:  # the refusals among the places in the window
            col_of = np.full(a.n_p, -1, dtype=np.int64)
            col_of[cols] = np.arange(cols.size)
            in_window = col_of[ref_p] >= 0
            near_alive[ref_k[in_window], col_of[ref_p[in_window]]] = False
        if cos_min is None or a.max_km is None:
            hi, pk = np.nonzero(near_alive)
            pj = cols[pk]
        else:  # surely too far by the cosine, then exactly as the eligibility filter decides
            cos_angle = np.einsum("ij,jk->ik", unit_vectors(a.h_lat[block], a.h_lon[block]), p_xyz_t[:, cols])
            hi, pk = np.nonzero(near_alive & (cos_angle >= cos_min))
            pj = cols[pk]
            near = exact_km(a, block[hi], pj, cos_angle[hi, pk]) <= a.max_km
            hi, pj = hi[near], pj[near]
        left = _record(steps, "E9", np.bincount(hi, minlength=block.size), left)
        # released after the horizon: no start day in it (E10), whatever the place
        soon = a.h_release[block[hi]] < a.horizon
        hi, pj = hi[soon], pj[soon]
        start = a.p_next_ok[pj, np.clip(a.h_release[block[hi]], 0, a.horizon)].astype(np.int64)
        fits = start < a.horizon
        hi, pj, start = hi[fits], pj[fits], start[fits]
        left = _record(steps, "E10", np.bincount(hi, minlength=block.size), left)
        n_host = np.bincount(hi[host_ok(a, pj, start, stay_end(a, pj, start))], minlength=block.size)
        for k, u in enumerate(block.tolist()):
            if left[k] > 0:  # only the host limit (with busy stays) is left to cut
                steps[k].append(("HOST", int(n_host[k])))
            if len(steps[k]) > 1 and steps[k][0][1] == a.n_p:
                steps[k] = steps[k][1:]  # every place was large enough: start with the first real cut
            out[u] = steps[k]
    return out


def _refusals(a: Arrays, block: I64) -> tuple[I64, I64]:
    """(row in `block`, place) of every refusal (E8) of the households in `block`."""
    if not a.excluded:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    pos = {int(r): k for k, r in enumerate(block.tolist())}
    hits = sorted((pos[i], j) for i, j in a.excluded if i in pos)
    out = np.asarray(hits, dtype=np.int64).reshape(len(hits), 2)
    return out[:, 0], out[:, 1]


class _TypeCounts:
    """Per household type: places left after E1, E1–E2, ..., E1–E7, and which place types
    pass all seven."""

    def __init__(self, counts: dict[str, I64], alive: Bool):
        self.counts, self.alive = counts, alive


def _type_counts(a: Arrays, h_type: I64, p_type: I64) -> _TypeCounts:
    h_rep = np.unique(h_type, return_index=True)[1]
    p_rep = np.unique(p_type, return_index=True)[1]
    per_type = np.bincount(p_type, minlength=p_rep.size)
    alive = np.ones((h_rep.size, p_rep.size), dtype=bool)
    counts: dict[str, I64] = {}
    for r, mask in type_rule_masks(a, h_rep, p_rep).items():
        alive &= mask
        counts[r] = alive.astype(np.int64) @ per_type
    return _TypeCounts(counts, alive)


def _record(steps: list[list[tuple[str, int]]], rule: str, now: I64, left: I64) -> I64:
    """Add (rule, places left) where the rule cut (always for E1); the new counts."""
    for k in np.flatnonzero((now < left) | (rule == "E1")).tolist():
        steps[k].append((rule, int(now[k])))
    return now


def _funnel(a: Arrays, u: int, counts: list[tuple[str, int]], lang: str) -> str:
    """One sentence: how many places survive each rule that cuts, ending at zero."""
    if a.n_p == 0:
        return _T[lang]["no_places"]
    km = "-" if a.max_km is None else f"{a.max_km:g}"
    fmt = {"persons": int(a.h_persons[u]), "age": int(a.h_max_age[u]), "km": km, "min_stay": a.min_stay}
    steps = [_KEPT[lang][r].format(n=n, **fmt) for r, n in counts]
    return _T[lang]["funnel"].format(total=a.n_p, steps=_THEN[lang].join(steps))


class _Alternating:
    """Alternating paths: household -> its eligible places; a taken place -> its holder."""

    def __init__(self, places_by_h: IntArray, starts: IntArray, place_holder: I64, pair_h: IntArray):
        self.places_by_h = places_by_h
        self.starts = starts
        self.place_holder = place_holder
        self.pair_h = pair_h

    def blocking_set_size(self, u: int) -> int | None:
        """Size k of the place set reachable from u by alternating paths, if all are taken.

        Those k places are then exactly all the places that u and the k households holding
        them can use (Hall's theorem: k + 1 households, k places). None when a reachable place
        is free (a host limit is the reason) or the set is too large to be a useful answer.
        """
        seen: set[int] = set()
        frontier = np.asarray([u], dtype=np.int64)
        while frontier.size:
            nbr = np.concatenate([self.places_by_h[self.starts[h] : self.starts[h + 1]] for h in frontier])
            new = np.unique(nbr)
            new = new[[int(q) not in seen for q in new]] if seen else new
            if not new.size:
                break
            seen.update(int(q) for q in new)
            if len(seen) > MAX_BLOCKING_SET:
                return None
            holders = self.place_holder[new]
            if np.any(holders < 0):
                return None
            frontier = np.unique(self.pair_h[holders])
        return len(seen)


def _competition(
    a: Arrays,
    pairs: Pairs,
    u: int,
    mine: I64,
    place_holder: I64,
    degree: I64,
    hall: int | None,
    lang: str,
) -> list[str]:
    """Eligible places existed: who took them and why, and the blocking set behind it."""
    t = _T[lang]
    hh, pl = a.h_ids, a.p_ids
    mine = mine[np.argsort([pl[int(pairs.p[i])] for i in mine], kind="stable")]
    n = int(mine.size)
    lines = [t["taken1"] if n == 1 else t["taken"].format(n=n)]
    for i in mine[:MAX_LISTED]:
        q = int(pairs.p[i])
        holder = int(place_holder[q])
        if holder < 0:
            k = int(a.p_host[q])
            limit = int(a.host_limit[k]) if k >= 0 else 0
            hh_word = _plural(lang, limit, "huishouden" if lang == "nl" else "household",
                              "huishoudens" if lang == "nl" else "households")
            host = a.host_ids[k] if k >= 0 else "-"
            lines.append(t["host_full"].format(place=pl[q], host=host, limit=limit, hh=hh_word) + ".")
            continue
        other = int(pairs.h[holder])
        first = hh[u] < hh[other]  # the id order breaks ties (see matcher.settle)
        text = t["took"].format(place=pl[q], other=hh[other]) + ", " + _why(a, pairs, holder, i, first, lang)
        if degree[other] == 1:
            text += "; " + t["only"].format(other=hh[other])
        lines.append(text + ".")
    if n > MAX_LISTED:
        lines.append(t["more"].format(n=n - MAX_LISTED))
    if hall:
        lines.append(_T[lang]["hall1"] if hall == 1 else _T[lang]["hall"].format(k=hall))
    return lines


def _why(a: Arrays, pairs: Pairs, holder: int, mine: int, mine_first: bool, lang: str) -> str:
    """The first objective level on which the holder's pair beats this household's pair.

    True by construction (the selection went through :func:`matcher.settle.settle`): when
    this household's pair would score better, or the same while its id sorts first, the swap
    was tried and breaks a host limit, which is what the sentence then says.
    """
    t = _T[lang]
    ph, pu = int(a.h_priority[pairs.h[holder]]), int(a.h_priority[pairs.h[mine]])
    wh, wu = ph * int(pairs.wait[holder]), pu * int(pairs.wait[mine])
    dh, du = int(pairs.dist[holder]), int(pairs.dist[mine])
    sh, su = int(pairs.stay[holder]), int(pairs.stay[mine])
    holder_key = (ph, -wh, -dh, sh)
    mine_key = (pu, -wu, -du, su)
    if holder_key < mine_key or (holder_key == mine_key and mine_first):
        p = int(pairs.p[mine])
        return t["why_host"].format(host=_host_name(a, p))
    if ph != pu:
        return t["why_priority"].format(a=ph, b=pu)
    if wh != wu:
        return t["why_wait"].format(a=wh, b=wu)
    if dh != du:
        return t["why_distance"].format(a=dh / 10.0, b=du / 10.0)
    if sh != su:
        return t["why_stay"].format(a=sh, b=su)
    return t["why_tie"]


def _host_name(a: Arrays, p: int) -> str:
    k = int(a.p_host[p])
    return a.host_ids[k] if k >= 0 else "-"
