"""Coordinators' map at scale: time to build (Python, folium) and to render (Chromium) 10,000 markers.

Three ways of putting N points on a folium map are compared on the same synthetic data
(places, households, placements and depots spread over the Dutch towns of the gazetteer):

- ``onderdak``: what ``/kaart`` uses (maps.build): one GeoJSON object per layer, drawn by
  ``/static/js/map.js`` into a MarkerCluster group per layer, popups built on opening;
- ``folium.Marker``: folium's usual way, one ``folium.Marker`` (with a tooltip; folium's Popup needs
  jQuery, which the app does not ship) per point inside ``folium.plugins.MarkerCluster`` (assets
  pointed at the app's vendored copies as well);
- ``FastMarkerCluster``: folium's plugin that ships the points as one array (no popups, one layer).

"Render" is measured in headless Chromium (/usr/bin/chromium) from navigation start until the
markers are drawn: for ``onderdak`` the moment map.js marks every visible layer as drawn (after
two animation frames); for the others the first animation frame after the ``load`` event with
marker elements in the DOM. The page is served over HTTP by a small local server (the map at
/map.html, the app's api/static as /static); any request elsewhere is refused (no network).

Run: ``python -m benchmarks bench_map`` (``make bench`` runs every benchmark). Prints a table.
"""

from __future__ import annotations

import contextlib
import http.server
import random
import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import folium
from folium.plugins import FastMarkerCluster, MarkerCluster

from maps.build import build_map, render_html
from maps.geo import coarse_point
from maps.layers import BY_KEY
from seed_data import gazetteer

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "api" / "static"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
SHARE = {"wachtkamer": 0.15, "host_room": 0.40, "waiting": 0.30, "placement": 0.13, "storage": 0.02}
REPEAT = 3


def synthetic_collection(n: int = 10_000, seed: int = 9) -> dict[str, Any]:
    """N point features over the Dutch towns of 15,000+ inhabitants, statuses mixed like real data."""
    rng = random.Random(seed)
    towns = gazetteer.load("netherlands_15000")
    features = []
    for layer, share in SHARE.items():
        statuses = [s.key for s in BY_KEY[layer].statuses]
        for i in range(round(n * share)):
            town = rng.choice(towns)
            lat, lon = town.lat + rng.gauss(0, 0.02), town.lon + rng.gauss(0, 0.03)
            if layer in ("host_room", "waiting"):
                lat, lon = coarse_point(lat, lon)
            props: dict[str, Any] = {
                "layer": layer,
                "status": rng.choice(statuses),
                "ref": f"{layer[:2].upper()}-{i:05d}",
                "capacity": rng.randint(1, 6),
                "precision": "approx_1km",
                "link": f"/huishoudens/{i}",
            }
            if layer == "placement":
                props.update(day_count=rng.randint(0, 60), days_left=rng.randint(-4, 56), start_date="2026-10-01")
            features.append(
                {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}
            )
    return {"type": "FeatureCollection", "features": features[:n]}


def _points(collection: dict[str, Any]) -> list[tuple[float, float, dict[str, Any]]]:
    return [
        (f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0], f["properties"])
        for f in collection["features"]
    ]


def _offline(element: Any) -> None:
    """Point a folium element's CDN assets at the app's vendored copies; drop the ones not vendored."""
    local = {
        "leaflet": "/static/vendor/leaflet/leaflet.js",
        "leaflet_css": "/static/vendor/leaflet/leaflet.css",
        "markerclusterjs": "/static/vendor/leaflet.markercluster/leaflet.markercluster.js",
        "markerclustercss": "/static/vendor/leaflet.markercluster/MarkerCluster.css",
        "markerclusterdefaultcss": "/static/vendor/leaflet.markercluster/MarkerCluster.Default.css",
    }
    element.default_js = [(k, local[k]) for k, _ in element.default_js if k in local]
    element.default_css = [(k, local[k]) for k, _ in element.default_css if k in local]


def build_onderdak(collection: dict[str, Any]) -> str:
    return render_html(build_map(collection, title="bench"))


def build_folium_markers(collection: dict[str, Any]) -> str:
    fmap = folium.Map(location=(52.1, 5.3), zoom_start=8, tiles=None)
    fmap.options["maxZoom"] = 18  # no tile layer to take it from; MarkerCluster needs one
    _offline(fmap)
    cluster = MarkerCluster()
    _offline(cluster)
    cluster.add_to(fmap)
    for lat, lon, props in _points(collection):
        # Tooltip, not Popup: folium's Popup template needs jQuery, which the app does not ship.
        folium.Marker((lat, lon), tooltip=f"{props['ref']} {props['status']}").add_to(cluster)
    return fmap.get_root().render()


def build_fast_cluster(collection: dict[str, Any]) -> str:
    fmap = folium.Map(location=(52.1, 5.3), zoom_start=8, tiles=None)
    fmap.options["maxZoom"] = 18  # no tile layer to take it from; MarkerCluster needs one
    _offline(fmap)
    # The default callback needs Leaflet.awesome-markers (not shipped): plain markers instead.
    fast = FastMarkerCluster(
        [(lat, lon) for lat, lon, _ in _points(collection)],
        callback="(function (row) { return L.marker(new L.LatLng(row[0], row[1])); })",
    )
    _offline(fast)
    fast.add_to(fmap)
    return fmap.get_root().render()


WAIT_ONDERDAK = "() => !!document.body && document.body.getAttribute('data-map-ready') === '1'"
READY_ONDERDAK = "OnderdakMap.readyAt"
WAIT_OTHER = "() => document.readyState === 'complete' && document.querySelector('.leaflet-marker-icon') !== null"
READY_OTHER = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves the map under test at /map.html and the app's static files, like the app would."""

    html = b""
    types = {".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".html": "text/html; charset=utf-8"}

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        path = self.path.split("?")[0]
        if path == "/map.html":
            body, kind = self.html, self.types[".html"]
        elif path.startswith("/static/") and (STATIC / path.removeprefix("/static/")).is_file():
            file = STATIC / path.removeprefix("/static/")
            body, kind = file.read_bytes(), self.types.get(file.suffix, "application/octet-stream")
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def _server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def render_ms(
    browser: Any, base: str, html: str, *, onderdak: bool, screenshot: Path | None = None
) -> tuple[float, int]:
    """Milliseconds from navigation start until the markers are drawn, and the marker/cluster icons in the DOM."""
    _Handler.html = html.encode()
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=base)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    page = context.new_page()
    page.goto("/map.html", wait_until="commit")
    page.wait_for_function(WAIT_ONDERDAK if onderdak else WAIT_OTHER, timeout=120_000, polling=50)
    ready = float(page.evaluate(READY_ONDERDAK if onderdak else READY_OTHER))
    icons = int(page.evaluate("document.querySelectorAll('.leaflet-marker-icon').length"))
    if screenshot is not None:
        page.wait_for_timeout(600)  # let the cluster animation settle for the picture
        page.screenshot(path=str(screenshot))
    context.close()
    return ready, icons


def main(n: int = 10_000, screenshot: Path | None = None) -> dict[str, dict[str, float]]:
    collection = synthetic_collection(n)
    variants = [
        ("onderdak (GeoJSON per layer, map.js)", build_onderdak, True),
        ("folium.Marker in MarkerCluster", build_folium_markers, False),
        ("folium FastMarkerCluster (no popups)", build_fast_cluster, False),
    ]
    results: dict[str, dict[str, float]] = {}
    htmls: dict[str, str] = {}
    for name, build, _ in variants:
        times = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            htmls[name] = build(collection)
            times.append((time.perf_counter() - start) * 1000)
        results[name] = {"build_ms": statistics.median(times), "html_kb": len(htmls[name].encode()) / 1024}
    if Path(CHROMIUM).exists():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw, _server() as base:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for index, (name, _, onderdak) in enumerate(variants):
                runs = [
                    render_ms(
                        browser,
                        base,
                        htmls[name],
                        onderdak=onderdak,
                        screenshot=screenshot if index == 0 and r == 0 else None,
                    )
                    for r in range(REPEAT)
                ]
                results[name]["render_ms"] = statistics.median(r[0] for r in runs)
            browser.close()
    print(f"{n:,} markers; median of {REPEAT} runs; render = headless Chromium until markers are drawn\n")
    print("| variant | build (ms) | HTML (KiB) | render (ms) |")
    print("|---|---:|---:|---:|")
    for name, r in results.items():
        render = f"{r['render_ms']:.0f}" if "render_ms" in r else "n/a (no Chromium)"
        print(f"| {name} | {r['build_ms']:.0f} | {r['html_kb']:.0f} | {render} |")
    return results


if __name__ == "__main__":
    main()
