"""Every table, imported in one place so Alembic and tests see the whole schema."""

from api.admin.models import AdminChange
from api.auth.models import ApiToken, UserAccount
from api.board.models import BoardFlag
from api.capacity.models import CapacityPlan
from api.core.database import DataChange
from api.core.models import AuditEvent, Municipality, OutboxMessage, PolicyParameter
from api.hosts.models import Host, HostInvite, HostMember
from api.hosts.vetting_models import HostVettingItem
from api.households.models import CaseWorker, Eviction, Household, HouseholdMember
from api.matching.models import MatchingRun, Proposal
from api.offers.models import Offer
from api.placements.models import Placement, Refusal
from api.places.models import PlaceUnavailability
from api.stays.models import (
    CheckIn,
    ContactLogEntry,
    FollowUp,
    StayAgreement,
    StayBreakdown,
    StayEnd,
    StayExtension,
    StayIntroduction,
    StayReminder,
)
from api.storage.models import StorageDepot, StorageLot

__all__ = [
    "AdminChange",
    "ApiToken",
    "AuditEvent",
    "BoardFlag",
    "CapacityPlan",
    "CaseWorker",
    "DataChange",
    "CheckIn",
    "ContactLogEntry",
    "Eviction",
    "FollowUp",
    "Host",
    "HostInvite",
    "HostMember",
    "HostVettingItem",
    "Household",
    "HouseholdMember",
    "MatchingRun",
    "Offer",
    "Municipality",
    "OutboxMessage",
    "Placement",
    "PlaceUnavailability",
    "PolicyParameter",
    "Proposal",
    "Refusal",
    "StayAgreement",
    "StayBreakdown",
    "StayEnd",
    "StayExtension",
    "StayIntroduction",
    "StayReminder",
    "StorageDepot",
    "StorageLot",
    "UserAccount",
]
