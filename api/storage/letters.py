"""Letters to the household about its stored belongings, in plain Dutch (B1), rendered as PDF.

Why plain and short: about half of the people who deal with bailiffs read with difficulty,
and many avoid mail from authorities (domain.md). So each letter says in short sentences
what is stored, where, until when, how to get it back and what it costs, and it offers the
solution in the same letter: call us, we help. Four letters (issue 8): at intake, some weeks in,
shortly before the deadline and at the deadline. When they go out is the lot's ``storage_letters``
policy (by default 4 weeks in and 2 weeks before), and the texts name those same periods and the
lot's storage period through :func:`api.storage.rules.period_text`, so a municipality's override
never leaves a letter stating a wrong period. The text is built as blocks for
:func:`api.documents.pdf.render_pdf`; the PDF is kept with the lot (table ``storage_letter``).
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from sqlalchemy.orm import Session

from api.core.models import Municipality
from api.documents.contact import Contact
from api.documents.pdf import Block, BulletList, Document, Heading, Paragraph, Table, render_pdf
from api.households.models import Household
from api.storage import rules
from api.storage.inventory import item_states
from api.storage.models import StorageDepot, StorageLot

TITLES = {
    "intake": "Uw spullen zijn opgeslagen",
    "week_4": "Uw spullen staan nog bij ons",
    "two_weeks_before": "Nog {before}: haal uw spullen op",
    "deadline": "De {period} zijn voorbij",
}


def nl_date(day: date) -> str:
    return format_date(day, "d MMMM y", locale="nl_NL")


def _items_table(lot: StorageLot, *, remaining_only: bool) -> Table:

    states = item_states(lot)
    rows = []
    for item in lot.items:
        quantity = states[item.id].remaining if remaining_only else item.quantity
        if quantity <= 0:
            continue
        rows.append([rules.CATEGORY_LABELS[item.category][0], item.description, str(quantity)])
    return Table(header=["Soort", "Wat", "Aantal"], rows=rows or [["—", "Niets meer", "0"]], col_widths=(2, 4, 1))


def _costs_blocks(lot: StorageLot, costs_now: rules.Costs) -> list[Block]:
    blocks: list[Block] = [Heading("Kosten")]
    if lot.cost_decision == "waived":
        blocks.append(Paragraph("U hoeft niets te betalen voor het ophalen en bewaren. De gemeente betaalt dit."))
    elif lot.cost_decision == "hold_until_paid":
        blocks += [
            Paragraph(
                f"Ophalen en bewaren kost geld. Tot nu toe is dat {rules.euro(costs_now.total_cents)}. "
                "U krijgt uw spullen terug als deze kosten zijn betaald."
            ),
            Paragraph("Uw papieren, foto's en herinneringen krijgt u altijd terug, ook als u nog niet heeft betaald."),
            Paragraph("Kunt u niet betalen? Bel ons. Wij zoeken samen met u naar een oplossing."),
        ]
    else:
        blocks.append(
            Paragraph(
                "De gemeente beslist nog of u de kosten van ophalen en bewaren moet betalen. "
                "Wij laten u dat weten. U hoeft nu niets te doen."
            )
        )
    return blocks


def _proceeds_paragraph(lot: StorageLot) -> Paragraph:
    """art. 5:30 lid 4 Awb: the net proceeds are the owner's for 3 years; no costs deducted when they are waived."""
    claim = "U kunt dat geld tot 3 jaar na de verkoop bij ons opvragen."
    if lot.cost_decision == "waived":
        return Paragraph(f"Verkopen wij iets? Dan is de opbrengst voor u. {claim}")
    return Paragraph(f"Verkopen wij iets? Dan gaan de kosten van de opbrengst af. Wat overblijft, is voor u. {claim}")


def _how_to_collect(lot: StorageLot, contact: Contact) -> BulletList:
    return BulletList(
        [
            f"Maak een afspraak. {contact.how_to_reach()} Noem het kenmerk {lot.reference}.",
            "Neem uw identiteitsbewijs mee, als u dat heeft.",
            "Kunt u niet zelf komen? Dan mag iemand anders uw spullen ophalen. Geef die persoon een briefje "
            "mee waarin staat dat het mag, met uw handtekening.",
            "Wilt u iets niet meer terug? Zeg het ons. U tekent dan een formulier (afstandsverklaring).",
        ]
    )


def letter_document(
    *,
    kind: str,
    lot: StorageLot,
    times: rules.LetterTimes,
    household_name: str,
    municipality_name: str,
    depot: StorageDepot,
    costs_now: rules.Costs,
    today: date,
    contact: Contact | None = None,
) -> Document:
    """The letter as blocks. Only the household's display name appears; nothing about debts or health.

    ``times`` is the lot's letter schedule (:func:`api.storage.service.letter_times`); the periods the
    letter names come from it and from the lot's own deadline, never from fixed numbers.
    """
    contact = contact or Contact(municipality=municipality_name)
    last_day = lot.deadline  # art. 5:30 lid 1 Awb: the 13 weeks end at the end of day 91
    sale_from = rules.disposal_allowed_from(lot.deadline)  # day 92
    period = rules.period_text(rules.day_number(lot.stored_on, lot.deadline))  # "13 weken"
    week_4 = rules.period_text(times.week_4_days)  # "4 weken"
    before = rules.period_text(times.before_deadline_days)  # "2 weken"
    keep = Paragraph(
        "Uw papieren (zoals paspoort, diploma's en brieven), foto's en herinneringen gooien wij nooit weg. "
        "Die bewaren wij voor u. U krijgt ze altijd terug.",
        bold=True,
    )
    where = Paragraph(f"Uw spullen staan bij: {depot.name}, {depot.address}.")

    def still_here() -> list[Block]:
        """The reminders' common part: what is left, where, how to collect it, the costs."""
        return [
            Heading("Dit staat nog bij ons"),
            _items_table(lot, remaining_only=True),
            where,
            Heading("Hoe krijgt u uw spullen terug?"),
            _how_to_collect(lot, contact),
            keep,
            *_costs_blocks(lot, costs_now),
        ]

    blocks: list[Block] = [Paragraph(f"Beste {household_name},")]
    if kind == "intake":
        blocks += [
            Paragraph(
                f"Op {nl_date(lot.stored_on)} is uw huis ontruimd. De gemeente heeft uw spullen opgehaald. "
                "Ze staan veilig opgeslagen."
            ),
            Heading("Wat hebben wij opgeslagen?"),
            _items_table(lot, remaining_only=False),
            Heading("Waar staan uw spullen?"),
            where,
            Heading("Tot wanneer?"),
            Paragraph(
                f"Wij bewaren uw spullen {period}: tot en met {nl_date(last_day)}. "
                f"Haalt u ze niet op? Dan mag de gemeente ze vanaf {nl_date(sale_from)} verkopen. "
                "Wat niet te verkopen is, mag de gemeente daarna weggooien of weggeven."
            ),
            keep,
            Heading("Hoe krijgt u uw spullen terug?"),
            _how_to_collect(lot, contact),
            *_costs_blocks(lot, costs_now),
        ]
    elif kind == "week_4":
        blocks += [
            Paragraph(f"Uw spullen staan nu {week_4} bij ons. Wij bewaren ze nog tot en met {nl_date(last_day)}."),
            *still_here(),
        ]
    elif kind == "two_weeks_before":
        blocks += [
            Paragraph(
                f"Over {before} zijn de {period} voorbij. Haal uw spullen uiterlijk op {nl_date(lot.deadline)} op.",
                bold=True,
            ),
            Paragraph(
                f"Vanaf {nl_date(sale_from)} mag de gemeente uw spullen verkopen. "
                "Dat willen wij liever niet. Bel ons dus snel voor een afspraak."
            ),
            *still_here(),
        ]
    elif kind == "deadline":
        blocks += [
            Paragraph(
                f"Wij hebben uw spullen {period} bewaard. "
                f"Die tijd is voorbij aan het eind van {nl_date(lot.deadline)}.",
                bold=True,
            ),
            Paragraph(
                f"Vanaf {nl_date(sale_from)} mag de gemeente uw spullen verkopen. "
                "Kan iets niet verkocht worden? Dan mag de gemeente het weggooien of weggeven."
            ),
            Paragraph("Wilt u uw spullen toch nog? Bel ons vandaag nog. Misschien kan het nog."),
            Heading("Dit stond nog bij ons"),
            _items_table(lot, remaining_only=True),
            keep,
            _proceeds_paragraph(lot),
        ]
    else:  # pragma: no cover - the kinds are checked by the service
        raise ValueError(f"unknown letter kind {kind!r}")
    blocks += [
        Heading("Vragen of hulp nodig?"),
        Paragraph(f"{contact.how_to_reach()} Wij helpen u graag. U mag ook iemand meenemen die u vertrouwt."),
        Paragraph("\n".join(contact.lines())),
        Paragraph(f"Met vriendelijke groet,\nGemeente {municipality_name}"),
    ]
    return Document(
        title=TITLES[kind].format(before=before, period=period),
        subtitle=f"Kenmerk {lot.reference} · {nl_date(today)}",
        blocks=blocks,
        footer=f"Gemeente {municipality_name} · Onderdak · opslag van inboedels (art. 556 Rv, art. 5:29-5:30 Awb)",
    )


def render_letter(
    db: Session, *, lot: StorageLot, kind: str, today: date, costs_now: rules.Costs, times: rules.LetterTimes
) -> bytes:
    household = db.get(Household, lot.household_id)
    municipality = db.get(Municipality, lot.municipality_id)
    depot = db.get(StorageDepot, lot.depot_id)
    assert household is not None and municipality is not None and depot is not None
    doc = letter_document(
        kind=kind,
        lot=lot,
        times=times,
        household_name=household.display_name,
        municipality_name=municipality.name,
        depot=depot,
        costs_now=costs_now,
        today=today,
        contact=Contact.of(municipality),
    )
    return render_pdf(doc)
