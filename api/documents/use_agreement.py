"""The use agreement (gebruiksovereenkomst) for a stay in a waiting-room dwelling (Wachtkamer): HTML and PDF.

Why: a household that lives in a municipal dwelling for 6 to 8 weeks must not end up with a tenancy by
accident. Paid use of a dwelling is rent whatever the label (art. 7:201 BW); only use that is by its
nature short escapes tenant protection (art. 7:232 lid 2 BW). So the agreement is in writing and signed
before the stay starts, says the stay is by its nature short and temporary with a start and an end date,
that any payment is a contribution to costs and not rent, and what happens when the end date passes
(domain.md, "The logeer agreement and tenancy law"). It ends with the municipality's contact details.

The text is built once as :class:`~api.documents.agreement.Section` objects (:func:`use_agreement_sections`)
and rendered to HTML and PDF from the same sections, like the logeer agreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from api.documents.agreement import Section, _day, _duration, _env, _names, contact_section, sections_document
from api.documents.contact import Contact
from api.documents.pdf import Document, render_pdf
from matcher.rules.cost_sharing import format_euro
from matcher.rules.errors import InvalidInputError

__all__ = [
    "UseAgreement",
    "render_use_agreement_html",
    "render_use_agreement_pdf",
    "use_agreement_document",
    "use_agreement_sections",
]

HOUSE_RULES: tuple[str, ...] = (
    "U gebruikt de woning om in te wonen, alleen met de mensen die in deze afspraak staan.",
    "U gaat zuinig om met de woning en de spullen die erin staan.",
    "U houdt contact met het crisisteam. Er is minstens één keer per week een gesprek.",
    "Geen geweld, geen drugs en geen wapens in de woning.",
)


@dataclass(frozen=True)
class UseAgreement:
    """What the team knows about the stay in the waiting-room dwelling."""

    reference: str
    municipality: str
    resident_names: Sequence[str]
    address: str
    start_date: date
    end_date: date
    monthly_contribution: Decimal | None = None  # a contribution to costs (energy, water), never rent
    contact: str | None = None  # the case worker
    municipal_contact: Contact | None = None
    created: datetime | None = None

    def __post_init__(self) -> None:
        for name in ("reference", "municipality", "address"):
            if not str(getattr(self, name) or "").strip():
                raise InvalidInputError(name, "required")
        if not self.resident_names or not all(str(n).strip() for n in self.resident_names):
            raise InvalidInputError("resident_names", "at least one person")
        if self.end_date <= self.start_date:
            raise InvalidInputError("end_date", "lies on or before the start date")


def _costs_text(agreement: UseAgreement) -> tuple[str, ...]:
    if agreement.monthly_contribution is None:
        return ("U betaalt geen huur voor de woning.",)
    return (
        f"U betaalt {format_euro(agreement.monthly_contribution)} per maand.",
        "Dat is een bijdrage in de kosten, zoals energie en water. Het is geen huur.",
    )


def use_agreement_sections(agreement: UseAgreement) -> list[Section]:
    """The text of the use agreement, in order (B1 Dutch)."""
    start, end = _day(agreement.start_date), _day(agreement.end_date)
    return [
        Section(
            "Wie maken deze afspraak?",
            rows=(
                ("Gemeente", agreement.municipality),
                ("Bewoner", _names(agreement.resident_names)),
                ("Adres van de woning", agreement.address),
            ),
        ),
        Section(
            "Hoe lang?",
            paragraphs=(
                "U woont hier kort en tijdelijk. Zo is het bedoeld, en zo spreken we het af "
                "(artikel 7:232 lid 2 Burgerlijk Wetboek).",
                f"U mag de woning gebruiken vanaf {start}.",
                f"De afspraak stopt op {end}. Dat is {_duration((agreement.end_date - agreement.start_date).days)} "
                "na de start. Stoppen mag eerder.",
                "In die tijd werken we samen aan een oplossing: terug naar uw eigen huis, een ander huis of een "
                "andere plek.",
            ),
        ),
        Section(
            "Dit is geen huur",
            paragraphs=(
                "Dit is een gebruiksovereenkomst, geen huurcontract. U krijgt geen huurrechten.",
                "De woning blijft van de gemeente.",
            ),
        ),
        Section("Kosten", paragraphs=_costs_text(agreement)),
        Section(
            "Wat gebeurt er op de einddatum?",
            paragraphs=(
                f"Op {end} verlaat u de woning. U geeft de sleutels terug aan de gemeente.",
                "Langer blijven mag alleen met een nieuwe afspraak op papier, die de gemeente ook tekent.",
                "Is er nog geen andere plek? Neem dan ruim voor de einddatum contact op met de gemeente. "
                "Wij zoeken samen naar een oplossing.",
            ),
        ),
        Section("Afspraken in de woning", bullets=HOUSE_RULES),
        Section(
            "Tekenen vóór de start",
            paragraphs=(f"We tekenen deze afspraak vóór {start}. Zonder handtekening begint het wonen niet.",),
        ),
        contact_section(agreement.municipality, agreement.contact, agreement.municipal_contact),
    ]


def _signers(agreement: UseAgreement) -> list[str]:
    return [f"Bewoner: {n}" for n in agreement.resident_names] + [f"Namens de gemeente {agreement.municipality}"]


def _title(agreement: UseAgreement) -> tuple[str, str]:
    return "Gebruiksovereenkomst wachtkamerwoning", f"Kenmerk {agreement.reference}"


def render_use_agreement_html(agreement: UseAgreement) -> str:
    title, subtitle = _title(agreement)
    return _env.get_template("logeer_agreement.html").render(
        title=title, subtitle=subtitle, sections=use_agreement_sections(agreement), signers=_signers(agreement)
    )


def use_agreement_document(agreement: UseAgreement) -> Document:
    """The use agreement as a PDF document (same text as the HTML)."""
    title, subtitle = _title(agreement)
    return sections_document(
        title=title,
        subtitle=subtitle,
        sections=use_agreement_sections(agreement),
        signers=_signers(agreement),
        footer=f"Gebruiksovereenkomst {agreement.reference} · Gemeente {agreement.municipality}",
        created=agreement.created,
    )


def render_use_agreement_pdf(agreement: UseAgreement) -> bytes:
    return render_pdf(use_agreement_document(agreement))
