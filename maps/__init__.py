"""Folium maps of Onderdak, built from plain GeoJSON: never touches the database.

``api.maps.service`` queries the database, applies privacy by role and hands a
FeatureCollection to :func:`maps.build.build_map`; this package only draws it.
"""

from maps.build import build_map, render_html
from maps.geo import coarse_point
from maps.layers import LAYERS

__all__ = ["LAYERS", "build_map", "coarse_point", "render_html"]
