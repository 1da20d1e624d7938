"""Background jobs of matchmaking."""

from __future__ import annotations

from celery import shared_task


@shared_task
def embed_items(item_type: str, item_ids: list[int]) -> int:
    """Store, in one batch, the embeddings of those items whose text changed."""
    from puente.matching.embeddings import embeddings_refresh

    return embeddings_refresh(item_type=item_type, item_ids=item_ids)
