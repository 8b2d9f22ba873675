"""The expected HTTP status of every route for every role, in the own and in another municipality.

HOW TO ADD YOUR ROUTE (tests/api/security/test_access_matrix.py fails until you do):

    ("GET", "/api/things/{thing_id}"): E("401 403 200 200 200 403", other="401 403 404 404 404 403"),

Columns, always in this order:   anonymous  admin  coordinator  crisis_team  case_worker  host

- The first string is what each caller gets for an object of its *own* municipality (for a host: its own
  record). ``other=`` is what the same Maastricht caller gets for the object of *another* municipality
  (Heerlen); give it for every route with an object id in its path (it should be 404 or 403, never 2xx).
- Calls are made with a bearer token of the demo account (no CSRF needed), ``Accept: application/json``,
  and an empty JSON body ``{}`` for POST/PUT/PATCH: so a role that passes authorisation usually gets 422
  (the body is incomplete) — that is the expected "allowed" status for writes. When that 422 would come
  before the object is looked up (so another municipality's object would not give 404), put a valid body
  in :data:`BODIES`.
- Path parameters are filled by :data:`PARAMS` (add yours there when the name is new); a name that maps
  to ``None`` stands for an object the demo data does not hold (then the allowed roles see 404).
- The failure message of the test prints ready-made lines with the statuses it observed for missing
  routes: check every cell against what the role *should* be allowed before pasting them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

ROLE_ORDER = ("anonymous", "admin", "coordinator", "crisis_team", "case_worker", "host")


@dataclass(frozen=True)
class E:
    own: str
    other: str | None = None

    def cells(self, which: str) -> dict[str, int]:
        text = self.own if which == "own" else self.other
        assert text is not None
        values = [int(v) for v in text.split()]
        assert len(values) == len(ROLE_ORDER), f"six statuses expected, got {text!r}"
        return dict(zip(ROLE_ORDER, values, strict=True))


# Shorthands for common rows (own municipality).
PUBLIC = E("200 200 200 200 200 200")
ANY_LOGGED_IN = E("401 200 200 200 200 200")
ADMIN_ONLY = E("401 200 403 403 403 403")
ADMIN_WRITE = E("401 422 403 403 403 403")

MATRIX: dict[tuple[str, str], E] = {
    # ---------------------------------------------------------------- framework and core
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/redoc"): PUBLIC,
    ("GET", "/health"): PUBLIC,
    # anonymous to /login, a host to /gastgever, an administrator to the accounts (the overview lists households)
    ("GET", "/"): E("303 303 200 200 200 303"),
    # ---------------------------------------------------------------- auth (CSRF before anything for cookies)
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): E("403 422 422 422 422 422"),
    ("POST", "/logout"): E("403 303 303 303 303 303"),
    ("POST", "/api/auth/token"): E("422 422 422 422 422 422"),
    # ---------------------------------------------------------------- admin: audit trail and accounts
    ("GET", "/api/admin/audit"): ADMIN_ONLY,
    ("GET", "/api/admin/audit.csv"): ADMIN_ONLY,
    ("GET", "/api/admin/audit.json"): ADMIN_ONLY,
    ("GET", "/api/admin/audit.xlsx"): ADMIN_ONLY,
    ("GET", "/api/admin/accounts"): ADMIN_ONLY,
    ("POST", "/api/admin/accounts"): E("403 422 403 403 403 403"),
    # norms of a new half-year: an administrator's task (audited); nobody else reads or writes them here
    ("GET", "/api/admin/policy/norms"): ADMIN_ONLY,
    ("POST", "/api/admin/policy/norms"): E("403 422 403 403 403 403"),
    ("PATCH", "/api/admin/accounts/{user_id}"): E("403 200 403 403 403 403", other="403 404 403 403 403 403"),
    # four eyes: pending admin changes (the demo holds none, so an admin's decision on an id is 404)
    ("GET", "/api/admin/changes"): ADMIN_ONLY,
    ("POST", "/api/admin/changes/{change_id}/approve"): E("403 404 403 403 403 403", other="403 404 403 403 403 403"),
    ("POST", "/api/admin/changes/{change_id}/refuse"): E("403 404 403 403 403 403", other="403 404 403 403 403 403"),
    ("POST", "/api/admin/accounts/{user_id}/revoke-tokens"): E(
        "403 200 403 403 403 403", other="403 404 403 403 403 403"
    ),
    ("GET", "/admin/audit"): ADMIN_ONLY,
    ("GET", "/admin/accounts"): ADMIN_ONLY,
    ("POST", "/admin/accounts"): E("403 422 403 403 403 403"),
    # the norms page: an administrator lists and adds half-years (same service as the API, audited)
    ("GET", "/beheer/normen"): ADMIN_ONLY,
    # four eyes in a page: the demo holds no pending change, so an admin's decision on an id is 404
    ("GET", "/beheer/wijzigingen"): ADMIN_ONLY,
    ("POST", "/beheer/wijzigingen/{change_id}/goedkeuren"): E(
        "403 404 403 403 403 403", other="403 404 403 403 403 403"
    ),
    ("POST", "/beheer/wijzigingen/{change_id}/weigeren"): E("403 404 403 403 403 403", other="403 404 403 403 403 403"),
    ("POST", "/beheer/normen"): E("403 422 403 403 403 403"),
    ("POST", "/admin/accounts/{user_id}/active"): E("403 303 403 403 403 403", other="403 404 403 403 403 403"),
    # the municipality's look: an administrator's setting (an empty form means the default look)
    ("GET", "/beheer/huisstijl"): ADMIN_ONLY,
    ("POST", "/beheer/huisstijl"): E("403 303 403 403 403 403"),
    # calendar links: only the team reads the deadlines feed, so only the team gets the page
    ("GET", "/account/agenda"): E("401 403 200 200 200 403"),
    ("POST", "/account/agenda"): E("403 403 200 200 200 403"),
    ("POST", "/account/agenda/intrekken"): E("403 403 303 303 303 403"),
    # ---------------------------------------------------------------- households
    ("GET", "/api/households"): E("401 403 200 200 200 403"),
    ("GET", "/api/households/export.{fmt}"): E("401 403 200 200 200 403"),
    ("GET", "/huishoudens"): E("401 403 200 200 200 403"),
    ("GET", "/api/households/{household_id}"): E("401 403 200 200 200 403", other="401 403 404 404 404 403"),
    ("POST", "/api/households"): E("403 403 403 422 422 403"),
    ("POST", "/api/households/import"): E("403 403 403 422 422 403"),
    ("GET", "/huishoudens/nieuw"): E("401 403 403 200 200 403"),
    ("POST", "/huishoudens/nieuw"): E("403 403 403 422 422 403"),
    ("GET", "/huishoudens/import"): E("401 403 403 200 200 403"),
    ("POST", "/huishoudens/import"): E("403 403 403 422 422 403"),
    ("GET", "/huishoudens/{household_id:int}"): E("401 403 200 200 200 403", other="401 403 404 404 404 403"),
    # ---------------------------------------------------------------- hosts: public sign-up, vetting, self-service
    ("GET", "/aanmelden"): PUBLIC,
    ("POST", "/aanmelden"): E("403 422 422 422 422 422"),
    ("POST", "/aanmelden/voorbeeld"): E("403 200 200 200 200 200"),
    ("GET", "/aanmelden/plaatsen.json"): PUBLIC,
    ("GET", "/aanmelden/bedankt"): PUBLIC,
    ("GET", "/aanmelden/bevestigen/{token}"): E("404 404 404 404 404 404"),
    ("POST", "/aanmelden/bevestigen/{token}"): E("403 404 404 404 404 404"),
    ("GET", "/gastgevers"): E("401 403 200 200 403 403"),
    ("GET", "/gastgevers/{host_id}"): E("401 403 200 200 403 403", other="401 403 404 404 403 403"),
    ("POST", "/gastgevers/{host_id}/checklist"): E("403 403 422 422 403 403", other="403 403 404 404 403 403"),
    ("POST", "/gastgevers/{host_id}/status"): E("403 403 422 422 403 403", other="403 403 404 404 403 403"),
    ("POST", "/gastgevers/{host_id}/uitnodiging"): E("403 403 200 200 403 403", other="403 403 404 404 403 403"),
    ("POST", "/gastgevers/{host_id}/screening"): E("403 403 422 422 403 403", other="403 403 404 404 403 403"),
    # the reconfirmation link (no account; an unknown token is 404 for everyone)
    ("GET", "/beschikbaarheid/{token}"): E("404 404 404 404 404 404"),
    ("POST", "/beschikbaarheid/{token}/ja"): E("403 404 404 404 404 404"),
    ("POST", "/beschikbaarheid/{token}/pauze"): E("403 404 404 404 404 404"),
    ("GET", "/gastgever"): E("401 403 403 403 403 200"),
    ("POST", "/gastgever/status"): E("403 403 403 403 403 422"),
    ("POST", "/gastgever/kamers/{place_id}/beschikbaarheid"): E(
        "403 403 403 403 403 422", other="403 403 403 403 403 404"
    ),
    ("POST", "/gastgever/kamers/{place_id}/bezet"): E("403 403 403 403 403 422", other="403 403 403 403 403 404"),
    ("POST", "/gastgever/kamers/{place_id}/bezet/{period_id}/verwijderen"): E(
        "403 403 403 403 403 404", other="403 403 403 403 403 404"
    ),
    ("GET", "/gastgever/wachtwoord/{token}"): E("404 404 404 404 404 404"),
    ("POST", "/gastgever/wachtwoord/{token}"): E("403 404 404 404 404 404"),
    # hosts and places JSON API (a write with an empty body is 422 before any lookup, hence 422 for "other")
    ("GET", "/api/hosts"): E("401 403 200 200 403 403"),
    ("GET", "/api/hosts/export.{fmt}"): E("401 403 200 200 403 403"),
    ("GET", "/api/hosts/me"): E("401 403 403 403 403 200"),
    ("POST", "/api/hosts/me/transitions"): E("403 403 403 403 403 422"),
    ("GET", "/api/hosts/{host_id}"): E("401 403 200 200 403 403", other="401 403 404 404 403 403"),
    ("PUT", "/api/hosts/{host_id}/checklist"): E("403 403 422 422 403 403", other="403 403 404 404 403 403"),
    ("POST", "/api/hosts/{host_id}/transitions"): E("403 403 200 200 403 403", other="403 403 404 404 403 403"),
    ("GET", "/api/places"): E("401 403 200 200 200 403"),
    ("GET", "/api/places/export.{fmt}"): E("401 403 200 200 200 403"),
    ("GET", "/plaatsen"): E("401 403 200 200 200 403"),
    ("PUT", "/api/places/{place_id}/availability"): E("403 403 422 403 403 422", other="403 403 404 403 403 404"),
    ("POST", "/api/places/{place_id}/unavailability"): E("403 403 422 403 403 422", other="403 403 404 403 403 404"),
    ("DELETE", "/api/places/{place_id}/unavailability/{period_id}"): E(
        "403 403 404 403 403 404", other="403 403 404 403 403 404"
    ),
    # ---------------------------------------------------------------- map
    ("GET", "/api/map/geojson"): E("401 403 200 200 200 403"),
    ("GET", "/kaart"): E("401 403 200 200 200 403"),
    ("GET", "/kaart/document"): E("401 403 200 200 200 403"),
    # ---------------------------------------------------------------- daily matching and placements
    ("POST", "/api/matching/runs"): E("403 403 403 200 403 403"),
    ("GET", "/api/matching/runs"): E("401 403 200 200 200 403"),
    ("GET", "/api/matching/runs/latest"): E("401 403 200 200 200 403"),
    ("GET", "/api/matching/runs/{run_id}"): E("401 403 200 200 200 403", other="401 403 404 404 404 403"),
    ("GET", "/api/matching/runs/{run_id}/proposals"): E("401 403 200 200 200 403", other="401 403 404 404 404 403"),
    ("GET", "/api/matching/runs/{run_id}/proposals/export.{fmt}"): E(
        "401 403 200 200 200 403", other="401 403 404 404 404 403"
    ),
    # several proposals at once: the crisis team's decision, each proposal on its own (an empty body is 422)
    ("POST", "/api/matching/proposals/bulk"): E("403 403 403 422 403 403"),
    ("POST", "/matching/voorstellen/bulk"): E("403 403 403 422 403 403"),
    ("GET", "/api/matching/instance"): E("401 403 200 200 200 403"),
    ("POST", "/api/matching/proposals/{proposal_id}/confirm"): E(
        "403 403 403 201 403 403", other="403 403 403 404 403 403"
    ),
    ("POST", "/api/matching/proposals/{proposal_id}/reject"): E(
        "403 403 403 200 403 403", other="403 403 403 404 403 403"
    ),
    ("GET", "/api/placements"): E("401 403 200 200 200 403"),
    ("GET", "/api/placements/export.{fmt}"): E("401 403 200 200 200 403"),
    ("GET", "/plaatsingen"): E("401 403 200 200 200 403"),
    ("POST", "/api/placements"): E("403 403 403 422 403 403"),
    ("GET", "/api/placements/report"): E("401 403 200 200 200 403"),
    ("GET", "/api/placements/{placement_id}"): E("401 403 200 200 200 403", other="401 403 404 404 404 403"),
    ("POST", "/api/placements/{placement_id}/start"): E("403 403 403 409 403 403", other="403 403 403 404 403 403"),
    ("POST", "/api/placements/{placement_id}/end"): E("403 403 403 200 403 403", other="403 403 403 404 403 403"),
    ("POST", "/api/placements/{placement_id}/cancel"): E("403 403 403 409 403 403", other="403 403 403 404 403 403"),
    ("GET", "/api/placements/{placement_id}/letter.pdf"): E("401 403 200 200 200 403", other="401 403 404 404 404 403"),
    ("GET", "/matching"): E("401 403 200 200 200 403"),
    ("POST", "/matching/run"): E("403 403 403 303 403 403"),
    ("POST", "/matching/voorstellen/{proposal_id}/bevestigen"): E(
        "403 403 403 303 403 403", other="403 403 403 404 403 403"
    ),
    ("POST", "/matching/voorstellen/{proposal_id}/afwijzen"): E(
        "403 403 403 422 403 403", other="403 403 403 404 403 403"
    ),
    ("POST", "/matching/handmatig"): E("403 403 403 422 403 403"),
    ("GET", "/rapportage"): E("401 403 200 200 200 403"),
    ("POST", "/plaatsingen/{placement_id}/start"): E("403 403 403 409 403 403", other="403 403 403 404 403 403"),
    ("POST", "/plaatsingen/{placement_id}/einde"): E("403 403 403 303 403 403", other="403 403 403 404 403 403"),
    ("POST", "/plaatsingen/{placement_id}/annuleren"): E("403 403 403 409 403 403", other="403 403 403 404 403 403"),
    ("GET", "/plaatsingen/{placement_id}/brief.pdf"): E("401 403 200 200 200 403", other="401 403 404 404 404 403"),
    # ---------------------------------------------------------------- during and after a stay (api/stays)
    # a host reads only its own guests' check-ins (the demo placement is not one: 404); the contact log is the team's
    ("GET", "/api/stays/due"): E("401 403 200 200 200 403"),
    ("GET", "/api/stays/outcomes"): E("401 403 200 200 200 403"),
    ("POST", "/api/stays/{placement_id}/introductions"): E("403 403 403 409 403 403", other="403 403 403 404 403 403"),
    ("POST", "/api/stays/{placement_id}/agreement"): E("403 403 403 201 403 403", other="403 403 403 404 403 403"),
    ("POST", "/api/stays/{placement_id}/arrival"): E("403 403 403 409 403 403", other="403 403 403 404 403 403"),
    ("GET", "/api/stays/{placement_id}/check-ins"): E("401 403 200 200 200 404", other="401 403 404 404 404 404"),
    ("POST", "/api/stays/{placement_id}/check-ins"): E("403 403 403 201 201 403", other="403 403 403 404 404 403"),
    ("POST", "/api/stays/{placement_id}/breakdown"): E("403 403 403 201 403 403", other="403 403 403 404 403 403"),
    ("GET", "/api/stays/{placement_id}/extensions"): E("401 403 200 200 200 403", other="401 403 404 404 404 403"),
    ("POST", "/api/stays/{placement_id}/extensions"): E("403 403 403 422 403 403", other="403 403 403 404 403 403"),
    ("POST", "/api/stays/{placement_id}/end"): E("403 403 403 201 403 403", other="403 403 403 404 403 403"),
    ("GET", "/api/stays/{placement_id}/follow-ups"): E("401 403 200 200 200 403", other="401 403 404 404 404 403"),
    ("POST", "/api/stays/{placement_id}/follow-ups"): E("403 403 403 409 403 403", other="403 403 403 404 403 403"),
    ("GET", "/api/stays/households/{household_id}/contacts"): E(
        "401 403 403 200 200 403", other="401 403 403 404 404 403"
    ),
    ("POST", "/api/stays/households/{household_id}/contacts"): E(
        "403 403 403 201 201 403", other="403 403 403 404 404 403"
    ),
    ("GET", "/huishoudens/{household_id:int}/verblijf"): E("401 403 200 200 200 403", other="401 403 404 404 404 403"),
    ("POST", "/verblijven/{placement_id}/gesprek"): E("403 403 403 303 303 403", other="403 403 403 404 404 403"),
    ("POST", "/huishoudens/{household_id:int}/contact"): E("403 403 403 303 303 403", other="403 403 403 404 404 403"),
    ("POST", "/verblijven/{placement_id}/kennismaking"): E("403 403 403 409 403 403", other="403 403 403 404 403 403"),
    ("POST", "/verblijven/{placement_id}/overeenkomst"): E("403 403 403 303 403 403", other="403 403 403 404 403 403"),
    ("POST", "/verblijven/{placement_id}/aankomst"): E("403 403 403 409 403 403", other="403 403 403 404 403 403"),
    ("POST", "/verblijven/{placement_id}/verlenging"): E("403 403 403 422 403 403", other="403 403 403 404 403 403"),
    ("POST", "/verblijven/{placement_id}/einde"): E("403 403 403 303 403 403", other="403 403 403 404 403 403"),
    ("POST", "/verblijven/{placement_id}/afbreken"): E("403 403 403 303 403 403", other="403 403 403 404 403 403"),
    ("POST", "/verblijven/{placement_id}/nazorg"): E("403 403 403 409 403 403", other="403 403 403 404 403 403"),
    ("GET", "/verblijven/uitkomsten"): E("401 403 200 200 200 403"),
    # ---------------------------------------------------------------- rules: cost sharing, stay clock, deadlines
    ("POST", "/api/rules/cost-sharing/preview"): E("422 422 422 422 422 422"),  # a calculator, no personal data
    # a host hears only about its own guests (proposed to it or staying with it): the first household of the
    # municipality is none of them, so 404; its own guest is 200 (tests/api/security/test_host_guests.py)
    ("GET", "/api/rules/hosts/{host_id}/cost-sharing"): E("401 403 200 200 200 404", other="401 403 404 404 404 404"),
    ("POST", "/api/rules/hosts/{host_id}/landlord-consent"): E(
        "403 403 200 200 403 403", other="403 403 404 404 403 403"
    ),
    ("POST", "/api/rules/hosts/{host_id}/exemption-decision"): E(
        "403 403 200 200 403 403", other="403 403 404 404 403 403"
    ),
    ("GET", "/api/rules/placements/{placement_id}/agreement"): E(
        "401 403 422 422 422 404", other="401 403 404 404 404 404"
    ),
    ("GET", "/api/rules/placements/{placement_id}/agreement.pdf"): E(
        "401 403 422 422 422 404", other="401 403 404 404 404 404"
    ),
    ("GET", "/api/rules/placements/{placement_id}/use-agreement"): E(
        "401 403 200 200 200 403", other="401 403 404 404 404 403"
    ),
    ("GET", "/api/rules/placements/{placement_id}/use-agreement.pdf"): E(
        "401 403 200 200 200 403", other="401 403 404 404 404 403"
    ),
    ("GET", "/api/rules/placements/{placement_id}/stay"): E("401 403 200 200 200 403", other="401 403 404 404 404 403"),
    ("GET", "/api/rules/deadlines"): E("401 403 200 200 200 403"),
    ("GET", "/api/rules/deadlines.ics"): E("401 403 200 200 200 403"),
    # a read-only calendar address per account (any role may have one; only team roles can read the feed);
    # anonymous: 403, the CSRF check comes first
    ("POST", "/api/auth/feed-token"): E("403 201 201 201 201 201"),
    ("DELETE", "/api/auth/feed-token"): E("403 204 204 204 204 204"),
    ("GET", "/api/rules/households/{household_id}/priority"): E(
        "401 403 200 200 200 403", other="401 403 404 404 404 403"
    ),
    ("GET", "/termijnen"): E("401 403 200 200 200 403"),
    ("GET", "/regels/gastgevers/{host_id}"): E("401 403 200 200 200 200", other="401 403 404 404 404 404"),
    ("POST", "/regels/gastgevers/{host_id}/toestemming"): E("403 403 422 422 403 403", other="403 403 404 404 403 403"),
    ("POST", "/regels/gastgevers/{host_id}/besluit"): E("403 403 422 422 403 403", other="403 403 404 404 403 403"),
    ("GET", "/regels/plaatsingen/{placement_id}/logeerafspraak"): E(
        "401 403 422 422 422 404", other="401 403 404 404 404 404"
    ),
    ("GET", "/regels/plaatsingen/{placement_id}/logeerafspraak.pdf"): E(
        "401 403 422 422 422 404", other="401 403 404 404 404 404"
    ),
    ("GET", "/regels/plaatsingen/{placement_id}/gebruiksovereenkomst"): E(
        "401 403 200 200 200 403", other="401 403 404 404 404 403"
    ),
    ("GET", "/regels/plaatsingen/{placement_id}/gebruiksovereenkomst.pdf"): E(
        "401 403 200 200 200 403", other="401 403 404 404 404 403"
    ),
    ("GET", "/regels/huishoudens/{household_id}/prioriteit"): E(
        "401 403 200 200 200 403", other="401 403 404 404 404 403"
    ),
    # ---------------------------------------------------------------- storage of belongings
    ("GET", "/api/storage/depots"): E("401 403 200 200 200 403"),
    ("GET", "/api/storage/lots"): E("401 403 200 200 200 403"),
    ("GET", "/api/storage/lots/export.{fmt}"): E("401 403 200 200 200 403"),
    ("POST", "/api/storage/lots"): E("403 403 403 422 422 403"),
    ("GET", "/api/storage/lots/{lot_id}"): E("401 403 200 200 200 403", other="401 403 404 404 404 403"),
    ("POST", "/api/storage/lots/{lot_id}/returns"): E("403 403 403 422 422 403", other="403 403 403 404 404 403"),
    ("POST", "/api/storage/lots/{lot_id}/waivers"): E("403 403 403 422 422 403", other="403 403 403 404 404 403"),
    ("POST", "/api/storage/lots/{lot_id}/disposals"): E("403 403 403 422 422 403", other="403 403 403 404 404 403"),
    ("POST", "/api/storage/lots/{lot_id}/disposals/{disposal_id}/approve"): E(
        "403 403 403 404 404 403", other="403 403 403 404 404 403"
    ),
    ("POST", "/api/storage/lots/{lot_id}/disposals/{disposal_id}/withdraw"): E(
        "403 403 403 404 404 403", other="403 403 403 404 404 403"
    ),
    ("PUT", "/api/storage/lots/{lot_id}/disposals/{disposal_id}/sale"): E(
        "403 403 403 422 422 403", other="403 403 403 404 404 403"
    ),
    ("POST", "/api/storage/lots/{lot_id}/disposals/{disposal_id}/claim"): E(
        "403 403 403 422 422 403", other="403 403 403 404 404 403"
    ),
    ("PUT", "/api/storage/lots/{lot_id}/disposals/{disposal_id}/claim/paid"): E(
        "403 403 403 422 422 403", other="403 403 403 404 404 403"
    ),
    ("PUT", "/api/storage/lots/{lot_id}/costs/decision"): E("403 403 403 422 422 403", other="403 403 403 404 404 403"),
    ("PUT", "/api/storage/lots/{lot_id}/costs/paid"): E("403 403 403 422 422 403", other="403 403 403 404 404 403"),
    ("PUT", "/api/storage/lots/{lot_id}/costs/recovery"): E("403 403 403 422 422 403", other="403 403 403 404 404 403"),
    ("POST", "/api/storage/lots/{lot_id}/attachments"): E("403 403 403 422 422 403", other="403 403 403 404 404 403"),
    ("GET", "/api/storage/lots/{lot_id}/attachments/{attachment_id}"): E(
        "401 403 404 404 404 403", other="401 403 404 404 404 403"
    ),
    ("POST", "/api/storage/lots/{lot_id}/letters/{kind}"): E(
        "403 403 403 201 201 403", other="403 403 403 404 404 403"
    ),
    ("POST", "/api/storage/letters/due"): E("403 403 403 200 200 403"),
    ("GET", "/api/storage/lots/{lot_id}/letters/{letter_id}.pdf"): E(
        "401 403 404 404 404 403", other="401 403 404 404 404 403"
    ),
    ("GET", "/api/storage/deadlines"): E("401 403 200 200 200 403"),
    ("GET", "/opslag"): E("401 403 200 200 200 403"),
    ("GET", "/opslag/nieuw"): E("401 403 403 200 200 403"),
    ("POST", "/opslag/nieuw"): E("403 403 403 422 422 403"),
    ("GET", "/opslag/{lot_id}"): E("401 403 200 200 200 403", other="401 403 404 404 404 403"),
    ("POST", "/opslag/{lot_id}/teruggave"): E("403 403 403 422 422 403", other="403 403 403 404 404 403"),
    ("POST", "/opslag/{lot_id}/afstand"): E("403 403 403 422 422 403", other="403 403 403 404 404 403"),
    ("POST", "/opslag/{lot_id}/verkoop"): E("403 403 403 422 422 403", other="403 403 403 404 404 403"),
    ("POST", "/opslag/{lot_id}/verkoop/{disposal_id}/goedkeuren"): E(
        "403 403 403 422 422 403", other="403 403 403 404 404 403"
    ),
    ("POST", "/opslag/{lot_id}/verkoop/{disposal_id}/intrekken"): E(
        "403 403 403 422 422 403", other="403 403 403 404 404 403"
    ),
    ("POST", "/opslag/{lot_id}/verkoop/{disposal_id}/opbrengst"): E(
        "403 403 403 422 422 403", other="403 403 403 404 404 403"
    ),
    ("POST", "/opslag/{lot_id}/verkoop/{disposal_id}/aanspraak"): E(
        "403 403 403 422 422 403", other="403 403 403 404 404 403"
    ),
    ("POST", "/opslag/{lot_id}/verkoop/{disposal_id}/uitbetaald"): E(
        "403 403 403 422 422 403", other="403 403 403 404 404 403"
    ),
    ("POST", "/opslag/{lot_id}/kosten"): E("403 403 403 422 422 403", other="403 403 403 404 404 403"),
    ("POST", "/opslag/{lot_id}/betaald"): E("403 403 403 422 422 403", other="403 403 403 404 404 403"),
    ("POST", "/opslag/{lot_id}/verhaal"): E("403 403 403 422 422 403", other="403 403 403 404 404 403"),
    ("POST", "/opslag/{lot_id}/foto"): E("403 403 403 422 422 403", other="403 403 403 404 404 403"),
    ("POST", "/opslag/{lot_id}/brieven"): E("403 403 403 303 303 403", other="403 403 403 404 404 403"),
    # ---------------------------------------------------------------- capacity plans (coordinator, crisis team)
    ("POST", "/api/capacity/plans"): E("403 403 422 422 403 403"),
    # no plan runs in the demo: an allowed role sees 404 for any id, as for another municipality's plan
    ("GET", "/api/capacity/plans/{plan_id}"): E("401 403 404 404 403 403", other="401 403 404 404 403 403"),
    ("POST", "/api/capacity/comparisons"): E("403 403 422 422 403 403"),
    ("GET", "/api/capacity/comparisons/{comparison_id}"): E(
        "401 403 404 404 403 403", other="401 403 404 404 403 403"
    ),
    # restarting a failed or interrupted job: no job in the demo, so the allowed roles see 404
    ("POST", "/api/capacity/plans/{plan_id}/restart"): E("403 403 404 404 403 403", other="403 403 404 404 403 403"),
    ("POST", "/api/capacity/comparisons/{comparison_id}/restart"): E(
        "403 403 404 404 403 403", other="403 403 404 404 403 403"
    ),
    ("POST", "/capaciteit/{plan_id}/opnieuw"): E("403 403 404 404 403 403", other="403 403 404 404 403 403"),
    ("GET", "/capaciteit"): E("401 403 200 200 403 403"),
    ("POST", "/capaciteit"): E("403 403 422 422 403 403"),
    ("GET", "/capaciteit/{plan_id}"): E("401 403 404 404 403 403", other="401 403 404 404 403 403"),
    # ---------------------------------------------------------------- offers, day board, dated vetting
    ("GET", "/api/hosts/{host_id}/vetting"): E("401 403 200 200 403 403", other="401 403 404 404 403 403"),
    ("PUT", "/api/hosts/{host_id}/vetting/{kind}"): E("403 403 422 422 403 403", other="403 403 404 404 403 403"),
    ("GET", "/api/board"): E("401 403 200 200 200 403"),
    ("GET", "/dagbord"): E("401 403 200 200 200 403"),
    ("POST", "/api/offers"): E("403 403 403 422 403 403"),
    ("GET", "/api/offers"): E("401 403 200 200 200 403"),
    ("GET", "/api/offers/decline-reasons"): E("401 403 200 200 200 403"),
    ("GET", "/api/offers/report"): E("401 403 200 200 200 403"),
    # the demo holds no offers: the roles that may read or decide see 404 for their own municipality too
    ("GET", "/api/offers/{offer_id}"): E("401 403 404 404 404 403", other="401 403 404 404 404 403"),
    ("POST", "/api/offers/{offer_id}/decline"): E("403 403 403 404 403 403", other="403 403 403 404 403 403"),
    ("POST", "/api/offers/{offer_id}/consent"): E("403 403 403 404 404 403", other="403 403 403 404 404 403"),
    # the link needs no account: an unknown token is 404 for everyone; a POST without a session is a CSRF 403
    ("GET", "/aanbod/{token}"): E("404 404 404 404 404 404"),
    ("POST", "/aanbod/{token}/ja"): E("403 404 404 404 404 404"),
    ("POST", "/aanbod/{token}/nee"): E("403 404 404 404 404 404"),
    ("POST", "/matching/voorstellen/{proposal_id}/aanbieden"): E(
        "403 403 403 303 403 403", other="403 403 403 404 403 403"
    ),
    ("POST", "/matching/runs/{run_id}/aanbieden"): E("403 403 403 303 403 403", other="403 403 403 404 403 403"),
    ("GET", "/aanbiedingen"): E("401 403 200 200 200 403"),
    ("POST", "/aanbiedingen/{offer_id}/afslaan"): E("403 403 403 404 403 403", other="403 403 403 404 403 403"),
    ("POST", "/aanbiedingen/{offer_id}/toestemming"): E("403 403 403 404 404 403", other="403 403 403 404 404 403"),
    ("GET", "/aanbiedingen/redenen"): E("401 403 200 200 200 403"),
    # The case file, places and the occupancy calendar, search (issue 20): the care team edits a case, the
    # coordinator and crisis team manage places; an administrator sees no case details.
    ("PATCH", "/api/households/{household_id}"): E("403 403 403 200 200 403", other="403 403 403 404 404 403"),
    ("POST", "/api/households/{household_id}/priority"): E("403 403 403 422 403 403", other="403 403 403 422 403 403"),
    ("POST", "/api/places"): E("403 403 422 422 403 403"),
    ("GET", "/api/places/{place_id}"): E("401 403 200 200 200 403", other="401 403 404 404 404 403"),
    ("PATCH", "/api/places/{place_id}"): E("403 403 200 200 403 403", other="403 403 404 404 403 403"),
    ("POST", "/api/places/{place_id}/pause"): E("403 403 422 422 403 403", other="403 403 422 422 403 403"),
    ("GET", "/plaatsen/nieuw"): E("401 403 200 200 403 403"),
    ("POST", "/plaatsen/nieuw"): E("403 403 422 422 403 403"),
    ("GET", "/plaatsen/{place_id:int}"): E("401 403 200 200 200 403", other="401 403 404 404 404 403"),
    ("POST", "/plaatsen/{place_id:int}"): E("403 403 303 303 403 403", other="403 403 404 404 403 403"),
    ("POST", "/plaatsen/{place_id:int}/pauzeren"): E("403 403 422 422 403 403", other="403 403 404 404 403 403"),
    ("GET", "/huishoudens/{household_id:int}/bewerken"): E("401 403 403 200 200 403", other="401 403 403 404 404 403"),
    ("POST", "/huishoudens/{household_id:int}/bewerken"): E("403 403 403 422 422 403", other="403 403 403 404 404 403"),
    ("POST", "/huishoudens/{household_id:int}/voorrang"): E("403 403 403 422 403 403", other="403 403 403 404 403 403"),
    ("POST", "/api/households/{household_id}/close"): E("403 403 403 422 422 403", other="403 403 403 422 422 403"),
    ("POST", "/huishoudens/{household_id:int}/afsluiten"): E(
        "403 403 403 422 422 403", other="403 403 403 404 404 403"
    ),
    ("POST", "/plaatsen/{place_id:int}/buiten-gebruik"): E("403 403 422 422 403 403", other="403 403 404 404 403 403"),
    ("POST", "/api/places/{place_id}/retire"): E("403 403 422 422 403 403", other="403 403 422 422 403 403"),
    ("GET", "/plaatsen/bezetting"): E("401 403 200 200 200 403"),
    ("GET", "/api/occupancy"): E("401 403 200 200 200 403"),
    ("GET", "/api/search"): E("401 403 422 422 422 403"),
    ("GET", "/zoeken"): E("401 403 200 200 200 403"),
}

# Bodies for writes whose empty-body 422 would hide the ownership check (the "other" column must be a 404).
# ("json" | "form", fields); every other write gets the JSON body {}.
BODIES: dict[tuple[str, str], tuple[str, dict[str, object]]] = {
    ("POST", "/api/placements/{placement_id}/start"): ("json", {"arrived_on": "2026-11-27"}),
    ("POST", "/api/placements/{placement_id}/end"): ("json", {"ended_on": "2026-11-27", "outcome": "unknown"}),
    ("POST", "/api/placements/{placement_id}/cancel"): ("json", {"reason": "toegangstest"}),
    ("POST", "/api/matching/proposals/{proposal_id}/reject"): ("json", {"reason": "toegangstest"}),
    ("POST", "/api/rules/hosts/{host_id}/landlord-consent"): (
        "json",
        {"given_on": "2026-11-01", "given_by": "Woonbedrijf", "document_reference": "brief 1"},
    ),
    ("POST", "/api/rules/hosts/{host_id}/exemption-decision"): (
        "json",
        {"granted": True, "decided_on": "2026-11-01", "reference": "B-1"},
    ),
    ("POST", "/plaatsingen/{placement_id}/start"): ("form", {"arrived_on": "2026-11-27"}),
    ("POST", "/plaatsingen/{placement_id}/einde"): ("form", {"ended_on": "2026-11-27", "outcome": "unknown"}),
    ("POST", "/plaatsingen/{placement_id}/annuleren"): ("form", {"reason": "toegangstest"}),
    ("POST", "/admin/accounts/{user_id}/active"): ("form", {"active": "false"}),
    ("POST", "/api/hosts/{host_id}/transitions"): ("json", {"action": "pause"}),
    ("PUT", "/api/hosts/{host_id}/vetting/{kind}"): ("json", {"done_on": "2026-11-01"}),
    ("POST", "/api/offers/{offer_id}/decline"): ("json", {"reason": "team_safety"}),
    ("POST", "/api/offers/{offer_id}/consent"): ("json", {"given": True, "by": "hoofdbewoner", "via": "phone"}),
    # stays: complete bodies, so another municipality's placement or household is looked up (404)
    ("POST", "/api/stays/{placement_id}/introductions"): (
        "json",
        {"kind": "call", "held_on": "2026-11-27", "outcome": "good"},
    ),
    ("POST", "/api/stays/{placement_id}/agreement"): ("json", {"signed_on": "2026-11-27"}),
    ("POST", "/api/stays/{placement_id}/arrival"): ("json", {"arrived_on": "2026-11-27"}),
    ("POST", "/api/stays/{placement_id}/check-ins"): (
        "json",
        {"held_on": "2026-11-27", "spoke_with": "both", "rating": "good"},
    ),
    ("POST", "/api/stays/{placement_id}/breakdown"): (
        "json",
        {"ended_on": "2026-11-27", "reason": "conflict", "room": "freed"},
    ),
    ("POST", "/api/stays/{placement_id}/extensions"): ("json", {"until": "2027-06-01", "reason": "toegangstest"}),
    ("POST", "/api/stays/{placement_id}/end"): ("json", {"ended_on": "2026-11-27", "destination": "unknown"}),
    ("POST", "/api/stays/{placement_id}/follow-ups"): (
        "json",
        {"months": 3, "done_on": "2026-11-27", "outcome": "unknown"},
    ),
    ("POST", "/api/stays/households/{household_id}/contacts"): ("json", {"channel": "phone", "note": "toegangstest"}),
    ("POST", "/huishoudens/{household_id:int}/contact"): ("form", {"channel": "phone", "note": "toegangstest"}),
    ("POST", "/verblijven/{placement_id}/gesprek"): (
        "form",
        {"held_on": "2026-11-27", "spoke_with": "both", "rating": "good"},
    ),
    ("POST", "/verblijven/{placement_id}/kennismaking"): (
        "form",
        {"kind": "call", "held_on": "2026-11-27", "outcome": "good"},
    ),
    ("POST", "/verblijven/{placement_id}/overeenkomst"): ("form", {"signed_on": "2026-11-27"}),
    ("POST", "/verblijven/{placement_id}/aankomst"): ("form", {"arrived_on": "2026-11-27"}),
    ("POST", "/verblijven/{placement_id}/verlenging"): ("form", {"until": "2027-06-01", "reason": "toegangstest"}),
    ("POST", "/verblijven/{placement_id}/einde"): ("form", {"ended_on": "2026-11-27", "destination": "unknown"}),
    ("POST", "/verblijven/{placement_id}/afbreken"): ("form", {"ended_on": "2026-11-27", "reason": "conflict"}),
    ("POST", "/verblijven/{placement_id}/nazorg"): (
        "form",
        {"months": "3", "done_on": "2026-11-27", "outcome": "unknown"},
    ),
}

# A path parameter name -> how to find an object for a caller context (see test_access_matrix.Lookup).
# The callable gets the Lookup of the municipality in question and returns an id (or None: no such row).
PARAMS: dict[str, Callable] = {}


class Lookup:
    """Finds ids of demo objects of one municipality (``own``: Maastricht and its demo host; ``other``: Heerlen)."""

    def __init__(self, db, municipality_code: str, host_email: str | None) -> None:  # type: ignore[no-untyped-def]
        from sqlalchemy import select

        from api.auth.models import UserAccount
        from api.core.models import Municipality

        self.db = db
        self.municipality_id = db.scalar(select(Municipality.id).where(Municipality.code == municipality_code))
        by_email = select(UserAccount.host_id).where(UserAccount.email == host_email)
        self.host_id = db.scalar(by_email) if host_email else None

    def sql(self, query: str, **params: object) -> int | None:
        from sqlalchemy import text

        return self.db.scalar(text(query), {"m": self.municipality_id, "h": self.host_id, **params})

    def first(self, table: str) -> int | None:
        return self.sql(f"SELECT min(id) FROM {table} WHERE municipality_id = :m")

    def host(self) -> int | None:
        return self.host_id or self.first("host")

    def place(self) -> int | None:
        return self.sql(
            "SELECT min(id) FROM place WHERE municipality_id = :m AND (host_id = :h OR CAST(:h AS INTEGER) IS NULL)"
        ) or self.first("place")

    def placement(self) -> int | None:
        return self.sql(
            "SELECT min(p.id) FROM placement p JOIN place pl ON pl.id = p.place_id "
            "WHERE p.municipality_id = :m AND (pl.host_id = :h OR CAST(:h AS INTEGER) IS NULL)"
        ) or self.first("placement")

    def user(self, role: str) -> int | None:
        return self.sql("SELECT min(id) FROM user_account WHERE municipality_id = :m AND role = :r", r=role)

    def child(self, table: str, parent: str, fk: str) -> int | None:
        return self.sql(
            f"SELECT min(c.id) FROM {table} c JOIN {parent} p ON p.id = c.{fk} WHERE p.municipality_id = :m"
        )

    def proposal(self) -> int | None:
        return self.sql(
            "SELECT min(p.id) FROM proposal p JOIN matching_run r ON r.id = p.run_id "
            "WHERE r.municipality_id = :m AND p.status = 'open'"
        ) or self.child("proposal", "matching_run", "run_id")


PARAMS.update(
    {
        "household_id": lambda q: q.first("household"),
        "user_id": lambda q: q.user("case_worker"),
        "change_id": lambda _q: None,  # the demo holds no pending admin change
        "host_id": lambda q: q.host(),
        "place_id": lambda q: q.place(),
        "placement_id": lambda q: q.placement(),
        "run_id": lambda q: q.first("matching_run"),
        "proposal_id": lambda q: q.proposal(),
        "lot_id": lambda q: q.first("storage_lot"),
        "disposal_id": lambda q: q.child("storage_disposal", "storage_lot", "lot_id"),
        "attachment_id": lambda q: q.child("storage_attachment", "storage_lot", "lot_id"),
        "letter_id": lambda q: q.child("storage_letter", "storage_lot", "lot_id"),
        "period_id": lambda q: q.child("place_unavailability", "place", "place_id"),
        "kind": lambda _q: "intake",
        "offer_id": lambda q: q.first("offer"),  # the demo holds no offers: the allowed roles see 404
        "token": lambda _q: "geen-geldige-token",
        "msg": lambda _q: "ok",
        "fmt": lambda _q: "csv",
        "plan_id": lambda _q: "0" * 16,  # no capacity plan in the demo
        "comparison_id": lambda _q: "0" * 16,  # nor a comparison
    }
)
