"""The logeer agreement: required statements, dates from policy, fee to the landlord, PDF renders."""

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from api.documents.agreement import (
    AgreementInput,
    agreement_sections,
    build_agreement,
    render_agreement_html,
    render_agreement_pdf,
)
from matcher.rules.errors import InvalidInputError, PolicyValueError
from matcher.rules.logeer import LandlordConsent
from matcher.rules.policy import load_policy_book

POLICY = load_policy_book()


def data(**changes) -> AgreementInput:
    base = AgreementInput(
        reference="PL-2024-001",
        municipality="Maastricht",
        host_names=["Anna de Vries"],
        guest_names=["Jan Jansen"],
        address="Voorbeeldstraat 1, 6211 AA Maastricht",
        start_date=date(2024, 3, 1),
        landlord_kind="corporation",
        landlord_name="Woningcorporatie Voorbeeld",
        landlord_consent=LandlordConsent(date(2024, 2, 20), "mevrouw K. Bakker", "WV-2024-88"),
        monthly_fee=Decimal("150"),
        contact="het crisisteam, telefoon 043 000 0000",
    )
    return replace(base, **changes)


def text_of(agreement) -> str:
    parts = []
    for s in agreement_sections(agreement):
        parts += [s.heading, *s.paragraphs, *s.bullets, *(f"{a}: {b}" for a, b in s.rows)]
    return "\n".join(parts)


def test_agreement_states_the_essentials() -> None:
    agreement = build_agreement(data(), POLICY)
    text = text_of(agreement)
    assert agreement.latest_end_date == date(2024, 4, 26)  # 1 March + 56 days (stay_limits)
    assert "1 maart 2024" in text and "26 april 2024" in text and "56 dagen (8 weken)" in text
    assert "geen huurrechten" in text
    assert "€ 150,00 per maand" in text
    assert "Anna de Vries" in text and "Jan Jansen" in text and "Voorbeeldstraat 1" in text
    assert "gaf toestemming op 20 februari 2024" in text and "WV-2024-88" in text
    assert "Huisregels" in text
    assert "verhuurder" not in text.split("Logeervergoeding")[1].split("Huisregels")[0]


def test_planned_end_can_only_shorten_the_stay() -> None:
    assert build_agreement(data(planned_end_date=date(2024, 4, 15)), POLICY).latest_end_date == date(2024, 4, 15)
    assert build_agreement(data(planned_end_date=date(2024, 6, 1)), POLICY).latest_end_date == date(2024, 4, 26)
    text = text_of(build_agreement(data(planned_end_date=date(2024, 4, 15)), POLICY))
    assert "45 dagen na de start" in text
    with pytest.raises(InvalidInputError) as err:
        build_agreement(data(planned_end_date=date(2024, 3, 1)), POLICY)
    assert err.value.field == "planned_end_date"


def test_fee_goes_to_landlord_when_host_has_rent_arrears() -> None:
    text = text_of(build_agreement(data(host_has_rent_arrears=True), POLICY))
    assert "huurachterstand" in text
    assert "vergoeding naar de verhuurder, Woningcorporatie Voorbeeld" in text


def test_missing_consent_is_stated() -> None:
    text = text_of(build_agreement(data(landlord_consent=None), POLICY))
    assert "moet eerst toestemming geven" in text


def test_owner_occupier_needs_no_consent_and_cannot_have_rent_arrears() -> None:
    text = text_of(build_agreement(data(landlord_kind="owner", landlord_name=None, landlord_consent=None), POLICY))
    assert "Toestemming van een verhuurder is niet nodig" in text
    with pytest.raises(InvalidInputError) as err:
        build_agreement(data(landlord_kind="owner", host_has_rent_arrears=True), POLICY)
    assert err.value.field == "host_has_rent_arrears"


def test_fee_from_municipality_policy_when_not_agreed() -> None:
    with pytest.raises(PolicyValueError) as err:
        build_agreement(data(monthly_fee=None), POLICY)
    assert err.value.field == "policy.logeer_fee.monthly_amount"
    book = POLICY.with_overrides(
        [
            {
                "key": "logeer_fee",
                "valid_from": "2024-01-01",
                "value_json": '{"monthly_amount": "175.50"}',
                "source": "Raadsbesluit voorbeeld 2023",
                "municipality_id": 1,
            }
        ]
    )
    assert build_agreement(data(monthly_fee=None), book).monthly_fee == Decimal("175.50")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"monthly_fee": Decimal("-1")}, "monthly_fee"),
        ({"guest_names": []}, "guest_names"),
        ({"host_names": ["  "]}, "host_names[0]"),
        ({"address": ""}, "address"),
        ({"landlord_name": None}, "landlord_name"),
        ({"landlord_kind": "castle"}, "landlord"),
    ],
)
def test_bad_input_names_the_field(changes: dict, field: str) -> None:
    with pytest.raises(InvalidInputError) as err:
        build_agreement(data(**changes), POLICY)
    assert err.value.field == field


def test_html_is_escaped_and_complete() -> None:
    html = render_agreement_html(build_agreement(data(guest_names=["<script>x</script>"]), POLICY))
    assert "<script>x" not in html and "&lt;script&gt;" in html
    assert "geen huurrechten" in html and "Handtekeningen" in html
    assert html.count('class="signature"') == 3  # host, guest, municipality


def test_agreement_renders_as_pdf() -> None:
    pdf = render_agreement_pdf(build_agreement(data(host_has_rent_arrears=True), POLICY))
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    pages = re.search(rb"/Count (\d+)", pdf)
    assert pages is not None and int(pages.group(1)) >= 1
