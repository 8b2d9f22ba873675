"""Agreements that hold (art. 7:232 lid 2 BW, art. 17 Pw): the logeer agreement and the use agreement of a
waiting-room dwelling say the stay is short and temporary with its dates, that the fee is a contribution to
costs, what happens when the end date passes, remind a host on benefit of the duty to inform, and carry the
municipality's contact details. Checked on the text extracted from the HTML rendering."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from api.documents.agreement import build_agreement, render_agreement_html
from api.documents.contact import Contact
from api.documents.use_agreement import UseAgreement, render_use_agreement_html, render_use_agreement_pdf
from api.placements.models import Placement
from matcher.rules.errors import InvalidInputError
from tests.api.documents.test_logeer_agreement import POLICY, data
from tests.api.rules import helpers

CONTACT = Contact(
    municipality="Maastricht",
    name="Team Wonen en Opslag",
    address="Stadhuisplein 1, 6211 AA Maastricht",
    phone="043 000 00 00",
    email="wonen@maastricht.demo",
)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def test_logeer_agreement_says_short_and_temporary_with_dates_contribution_and_end() -> None:
    text = html_text(render_agreement_html(build_agreement(data(municipal_contact=CONTACT), POLICY)))
    assert "Logeren is van korte duur en tijdelijk." in text and "artikel 7:232 lid 2 Burgerlijk Wetboek" in text
    assert "Het logeren begint op 1 maart 2024." in text and "stopt uiterlijk op 26 april 2024" in text
    assert "De logeervergoeding is een bijdrage in de kosten" in text and "Het is geen huur." in text
    assert "Wat gebeurt er op de einddatum?" in text
    assert "Op 26 april 2024 stopt het logeren. De logé vertrekt dan" in text
    assert "Langer blijven mag alleen met een nieuwe afspraak op papier" in text
    assert "Participatiewet" not in text  # the host is not on benefit
    for line in ("Gemeente Maastricht, Team Wonen en Opslag", "Adres: Stadhuisplein 1, 6211 AA Maastricht"):
        assert line in text
    assert "Telefoon: 043 000 00 00" in text and "E-mail: wonen@maastricht.demo" in text


def test_logeer_agreement_reminds_a_host_on_benefit_of_article_17() -> None:
    text = html_text(render_agreement_html(build_agreement(data(host_on_benefit=True), POLICY)))
    assert "Heeft de gastgever een uitkering?" in text
    assert "artikel 17 Participatiewet" in text and "laten weten dat er iemand komt logeren" in text


def test_logeer_agreement_with_a_planned_end_names_that_end() -> None:
    agreement = build_agreement(data(planned_end_date=date(2024, 4, 12)), POLICY)
    text = html_text(render_agreement_html(agreement))
    assert "Op 12 april 2024 stopt het logeren." in text


def _use(**changes) -> UseAgreement:
    base = UseAgreement(
        reference="PL-7",
        municipality="Maastricht",
        resident_names=["Familie Jansen"],
        address="Wachtkamerwoning, Brusselsestraat 10, Maastricht",
        start_date=date(2026, 11, 2),
        end_date=date(2026, 12, 28),
        contact="Sanne Peters, 043 000 11 11",
        municipal_contact=CONTACT,
    )
    return replace(base, **changes)


def test_use_agreement_has_an_end_date_and_holds() -> None:
    text = html_text(render_use_agreement_html(_use()))
    assert "Gebruiksovereenkomst wachtkamerwoning" in text
    assert "U woont hier kort en tijdelijk." in text and "artikel 7:232 lid 2 Burgerlijk Wetboek" in text
    assert "vanaf 2 november 2026" in text and "De afspraak stopt op 28 december 2026." in text
    assert "56 dagen (8 weken)" in text
    assert "geen huurcontract" in text and "geen huurrechten" in text
    assert "U betaalt geen huur voor de woning." in text
    assert "Op 28 december 2026 verlaat u de woning." in text and "nieuwe afspraak op papier" in text
    assert "We tekenen deze afspraak vóór 2 november 2026." in text
    assert "Telefoon: 043 000 00 00" in text and "Uw contactpersoon is Sanne Peters" in text


def test_use_agreement_contribution_is_not_rent_and_the_pdf_renders() -> None:
    agreement = _use(monthly_contribution=Decimal("50"))
    text = html_text(render_use_agreement_html(agreement))
    assert "U betaalt € 50,00 per maand." in text and "bijdrage in de kosten" in text and "geen huur" in text
    assert render_use_agreement_pdf(agreement).startswith(b"%PDF-")
    with pytest.raises(InvalidInputError):
        _use(end_date=date(2026, 11, 2))


def test_use_agreement_route_for_a_waiting_room_stay(client, db, as_role) -> None:
    placement = db.scalar(select(Placement).where(Placement.status == "started").order_by(Placement.id).limit(1))
    assert placement.place.kind == "wachtkamer"
    headers = as_role("crisis_team")
    html = client.get(f"/api/rules/placements/{placement.id}/use-agreement", headers=headers)
    assert html.status_code == 200, html.text
    text = html_text(html.text)
    assert "Gebruiksovereenkomst" in text and "De afspraak stopt op" in text
    assert "E-mail: wonen@maastricht.demo" in text  # the demo municipality's contact details
    pdf = client.get(f"/api/rules/placements/{placement.id}/use-agreement.pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    page = client.get(f"/regels/plaatsingen/{placement.id}/gebruiksovereenkomst", headers=headers)
    assert page.status_code == 200 and "Gebruiksovereenkomst" in page.text


def test_no_use_agreement_for_a_host_stay_and_the_host_on_benefit_is_reminded(client, db, as_role) -> None:
    host = helpers.host(db)
    host.has_rent_arrears, host.on_benefit = True, True
    placement = helpers.host_placement(db, host, helpers.household(db))
    headers = as_role("crisis_team")
    refused = client.get(f"/api/rules/placements/{placement.id}/use-agreement", headers=headers)
    assert refused.status_code == 422 and refused.json()["detail"][0]["type"] == "rule_breach"
    text = html_text(client.get(f"/api/rules/placements/{placement.id}/agreement?fee=150", headers=headers).text)
    assert "artikel 17 Participatiewet" in text and "E-mail: wonen@maastricht.demo" in text
