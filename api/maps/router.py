"""The map page ``/kaart``, the map document in its iframe, and the GeoJSON API for GIS.

Why an iframe with its own CSP: folium writes the map's set-up (``L.map(...)``, the layers and
the layer control) as inline ``<script>`` blocks. The app's CSP is ``script-src 'self'``, which
blocks them. Rather than relaxing the policy for every page, only the map *document*
(``/kaart/document``) is served with ``script-src 'self' 'unsafe-inline'``; it contains no
user-controlled HTML (all feature text is JSON-escaped and escaped again by map.js before it
reaches the DOM) and may be framed by our own pages only (``frame-ancestors 'self'``). The page
around it (``/kaart``) keeps the strict policy.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.auth.dependencies import DbSession, require_roles
from api.core import clock, data_version, i18n
from api.core.payload import Payload, respond
from api.core.principal import Principal
from api.core.templating import render
from api.maps import service
from maps.build import build_map, render_html
from maps.layers import LAYERS

router = APIRouter(tags=["maps"])

CanSeeMap = Annotated[Principal, Depends(require_roles(*service.MAP_ROLES))]
Scope = Annotated[
    Literal["municipality", "region"],
    Query(description="region: add the free and occupied places of the other municipalities of your region"),
]

MAP_DOCUMENT_CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'self'; form-action 'self'"
)

# The page a popup links to, by kind of record (route names of the HTML pages).
_LINK_ROUTES = {"host": ("vetting_detail", "host_id"), "household": ("household_page", "household_id")}


def _link_path(request: Request, link: service.RecordLink | None) -> str | None:
    if link is None:
        return None
    if link.kind == "storage":
        return request.app.url_path_for("list_page")
    name, param = _LINK_ROUTES[link.kind]
    return request.app.url_path_for(name, **{param: str(link.id)})


def _feature_json(request: Request, feature: service.MapFeature) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for key, value in feature.properties.items():
        properties[key] = value
        if key == "precision":  # the link follows the precision, as it always has
            properties["link"] = _link_path(request, feature.link)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [feature.lon, feature.lat]},
        "properties": properties,
    }


def geojson(request: Request, collection: service.MapCollection) -> dict[str, Any]:
    """The collection as a GeoJSON FeatureCollection, with each popup's link resolved to a path."""
    return {
        "type": "FeatureCollection",
        "properties": {
            "date": collection.day.isoformat(),
            "municipality_id": collection.municipality_id,
            "counts": collection.counts,
        },
        "features": [_feature_json(request, f) for f in collection.features],
    }


@router.get(
    "/api/map/geojson",
    summary="Map data as GeoJSON (FeatureCollection) for the municipality's own GIS",
    responses={200: {"content": {"application/geo+json": {}}}},
)
def map_geojson(
    request: Request,
    db: DbSession,
    principal: CanSeeMap,
    day: Annotated[date | None, Query(alias="date", description="YYYY-MM-DD; today when absent")] = None,
    layer: Annotated[str | None, Query(description="comma-separated: " + ", ".join(s.key for s in LAYERS))] = None,
    scope: Scope = "municipality",
) -> Response:
    """Every feature has ``properties.layer`` and ``properties.status``; host homes are rounded except for the
    crisis team; households by reference only."""
    day = day or clock.today()
    layers = service.parse_layers(layer)
    language = i18n.current_language.get()
    collection = service.map_collection(
        db, principal=principal, day=day, layers=layers, language=language, region=scope == "region"
    )  # audited on every request, cached or not
    key = ("maps.geojson", principal.municipality_id, principal.role, day, layers, language, scope)
    body = data_version.views.get_or_compute(
        db,
        key,
        lambda: Payload(json.dumps(geojson(request, collection), ensure_ascii=False, separators=(",", ":")).encode()),
    )
    return respond(request, body, "application/geo+json")


@router.get("/kaart", response_class=HTMLResponse, include_in_schema=False)
def map_page(
    request: Request,
    db: DbSession,
    principal: CanSeeMap,
    day: Annotated[date | None, Query(alias="date")] = None,
    scope: Scope = "municipality",
) -> Response:
    day = day or clock.today()
    language = i18n.current_language.get()
    collection = service.map_collection(
        db, principal=principal, day=day, language=language, audit_read=False, region=scope == "region"
    )
    counts: dict[str, dict[str, int]] = {spec.key: {s.key: 0 for s in spec.statuses} for spec in LAYERS}
    for feature in collection.features:
        counts[feature.layer][feature.status] = counts[feature.layer].get(feature.status, 0) + 1
    rows = [
        {
            "key": spec.key,
            "label": spec.label(language),
            "total": sum(counts[spec.key].values()),
            "statuses": [
                (s.en if language == "en" else s.nl, s.colour, counts[spec.key][s.key]) for s in spec.statuses
            ],
        }
        for spec in LAYERS
    ]
    return render(
        request,
        "maps/kaart.html",
        {
            "day": day,
            "rows": rows,
            "exact": principal.sees_exact_host_location,
            "lang_code": language,
            "scope": scope,
            "has_region": bool(service.region_neighbours(db, municipality_id=principal.municipality_id)),
        },
    )


@router.get("/kaart/document", response_class=HTMLResponse, include_in_schema=False)
def map_document(
    request: Request,
    db: DbSession,
    principal: CanSeeMap,
    day: Annotated[date | None, Query(alias="date")] = None,
    hide: Annotated[str | None, Query(description="comma-separated layers that start switched off")] = None,
    scope: Scope = "municipality",
) -> Response:
    """The folium map itself, shown in the page's iframe (see the module docstring for the CSP)."""
    day = day or clock.today()
    language = i18n.current_language.get()
    hidden = service.parse_layers(hide) if hide else ()
    collection = service.map_collection(db, principal=principal, day=day, language=language, region=scope == "region")

    def document() -> Payload:
        fmap = build_map(
            geojson(request, collection),
            language=language,
            orientation=asdict(
                service.orientation(db, municipality_id=principal.municipality_id, collection=collection)
            ),
            hidden=hidden,
            title="Kaart" if language == "nl" else "Map",
        )
        return Payload(render_html(fmap).encode())

    # Rendering ~2,000 features into the document was most of the request at scale: it is kept per data
    # version (api.core.data_version), for the same municipality, role, day, language, layers and scope.
    key = ("maps.document", principal.municipality_id, principal.role, day, language, hidden, scope)
    headers = {
        "Content-Security-Policy": MAP_DOCUMENT_CSP,
        "X-Frame-Options": "SAMEORIGIN",
        "Cache-Control": "no-store",
    }
    return respond(request, data_version.views.get_or_compute(db, key, document), "text/html; charset=utf-8", headers)
