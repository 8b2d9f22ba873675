"""Belongings stored after an eviction (art. 556 lid 3 Rv, art. 5:29–5:30 Awb).

A lot (:class:`StorageLot`) is what the bailiff put on the street at one eviction.
Its proces-verbaal (art. 5:29 Awb) is the list of :class:`StorageItem` lines; what
leaves the depot is recorded as a :class:`StorageReturn` (to the owner) or a
:class:`StorageDisposal` (sale or destruction, art. 5:30 Awb), each with lines per
item so the remaining quantity is always ``quantity - returned - disposed``.

Rules that the database enforces as well as the service (a bug or a hand-written
UPDATE must not get round them): personal documents, photos and keepsakes never
appear in a disposal; an early disposal (before the end of the 13 weeks) carries a
reason and is approved by a different user than the one who asked (four eyes).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.core import clock
from api.core.database import Base, UTCDateTime

LOT_STATUSES = ("stored", "partly_returned", "returned", "disposed", "closed")
ITEM_CATEGORIES = ("furniture", "appliances", "clothing", "personal_documents", "photos_keepsakes", "other")
# Never sold or destroyed, whatever happens (domain.md, "Belongings after an eviction"): kept for return.
PROTECTED_CATEGORIES = ("personal_documents", "photos_keepsakes")
ITEM_CONDITIONS = ("good", "worn", "damaged")
TARIFF_KINDS = ("per_m3_week", "fixed")
COST_DECISIONS = ("waived", "hold_until_paid")
RECOVERY_STATUSES = ("not_started", "claimed", "paid", "not_recoverable")
CONFIRMATION_KINDS = ("signature", "recorded")
DISPOSAL_METHODS = ("sale", "destruction", "gift")  # gift: given away for free (art. 5:30 lid 5 Awb)
DISPOSAL_BASES = ("deadline_passed", "waiver", "four_eyes")
DISPOSAL_STATUSES = ("requested", "done", "withdrawn")
ATTACHMENT_KINDS = ("photo", "signature")
LETTER_KINDS = ("intake", "week_4", "two_weeks_before", "deadline")


class StorageDepot(Base):
    __tablename__ = "storage_depot"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(200))
    lat: Mapped[float] = mapped_column()
    lon: Mapped[float] = mapped_column()


class StorageLot(Base):
    __tablename__ = "storage_lot"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    eviction_id: Mapped[int | None] = mapped_column(ForeignKey("eviction.id", ondelete="SET NULL"), unique=True)
    depot_id: Mapped[int] = mapped_column(ForeignKey("storage_depot.id", ondelete="RESTRICT"), index=True)
    stored_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)  # stored_on + storage period (a dated parameter)
    bailiff_reference: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="stored")
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    # Costs (art. 5:29 lid 4-5 Awb): the municipal tariff applied to this lot, in cents.
    tariff_kind: Mapped[str | None] = mapped_column(String(16))
    tariff_cents: Mapped[int | None] = mapped_column(Integer)  # per m³ per started week, or the fixed amount
    removal_cost_cents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    cost_decision: Mapped[str | None] = mapped_column(String(20))  # waived / hold_until_paid; None = open
    cost_decision_reason: Mapped[str | None] = mapped_column(Text)
    cost_decision_by: Mapped[int | None] = mapped_column(Integer)
    cost_decision_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    costs_paid_on: Mapped[date | None] = mapped_column(Date)
    # Recovery from the party that ordered the eviction (the landlord), who may pass it on.
    recovery_party: Mapped[str | None] = mapped_column(String(120))
    recovery_status: Mapped[str | None] = mapped_column(String(16))
    recovery_amount_cents: Mapped[int | None] = mapped_column(Integer)
    recovery_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The invoice to the executant (art. 556 lid 3 Rv: the costs are theirs; they may pass them on).
    recovery_invoiced_on: Mapped[date | None] = mapped_column(Date)
    recovery_invoice_reference: Mapped[str | None] = mapped_column(String(64))
    ended_on: Mapped[date | None] = mapped_column(Date)  # the day nothing was left in the depot

    items: Mapped[list[StorageItem]] = relationship(
        back_populates="lot", cascade="all, delete-orphan", order_by="StorageItem.id"
    )
    returns: Mapped[list[StorageReturn]] = relationship(
        back_populates="lot", cascade="all, delete-orphan", order_by="StorageReturn.id"
    )
    waivers: Mapped[list[StorageWaiver]] = relationship(
        back_populates="lot", cascade="all, delete-orphan", order_by="StorageWaiver.id"
    )
    disposals: Mapped[list[StorageDisposal]] = relationship(
        back_populates="lot", cascade="all, delete-orphan", order_by="StorageDisposal.id"
    )
    letters: Mapped[list[StorageLetter]] = relationship(
        back_populates="lot", cascade="all, delete-orphan", order_by="StorageLetter.due_on"
    )
    attachments: Mapped[list[StorageAttachment]] = relationship(
        back_populates="lot", cascade="all, delete-orphan", order_by="StorageAttachment.id"
    )

    __table_args__ = (
        Index("ix_storage_lot_municipality_deadline", "municipality_id", "deadline"),
        Index("ix_storage_lot_municipality_status", "municipality_id", "status", "deadline"),
        CheckConstraint(f"status IN {LOT_STATUSES}", name="status"),
        CheckConstraint("deadline > stored_on", name="deadline_after_storage"),
        CheckConstraint(f"tariff_kind IS NULL OR tariff_kind IN {TARIFF_KINDS}", name="tariff_kind"),
        CheckConstraint("(tariff_kind IS NULL) = (tariff_cents IS NULL)", name="tariff_complete"),
        CheckConstraint("tariff_cents IS NULL OR tariff_cents >= 0", name="tariff_non_negative"),
        CheckConstraint("removal_cost_cents >= 0", name="removal_non_negative"),
        CheckConstraint(f"cost_decision IS NULL OR cost_decision IN {COST_DECISIONS}", name="cost_decision"),
        CheckConstraint(f"recovery_status IS NULL OR recovery_status IN {RECOVERY_STATUSES}", name="recovery_status"),
        CheckConstraint("recovery_amount_cents IS NULL OR recovery_amount_cents >= 0", name="recovery_amount"),
    )


class StorageItem(Base):
    """One line of the proces-verbaal: an item or a number of boxes of one category."""

    __tablename__ = "storage_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("storage_lot.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(24))
    description: Mapped[str] = mapped_column(String(200))
    condition: Mapped[str] = mapped_column(String(16), default="good")
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    volume_m3: Mapped[Decimal] = mapped_column(Numeric(8, 2))  # estimated volume of the whole line
    location: Mapped[str | None] = mapped_column(String(80))  # place in the depot (hall, rack, bay)

    lot: Mapped[StorageLot] = relationship(back_populates="items")

    __table_args__ = (
        CheckConstraint(f"category IN {ITEM_CATEGORIES}", name="category"),
        CheckConstraint(f"condition IN {ITEM_CONDITIONS}", name="condition"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("volume_m3 >= 0", name="volume_non_negative"),
    )


class StorageReturn(Base):
    """Goods handed back to the owner (art. 5:29 Awb), with who received them and how that was confirmed."""

    __tablename__ = "storage_return"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("storage_lot.id", ondelete="CASCADE"), index=True)
    returned_on: Mapped[date] = mapped_column(Date)
    returned_to: Mapped[str] = mapped_column(String(120))
    confirmation: Mapped[str] = mapped_column(String(16))  # signature (scan attached) / recorded
    confirmation_note: Mapped[str | None] = mapped_column(Text)
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("storage_attachment.id", ondelete="SET NULL"))
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    lot: Mapped[StorageLot] = relationship(back_populates="returns")
    lines: Mapped[list[StorageReturnLine]] = relationship(cascade="all, delete-orphan", order_by="StorageReturnLine.id")

    __table_args__ = (
        CheckConstraint(f"confirmation IN {CONFIRMATION_KINDS}", name="confirmation"),
        CheckConstraint(
            "confirmation = 'signature' OR confirmation_note IS NOT NULL", name="recorded_confirmation_has_note"
        ),
    )


class StorageReturnLine(Base):
    __tablename__ = "storage_return_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("storage_return.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("storage_item.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("return_id", "item_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )


class StorageWaiver(Base):
    """An afstandsverklaring: the owner gives up the listed items, which ends the period early for them."""

    __tablename__ = "storage_waiver"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("storage_lot.id", ondelete="CASCADE"), index=True)
    signed_on: Mapped[date] = mapped_column(Date)
    signed_by: Mapped[str] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    lot: Mapped[StorageLot] = relationship(back_populates="waivers")
    items: Mapped[list[StorageWaiverItem]] = relationship(cascade="all, delete-orphan")


class StorageWaiverItem(Base):
    __tablename__ = "storage_waiver_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    waiver_id: Mapped[int] = mapped_column(ForeignKey("storage_waiver.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("storage_item.id", ondelete="CASCADE"), index=True)

    __table_args__ = (UniqueConstraint("waiver_id", "item_id"),)


class StorageDisposal(Base):
    """Sale or destruction of what remains of one item category (art. 5:30 Awb).

    ``basis`` says why it is allowed: the period has passed, a waiver covers the
    items, or (early) a recorded reason plus a second user's approval.
    """

    __tablename__ = "storage_disposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("storage_lot.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(24))
    method: Mapped[str] = mapped_column(String(16))
    basis: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(12), default="requested")
    reason: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[int] = mapped_column(Integer)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    approved_by: Mapped[int | None] = mapped_column(Integer)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_on: Mapped[date | None] = mapped_column(Date)
    proceeds_cents: Mapped[int | None] = mapped_column(Integer)
    # art. 5:30 lid 3 Awb: an early sale not within 2 weeks after a copy of the proces-verbaal reached the owner.
    record_copy_given_on: Mapped[date | None] = mapped_column(Date)
    # art. 5:30 lid 5 Awb: destroying or giving away only when sale is not possible; why not.
    unsellable_reason: Mapped[str | None] = mapped_column(Text)
    # art. 5:30 lid 4 Awb: the owner may claim proceeds minus costs for 3 years after the sale.
    costs_deducted_cents: Mapped[int | None] = mapped_column(Integer)
    claim_received_on: Mapped[date | None] = mapped_column(Date)
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claim_paid_on: Mapped[date | None] = mapped_column(Date)
    claim_paid_cents: Mapped[int | None] = mapped_column(Integer)

    lot: Mapped[StorageLot] = relationship(back_populates="disposals")
    lines: Mapped[list[StorageDisposalLine]] = relationship(
        cascade="all, delete-orphan", order_by="StorageDisposalLine.id"
    )

    __table_args__ = (
        CheckConstraint(f"category IN {ITEM_CATEGORIES}", name="category"),
        CheckConstraint(f"category NOT IN {PROTECTED_CATEGORIES}", name="never_personal_documents"),
        CheckConstraint(f"method IN {DISPOSAL_METHODS}", name="method"),
        CheckConstraint(f"basis IN {DISPOSAL_BASES}", name="basis"),
        CheckConstraint(f"status IN {DISPOSAL_STATUSES}", name="status"),
        CheckConstraint("basis <> 'four_eyes' OR reason IS NOT NULL", name="early_has_reason"),
        CheckConstraint("approved_by IS NULL OR approved_by <> requested_by", name="four_eyes"),
        CheckConstraint(
            "status <> 'done' OR basis <> 'four_eyes' OR approved_by IS NOT NULL", name="early_needs_approval"
        ),
        CheckConstraint("status <> 'done' OR done_on IS NOT NULL", name="done_has_date"),
        CheckConstraint("proceeds_cents IS NULL OR proceeds_cents >= 0", name="proceeds_non_negative"),
        CheckConstraint("method = 'sale' OR unsellable_reason IS NOT NULL", name="destruction_has_reason"),
        CheckConstraint("costs_deducted_cents IS NULL OR costs_deducted_cents >= 0", name="costs_non_negative"),
        CheckConstraint("claim_received_on IS NULL OR method = 'sale'", name="claim_only_after_sale"),
        CheckConstraint("claim_paid_on IS NULL OR claim_received_on IS NOT NULL", name="payment_needs_claim"),
        CheckConstraint("claim_paid_cents IS NULL OR claim_paid_cents >= 0", name="claim_paid_non_negative"),
    )


class StorageDisposalLine(Base):
    __tablename__ = "storage_disposal_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    disposal_id: Mapped[int] = mapped_column(ForeignKey("storage_disposal.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("storage_item.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("disposal_id", "item_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )


class StorageAttachment(Base):
    """A photo of the inventory or a scanned signed receipt. Kept in the database, never in a public folder:
    it is served only through an authorised route."""

    __tablename__ = "storage_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("storage_lot.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12), default="photo")
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    caption: Mapped[str | None] = mapped_column(String(200))
    uploaded_by: Mapped[int | None] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    lot: Mapped[StorageLot] = relationship(back_populates="attachments")

    __table_args__ = (
        CheckConstraint(f"kind IN {ATTACHMENT_KINDS}", name="kind"),
        CheckConstraint("size_bytes > 0", name="size_positive"),
    )


class StorageLetter(Base):
    """A letter to the household, kept with the lot as the PDF that was produced (one per kind)."""

    __tablename__ = "storage_letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("storage_lot.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date] = mapped_column(Date)
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    generated_by: Mapped[int | None] = mapped_column(Integer)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)

    lot: Mapped[StorageLot] = relationship(back_populates="letters")

    __table_args__ = (
        UniqueConstraint("lot_id", "kind"),
        CheckConstraint(f"kind IN {LETTER_KINDS}", name="kind"),
    )
