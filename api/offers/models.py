"""An offer: a proposal put to the host (host room) or the Wachtkamer manager (dwelling), answered by link.

An offer is not yet a placement. It holds the pair and the dates of its proposal, a one-time link (only
the SHA-256 of the token is kept; the token is revoked once the offer is answered, expires or is void),
the answer with its reason from the decline catalogue, and the household's own consent (who, when, how).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from api.core import clock
from api.core.database import Base, UTCDateTime

OFFER_STATUSES = ("pending", "accepted", "declined", "expired", "void")
RECIPIENT_KINDS = ("host", "wachtkamer")
CONSENT_VIA = ("in_person", "phone", "email", "letter")


class Offer(Base):
    __tablename__ = "offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="SET NULL"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    recipient_kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decline_reason: Mapped[str | None] = mapped_column(String(32))
    decline_note: Mapped[str | None] = mapped_column(Text)
    paused_until: Mapped[date | None] = mapped_column(Date)
    void_reason: Mapped[str | None] = mapped_column(Text)
    placement_id: Mapped[int | None] = mapped_column(ForeignKey("placement.id", ondelete="SET NULL"))
    # The household's own say: given or refused, who in the household, how, when, recorded by whom.
    consent: Mapped[str | None] = mapped_column(String(8))
    consent_by: Mapped[str | None] = mapped_column(String(60))
    consent_via: Mapped[str | None] = mapped_column(String(16))
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_recorded_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint(f"status IN {OFFER_STATUSES}", name="status"),
        CheckConstraint(f"recipient_kind IN {RECIPIENT_KINDS}", name="recipient_kind"),
        CheckConstraint("end_date > start_date", name="positive"),
        CheckConstraint("status != 'declined' OR decline_reason IS NOT NULL", name="declined_has_reason"),
        CheckConstraint("status = 'pending' OR token_hash IS NULL", name="token_revoked_when_answered"),
        CheckConstraint("consent IS NULL OR consent IN ('given', 'refused')", name="consent"),
        CheckConstraint(f"consent_via IS NULL OR consent_via IN {CONSENT_VIA}", name="consent_via"),
        # At most one pending offer per household: the household is held for one place at a time.
        Index(
            "uq_offer_pending_household",
            "household_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )
