"""Every router of the app, in one list: a domain adds its router here."""

from __future__ import annotations

from fastapi import APIRouter

from api.admin.router import router as admin_router
from api.auth.router import router as auth_router
from api.board.pages import router as board_router
from api.capacity.pages import router as capacity_pages_router
from api.capacity.router import router as capacity_router
from api.hosts.pages import router as hosts_pages_router
from api.hosts.router import router as hosts_router
from api.households.router import router as households_router
from api.maps.router import router as maps_router
from api.matching.routes import router as matching_router
from api.offers.pages import router as offers_pages_router
from api.offers.router import router as offers_router
from api.places.pages import router as places_pages_router
from api.places.router import router as places_router
from api.rules.router import all_routes as rules_router
from api.shell.router import router as core_router
from api.stays.pages import router as stay_pages_router
from api.stays.router import router as stays_router
from api.storage.router import router as storage_router

ROUTERS: list[APIRouter] = [
    core_router,
    auth_router,
    admin_router,
    households_router,
    hosts_pages_router,
    hosts_router,
    places_router,
    places_pages_router,
    maps_router,
    matching_router,
    board_router,
    capacity_router,
    capacity_pages_router,
    offers_router,
    offers_pages_router,
    rules_router,
    storage_router,
    stays_router,
    stay_pages_router,
]
