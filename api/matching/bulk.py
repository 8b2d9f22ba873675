"""Confirm or reject several proposals at once.

Per item, not all-or-nothing: each proposal goes through the same service as the one-by-one buttons
(:func:`api.matching.decisions.confirm_proposal` / ``reject_proposal``) inside its own savepoint, so one
that someone else decided first, or that became stale, is reported and skipped while the others go
through. The caller gets one line per proposal and a Dutch summary ("3 voorstellen bevestigd; 1 niet").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy.orm import Session

from api.core import i18n
from api.core.errors import InvalidInput, OnderdakError
from api.core.principal import Principal
from api.matching import decisions

MAX_ITEMS = 200
Action = Literal["confirm", "reject"]


@dataclass(frozen=True)
class ItemResult:
    proposal_id: int
    ok: bool
    status: str  # the proposal's status afterwards, or "unchanged"
    placement_id: int | None = None
    code: str | None = None
    message: str | None = None


@dataclass
class BulkResult:
    action: Action
    items: list[ItemResult] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.ok)

    @property
    def failed(self) -> int:
        return len(self.items) - self.done

    @property
    def summary(self) -> str:
        """One plain sentence in the current language: how many went through, how many did not."""
        verb = i18n.gettext("bevestigd") if self.action == "confirm" else i18n.gettext("afgewezen")
        text = i18n.gettext("%(n)s voorstel(len) %(verb)s.") % {"n": self.done, "verb": verb}
        if self.failed:
            text += " " + i18n.gettext("%(n)s niet: zie de regels hieronder.") % {"n": self.failed}
        return text


def decide(
    db: Session, *, principal: Principal, action: str, proposal_ids: Sequence[int], reason: str | None = None
) -> BulkResult:
    """Each proposal in its own savepoint; a refusal of one is reported, never a rollback of the others."""
    if action not in ("confirm", "reject"):
        raise InvalidInput(code="proposal.bulk_unknown_action", loc=("body", "action"), value=repr(action))
    ids = list(dict.fromkeys(proposal_ids))  # once each, in the order given
    if not ids:
        raise InvalidInput(code="proposal.bulk_empty", loc=("body", "proposal_ids"))
    result = BulkResult(action="confirm" if action == "confirm" else "reject")
    for proposal_id in ids[:MAX_ITEMS]:
        try:
            with db.begin_nested():
                if action == "confirm":
                    placement = decisions.confirm_proposal(db, principal=principal, proposal_id=proposal_id)
                    item = ItemResult(proposal_id, True, "confirmed", placement_id=placement.id)
                else:
                    decisions.reject_proposal(db, principal=principal, proposal_id=proposal_id, reason=reason)
                    item = ItemResult(proposal_id, True, "rejected")
        except OnderdakError as exc:
            item = ItemResult(proposal_id, False, "unchanged", code=exc.code, message=exc.message)
        result.items.append(item)
    return result
