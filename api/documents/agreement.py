"""The logeer agreement (logeerafspraak): printable HTML and PDF, in plain Dutch (B1).

Why: a stay with a host is not a tenancy, and everyone involved (host, guest,
landlord, municipality) must be able to read on one page what was agreed: who,
where, from when and until when at the latest, the house rules, the fee, that no
tenancy rights arise and, where the host has rent arrears, that the fee goes to
the landlord. Source of these elements: Movisie / Eropaf!, "Naar nul
huisuitzettingen" (2022), section on logeren; rules in :mod:`matcher.rules.logeer`.

Tenancy law (domain.md, "The logeer agreement and tenancy law"): paid use of a room is rent
whatever the label (art. 7:201 BW); only use that is by its nature short (art. 7:232 lid 2 BW)
escapes tenant protection. So the agreement says the stay is by its nature short and temporary,
with a start and an end date; that the fee is a contribution to costs, not rent; what happens
when the end date passes; and, for a host on benefit, the duty to tell the municipality
(art. 17 Participatiewet). Every agreement ends with the municipality's contact details.

The text is built once as :class:`Section` objects (:func:`agreement_sections`) and
rendered both to HTML (Jinja2 template ``templates/logeer_agreement.html``) and to
PDF (:mod:`api.documents.pdf`), so the two can never say different things.

Call::

    agreement = build_agreement(AgreementInput(...), policy_book)
    html = render_agreement_html(agreement)
    pdf_bytes = render_agreement_pdf(agreement)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.documents.contact import Contact
from api.documents.pdf import BulletList, Document, Heading, Paragraph, SignatureLines, Table, render_pdf
from matcher.rules.cost_sharing import format_euro
from matcher.rules.errors import InvalidInputError
from matcher.rules.logeer import (
    LandlordConsent,
    LandlordKind,
    fee_paid_to_landlord,
    latest_end_date,
    logeer_fee,
    needs_landlord_consent,
)
from matcher.rules.policy import PolicyBook

__all__ = [
    "DEFAULT_HOUSE_RULES",
    "Agreement",
    "AgreementInput",
    "Section",
    "agreement_document",
    "agreement_sections",
    "build_agreement",
    "contact_section",
    "render_agreement_html",
    "render_agreement_pdf",
]

DEFAULT_HOUSE_RULES: tuple[str, ...] = (
    "We gaan met respect met elkaar om.",
    "De logé heeft een eigen kamer. Keuken, badkamer en woonkamer gebruiken we zoals we samen afspreken.",
    "Over koken, wassen en schoonmaken maken we in de eerste week samen afspraken.",
    "Bezoek blijft niet slapen, tenzij we dat samen afspreken.",
    "Geen geweld, geen drugs en geen wapens in huis.",
    "Is er een probleem? Bel eerst de contactpersoon van de gemeente.",
)


@dataclass(frozen=True)
class AgreementInput:
    """What the team knows about the placement. Names appear only in the agreement itself."""

    reference: str
    municipality: str
    host_names: Sequence[str]
    guest_names: Sequence[str]
    address: str
    start_date: date
    landlord_kind: LandlordKind | str
    landlord_name: str | None = None
    landlord_consent: LandlordConsent | None = None
    host_has_rent_arrears: bool = False
    monthly_fee: Decimal | None = None
    house_rules: Sequence[str] = DEFAULT_HOUSE_RULES
    contact: str | None = None
    planned_end_date: date | None = None  # an earlier end agreed for this stay (never later than the maximum)
    host_on_benefit: bool = False  # then the agreement reminds the host of art. 17 Participatiewet
    municipal_contact: Contact | None = None  # the municipality's contact details, printed at the end


@dataclass(frozen=True)
class Agreement:
    """The agreement with every rule applied: dates, fee and who receives it."""

    data: AgreementInput
    latest_end_date: date
    maximum_days: int
    monthly_fee: Decimal
    fee_to_landlord: bool
    consent_needed: bool
    created: datetime | None = None


@dataclass(frozen=True)
class Section:
    """One part of the agreement: a heading, paragraphs, bullets and label/value rows."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    rows: tuple[tuple[str, str], ...] = field(default=())


def _require_text(value: str | None, name: str) -> None:
    if value is None or not value.strip():
        raise InvalidInputError(name, "required")


def build_agreement(data: AgreementInput, policy: PolicyBook, *, created: datetime | None = None) -> Agreement:
    """Check the input and apply the dated rules (maximum stay, fee, fee to landlord)."""
    _require_text(data.reference, "reference")
    _require_text(data.municipality, "municipality")
    _require_text(data.address, "address")
    for name, people in (("host_names", data.host_names), ("guest_names", data.guest_names)):
        if not people:
            raise InvalidInputError(name, "at least one person")
        for i, person in enumerate(people):
            _require_text(person, f"{name}[{i}]")
    if not data.house_rules:
        raise InvalidInputError("house_rules", "at least one house rule")
    consent_needed = needs_landlord_consent(data.landlord_kind)
    if consent_needed:
        _require_text(data.landlord_name, "landlord_name")
    if data.host_has_rent_arrears and not consent_needed:
        raise InvalidInputError("host_has_rent_arrears", "an owner-occupier has no landlord to pay rent arrears to")
    fee = logeer_fee(data.start_date, policy, data.monthly_fee)
    maximum_days = policy.integer("stay_limits", data.start_date, "maximum_days", minimum=1)
    latest_end = latest_end_date(data.start_date, policy)
    if data.planned_end_date is not None:
        if data.planned_end_date <= data.start_date:
            raise InvalidInputError("planned_end_date", "lies on or before the start date")
        latest_end = min(latest_end, data.planned_end_date)
    return Agreement(
        data=data,
        latest_end_date=latest_end,
        maximum_days=maximum_days,
        monthly_fee=fee,
        fee_to_landlord=fee_paid_to_landlord(data.host_has_rent_arrears, data.start_date, policy),
        consent_needed=consent_needed,
        created=created,
    )


def _day(d: date) -> str:
    return format_date(d, format="long", locale="nl_NL")


def _names(people: Sequence[str]) -> str:
    people = list(people)
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " en " + people[-1]


def _duration(days: int) -> str:
    return f"{days} dagen ({days // 7} weken)" if days % 7 == 0 else f"{days} dagen"


def agreement_sections(agreement: Agreement) -> list[Section]:
    """The text of the agreement, in order (B1 Dutch)."""
    d = agreement.data
    fee = format_euro(agreement.monthly_fee)
    sections = [
        Section(
            "Wie maken deze afspraak?",
            rows=(
                ("Gastgever", _names(d.host_names)),
                ("Logé", _names(d.guest_names)),
                ("Adres", d.address),
                ("Gemeente", d.municipality),
            ),
        ),
        Section(
            "Hoe lang?",
            paragraphs=(
                "Logeren is van korte duur en tijdelijk. Zo is het bedoeld, en zo spreken we het af "
                "(artikel 7:232 lid 2 Burgerlijk Wetboek).",
                f"Het logeren begint op {_day(d.start_date)}.",
                f"Het logeren stopt uiterlijk op {_day(agreement.latest_end_date)}. "
                f"Dat is {_duration((agreement.latest_end_date - d.start_date).days)} na de start. "
                "Stoppen mag eerder.",
                "Samen met de gemeente zoeken we in die tijd naar een vaste plek om te wonen.",
            ),
        ),
        Section(
            "Logeren is geen huren",
            paragraphs=(
                "Dit is een logeerafspraak, geen huurcontract. De logé krijgt geen huurrechten.",
                "De logé mag zich inschrijven op dit adres (BRP). Als het logeren stopt, vertrekt de logé.",
            ),
        ),
        Section("Wat gebeurt er op de einddatum?", paragraphs=_end_date_paragraphs(agreement)),
    ]
    contribution = "De logeervergoeding is een bijdrage in de kosten, zoals energie, water en eten. Het is geen huur."
    if agreement.fee_to_landlord:
        fee_text = (
            f"De logé betaalt een logeervergoeding van {fee} per maand. "
            "De gastgever heeft een huurachterstand. "
            f"Daarom gaat de vergoeding naar de verhuurder, {d.landlord_name}. Zo wordt de huurachterstand "
            "kleiner."
        )
    else:
        fee_text = f"De logé betaalt de gastgever een logeervergoeding van {fee} per maand."
    sections.append(Section("Logeervergoeding", paragraphs=(fee_text, contribution)))
    sections.append(Section("Huisregels", bullets=tuple(d.house_rules)))
    if not agreement.consent_needed:
        consent = "De gastgever is eigenaar van de woning. Toestemming van een verhuurder is niet nodig."
    elif d.landlord_consent is None:
        consent = (
            f"De verhuurder, {d.landlord_name}, moet eerst toestemming geven. "
            "Zonder die toestemming begint het logeren niet."
        )
    else:
        c = d.landlord_consent
        consent = (
            f"De verhuurder, {d.landlord_name}, gaf toestemming op {_day(c.given_on)} "
            f"({c.given_by}, document {c.document_reference})."
        )
    sections.append(Section("Toestemming van de verhuurder", paragraphs=(consent,)))
    if d.host_on_benefit:
        sections.append(
            Section(
                "Heeft de gastgever een uitkering?",
                paragraphs=(
                    "Dan moet de gastgever aan de gemeente laten weten dat er iemand komt logeren. "
                    "Doe dat voordat het logeren begint. Zeg ook tot wanneer.",
                    "Dat is een plicht uit de wet (artikel 17 Participatiewet). "
                    "Zo blijft uw uitkering kloppen en krijgt u later geen terugvordering.",
                ),
            )
        )
    sections.append(contact_section(d.municipality, d.contact, d.municipal_contact))
    return sections


def _end_date_paragraphs(agreement: Agreement) -> tuple[str, ...]:
    end = _day(agreement.latest_end_date)
    return (
        f"Op {end} stopt het logeren. De logé vertrekt dan uit het huis van de gastgever.",
        "Langer blijven mag alleen met een nieuwe afspraak op papier, die de gemeente ook tekent.",
        "Is er nog geen andere plek? Neem dan ruim voor de einddatum contact op met de gemeente. "
        "Wij zoeken samen naar een oplossing.",
    )


def contact_section(municipality: str, person: str | None, contact: Contact | None) -> Section:
    """'Hulp en contact': the contact person (when known) and the municipality's contact details."""
    contact = contact or Contact(municipality=municipality)
    paragraphs = [f"Vragen of problemen? {contact.how_to_reach()}"]
    if person:
        paragraphs.append(f"Uw contactpersoon is {person}.")
    return Section("Hulp en contact", paragraphs=tuple(paragraphs), bullets=tuple(contact.lines()))


def _signers(agreement: Agreement) -> list[str]:
    d = agreement.data
    return (
        [f"Gastgever: {n}" for n in d.host_names]
        + [f"Logé: {n}" for n in d.guest_names]
        + [f"Namens de gemeente {d.municipality}"]
    )


def _title(agreement: Agreement) -> tuple[str, str]:
    return "Logeerafspraak", f"Kenmerk {agreement.data.reference}"


_TEMPLATES = Path(__file__).parent / "templates"
_env = Environment(
    loader=FileSystemLoader(str(_TEMPLATES)),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_agreement_html(agreement: Agreement) -> str:
    """A standalone printable HTML page (pages may embed it or link to it)."""
    title, subtitle = _title(agreement)
    return _env.get_template("logeer_agreement.html").render(
        title=title, subtitle=subtitle, sections=agreement_sections(agreement), signers=_signers(agreement)
    )


def sections_document(
    *,
    title: str,
    subtitle: str,
    sections: Sequence[Section],
    signers: Sequence[str],
    footer: str,
    created: datetime | None,
) -> Document:
    """An agreement's sections as a PDF document with signature lines: one layout for every agreement
    (the logeer agreement and the Wachtkamer use agreement), the same text as their HTML."""
    blocks: list = []
    for section in sections:
        blocks.append(Heading(section.heading))
        if section.rows:
            blocks.append(Table(rows=[list(r) for r in section.rows], col_widths=(1, 3)))
        blocks.extend(Paragraph(p) for p in section.paragraphs)
        if section.bullets:
            blocks.append(BulletList(list(section.bullets)))
    blocks.append(Heading("Handtekeningen"))
    blocks.append(SignatureLines(list(signers)))
    return Document(title=title, subtitle=subtitle, blocks=blocks, footer=footer, created=created)


def agreement_document(agreement: Agreement) -> Document:
    """The agreement as a :class:`~api.documents.pdf.Document` (same text as the HTML)."""
    title, subtitle = _title(agreement)
    return sections_document(
        title=title,
        subtitle=subtitle,
        sections=agreement_sections(agreement),
        signers=_signers(agreement),
        footer=f"Logeerafspraak {agreement.data.reference} · Gemeente {agreement.data.municipality}",
        created=agreement.created,
    )


def render_agreement_pdf(agreement: Agreement) -> bytes:
    return render_pdf(agreement_document(agreement))
