"""A version of the data that every cache of a computed view keys on, and that cache.

Why: at a large city's size the map document, the map's GeoJSON and the "has the data changed since this
run" check rebuilt the same thing from about 5,000 rows on every request, although the data changes a few
times an hour. A view computed once can be kept as long as nothing was written since.

How a write is noticed: every ORM flush that changes a record, and every ORM ``INSERT``/``UPDATE``/``DELETE``
statement, adds a row with a random token to ``data_change`` in the same transaction (an insert, so writers
never wait for each other). The version is ``(count, newest id, its token)``: a commit in any order changes
the count, and a rolled-back change never comes back with the same token, even where SQLite reuses the id.
Tables that do not feed a view (the audit trail, log-in sessions and throttles, tokens, the outbox) are
left out, or reading the map (which is audited) would invalidate the map. Writes that bypass the ORM
(``psql``) are not seen: restart the server after editing the database by hand.

The cache is per process (each worker has its own), keyed on the database URL and the version, and small.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.core.database import QUIET_TABLES, VERSION_MEMO, DataChange

__all__ = ["QUIET_TABLES", "DataChange", "ViewCache", "current", "views"]

# Views per process. A view at ten times the demo is at most a few hundred KiB; views of an older version are
# dropped as soon as a newer one is seen, so the room goes to the municipalities, roles, languages and days
# asked for now (about 20 views per municipality in a working day).
CACHE_SIZE = 256

T = TypeVar("T")


def current(db: Session) -> tuple[int, int, str] | None:
    """The data's version as this transaction sees it; None before the first recorded change.

    Read once per transaction (a page that shows three cached views asks three times) and again after the
    transaction records a change of its own. Reading it early is the safe side: a view computed later from
    newer rows is only ever filed under an older version, which no later request asks for."""
    memo = db.info.get(VERSION_MEMO)
    if memo is not None and memo[0] is db.get_transaction():
        return memo[1]  # type: ignore[no-any-return]
    version = _read(db)
    db.info[VERSION_MEMO] = (db.get_transaction(), version)
    return version


def _read(db: Session) -> tuple[int, int, str] | None:
    count = db.scalar(select(func.count()).select_from(DataChange))
    if not count:
        return None
    newest = db.execute(select(DataChange.id, DataChange.token).order_by(DataChange.id.desc()).limit(1)).one()
    return int(count), int(newest[0]), str(newest[1])


class ViewCache:
    """Computed views by (database, data version, key); the least recently used go first."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, tuple[int, int, str], Hashable], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._newest: dict[str, int] = {}  # per database: the highest change count seen
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, db: Session, key: Hashable, compute: Callable[[], T]) -> T:
        """The view for ``key`` at the data's current version, computed when absent (never cached when the
        version is unknown)."""
        version = current(db)
        if version is None:
            return compute()
        url = str(db.get_bind().engine.url)
        full = (url, version, key)
        with self._lock:
            if version[0] > self._newest.get(url, 0):
                self._forget_older(url, version[0])
            if full in self._items:
                self._items.move_to_end(full)
                self.hits += 1
                return self._items[full]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self.misses += 1
            self._items[full] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def _forget_older(self, url: str, count: int) -> None:
        """A newer version of ``url``'s data exists: its older views can no longer be asked for by a request
        that starts now (a transaction still reading the older version computes its own)."""
        self._newest[url] = count
        for stale in [k for k in self._items if k[0] == url and k[1][0] < count]:
            del self._items[stale]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._newest.clear()


views = ViewCache()
