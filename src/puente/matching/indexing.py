"""Keeping stored embeddings current: a text change schedules its re-embedding after commit.

Items changed in one transaction are embedded together, in one job per item type (an import
of 500 organizations is one batch for the encoder, not 500 jobs).
"""

from __future__ import annotations

import threading

from django.db import transaction

_pending = threading.local()
BATCH = 256


def schedule_embedding(item_type: str, item_id: int) -> None:
    """Recompute the embedding of an item once the current transaction commits (a background
    job in production, inline in the embedded mode)."""
    items: set[tuple[str, int]] = getattr(_pending, "items", None) or set()
    items.add((item_type, item_id))
    _pending.items = items
    # One callback per call: the first to run after a commit sends everything pending, the
    # rest find nothing. Ids left over from a rolled-back transaction are sent with the next
    # commit's, which is harmless: an unchanged or missing item is skipped.
    transaction.on_commit(_send_pending)


def _send_pending() -> None:
    from puente.matching.tasks import embed_items

    items: set[tuple[str, int]] = getattr(_pending, "items", None) or set()
    _pending.items = set()
    by_type: dict[str, list[int]] = {}
    for item_type, item_id in sorted(items):
        by_type.setdefault(item_type, []).append(item_id)
    for item_type, ids in by_type.items():
        for start in range(0, len(ids), BATCH):
            embed_items.delay(item_type, ids[start : start + BATCH])
