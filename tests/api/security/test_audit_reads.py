"""Every page or API answer that shows a household's personal data leaves a 'read' in the audit trail.

Generic on purpose: each GET route of the app is called as the crisis team (who may see the most) on
objects of its own municipality; when the answer contains the name of any household of the municipality,
the call must have added an audit event. Every PDF (letters, agreements) counts as showing names.
A new route that shows names without recording the read fails.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from api.core.models import AuditEvent, Municipality
from api.households.models import Household, HouseholdMember
from tests.api.security.access_matrix import Lookup
from tests.api.security.test_access_matrix import _fill, _prepare_objects, app_routes, rate_limiters

log = logging.getLogger(__name__)

# Routes that show personal data but are known not to record the read yet (reported; remove when fixed).
KNOWN_GAPS: set[tuple[str, str]] = set()


def test_every_answer_with_a_household_name_is_audited(app, client, db, as_role):
    mid = db.scalar(select(Municipality.id).where(Municipality.code == "GM0935"))
    names = {
        n for n in db.scalars(select(Household.display_name).where(Household.municipality_id == mid)) if len(n) > 5
    }
    first_names = set(
        db.scalars(
            select(HouseholdMember.first_name)
            .join(Household, Household.id == HouseholdMember.household_id)
            .where(Household.municipality_id == mid)
        )
    )
    assert names and first_names
    _prepare_objects(db)
    headers = {**as_role("crisis_team"), "accept": "text/html,application/json"}
    lookup = Lookup(db, "GM0935", "gastgever1@maastricht.demo")
    limiters = rate_limiters(app)
    unaudited, checked = [], []
    for method, path, _route in app_routes(app):
        if method != "GET" or path in ("/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"):
            continue
        url = _fill(path, lookup, _route)
        before = db.scalar(select(func.count()).select_from(AuditEvent))
        response = client.get(url, headers=headers, follow_redirects=False)
        for limiter in limiters:
            limiter.reset()
        if response.status_code != 200:
            continue
        is_pdf = "pdf" in response.headers.get("content-type", "")
        body = "" if is_pdf else response.text
        shows_names = is_pdf or any(name in body for name in names)  # letters and agreements name people
        if not shows_names:
            continue
        checked.append(path)
        after = db.scalar(select(func.count()).select_from(AuditEvent))
        if after == before and (method, path) not in KNOWN_GAPS:
            unaudited.append(f"{method} {path}")
    log.info("routes showing household names (audited): %s", checked)
    assert checked, "no route showed a household name: the check would be vacuous"
    assert not unaudited, (
        "these routes show household names without recording the read "
        "(call api.core.audit.record(db, principal=..., action='read', object_type='household', ...)):\n"
        + "\n".join(unaudited)
    )
