"""Keeping stored embeddings current: a text change schedules its re-embedding after commit."""

from __future__ import annotations

from django.db import transaction


def schedule_embedding(item_type: str, item_id: int) -> None:
    """Recompute the embedding of an item once the current transaction commits (a background
    job in production, inline in the embedded mode)."""

    def enqueue() -> None:
        from puente.matching.tasks import embed_item

        embed_item.delay(item_type, item_id)

    transaction.on_commit(enqueue)
