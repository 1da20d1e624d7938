"""Keeping stored embeddings current: a text change schedules its re-embedding after commit.

Items changed in one transaction are embedded together, in one job per item type (an import
of 500 organizations is two batches for the encoder, not 500 jobs).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.db import transaction

BATCH = 256
_current = threading.local()


@dataclass(eq=False)
class _Batch:
    """The items one transaction asked to embed, sent once it commits."""

    items: set[tuple[str, int]] = field(default_factory=set)
    sent: bool = False

    def send(self) -> None:
        from puente.matching.tasks import embed_items

        self.sent = True
        by_type: dict[str, list[int]] = {}
        for item_type, item_id in sorted(self.items):
            by_type.setdefault(item_type, []).append(item_id)
        for item_type, ids in by_type.items():
            for start in range(0, len(ids), BATCH):
                embed_items.delay(item_type, ids[start : start + BATCH])


def schedule_embedding(item_type: str, item_id: int) -> None:
    """Recompute the embedding of an item once the current transaction commits (a background
    job in production, inline in the embedded mode)."""
    connection = transaction.get_connection()
    batch: _Batch | None = getattr(_current, "batch", None)
    if connection.in_atomic_block and batch is not None and _waiting(connection, batch):
        batch.items.add((item_type, item_id))
        return
    # A new transaction (the last batch was sent, or discarded by a rollback), or none.
    batch = _current.batch = _Batch({(item_type, item_id)})
    transaction.on_commit(batch.send)  # outside a transaction this sends at once


def _waiting(connection: object, batch: _Batch) -> bool:
    """Is ``batch`` still among the connection's callbacks for the next commit?

    Django keeps them in ``run_on_commit`` as ``(savepoint ids, callback, robust)`` and drops
    them on rollback, so a batch of a rolled-back transaction is never reused.
    """
    if batch.sent:
        return False
    return any(entry[1] == batch.send for entry in getattr(connection, "run_on_commit", ()))
