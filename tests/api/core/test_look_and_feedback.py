"""The look and the feedback of issue 20: the municipality's theme, the message after an action,
Dutch dates and money through Babel, the calendar-links page, and an administrator without case pages."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import select

from api.auth.models import FeedToken, UserAccount
from api.core import i18n
from api.core.models import Municipality
from api.core.templating import DEFAULT_THEME_COLOUR, templates, theme_of
from tests.api.hosts.conftest import csrf_of


def _login(client, email: str) -> None:
    token = csrf_of(client)
    r = client.post(
        "/login", data={"email": email, "password": "onderdak-demo", "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303, r.text


def _post(client, url: str, **data: str):
    return client.post(url, data={**data, "csrf_token": csrf_of(client)}, follow_redirects=False)


def test_dates_times_and_money_in_dutch_through_babel() -> None:
    f = templates.env.filters
    assert f["geld"](Decimal("1401.5")) == "€\xa01.401,50"  # a no-break space: € never ends a line
    assert f["datum"](date(2026, 11, 27)) == "27 november 2026"
    # Stored in UTC, shown on the Dutch clock (CET in November: +1 h).
    assert f["datumtijd"](datetime(2026, 11, 27, 8, 30, tzinfo=UTC)) == "27 nov 2026 09:30"
    assert f["tijd"](time(7, 5)) == "07:05"
    token = i18n.current_language.set("en")
    try:
        assert f["geld"](Decimal("1401.5")) == "€1,401.50"
    finally:
        i18n.current_language.reset(token)
    assert f["geld"](None) == "—"


def test_a_theme_value_that_is_not_safe_falls_back_to_the_default() -> None:
    assert theme_of("#123456", "/static/logo.svg", "X").colour == "#123456"
    hostile = theme_of("red;}</style><script>", "https://elders.example/logo.png", None)
    assert hostile.colour == DEFAULT_THEME_COLOUR and hostile.logo is None
    assert theme_of(None, "/static/../secret", None).logo is None


def test_admin_sets_the_theme_every_page_shows_and_bad_input_comes_back_at_its_field(client, db) -> None:
    _login(client, "admin@maastricht.demo")
    # Too light for white text: refused at the field, in Dutch, nothing stored.
    r = _post(client, "/beheer/huisstijl", colour="#ffee00", logo="")
    assert r.status_code == 422
    assert 'id="colour-error"' in r.text and "contrast" in r.text and 'href="#colour"' in r.text
    r = _post(client, "/beheer/huisstijl", colour="rood", logo="")
    assert r.status_code == 422 and "#rrggbb" in r.text
    maastricht = db.scalar(select(Municipality).where(Municipality.code == "GM0935"))
    assert maastricht.theme_colour is None

    r = _post(client, "/beheer/huisstijl", colour="#7A0026", logo="/static/logos/maastricht.svg")
    assert r.status_code == 303
    page = client.get(r.headers["location"])
    assert 'id="melding"' in page.text and "De huisstijl is opgeslagen." in page.text
    assert "--onderdak-primary: #7a0026" in page.text
    assert 'src="/static/logos/maastricht.svg"' in page.text
    # The message is shown once.
    assert 'id="melding"' not in client.get("/beheer/huisstijl").text
    db.refresh(maastricht)
    assert maastricht.theme_colour == "#7a0026"


def test_administrator_lands_on_accounts_and_sees_no_household(client) -> None:
    _login(client, "admin@maastricht.demo")
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/admin/accounts"
    page = client.get("/admin/accounts").text
    assert "/huishoudens" not in page and "/kaart" not in page
    assert client.get("/huishoudens/1").status_code == 403


def test_calendar_link_page_makes_shows_once_and_revokes(client, db) -> None:
    _login(client, "coordinator@maastricht.demo")
    user = db.scalar(select(UserAccount).where(UserAccount.email == "coordinator@maastricht.demo"))
    page = client.get("/account/agenda")
    assert page.status_code == 200 and "U heeft nog geen agenda-link." in page.text

    made = _post(client, "/account/agenda")
    assert made.status_code == 200
    url = re.search(r'id="feed-url"[^>]*value="([^"]+)"', made.text)
    assert url is not None and "/api/rules/deadlines.ics?token=" in url.group(1)
    token = url.group(1).split("token=")[1]
    assert client.get(f"/api/rules/deadlines.ics?token={token}").status_code == 200
    later = client.get("/account/agenda").text
    assert token not in later and "U heeft een agenda-link, gemaakt op" in later

    revoked = _post(client, "/account/agenda/intrekken")
    assert revoked.status_code == 303
    assert "De agenda-link is ingetrokken." in client.get(revoked.headers["location"]).text
    assert db.scalar(select(FeedToken).where(FeedToken.user_id == user.id)) is None
    assert client.get(f"/api/rules/deadlines.ics?token={token}").status_code in (401, 403)
