"""Stored embeddings: computed once per text version (by a background job), read by the engine.

A vector is stored with the hash of the text (and language, and embedding pipeline) it was
computed from; when the hash no longer matches the item's current text, it is recomputed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

import numpy as np
from django.db import transaction

from puente.matching.engine import Item, embed_texts, text_version_hash
from puente.matching.items import ITEM_TYPES, items_of, parse_item_id
from puente.matching.models import Embedding

logger = logging.getLogger(__name__)

DTYPE = np.float32


def vector_to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=DTYPE).tobytes()


def vector_from_bytes(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=DTYPE)


def version_of(item: Item) -> str:
    return text_version_hash(item.text(), item.language)


def store_embeddings(items: Sequence[Item]) -> np.ndarray:
    """Embed ``items`` in one batch and store (insert or replace) their vectors."""
    if not items:
        return np.zeros((0, 0), dtype=DTYPE)
    vectors = embed_texts([item.text() for item in items], [item.language for item in items])
    with transaction.atomic():
        for item, vector in zip(items, vectors, strict=True):
            item_type, pk = parse_item_id(item.id)
            Embedding.objects.update_or_create(
                item_type=item_type,
                item_id=pk,
                defaults={
                    "text_version": version_of(item),
                    "language": item.language,
                    "vector": vector_to_bytes(vector),
                },
            )
    return vectors


def embedding_refresh(*, item_type: str, item_id: int) -> bool:
    """Recompute one item's embedding if its text changed; True when a new vector was stored."""
    return embeddings_refresh(item_type=item_type, item_ids=[item_id]) > 0


def embeddings_refresh(*, item_type: str, item_ids: Iterable[int]) -> int:
    """Recompute, in one batch, the embeddings of those items whose text changed; vectors of
    items that no longer exist are deleted. Returns how many vectors were stored."""
    wanted = set(item_ids)
    items = list(items_of(item_type, sorted(wanted)))
    found = {parse_item_id(item.id)[1] for item in items}
    if wanted - found:
        Embedding.objects.filter(item_type=item_type, item_id__in=wanted - found).delete()
    stored = dict(
        Embedding.objects.filter(item_type=item_type, item_id__in=found).values_list(
            "item_id", "text_version"
        )
    )
    changed = [item for item in items if stored.get(parse_item_id(item.id)[1]) != version_of(item)]
    if not changed:
        return 0
    store_embeddings(changed)
    from puente.matching.runtime import forget_engine_items

    forget_engine_items([item.id for item in changed])
    return len(changed)


def embeddings_backfill(*, item_types: Iterable[str] = ITEM_TYPES, batch_size: int = 256) -> int:
    """Embed every item whose stored vector is missing or outdated (bulk loads, new pipeline)."""
    computed = 0
    for item_type in item_types:
        stored = dict(
            Embedding.objects.filter(item_type=item_type).values_list("item_id", "text_version")
        )
        pending: list[Item] = []
        for item in items_of(item_type):
            _type, pk = parse_item_id(item.id)
            if stored.get(pk) != version_of(item):
                pending.append(item)
            if len(pending) >= batch_size:
                store_embeddings(pending)
                computed += len(pending)
                pending = []
        if pending:
            store_embeddings(pending)
            computed += len(pending)
    if computed:
        logger.info("Computed %s embeddings", computed)
    return computed


def stored_vectors(
    item_type: str, ids: Iterable[int] | None = None
) -> dict[int, tuple[str, np.ndarray]]:
    """``{pk: (text_version, vector)}`` for stored embeddings of one item type."""
    rows = Embedding.objects.filter(item_type=item_type)
    if ids is not None:
        rows = rows.filter(item_id__in=list(ids))
    return {
        pk: (version, vector_from_bytes(data))
        for pk, version, data in rows.values_list("item_id", "text_version", "vector").iterator(
            chunk_size=5000
        )
    }
