"""Storage of belongings after an eviction: intake, costs, returns, waivers, disposals, letters.

Every function takes the session first and keyword-only arguments, checks the rules of
:mod:`api.storage.rules`, writes an audit event and flushes (never commits). "Today" is passed in by the
caller, so tests can pin any day, including around leap days and summer time. A refused action raises
before anything is written, so a refusal changes nothing.

The package is split by stage of a lot's life (lots and costs, intake, returns and waivers, disposals,
attachments, letters, reading); this module is its one public face, so callers write ``service.create_lot``.
"""

from api.storage.service.attachments import ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, add_attachment, get_attachment
from api.storage.service.disposals import (
    approve_disposal,
    net_proceeds_cents,
    record_claim,
    record_claim_payment,
    record_sale_result,
    request_disposal,
    withdraw_disposal,
)
from api.storage.service.intake import create_lot
from api.storage.service.letters_due import due_letters, generate_due_letters, generate_letter, get_letter
from api.storage.service.lots import (
    OPEN_STATUSES,
    costs,
    deadline_for,
    decide_costs,
    get_lot,
    households_for_intake,
    letter_schedule,
    letter_times,
    list_depots,
    list_lots,
    lock_lot,
    lot_volume,
    mark_costs_paid,
    set_recovery,
)
from api.storage.service.overview import StorageSignal, lot_detail, lot_summary, read_lot, storage_deadlines, summaries
from api.storage.service.returns import items_by_id, record_return, record_waiver

__all__ = [
    "ATTACHMENT_TYPES",
    "MAX_ATTACHMENT_BYTES",
    "OPEN_STATUSES",
    "StorageSignal",
    "add_attachment",
    "approve_disposal",
    "costs",
    "create_lot",
    "deadline_for",
    "decide_costs",
    "due_letters",
    "generate_due_letters",
    "generate_letter",
    "get_attachment",
    "get_letter",
    "get_lot",
    "households_for_intake",
    "items_by_id",
    "letter_schedule",
    "letter_times",
    "list_depots",
    "list_lots",
    "lock_lot",
    "lot_detail",
    "lot_summary",
    "lot_volume",
    "mark_costs_paid",
    "net_proceeds_cents",
    "read_lot",
    "record_claim",
    "record_claim_payment",
    "record_return",
    "record_sale_result",
    "record_waiver",
    "request_disposal",
    "set_recovery",
    "storage_deadlines",
    "summaries",
    "withdraw_disposal",
]
