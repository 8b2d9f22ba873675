"""The placement letter to the household: where, from when, until when, what to bring.

Plain Dutch at B1 level (domain.md: about half of the people who deal with bailiffs
read with difficulty): short sentences, no jargon, one thing per line, the solution in
the same letter (who to call). Rendered with the shared :func:`api.documents.pdf.render_pdf`.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from sqlalchemy.orm import Session

from api.core import audit
from api.core.models import Municipality
from api.core.principal import Principal
from api.documents.contact import Contact
from api.documents.pdf import Block, BulletList, Document, Heading, Paragraph, Table, render_pdf
from api.households.models import CaseWorker
from api.placements.models import Placement
from api.placements.service import get_placement


def _day(value: date) -> str:
    return format_date(value, "EEEE d MMMM y", locale="nl_NL")


def letter_document(db: Session, placement: Placement) -> Document:
    household = placement.household
    place = placement.place
    municipality = db.get(Municipality, placement.municipality_id)
    town = municipality.name if municipality else "uw gemeente"
    if place.kind == "host_room" and place.host is not None:
        host = place.host
        address = f"{host.street} {host.house_number}, {host.postcode} {host.city}"
        kind = "Een kamer bij een gastgever (logeren)"
    else:
        address = place.address or place.label
        kind = "Een wachtkamerwoning van de gemeente"
    weeks = (placement.end_date - placement.start_date).days // 7
    blocks: list[Block] = [
        Paragraph(f"Beste {household.display_name},"),
        Paragraph("U heeft een plek om tijdelijk te wonen. In deze brief staat waar en wanneer.", bold=True),
        Table(
            header=["Wat", "Gegevens"],
            rows=[
                ["Adres", address],
                ["Soort plek", kind],
                ["U kunt erin vanaf", _day(placement.start_date)],
                ["U moet er weg op", _day(placement.end_date)],
            ],
            col_widths=(1, 2),
        ),
        Heading("Wat gaat er gebeuren?"),
        BulletList(
            [
                "Iemand van het crisisteam belt u. Wij brengen u naar de plek.",
                f"U mag hier ongeveer {weeks} weken blijven.",
                "In die tijd helpen wij u met uw geld en met een nieuwe woning.",
            ]
        ),
    ]
    if place.kind == "host_room":
        blocks += [
            Heading("U logeert bij iemand thuis"),
            BulletList(
                [
                    "U logeert. U huurt de kamer niet. U krijgt dus geen huurrechten.",
                    "U betaalt de gastgever een vergoeding. Hoeveel, spreken we samen af.",
                    "U maakt samen afspraken over het huis. Die schrijven we op.",
                ]
            ),
        ]
    blocks += [
        Heading("Wat neemt u mee?"),
        BulletList(
            [
                "Uw identiteitsbewijs (paspoort of ID-kaart).",
                "Uw medicijnen.",
                "Uw bankpas.",
                "Belangrijke papieren, zoals brieven van instanties.",
                "Kleren voor een paar dagen.",
            ]
        ),
        Heading("Uw spullen"),
        Paragraph(
            "Spullen die bij de ontruiming op straat staan, halen wij op. Wij bewaren ze minstens 13 weken. "
            "Daarover krijgt u een aparte brief."
        ),
        Heading("Vragen?"),
        Paragraph(_contact_line(db, household.case_worker_id, town)),
        *([Paragraph("\n".join(Contact.of(municipality).lines()))] if municipality else []),
        Paragraph("Kunt u deze brief niet goed lezen? Vraag iemand om hulp, of bel ons. Wij leggen het graag uit."),
        Paragraph(f"Met vriendelijke groet,\nHet crisisteam van de gemeente {town}"),
    ]
    written = placement.confirmed_at.date() if placement.confirmed_at else placement.start_date
    return Document(
        title="U heeft een plek om te wonen",
        subtitle=f"Kenmerk {household.reference} · {_day(written)}",
        blocks=blocks,
        footer=f"Gemeente {town} · Onderdak",
        created=placement.confirmed_at,
    )


def _contact_line(db: Session, case_worker_id: int | None, town: str) -> str:
    worker = db.get(CaseWorker, case_worker_id) if case_worker_id else None
    if worker is None:
        return f"Bel de gemeente {town}. Zeg dat het over uw opvang gaat."
    ways = " of ".join(
        x for x in (worker.phone and f"bel {worker.phone}", worker.email and f"mail {worker.email}") if x
    )
    return f"Uw contactpersoon is {worker.name}." + (f" U kunt {ways}." if ways else "")


def placement_letter_pdf(db: Session, *, principal: Principal, placement_id: int) -> tuple[str, bytes]:
    """(file name, PDF bytes) of the letter; reading it is a read of personal data: audited."""
    placement = get_placement(db, principal=principal, placement_id=placement_id)
    pdf = render_pdf(letter_document(db, placement))
    audit.record(db, principal=principal, action="read", object_type="placement_letter", object_id=placement.id)
    return f"plaatsingsbrief-{placement.household.reference}.pdf", pdf
