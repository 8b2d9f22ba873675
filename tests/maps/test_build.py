"""maps/ is pure and offline: folium output uses only the app's own assets, escapes data, and rounds well."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from maps.build import build_map, render_html, split_layers
from maps.geo import GRID_LAT, GRID_LON, bounds, coarse_point, convex_hull, core_bounds
from maps.layers import BY_KEY, LAYER_KEYS, LAYERS, client_config

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "api" / "static"


def feature(layer: str, status: str, lat: float = 50.85, lon: float = 5.69, **props) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"layer": layer, "status": status, **props},
    }


def collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    dlat = (a[0] - b[0]) * 111.2
    dlon = (a[1] - b[1]) * 111.2 * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dlat, dlon)


def test_coarse_point_is_about_one_kilometre():
    cell = (GRID_LAT * 111.2, GRID_LON * 111.2 * math.cos(math.radians(51)))
    assert 0.9 < cell[0] < 1.2 and 0.9 < cell[1] < 1.2
    for lat, lon in [(50.84833, 5.68889), (51.4416, 5.4697), (53.2, 6.56), (50.9049, 5.9817)]:
        rounded = coarse_point(lat, lon)
        assert rounded != (lat, lon)
        assert km(rounded, (lat, lon)) <= 0.8  # half a cell's diagonal at most


def test_coarse_point_hides_differences_inside_a_cell():
    assert coarse_point(50.8512, 5.6800) == coarse_point(50.8538, 5.6920)
    assert coarse_point(*coarse_point(50.8512, 5.6912)) == coarse_point(50.8512, 5.6912)


def test_bounds_and_hull():
    assert bounds([]) is None
    assert bounds([(1, 2), (3, 0)], pad=0.5) == ((0.5, -0.5), (3.5, 2.5))
    hull = convex_hull([(0, 0), (2, 0), (2, 2), (0, 2), (1, 1), (1, 0.5)])
    assert sorted(hull) == [(0, 0), (0, 2), (2, 0), (2, 2)]
    assert convex_hull([(1, 1)]) == [(1, 1)]


def test_every_layer_has_statuses_and_labels_in_both_languages():
    assert LAYER_KEYS == ("wachtkamer", "host_room", "waiting", "placement", "storage")
    for spec in LAYERS:
        assert spec.nl and spec.en and spec.statuses
        assert all(re.fullmatch(r"#[0-9a-f]{6}", s.colour) for s in spec.statuses)
    assert {s.key for s in BY_KEY["host_room"].statuses} == {"free", "occupied", "paused"}
    assert {s.key for s in BY_KEY["placement"].statuses} == {
        "running",
        "plan_next_step",
        "minimum_stay_reached",
        "maximum_stay",
    }
    assert client_config("en")["layers"][0]["label"] == "Waiting-room dwellings"
    assert client_config("nl")["layers"][0]["label"] == "Wachtkamerwoningen"


def test_split_layers_keeps_order_and_drops_unknown():
    parts = split_layers([feature("storage", "stored"), feature("waiting", "evicted"), feature("nope", "x")])
    assert list(parts) == list(LAYER_KEYS)
    assert len(parts["storage"]) == 1 and len(parts["waiting"]) == 1 and sum(map(len, parts.values())) == 2


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_map_uses_only_the_apps_own_assets():
    html = render_html(build_map(collection(feature("host_room", "free"))))
    urls = _asset_urls(html)
    assert urls, "the map links its scripts and styles"
    for url in urls:
        assert url.startswith("/static/"), url
        assert (STATIC / url.removeprefix("/static/")).is_file(), url
    assert "cdn" not in html.lower() and "https://" not in html and "http://" not in html.replace("http-equiv", "")
    for dropped in ("bootstrap", "jquery", "awesome"):
        assert dropped not in html.lower()
    assert "L.tileLayer" not in html  # no tile server: offline and private


def test_every_vendored_library_carries_its_licence():
    html = render_html(build_map(collection()))
    vendored = {Path(u).parts[3] for u in _asset_urls(html) if u.startswith("/static/vendor/")}
    assert vendored == {"leaflet", "leaflet.markercluster"}
    for name in vendored:
        assert (STATIC / "vendor" / name / "LICENSE").is_file()


def test_feature_text_cannot_break_out_of_the_script():
    evil = "</script><script>alert(1)</script>"
    html = render_html(build_map(collection(feature("host_room", "free", ref=evil))))
    assert evil not in html and "\\u003c/script\\u003e" in html


def test_one_switchable_cluster_layer_per_kind_and_hidden_layers_start_off():
    fc = collection(feature("wachtkamer", "free"), feature("waiting", "evicted"), feature("waiting", "evicted"))
    html = render_html(build_map(fc, hidden=("waiting",), language="en"))
    assert html.count("OnderdakMap.clusterLayer(") == len(LAYER_KEYS)
    assert '"Households waiting (origin) (2)"' in html and '"Waiting-room dwellings (1)"' in html
    waiting_var = re.search(r'var (\w+) = OnderdakMap.clusterLayer\("waiting"', html).group(1)
    wachtkamer_var = re.search(r'var (\w+) = OnderdakMap.clusterLayer\("wachtkamer"', html).group(1)
    assert f"{waiting_var}.addTo(" not in html
    assert f"{wachtkamer_var}.addTo(" in html
    assert html.rindex("OnderdakMap.ready(") > html.rindex("L.control.layers(")


def test_empty_map_still_renders_with_orientation():
    orientation = {
        "outline": [[50.8, 5.6], [50.9, 5.6], [50.9, 5.8]],
        "towns": [{"name": "Maastricht", "lat": 50.85, "lon": 5.69}],
    }
    html = render_html(build_map(collection(), orientation=orientation))
    assert '"name":"Maastricht"' in html and "OnderdakMap.setup(" in html


@pytest.mark.parametrize("forbidden", ["api", "sqlalchemy", "fastapi"])
def test_maps_never_touches_the_database_or_the_app(forbidden):
    code = (
        "import sys, maps, maps.build, maps.geo, maps.layers; "
        f"bad = [m for m in sys.modules if m == {forbidden!r} or m.startswith({forbidden!r} + '.')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------- the first view (issue 20.9)

MAASTRICHT = (50.851, 5.691)
GRONINGEN = (53.219, 6.567)  # a household registered with a typo in its address: ~270 km away


def test_first_view_fits_the_municipality_not_an_outlier():
    town = [(50.83 + i * 0.004, 5.66 + (i % 5) * 0.01) for i in range(20)]
    (south, west), (north, east) = core_bounds(town + [GRONINGEN], anchor=MAASTRICHT)
    assert north < 51.0 and east < 5.8, "the outlier in Groningen must not stretch the first view"
    assert south <= MAASTRICHT[0] <= north and west <= MAASTRICHT[1] <= east
    assert (north - south) * 111.2 < 15  # a town's size, not a province's
    # Without the outlier the view is the same town: the outlier changed nothing.
    assert core_bounds(town, anchor=MAASTRICHT) == core_bounds(town + [GRONINGEN], anchor=MAASTRICHT)


def test_first_view_keeps_a_spread_out_region_and_the_anchor_alone():
    region = [MAASTRICHT, (50.888, 5.979), (50.966, 5.836), (50.77, 5.87)]  # Maastricht, Heerlen, Sittard area
    (south, west), (north, east) = core_bounds(region)
    assert north - south > 0.1 and east - west > 0.15  # all four towns are close enough: nothing is dropped
    box = core_bounds([], anchor=MAASTRICHT)
    assert box is not None and box[0][0] < MAASTRICHT[0] < box[1][0]
    assert core_bounds([]) is None


def test_built_map_fits_the_first_view_without_the_outlier():
    features = [feature("waiting", "waiting", 50.84 + i * 0.003, 5.68) for i in range(10)]
    features.append(feature("waiting", "waiting", *GRONINGEN))
    fmap = build_map(collection(*features), orientation={"outline": [], "towns": [], "centre": list(MAASTRICHT)})
    setup = next(child for child in fmap._children.values() if hasattr(child, "bounds"))
    (south, _), (north, _) = json.loads(setup.bounds)
    assert south < MAASTRICHT[0] < north < 51.0
