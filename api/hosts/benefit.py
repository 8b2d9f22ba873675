"""What a guest would do to a host's social-assistance benefit: the preview on the sign-up form.

Why: a host on social assistance loses part of the benefit when an adult guest counts as a
cost-sharer (kostendelersnorm, art. 22a Participatiewet), unless the municipality decides the stay
is temporary (art. 18 lid 1; Verzamelbrief SZW 13 November 2015). The host must see this *before*
signing up (domain.md, "Cost-sharing norm"). The calculation itself is the rules engine's pure
function (:func:`matcher.rules.cost_sharing.calculate`); this module only builds its input from the
form (the host, the housemates, and one typical guest: an adult of 30, who counts) and turns the
result into what the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from api.core.errors import InvalidInput
from api.core.i18n import current_language
from api.core.i18n import gettext as _
from api.core.policy import policy_book
from api.hosts.rules import STATUS_FROM_DB

TYPICAL_GUEST_AGE = 30  # a single adult: most guests are single adults (domain.md, "Other reference points")


@dataclass(frozen=True)
class Retention:
    months_after_end: int
    unconfirmed_days: int
    link_valid_days: int
    source: str


def retention(db: Session, municipality_id: int | None, day: date) -> Retention:
    """The dated retention periods (seed_data/policy/host_data_retention_*.toml or an override)."""
    book = policy_book(db, municipality_id=municipality_id)
    key = "host_data_retention"
    return Retention(
        months_after_end=book.integer(key, day, "months_after_end", minimum=1),
        unconfirmed_days=book.integer(key, day, "unconfirmed_days", minimum=1),
        link_valid_days=book.integer(key, day, "link_valid_days", minimum=1),
        source="; ".join(book.sources(key, day)),
    )


@dataclass(frozen=True)
class Housemate:
    birth_date: date
    status: str = "none"
    on_benefit: bool = False


@dataclass(frozen=True)
class BenefitPreview:
    """What the form shows. ``error`` is set instead of the figures when the rules cannot say."""

    a_without: int = 0
    a_with: int = 0
    percent_without: str = ""
    percent_with: str = ""
    norm_without: str | None = None
    norm_with: str | None = None
    difference: str | None = None
    cuts_benefit: bool = False
    exemption_possible: bool = False
    explanation: str = ""
    amounts_missing: bool = False
    sources: tuple[str, ...] = ()
    error: str | None = None
    notes: tuple[str, ...] = ()  # provisional norms, fee as income (art. 32/33), registration and briefadres


def preview(
    db: Session, *, municipality_id: int | None, day: date, host_birth_date: date, housemates: list[Housemate]
) -> BenefitPreview:
    """The host's benefit without and with one typical adult guest, on ``day``."""
    from matcher.rules import cost_sharing as cs
    from matcher.rules.dates import add_years_months
    from matcher.rules.errors import RulesError

    try:
        book = policy_book(db, municipality_id=municipality_id)
        host = cs.Household(
            "gastgever",
            (
                cs.Person("gastgever", host_birth_date, on_benefit=True),
                *(
                    cs.Person(
                        f"huisgenoot-{i + 1}",
                        m.birth_date,
                        on_benefit=m.on_benefit,
                        statuses=STATUS_FROM_DB.get(m.status, frozenset()),
                    )
                    for i, m in enumerate(housemates)
                ),
            ),
        )
        guest_birth = add_years_months(day, -TYPICAL_GUEST_AGE, 0)
        guest_ref = "de logé" if current_language.get() == "nl" else "the guest"
        guests = cs.Household("logé", (cs.Person(guest_ref, guest_birth),))
        result = cs.calculate(host, guests, day, book, require_amounts=False)
    except (RulesError, InvalidInput) as exc:  # InvalidInput: policy_book's 422 for a malformed override
        return BenefitPreview(
            error=_("Dit kunnen we niet berekenen: ") + (exc.message if isinstance(exc, InvalidInput) else exc.msg)
        )
    except (ValueError, KeyError) as exc:  # the rules engine is being extended; never break the form
        return BenefitPreview(error=_("Dit kunnen we niet berekenen: ") + str(exc))
    comp = result.composition
    norm = next((n for n in result.norms if n.person_ref == "gastgever"), None)
    text = result.decision_required
    explanation = (text.nl if current_language.get() == "nl" else text.en) if text is not None else ""
    return BenefitPreview(
        a_without=comp.a_without,
        a_with=comp.a_with,
        percent_without=f"{comp.percent_without}".replace(".", ","),
        percent_with=f"{comp.percent_with}".replace(".", ","),
        norm_without=cs.format_euro(norm.norm_without) if norm else None,
        norm_with=cs.format_euro(norm.norm_with) if norm else None,
        difference=cs.format_euro(norm.difference) if norm else None,
        cuts_benefit=result.cuts_benefit,
        exemption_possible=result.exemption_possible,
        explanation=explanation,
        amounts_missing=result.amounts_missing is not None,
        sources=result.sources,
        notes=tuple(n.nl if current_language.get() == "nl" else n.en for n in result.notes),
    )
