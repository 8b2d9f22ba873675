"""What of each stored item is still in store: the one reading of returns, disposals and waivers,
shared by the service (which refuses to hand out more than remains) and the letters (which list it)."""

from __future__ import annotations

from dataclasses import dataclass

from api.storage.models import StorageLot


@dataclass(frozen=True)
class ItemState:
    returned: int
    disposed: int
    remaining: int
    waived: bool


def item_states(lot: StorageLot) -> dict[int, ItemState]:
    """Per item: returned, disposed (done disposals only), remaining and whether a waiver covers it."""
    returned: dict[int, int] = {}
    for ret in lot.returns:
        for line in ret.lines:
            returned[line.item_id] = returned.get(line.item_id, 0) + line.quantity
    disposed: dict[int, int] = {}
    for disposal in lot.disposals:
        if disposal.status == "done":
            for dline in disposal.lines:
                disposed[dline.item_id] = disposed.get(dline.item_id, 0) + dline.quantity
    waived = {wi.item_id for waiver in lot.waivers for wi in waiver.items}
    return {
        item.id: ItemState(
            returned=returned.get(item.id, 0),
            disposed=disposed.get(item.id, 0),
            remaining=item.quantity - returned.get(item.id, 0) - disposed.get(item.id, 0),
            waived=item.id in waived,
        )
        for item in lot.items
    }
