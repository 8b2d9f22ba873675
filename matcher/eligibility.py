"""Rules E1–E10 of the matching spec over all household × place pairs, vectorised with numpy.

The instance is turned into flat arrays once (:func:`build_arrays`); a pair's eligibility is
then a few whole-block operations over a block of nearby households against the places in
their distance window (a table lookup for E1–E7, one comparison for E10, one product of unit
vectors for the distance), so no Python code runs per pair. Time (E10) is handled per place:
because the horizon is at most ``min_stay_days`` long, a place's free days inside a short
window (horizon plus the longest stay) decide, for every possible start offset, whether a stay
of the minimum length fits and how long the free run is. A household only enters through its release offset.

All days are integer offsets from the planning date ``T0``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from .nptypes import F64, I32, I64, Bool, IntArray
from .schema import INSTANCE_FORMAT, MAX_COUNT, MAX_DATE, MAX_DAYS, MAX_PRIORITY, MIN_DATE, Instance, Policy, validate

EARTH_RADIUS_KM = 6371.0088
RULES = ("E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9", "E10")
_BLOCK = 256  # households per block: bounds peak memory to a few (block × places) arrays
# Below this many household × place cells, spatial windows cost more calls than they save.
_WINDOWLESS_CELLS = 1 << 20


@dataclass(frozen=True)
class Arrays:
    """The instance as plain arrays (index order = order in the instance)."""

    n_h: int
    n_p: int
    horizon: int
    min_stay: int
    max_stay: int
    max_km: float | None
    # households
    h_persons: I64
    h_children: Bool  # bool: has children
    h_pets: Bool
    h_access: Bool
    h_accepts_host: Bool
    h_max_age: I64
    h_priority: I64
    h_lat: F64  # radians
    h_lon: F64
    h_release: I64  # release offset from T0 (may be negative)
    excluded: frozenset[tuple[int, int]]  # (household index, place index)
    # places
    p_capacity: I64
    p_pets: Bool
    p_children: Bool
    p_access: Bool
    p_is_host: Bool
    p_consent_ok: Bool  # E6 holds for the place
    p_cost_norm: Bool  # E7 applies (host on benefit without exemption)
    p_lat: F64
    p_lon: F64
    p_host: I64  # host index (into host_ids) or -1
    p_limited: Bool  # bool: the place is a room of a host with max_households
    p_next_ok: I32  # (n_p, horizon+1): earliest start offset >= d, horizon if none
    p_run: I32  # (n_p, horizon): free-run length starting at offset d (capped)
    cost_sharing_age: int
    host_ids: tuple[str, ...]
    host_limit: I64  # per host index: max_households or 0 for none
    host_busy: I32  # (n_hosts, window): busy households per host per day offset
    window: int
    t0: date  # the planning date (offset 0)
    h_ids: tuple[str, ...]
    p_ids: tuple[str, ...]


@dataclass(frozen=True)
class Pairs:
    """Eligible pairs, sorted by (household, distance), ties in a fixed order; one entry per
    pair in each array."""

    h: I32
    p: I32
    start: I32  # offset from T0
    end: I32  # offset from T0 (exclusive)
    wait: I32
    dist: I32  # units of 100 m
    stay: I32

    def __len__(self) -> int:
        return int(self.h.size)

    def take(self, mask: Bool | IntArray) -> Pairs:
        """The pairs selected by a boolean mask or index array."""
        return Pairs(*(getattr(self, f)[mask] for f in ("h", "p", "start", "end", "wait", "dist", "stay")))


def _days(d: Any, t0: Any) -> int:
    return int((d - t0).days)


@dataclass
class _Columns:
    """The instance as flat columns, from either source (models or a plain dict); dates are
    day offsets from ``t0``, coordinates in degrees."""

    t0: date
    horizon: int
    policy: Policy
    h_ids: list[str]
    h_persons: I64
    h_children: Bool
    h_pets: Bool
    h_access: Bool
    h_accepts_host: Bool
    h_max_age: I64
    h_priority: I64
    h_lat: F64
    h_lon: F64
    h_release: I64
    excluded: list[tuple[int, str]]  # (household index, place id)
    p_ids: list[str]
    p_capacity: I64
    p_pets: Bool
    p_children: Bool
    p_access: Bool
    p_is_host: Bool
    p_consent_ok: Bool
    p_cost_norm: Bool
    p_lat: F64
    p_lon: F64
    p_from: I64
    p_until: I64  # 10**9 when open-ended
    busy: tuple[I64, I64, I64]  # (place index, start, end), not clipped
    p_host_ids: list[str | None]
    limits: dict[str, int]


def build_arrays(instance: Instance) -> Arrays:
    """Flatten an Instance into the arrays the vectorised rules need."""
    return _assemble(_model_columns(instance))


def _col(values: list[Any], dtype: Any) -> npt.NDArray[Any]:
    return np.asarray(values, dtype=dtype).reshape(len(values))


def _model_columns(instance: Instance) -> _Columns:
    t0 = instance.planning_date
    hh, pl = instance.households, instance.places
    busy = [(j, _days(b.start, t0), _days(b.end, t0)) for j, p in enumerate(pl) for b in p.busy]
    b = np.asarray(busy, dtype=np.int64).reshape(len(busy), 3)
    return _Columns(
        t0=t0,
        horizon=instance.horizon_days,
        policy=instance.policy,
        h_ids=[h.id for h in hh],
        h_persons=_col([len(h.adults) + len(h.children) for h in hh], np.int64),
        h_children=_col([bool(h.children) for h in hh], bool),
        h_pets=_col([h.pets for h in hh], bool),
        h_access=_col([h.needs_accessible for h in hh], bool),
        h_accepts_host=_col([h.accepts_host for h in hh], bool),
        h_max_age=_col([max(a.age for a in h.adults) for h in hh], np.int64),
        h_priority=_col([h.priority for h in hh], np.int64),
        h_lat=_col([h.location.lat for h in hh], np.float64),
        h_lon=_col([h.location.lon for h in hh], np.float64),
        h_release=_col([_days(h.release_date, t0) for h in hh], np.int64),
        excluded=[(i, pid) for i, h in enumerate(hh) for pid in h.excluded_places],
        p_ids=[p.id for p in pl],
        p_capacity=_col([p.capacity for p in pl], np.int64),
        p_pets=_col([p.allows_pets for p in pl], bool),
        p_children=_col([p.allows_children for p in pl], bool),
        p_access=_col([p.accessible for p in pl], bool),
        p_is_host=_col([p.kind == "host_room" for p in pl], bool),
        p_consent_ok=_col([p.host is None or p.host.landlord == "owner" or p.host.landlord_consent for p in pl], bool),
        p_cost_norm=_col(
            [p.host is not None and p.host.on_benefit and not p.host.cost_sharing_exemption for p in pl], bool
        ),
        p_lat=_col([p.location.lat for p in pl], np.float64),
        p_lon=_col([p.location.lon for p in pl], np.float64),
        p_from=_col([_days(p.available_from, t0) for p in pl], np.int64),
        p_until=_col([_days(p.available_until, t0) if p.available_until else 10**9 for p in pl], np.int64),
        busy=(b[:, 0], b[:, 1], b[:, 2]),
        p_host_ids=[p.host_id for p in pl],
        limits={h.id: h.max_households for h in instance.hosts},
    )


def _free_runs(c: _Columns, window: int) -> tuple[I32, I32, I32]:
    """Per place: busy stays per day offset, earliest start >= d, and free-run length at d."""
    pol, horizon = c.policy, c.horizon
    n_p = len(c.p_ids)
    days = np.arange(window)
    free = (days[None, :] >= c.p_from[:, None]) & (days[None, :] < c.p_until[:, None])
    b_p, b_s, b_e = c.busy
    b_s, b_e = np.clip(b_s, 0, window), np.clip(b_e, 0, window)
    keep = b_e > b_s
    b_p, b_s, b_e = b_p[keep], b_s[keep], b_e[keep]
    size = n_p * (window + 1)
    diff = (
        np.bincount(b_p * (window + 1) + b_s, minlength=size)
        - np.bincount(b_p * (window + 1) + b_e, minlength=size)
    ).reshape(n_p, window + 1).astype(np.int32)
    busy_count = np.cumsum(diff[:, :window], axis=1)
    free &= busy_count == 0
    run = np.zeros((n_p, window + 1), dtype=np.int32)
    for d in range(window - 1, -1, -1):
        run[:, d] = np.where(free[:, d], run[:, d + 1] + 1, 0)
    ok = run[:, :horizon] >= pol.min_stay_days
    next_ok = np.full((n_p, horizon + 1), horizon, dtype=np.int32)
    for d in range(horizon - 1, -1, -1):
        next_ok[:, d] = np.where(ok[:, d], d, next_ok[:, d + 1])
    p_run = np.minimum(run[:, :horizon], pol.max_stay_days).astype(np.int32)
    return busy_count, next_ok, p_run


def _host_arrays(c: _Columns, busy_count: I32, window: int) -> tuple[tuple[str, ...], I64, I64, Bool, I32]:
    """Host index per place, limit per host, limited rooms, busy households per host per day
    (rooms counted once per day)."""
    host_ids = tuple(sorted({h for h in c.p_host_ids if h is not None}))
    host_index = {h: k for k, h in enumerate(host_ids)}
    p_host = _col([host_index[h] if h is not None else -1 for h in c.p_host_ids], np.int64)
    host_limit = _col([c.limits.get(h, 0) for h in host_ids], np.int64)
    p_limited = np.zeros(len(c.p_ids), dtype=bool)
    if len(host_ids):
        p_limited = (p_host >= 0) & (host_limit[np.maximum(p_host, 0)] > 0)
    host_busy = np.zeros((len(host_ids), window), dtype=np.int32)
    if len(host_ids) and len(c.p_ids):
        # rooms with a busy day, summed per host (sorted by host: one reduceat, no ufunc.at)
        rooms = np.flatnonzero((p_host >= 0) & busy_count.any(axis=1))
        if rooms.size:
            rooms = rooms[np.argsort(p_host[rooms], kind="stable")]
            hs = p_host[rooms]
            first = np.flatnonzero(np.r_[True, hs[1:] != hs[:-1]])
            host_busy[hs[first]] = np.add.reduceat(busy_count[rooms], first, axis=0)
    return host_ids, host_limit, p_host, p_limited, host_busy


def _assemble(c: _Columns) -> Arrays:
    pol, horizon = c.policy, c.horizon
    window = horizon + pol.max_stay_days + 1
    place_index = {pid: j for j, pid in enumerate(c.p_ids)}
    excluded = frozenset((i, place_index[pid]) for i, pid in c.excluded if pid in place_index)
    busy_count, next_ok, p_run = _free_runs(c, window)
    host_ids, host_limit, p_host, p_limited, host_busy = _host_arrays(c, busy_count, window)
    deg = np.pi / 180.0
    return Arrays(
        n_h=len(c.h_ids),
        n_p=len(c.p_ids),
        horizon=horizon,
        min_stay=pol.min_stay_days,
        max_stay=pol.max_stay_days,
        max_km=pol.max_distance_km,
        h_persons=c.h_persons,
        h_children=c.h_children,
        h_pets=c.h_pets,
        h_access=c.h_access,
        h_accepts_host=c.h_accepts_host,
        h_max_age=c.h_max_age,
        h_priority=c.h_priority,
        h_lat=c.h_lat * deg,
        h_lon=c.h_lon * deg,
        h_release=c.h_release,
        excluded=excluded,
        p_capacity=c.p_capacity,
        p_pets=c.p_pets,
        p_children=c.p_children,
        p_access=c.p_access,
        p_is_host=c.p_is_host,
        p_consent_ok=c.p_consent_ok,
        p_cost_norm=c.p_cost_norm,
        p_lat=c.p_lat * deg,
        p_lon=c.p_lon * deg,
        p_host=p_host,
        p_limited=p_limited,
        p_next_ok=next_ok,
        p_run=p_run,
        cost_sharing_age=pol.cost_sharing_age,
        host_ids=host_ids,
        host_limit=host_limit,
        host_busy=host_busy,
        window=window,
        t0=c.t0,
        h_ids=tuple(c.h_ids),
        p_ids=tuple(c.p_ids),
    )


# ---------------------------------------------------------------- arrays straight from a dict
#
# Validating thousands of objects through the Pydantic models costs several times the whole
# solve. A dict that is plainly valid (exact JSON types, ISO dates, every bound met) can be
# checked column by column instead: the checks below are a strict subset of what the schema
# accepts, so everything they accept the schema accepts too, with the same values (a test
# checks both on mutated instances). Anything else (an int where a date is due, a missing
# field, a bad value) returns None, and the caller validates through the schema, which
# then reports each problem with its JSON path.


class _NotPlain(Exception):
    """The dict is not in the plainly valid subset: leave it to the schema."""


def _need(cond: bool) -> None:
    if not cond:
        raise _NotPlain


def _of_type(values: list[Any], *types: type) -> None:
    _need(set(map(type, values)) <= set(types))


def _get(items: list[Any], key: str) -> list[Any]:
    return list(map(itemgetter(key), items))


def _ints(values: list[Any], lo: int, hi: int) -> I64:
    _of_type(values, int)
    _need(not values or (min(values) >= lo and max(values) <= hi))
    return _col(values, np.int64)


def _bools(values: list[Any]) -> Bool:
    _of_type(values, bool)
    return _col(values, bool)


def _coords(items: list[Any]) -> tuple[F64, F64]:
    """lat and lon of `location` dicts (strict floats: ints pass as floats, bools do not)."""
    locs = _get(items, "location")
    _of_type(locs, dict)
    lat, lon = _get(locs, "lat"), _get(locs, "lon")
    _of_type(lat, float, int)
    _of_type(lon, float, int)
    lat_a, lon_a = _col(lat, np.float64), _col(lon, np.float64)  # OverflowError for huge ints
    _need(bool(np.all(np.abs(lat_a) <= 90.0)) and bool(np.all(np.abs(lon_a) <= 180.0)))  # NaN fails too
    return lat_a, lon_a


def _ids(values: list[Any]) -> list[str]:
    _of_type(values, str)
    _need(not values or (min(map(len, values)) >= 1 and max(map(len, values)) <= 200))
    "".join(values).encode("utf-8")  # UnicodeEncodeError for an unpaired surrogate
    return values


def _day_offsets(values: list[Any], t0: date) -> I64:
    """Day offsets from t0 of ISO dates ``YYYY-MM-DD`` (exactly that form) in the schema's range."""
    _of_type(values, str)
    if not values:
        return np.zeros(0, dtype=np.int64)
    # a few hundred distinct days among thousands of dates: each is parsed and checked once
    distinct = list(dict.fromkeys(values))
    _need(set(map(len, distinct)) == {10})
    text = np.asarray(distinct)
    days = text.astype("datetime64[D]")  # ValueError when not a date
    _need(bool(np.all(np.datetime_as_string(days) == text)))  # canonical: what the schema parses alike
    _need(bool(np.all((days >= np.datetime64(MIN_DATE, "D")) & (days <= np.datetime64(MAX_DATE, "D")))))
    offset = dict(zip(distinct, (days - np.datetime64(t0, "D")).astype(np.int64).tolist(), strict=True))
    return np.fromiter(map(offset.__getitem__, values), dtype=np.int64, count=len(values))


def _lengths(lists: list[Any]) -> I64:
    _of_type(lists, list)
    return np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))


def _dict_households(c: dict[str, Any], hh: list[Any], t0: date) -> None:
    c["h_ids"] = _ids(_get(hh, "id"))
    c["h_release"] = _day_offsets(_get(hh, "release_date"), t0)
    adults = _get(hh, "adults")
    n_adults = _lengths(adults)
    _need(bool(np.all(n_adults >= 1)))
    flat = list(chain.from_iterable(adults))
    _of_type(flat, dict)
    ages = _ints(_get(flat, "age"), 0, 130)
    first = np.cumsum(n_adults) - n_adults
    c["h_max_age"] = np.maximum.reduceat(ages, first) if len(hh) else np.zeros(0, dtype=np.int64)
    children = _get(hh, "children")
    n_children = _lengths(children)
    _ints(list(chain.from_iterable(children)), 0, 30)
    c["h_persons"] = n_adults + n_children
    c["h_children"] = n_children > 0
    c["h_pets"] = _bools(_get(hh, "pets"))
    c["h_access"] = _bools(_get(hh, "needs_accessible"))
    c["h_accepts_host"] = _bools(_get(hh, "accepts_host"))
    c["h_priority"] = _ints(_get(hh, "priority"), 0, MAX_PRIORITY)
    c["h_lat"], c["h_lon"] = _coords(hh)
    refused = [h.get("excluded_places", []) for h in hh]
    _lengths(refused)
    _ids(list(chain.from_iterable(refused)))
    c["excluded"] = [(i, pid) for i, ex in enumerate(refused) for pid in ex]


def _dict_host_info(c: dict[str, Any], pl: list[Any], is_host: Bool) -> None:
    """host_id and host: required for host rooms, absent (or null) for a wachtkamer."""
    host_ids = [p.get("host_id") for p in pl]
    infos = [p.get("host") for p in pl]
    rooms = is_host.tolist()
    _need(all(h is None and x is None for h, x, r in zip(host_ids, infos, rooms, strict=True) if not r))
    _ids([h for h, r in zip(host_ids, rooms, strict=True) if r])
    info = [x for x, r in zip(infos, rooms, strict=True) if r]
    _of_type(info, dict)
    benefit, exempt = _bools(_get(info, "on_benefit")), _bools(_get(info, "cost_sharing_exemption"))
    consent, landlord = _bools(_get(info, "landlord_consent")), _get(info, "landlord")
    _of_type(landlord, str)
    _need(set(landlord) <= {"corporation", "private", "owner"})
    c["p_host_ids"] = host_ids
    c["p_consent_ok"] = np.ones(len(pl), dtype=bool)
    c["p_consent_ok"][is_host] = consent | _col([x == "owner" for x in landlord], bool)
    c["p_cost_norm"] = np.zeros(len(pl), dtype=bool)
    c["p_cost_norm"][is_host] = benefit & ~exempt


def _dict_places(c: dict[str, Any], pl: list[Any], t0: date) -> None:
    c["p_ids"] = _ids(_get(pl, "id"))
    kinds = _get(pl, "kind")
    _of_type(kinds, str)
    _need(set(kinds) <= {"wachtkamer", "host_room"})
    c["p_is_host"] = is_host = _col([k == "host_room" for k in kinds], bool)
    _dict_host_info(c, pl, is_host)
    c["p_capacity"] = _ints(_get(pl, "capacity"), 0, MAX_COUNT)
    c["p_pets"] = _bools(_get(pl, "allows_pets"))
    c["p_children"] = _bools(_get(pl, "allows_children"))
    c["p_access"] = _bools(_get(pl, "accessible"))
    c["p_lat"], c["p_lon"] = _coords(pl)
    c["p_from"] = _day_offsets(_get(pl, "available_from"), t0)
    until = [p.get("available_until") for p in pl]
    bounded = np.flatnonzero(_col([u is not None for u in until], bool))
    c["p_until"] = np.full(len(pl), 10**9, dtype=np.int64)
    c["p_until"][bounded] = _day_offsets([until[j] for j in bounded.tolist()], t0)
    _need(bool(np.all(c["p_until"][bounded] > c["p_from"][bounded])))
    busy = [p.get("busy", []) for p in pl]
    n_busy = _lengths(busy)
    flat = list(chain.from_iterable(busy))
    _of_type(flat, dict)
    b_s, b_e = _day_offsets(_get(flat, "start"), t0), _day_offsets(_get(flat, "end"), t0)
    _need(bool(np.all(b_e > b_s)))
    c["busy"] = (np.repeat(np.arange(len(pl), dtype=np.int64), n_busy), b_s, b_e)


def _dict_top(data: dict[str, Any]) -> tuple[date, int, Policy]:
    _need(data.get("format") == INSTANCE_FORMAT and type(data["format"]) is str)
    text = data["planning_date"]
    _need(type(text) is str and len(text) == 10)
    t0 = date.fromisoformat(text)
    _need(t0.isoformat() == text and MIN_DATE <= t0 <= MAX_DATE)
    horizon = data["horizon_days"]
    _need(type(horizon) is int and 1 <= horizon <= MAX_DAYS)
    policy = Policy.model_validate(data["policy"])
    _need(horizon <= policy.min_stay_days)
    return t0, horizon, policy


def _dict_columns(data: dict[str, Any]) -> _Columns:
    t0, horizon, policy = _dict_top(data)
    hh, pl, hosts = data["households"], data["places"], data.get("hosts", [])
    for items in (hh, pl, hosts):
        _need(type(items) is list)
        _of_type(items, dict)
    c: dict[str, Any] = {"t0": t0, "horizon": horizon, "policy": policy}
    _dict_households(c, hh, t0)
    _dict_places(c, pl, t0)
    host_ids = _ids(_get(hosts, "id"))
    c["limits"] = dict(zip(host_ids, _ints(_get(hosts, "max_households"), 1, MAX_COUNT).tolist(), strict=True))
    for ids in (c["h_ids"], c["p_ids"], host_ids):
        _need(len(set(ids)) == len(ids))  # duplicate ids: the schema names them
    return _Columns(**c)


def arrays_from_dict(data: Any) -> Arrays | None:
    """The Arrays of a plainly valid instance dict, without building the Pydantic models
    (same arrays as ``build_arrays(validate(data))``); None when the dict is not plainly
    valid, and then the schema has to judge it (see the comment above)."""
    if type(data) is not dict:
        return None
    try:
        columns = _dict_columns(data)
    except (_NotPlain, KeyError, TypeError, ValueError, OverflowError):
        return None  # ValueError covers pydantic's ValidationError and UnicodeEncodeError
    return _assemble(columns)


def distance_km(a: Arrays, rows: IntArray) -> F64:
    """Great-circle distance in km, households `rows` × all places (agreeing with pair_km
    wherever a decision depends on it, see :func:`exact_km`)."""
    rows = np.asarray(rows, dtype=np.int64)
    cos_angle = np.einsum(
        "ij,jk->ik", unit_vectors(a.h_lat[rows], a.h_lon[rows]), unit_vectors(a.p_lat, a.p_lon).T
    )
    h = np.repeat(rows, a.n_p)
    p = np.tile(np.arange(a.n_p), rows.size)
    return exact_km(a, h, p, cos_angle.ravel()).reshape(rows.size, a.n_p)


def rule_masks(a: Arrays, rows: IntArray) -> tuple[dict[str, Bool], I32, F64]:
    """Per rule, a (len(rows) × n_p) mask of pairs that satisfy it; plus start offsets and km.

    Used by the eligibility filter (all rules together) and by the explanations (one rule at
    a time), so both always agree.
    """
    rows = np.asarray(rows, dtype=np.int64)
    m = static_rule_masks(a, rows)
    km = distance_km(a, rows)
    m["E9"] = np.ones_like(m["E8"]) if a.max_km is None else km <= a.max_km
    start = start_offsets(a, rows)
    m["E10"] = start < a.horizon
    return m, start, km


def start_offsets(a: Arrays, rows: IntArray) -> I32:
    """(len(rows), n_p): each pair's start offset (E10), ``horizon`` where none fits."""
    lower = np.clip(a.h_release[rows], 0, a.horizon)
    start: I32 = a.p_next_ok[:, lower].T
    return start


def static_rule_masks(a: Arrays, rows: IntArray) -> dict[str, Bool]:
    """Rules E1–E8 (no distance, no time) as (len(rows) × n_p) masks, one per rule."""
    rows = np.asarray(rows, dtype=np.int64)
    m = type_rule_masks(a, rows, slice(None))
    m["E8"] = refusal_mask(a, rows)
    return m


def type_rule_masks(a: Arrays, rows: IntArray, cols: IntArray | slice) -> dict[str, Bool]:
    """Rules E1–E7 (the ones that only look at household and place attributes) as
    (len(rows) × len(cols)) masks, one per rule."""
    def h(x: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return x[rows][:, None]

    def p(x: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return x[cols][None, :]

    m: dict[str, Bool] = {}
    m["E1"] = h(a.h_persons) <= p(a.p_capacity)
    m["E2"] = ~h(a.h_pets) | p(a.p_pets)
    m["E3"] = ~h(a.h_children) | p(a.p_children)
    m["E4"] = ~h(a.h_access) | p(a.p_access)
    m["E5"] = ~p(a.p_is_host) | h(a.h_accepts_host)
    m["E6"] = np.broadcast_to(p(a.p_consent_ok), m["E1"].shape)
    m["E7"] = ~p(a.p_cost_norm) | (h(a.h_max_age) < a.cost_sharing_age)
    return m


def refusal_mask(a: Arrays, rows: IntArray) -> Bool:
    """E8 as a (len(rows) × n_p) mask: False where the household refused the place."""
    e8 = np.ones((len(rows), a.n_p), dtype=bool)
    if a.excluded:
        pos = {int(r): k for k, r in enumerate(rows)}
        hits = [(pos[i], j) for i, j in a.excluded if i in pos]
        if hits:
            hi = np.asarray(hits, dtype=np.int64)
            e8[hi[:, 0], hi[:, 1]] = False
    return e8


def stay_end(a: Arrays, p: IntArray, start: IntArray) -> IntArray:
    """End offset of the stay at place p starting at offset `start` (eligible pairs only)."""
    end: IntArray = start + a.p_run.ravel()[np.asarray(p, dtype=np.int64) * a.horizon + start]
    return end


def host_ok(a: Arrays, p: IntArray, start: IntArray, end: IntArray) -> Bool:
    """False where a stay alone would push its host over max_households on some day (busy counted)."""
    ok = np.ones(p.size, dtype=bool)
    if not a.p_limited.any():
        return ok
    idx = np.flatnonzero(a.p_limited[p])
    if not idx.size:
        return ok
    # busy households per host per day, then the max over each stay's days
    full = a.host_busy >= a.host_limit[:, None]  # (n_hosts, window): no room for one more
    csum = np.concatenate([np.zeros((full.shape[0], 1), np.int32), np.cumsum(full, axis=1)], axis=1)
    hi = a.p_host[p[idx]]
    blocked = csum[hi, end[idx]] - csum[hi, start[idx]] > 0
    ok[idx[blocked]] = False
    return ok


def static_types(a: Arrays) -> tuple[I64, I64, Bool]:
    """Rules E1–E7 as a small table: (household type, place type, compat[h_type, p_type]).

    E1–E7 only look at a few attributes of each side, so households and places fall into a
    few hundred types each (capacity capped where a larger one changes nothing, plus the
    yes/no attributes). The rules are applied once per pair of types; a block of
    pairs is then one table lookup, several times faster than a broadcast per rule.
    """
    cap_top = int(a.h_persons.max(initial=0)) + 1  # any capacity from here on admits everyone
    h_key = (
        a.h_persons * 32
        + a.h_pets * 16
        + a.h_children * 8
        + a.h_access * 4
        + a.h_accepts_host * 2
        + (a.h_max_age >= a.cost_sharing_age)
    )
    p_key = (
        np.minimum(a.p_capacity, cap_top) * 64
        + a.p_pets * 32
        + a.p_children * 16
        + a.p_access * 8
        + a.p_is_host * 4
        + a.p_consent_ok * 2
        + a.p_cost_norm
    )
    _, h_rep, h_type = np.unique(h_key, return_index=True, return_inverse=True)
    _, p_rep, p_type = np.unique(p_key, return_index=True, return_inverse=True)
    return h_type.reshape(-1), p_type.reshape(-1), _static_mask(a, h_rep, p_rep)


def _static_mask(a: Arrays, rows: IntArray, cols: IntArray) -> Bool:
    """E1–E7 together for households `rows` × places `cols` (boolean broadcasts)."""
    ok = a.h_persons[rows][:, None] <= a.p_capacity[cols][None, :]
    ok &= ~a.h_pets[rows][:, None] | a.p_pets[cols][None, :]
    ok &= ~a.h_children[rows][:, None] | a.p_children[cols][None, :]
    ok &= ~a.h_access[rows][:, None] | a.p_access[cols][None, :]
    ok &= ~a.p_is_host[cols][None, :] | a.h_accepts_host[rows][:, None]
    ok &= a.p_consent_ok[cols][None, :]
    ok &= ~a.p_cost_norm[cols][None, :] | (a.h_max_age[rows][:, None] < a.cost_sharing_age)
    return ok


def unit_vectors(lat: F64, lon: F64) -> F64:
    """(n, 3) points on the unit sphere: the dot product of two is the cosine of their angle."""
    c = np.cos(lat)
    return np.stack([c * np.cos(lon), c * np.sin(lon), np.sin(lat)], axis=1)


def _distance_window(a: Arrays) -> tuple[float, float | None]:
    """Conservative bounds (radians) on |Δlat| and |Δlon| of any pair within max_km.

    The great circle is never shorter than the meridian arc: d >= R·|Δφ|. And from the
    haversine formula, hav(d/R) >= cos φ1 cos φ2 hav(Δλ), with cos φ >= cos(largest |lat|).
    Small margins keep float rounding on the safe side; E9 itself is decided exactly later.
    """
    assert a.max_km is not None
    dlat = a.max_km / EARTH_RADIUS_KM * (1 + 1e-9) + 1e-12
    lat_abs = max(float(np.abs(a.h_lat).max(initial=0.0)), float(np.abs(a.p_lat).max(initial=0.0)))
    c_min = np.cos(lat_abs) ** 2
    if c_min < 1e-6:
        return dlat, None
    ratio = np.sin(a.max_km / (2 * EARTH_RADIUS_KM)) / np.sqrt(c_min) * (1 + 1e-9)
    if ratio >= 1.0:
        return dlat, None
    return dlat, float(2 * np.arcsin(ratio)) + 1e-12


def _blocks(a: Arrays, rows: I64) -> Iterator[tuple[I64, I64]]:
    """(households, places that may lie within max_km of them) in blocks of at most _BLOCK.

    Without a distance limit (or for a small instance) every place is a candidate. With one,
    households are grouped by grid cell (half the distance window on each side) and each
    group meets only the places in the window around its bounding box: places are sorted by
    latitude row and longitude, so that is one slice per row. The windows are conservative (see
    :func:`_distance_window`); E9 itself is decided exactly on the pairs that come out.
    """
    if a.max_km is None or not a.n_p or rows.size * a.n_p <= _WINDOWLESS_CELLS:
        cols = np.arange(a.n_p)
        for lo in range(0, rows.size, _BLOCK):
            yield rows[lo : lo + _BLOCK], cols
        return
    dlat, dlon = _distance_window(a)
    cell_lat = max(dlat / 2, 1e-6)
    cell_lon = max((dlon if dlon is not None else 2 * np.pi) / 2, 1e-6)
    h_row = np.floor(a.h_lat[rows] / cell_lat).astype(np.int64)
    h_col = np.floor(a.h_lon[rows] / cell_lon).astype(np.int64)
    order = np.lexsort((rows, h_col, h_row))
    rows, h_row, h_col = rows[order], h_row[order], h_col[order]
    p_row = np.floor(a.p_lat / cell_lat).astype(np.int64)
    p_order = np.lexsort((np.arange(a.n_p), a.p_lon, p_row))
    p_row_sorted, p_lon_sorted = p_row[p_order], a.p_lon[p_order]
    cell_change = np.flatnonzero((np.diff(h_row) != 0) | (np.diff(h_col) != 0)) + 1
    bounds = np.concatenate([[0], cell_change, [rows.size]])
    for k in range(bounds.size - 1):
        for lo in range(int(bounds[k]), int(bounds[k + 1]), _BLOCK):
            block = rows[lo : min(lo + _BLOCK, int(bounds[k + 1]))]
            lat, lon = a.h_lat[block], a.h_lon[block]
            r0 = int(np.floor((lat.min() - dlat) / cell_lat))
            r1 = int(np.floor((lat.max() + dlat) / cell_lat))
            first = int(np.searchsorted(p_row_sorted, r0, side="left"))
            last = int(np.searchsorted(p_row_sorted, r1, side="right"))
            lon_lo = float(lon.min()) - (dlon if dlon is not None else 4 * np.pi)
            lon_hi = float(lon.max()) + (dlon if dlon is not None else 4 * np.pi)
            if lon_lo < -np.pi or lon_hi > np.pi:
                # the window wraps around the antimeridian: the whole rows
                yield block, p_order[first:last]
                continue
            slices = []
            row_starts = np.searchsorted(p_row_sorted[first:last], np.arange(r0, r1 + 2), side="left") + first
            for r in range(r1 - r0 + 1):
                s, e = int(row_starts[r]), int(row_starts[r + 1])
                if s == e:
                    continue
                seg = p_lon_sorted[s:e]
                i0 = s + int(np.searchsorted(seg, lon_lo, side="left"))
                i1 = s + int(np.searchsorted(seg, lon_hi, side="right"))
                if i1 > i0:
                    slices.append(p_order[i0:i1])
            yield block, (np.concatenate(slices) if slices else np.zeros(0, dtype=np.int64))


def near_blocks(a: Arrays, rows: I64) -> Iterator[tuple[I64, I64]]:
    """(households, the places that may lie within max_km of them) in blocks: the
    eligibility filter's distance windows (:func:`_blocks`), for the explanations."""
    return _blocks(a, rows)


def pair_km(a: Arrays, h: IntArray, p: IntArray) -> F64:
    """Haversine distance in km for aligned arrays of household and place indices.

    This is the reference arithmetic: every distance the matcher uses is either computed
    here or agrees with it (see :func:`exact_km`).
    """
    s_lat = np.sin((a.p_lat[p] - a.h_lat[h]) / 2.0)
    s_lon = np.sin((a.p_lon[p] - a.h_lon[h]) / 2.0)
    hav = s_lat * s_lat + np.cos(a.h_lat[h]) * np.cos(a.p_lat[p]) * s_lon * s_lon
    km: F64 = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(hav, 0.0, 1.0)))
    return km


# A fast distance (from the dot product of unit vectors) differs from pair_km by far less
# than these margins (its error is below 1e-7 km from 1 km up); pairs closer than this to a
# decision (the limit, or a rounding boundary of the 100 m units) get the reference value.
_KM_MARGIN = 1e-5
_NEAR_KM = 1.0


def exact_km(a: Arrays, h: IntArray, p: IntArray, cos_angle: F64) -> F64:
    """Distances from the cosines of the angles, equal to pair_km where it matters.

    The cosine loses precision for nearby points, and any fast formula can land on the other
    side of a decision than the reference; those few pairs are recomputed with pair_km.
    """
    chord2 = np.maximum(2.0 - 2.0 * cos_angle, 0.0)
    km = (2.0 * EARTH_RADIUS_KM) * np.arcsin(np.minimum(np.sqrt(chord2) * 0.5, 1.0))
    tenth = km * 10.0
    near = (km < _NEAR_KM) | (np.abs(tenth - np.floor(tenth) - 0.5) < 10 * _KM_MARGIN)
    if a.max_km is not None:
        near |= np.abs(km - a.max_km) < _KM_MARGIN
    if near.any():
        idx = np.flatnonzero(near)
        km[idx] = pair_km(a, h[idx], p[idx])
    return km


def cos_limit(a: Arrays) -> float | None:
    """A lower bound on the cosine of the angle of any pair within max_km (None: no limit):
    the angle of max_km, loosened slightly, so a cheap comparison drops only pairs that are
    surely too far; the exact decision (:func:`exact_km`) comes later."""
    if a.max_km is None:
        return None
    angle = min(a.max_km / EARTH_RADIUS_KM * (1 + 1e-9) + 1e-12, np.pi)
    return float(np.cos(angle)) - 1e-12


def eligible_pairs(a: Arrays) -> Pairs:
    """All pairs meeting E1–E10 and the host limit on their own, by (household, distance).

    Per block of households and the places near them (:func:`_blocks`): E1–E7 by table
    lookup and the distance window by one matrix product (the cosine of the angle between
    unit vectors), then time (E10), exact distance (E9) and refusals (E8) on the survivors
    only, as 1-D arrays. The result equals AND-ing :func:`rule_masks` (a test checks that).
    Within a household, pairs at equal distance keep a fixed order, so the result is
    deterministic.
    """
    i32 = np.int32  # compact types: all values are small, and this halves peak memory
    lower_all = np.clip(a.h_release, 0, a.horizon)
    # households that can start within the horizon at all
    active = np.nonzero(lower_all < a.horizon)[0]
    h_type, p_type, compat = static_types(a)
    # E10 in one comparison: a place fits a stay starting on some day >= d exactly while d is
    # at most its last possible start day (p_next_ok is non-decreasing in d)
    last_start = ((a.p_next_ok[:, : a.horizon] < a.horizon).sum(axis=1) - 1).astype(np.int16)
    h_lower = lower_all.astype(np.int16)
    next_ok = a.p_next_ok.ravel()
    h_xyz = unit_vectors(a.h_lat, a.h_lon)
    p_xyz_t = np.ascontiguousarray(unit_vectors(a.p_lat, a.p_lon).T)
    cos_min = cos_limit(a)
    parts: list[tuple[I32, I32, I32, I32]] = []
    for rows, cols in _blocks(a, active):
        if not cols.size:
            continue
        mask = compat[h_type[rows]][:, p_type[cols]]
        mask &= h_lower[rows][:, None] <= last_start[cols][None, :]
        # cosine of the angle between the unit vectors (einsum: no BLAS threads for a
        # product this thin, which are slow to start and erratic on a busy machine)
        cos_angle = np.einsum("ij,jk->ik", h_xyz[rows], p_xyz_t[:, cols])
        if cos_min is not None:
            mask &= cos_angle >= cos_min
        flat = np.flatnonzero(mask)
        del mask
        hi, pj_local = np.divmod(flat, cols.size)
        hb, pj = rows[hi], cols[pj_local]
        km = exact_km(a, hb, pj, cos_angle.ravel()[flat])
        del cos_angle, flat
        if a.max_km is not None:
            keep = km <= a.max_km
            hb, pj, km = hb[keep], pj[keep], km[keep]
        start = next_ok[pj * (a.horizon + 1) + lower_all[hb]]
        parts.append((hb.astype(i32), pj.astype(i32), start.astype(i32), np.rint(km * 10.0).astype(i32)))
    if parts:
        h, p, s, d = (np.concatenate(col) for col in zip(*parts, strict=True))
    else:
        h = p = s = d = np.zeros(0, dtype=i32)
    del parts
    e = stay_end(a, p, s).astype(i32)
    keep = host_ok(a, p, s, e)
    if not keep.all():
        h, p, s, d, e = h[keep], p[keep], s[keep], d[keep], e[keep]
    order = _by_household_then_distance(h, d, a.n_h)
    h, p, s, d, e = h[order], p[order], s[order], d[order], e[order]
    if a.excluded and h.size:
        # few refusals: look each up in its household's run of pairs
        seg = np.searchsorted(h, np.arange(a.n_h + 1, dtype=h.dtype))
        drop: list[int] = []
        for i, j in sorted(a.excluded):
            lo = int(seg[i])
            drop.extend((lo + np.flatnonzero(p[lo : seg[i + 1]] == j)).tolist())
        if drop:
            keep = np.ones(h.size, dtype=bool)
            keep[drop] = False
            h, p, s, d, e = h[keep], p[keep], s[keep], d[keep], e[keep]
    wait = (s - np.maximum(a.h_release[h], 0)).astype(i32)
    return Pairs(h=h, p=p, start=s, end=e, wait=wait, dist=d, stay=(e - s).astype(i32))


def _by_household_then_distance(h: IntArray, d: IntArray, n_h: int) -> I64:
    """The permutation that orders pairs by (household, distance, position).

    The three keys are packed into one unique int64 and sorted as values (numpy's vectorised
    sort is several times faster than an argsort); the position comes back from the low bits.
    Unique keys make the order independent of the sort algorithm.
    """
    n = h.size
    if not n:
        return np.zeros(0, dtype=np.int64)
    pos_bits = max(int(n - 1).bit_length(), 1)
    d_span = int(d.max()) + 1
    if n_h * d_span >= 2 ** (63 - pos_bits):
        return np.lexsort((np.arange(n), d, h))  # keys too wide to pack (never at real sizes)
    key = h.astype(np.int64) * d_span
    key += d
    key <<= pos_bits
    key |= np.arange(n, dtype=np.int64)
    key.sort()
    key &= (1 << pos_bits) - 1
    return key


# ---------------------------------------------------------------- single pair, for people

RULE_TEXT_EN = {
    "E1": "the household ({persons} persons) is larger than the capacity ({capacity})",
    "E2": "the household has pets and the place does not allow pets",
    "E3": "the household has children and the place does not allow children",
    "E4": "the household needs an accessible place and this place is not accessible",
    "E5": "the place is a host room and the household does not accept a host",
    "E6": "the host's landlord ({landlord}) has not given consent",
    "E7": "the host is on benefit without a cost-sharing exemption and an adult is {age} (>= {limit})",
    "E8": "the household refused this place earlier (excluded_places)",
    "E9": "the distance {km:.1f} km is more than the limit of {limit:g} km",
    "E10": "the place is not free for {min_stay} days from a start day within the horizon",
    "HOST": "the host {host} already has {limit} household(s) on a day this stay would cover",
}


def explain_pair(instance: Instance | dict[str, Any], household_id: str, place_id: str) -> list[str]:
    """Which hard rules a manual pair breaks, e.g. ``["E2: the household has pets ..."]``.

    Empty when the pair is eligible. ``HOST`` is reported when the stay alone (with the busy
    stays already there) would exceed the host's ``max_households``. Raises KeyError for an
    unknown id.
    """
    inst = validate(instance)
    hi = next((i for i, h in enumerate(inst.households) if h.id == household_id), None)
    pj = next((j for j, p in enumerate(inst.places) if p.id == place_id), None)
    if hi is None:
        raise KeyError(f"unknown household {household_id!r}")
    if pj is None:
        raise KeyError(f"unknown place {place_id!r}")
    a = build_arrays(inst)
    m, start, km = rule_masks(a, np.asarray([hi]))
    place, hh = inst.places[pj], inst.households[hi]
    values = {
        "persons": int(a.h_persons[hi]),
        "capacity": place.capacity,
        "landlord": place.host.landlord if place.host else "",
        "age": int(a.h_max_age[hi]),
        "limit": a.cost_sharing_age,
        "km": float(km[0, pj]),
        "min_stay": a.min_stay,
    }
    out = []
    for r in RULES:
        if not bool(m[r][0, pj]):
            vals = dict(values)
            if r == "E9":
                vals["limit"] = a.max_km or 0.0
            out.append(f"{r}: {RULE_TEXT_EN[r].format(**vals)}")
    if not out:
        s = np.asarray([int(start[0, pj])])
        e = stay_end(a, np.asarray([pj]), s)
        if not host_ok(a, np.asarray([pj]), s, e)[0]:
            k = int(a.p_host[pj])
            out.append(
                "HOST: " + RULE_TEXT_EN["HOST"].format(host=place.host_id, limit=int(a.host_limit[k]))
            )
    del hh
    return out
