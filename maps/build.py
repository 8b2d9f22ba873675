"""Build the coordinators' map with folium from a GeoJSON FeatureCollection.

Why this shape:
- **Offline, no CDN.** Folium's Map loads Leaflet, jQuery, Bootstrap and awesome-markers from
  CDNs by default. :class:`OfflineMap` replaces that list with Leaflet served by the app itself
  (``/static/vendor/leaflet``) and drops the rest (no Bootstrap, jQuery or icon fonts are used);
  :class:`ClusterLayer` brings Leaflet.markercluster from ``/static/vendor`` likewise.
- **No tile server.** ``tiles=None``: no third party learns which area a coordinator looks at,
  and the map works without internet. An outline and town labels (GeoNames) give orientation.
- **10,000 markers.** One folium object per marker makes a Python object, a JS variable and a
  popup per point (slow to build, slow to parse). Each layer here is *one* GeoJSON object handed
  to ``/static/js/map.js``, which adds all markers to a MarkerCluster group in one
  ``addLayers`` call and builds a popup only when it is opened. See benchmarks/bench_map.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import folium
from branca.element import Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from maps.geo import bounds, core_bounds
from maps.layers import LAYER_KEYS, LAYERS, client_config

DEFAULT_CENTRE = (50.85, 5.69)  # Maastricht, only when there is nothing at all to show


def _js_json(value: Any) -> str:
    """JSON safe inside a <script> element: no '</script>' or '<!--' can close it early."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class OfflineMap(folium.Map):
    """A folium Map whose assets all come from the app (``static`` prefix), none from a CDN."""

    def __init__(self, *args: Any, static: str = "/static", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_js = [
            ("leaflet", f"{static}/vendor/leaflet/leaflet.js"),
            ("onderdak_map", f"{static}/js/map.js"),
        ]
        self.default_css = [
            ("leaflet_css", f"{static}/vendor/leaflet/leaflet.css"),
            ("onderdak_map_css", f"{static}/css/maps.css"),
        ]


class MapSetup(MacroElement):
    """Hands the labels and colours to map.js and draws the orientation outline and towns."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        OnderdakMap.setup({{ this._parent.get_name() }}, {{ this.config }}, {{ this.orientation }}, {{ this.bounds }});
        {% endmacro %}
        """
    )

    def __init__(self, config: Mapping[str, Any], orientation: Mapping[str, Any], fit: Any) -> None:
        super().__init__()
        self._name = "OnderdakMapSetup"
        self.bounds = _js_json(fit)
        self.config = _js_json(config)
        self.orientation = _js_json(orientation)


class ClusterLayer(JSCSSMixin, Layer):
    """One switchable layer: a GeoJSON FeatureCollection drawn as markers in a MarkerCluster group."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = OnderdakMap.clusterLayer({{ this.key|tojson }}, {{ this.data }});
        {% endmacro %}
        """
    )

    def __init__(self, key: str, name: str, collection: Mapping[str, Any], *, show: bool = True, static: str) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = f"ClusterLayer_{key}"
        self.key = key
        self.data = _js_json(collection)
        self.default_js = [("leaflet.markercluster", f"{static}/vendor/leaflet.markercluster/leaflet.markercluster.js")]
        self.default_css = [
            ("markercluster_css", f"{static}/vendor/leaflet.markercluster/MarkerCluster.css"),
            ("markercluster_default_css", f"{static}/vendor/leaflet.markercluster/MarkerCluster.Default.css"),
        ]


class MapReady(MacroElement):
    """Last script on the page: tells tests and benchmarks the markers are in."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        OnderdakMap.ready({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "OnderdakMapReady"


def split_layers(features: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """Features per ``properties.layer``, in the fixed layer order; unknown layers are dropped."""
    result: dict[str, list[Mapping[str, Any]]] = {key: [] for key in LAYER_KEYS}
    for feature in features:
        layer = feature["properties"].get("layer")
        if layer in result:
            result[layer].append(feature)
    return result


def build_map(
    collection: Mapping[str, Any],
    *,
    language: str = "nl",
    orientation: Mapping[str, Any] | None = None,
    hidden: Sequence[str] = (),
    static: str = "/static",
    title: str = "Kaart",
) -> folium.Map:
    """The folium map of one FeatureCollection: a clustered, switchable layer per ``properties.layer``."""
    per_layer = split_layers(collection.get("features", ()))
    points = [
        (f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0])
        for layer in per_layer.values()
        for f in layer
    ]
    orientation = dict(orientation or {"outline": [], "towns": []})
    # The first view fits where the municipality's households and places are, not an outlier far away.
    town_hall = orientation.get("centre")
    anchor = (float(town_hall[0]), float(town_hall[1])) if town_hall else None
    fit = core_bounds(points, pad=0.01, anchor=anchor) or bounds(
        [tuple(p) for p in orientation.get("outline", [])], pad=0.01
    )
    centre = ((fit[0][0] + fit[1][0]) / 2, (fit[0][1] + fit[1][1]) / 2) if fit else DEFAULT_CENTRE
    figure = Figure(title=title)
    figure.onderdak_language = language  # type: ignore[attr-defined]  # render_html puts it on <html lang> (folium's template has none)
    fmap = OfflineMap(
        location=centre,
        zoom_start=12,
        tiles=None,
        static=static,
        control_scale=True,
        prefer_canvas=False,
        attribution_control=True,
    )
    figure.add_child(fmap)
    fit_json = [list(fit[0]), list(fit[1])] if fit else None
    fmap.add_child(MapSetup(client_config(language), orientation, fit_json))
    for spec in LAYERS:
        layer_collection = {"type": "FeatureCollection", "features": per_layer[spec.key]}
        fmap.add_child(
            ClusterLayer(
                spec.key,
                f"{spec.label(language)} ({len(per_layer[spec.key])})",
                layer_collection,
                show=spec.key not in hidden,
                static=static,
            )
        )
    folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
    fmap.add_child(MapReady())
    return fmap


def render_html(fmap: folium.Map) -> str:
    """The whole map document as HTML (Leaflet set-up runs as inline scripts; see api/maps/router.py).

    The document gets the page's language on ``<html lang>``: screen readers pick their voice by it (WCAG 3.1.1).
    """
    root = fmap.get_root()
    language = getattr(root, "onderdak_language", "nl")
    return root.render().replace("<html>", f'<html lang="{language}">', 1)


__all__ = ["ClusterLayer", "OfflineMap", "build_map", "render_html", "split_layers"]
