"""All routes of the daily-matching loop in one router (registered once in api/shell/routers.py):
the matching and placement APIs, and the pages for matching, intake and the placement lifecycle."""

from __future__ import annotations

from fastapi import APIRouter

from api.households.pages import router as household_pages
from api.matching.pages import router as matching_pages
from api.matching.router import manual_router
from api.matching.router import router as matching_api
from api.placements.closing import api_router as closing_api
from api.placements.closing import page_router as closing_pages
from api.placements.closing import places_api as retiring_api
from api.placements.pages import router as placement_pages
from api.placements.router import router as placements_api

router = APIRouter()
for _sub in (
    matching_api,
    manual_router,
    placements_api,
    matching_pages,
    household_pages,
    placement_pages,
    closing_api,
    closing_pages,
    retiring_api,
):
    router.include_router(_sub)
