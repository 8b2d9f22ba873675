"""Tenancy: no answer to a Maastricht account contains a record of Heerlen.

Every GET route is called as every Maastricht role (own objects in the path); the demo data gives
every household, host, place and lot a reference with its municipality's CBS number (…-0917-… for
Heerlen), so a leaked row shows up in the text of the answer whatever its format.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from api.core.models import Municipality
from api.households.models import Household
from tests.api.security.access_matrix import ROLE_ORDER, Lookup
from tests.api.security.test_access_matrix import _bearer, _fill, _prepare_objects, app_routes, rate_limiters

SKIP = {"/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"}


def test_no_answer_to_one_municipality_holds_another_municipalitys_records(app, client, db):
    heerlen = db.scalar(select(Municipality.id).where(Municipality.code == "GM0917"))
    references = set(db.scalars(select(Household.reference).where(Household.municipality_id == heerlen)))
    assert references and all("0917" in r for r in references), "demo references carry the CBS number"
    pattern = re.compile(r"\b[A-Z]{2,3}-0917-\d+")
    _prepare_objects(db)
    lookup = Lookup(db, "GM0935", "gastgever1@maastricht.demo")
    limiters = rate_limiters(app)
    leaks = []
    for role in ROLE_ORDER[1:]:
        headers = {**_bearer(client, role), "accept": "text/html,application/json"}
        for method, path, route in app_routes(app):
            if method != "GET" or path in SKIP:
                continue
            response = client.get(_fill(path, lookup, route), headers=headers, follow_redirects=False)
            for limiter in limiters:
                limiter.reset()
            if response.status_code == 200 and "pdf" not in response.headers.get("content-type", ""):
                found = sorted(set(pattern.findall(response.text)))
                if found:
                    leaks.append(f"{role} GET {path}: {found[:5]}")
    own = client.get("/api/households", headers=_bearer(client, "crisis_team")).text
    assert re.search(r"\b[A-Z]{2,3}-0935-\d+", own), "the pattern must match the references it looks for"
    assert not leaks, "answers to Maastricht accounts that show Heerlen records:\n" + "\n".join(leaks)
