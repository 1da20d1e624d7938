"""The engine of this process: built once from stored vectors, then kept in step with the
database by cheap change checks (at most once per ``SYNC_INTERVAL``), so several web
processes and workers each serve from memory and converge within a second of a change."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable

import numpy as np
from django.db.models import Max

from puente.directory.models import Organization, Person
from puente.marketplace.models import Opportunity
from puente.matching.embeddings import store_embeddings, stored_vectors, version_of
from puente.matching.engine import EngineSettings, Item, MatchingEngine
from puente.matching.items import (
    ITEM_TYPES,
    OPPORTUNITY,
    ORGANIZATION,
    PERSON,
    item_id,
    items_of,
    live_opportunities,
    parse_item_id,
)
from puente.matching.models import Embedding

logger = logging.getLogger(__name__)

SYNC_INTERVAL = 1.0
MODELS: dict[str, type[Opportunity] | type[Organization] | type[Person]] = {
    OPPORTUNITY: Opportunity,
    ORGANIZATION: Organization,
    PERSON: Person,
}


def _marks() -> dict[str, dt.datetime | None]:
    marks: dict[str, dt.datetime | None] = {
        "embedding": Embedding.objects.aggregate(latest=Max("updated_at"))["latest"]
    }
    for item_type, model in MODELS.items():
        marks[item_type] = model.objects.aggregate(latest=Max("updated_at"))["latest"]
    return marks


def _with_vectors(item_type: str, items: list[Item]) -> tuple[list[Item], np.ndarray | None]:
    """Pair items with their stored vectors; embed (and store) those missing or outdated."""
    if not items:
        return [], None
    stored = stored_vectors(item_type, [parse_item_id(item.id)[1] for item in items])
    ready: list[Item] = []
    vectors: list[np.ndarray] = []
    missing: list[Item] = []
    for item in items:
        version_and_vector = stored.get(parse_item_id(item.id)[1])
        if version_and_vector is not None and version_and_vector[0] == version_of(item):
            ready.append(item)
            vectors.append(version_and_vector[1])
        else:
            missing.append(item)
    if missing:
        # The background job should have done this; do it now rather than serve without them.
        logger.warning("Embedding %s %s items that had no current vector", len(missing), item_type)
        fresh = store_embeddings(missing)
        ready.extend(missing)
        vectors.extend(fresh)
    return ready, np.vstack(vectors).astype(np.float32)


class EngineHolder:
    """One engine per process, rebuilt lazily and synchronised with the database."""

    def __init__(self, settings: EngineSettings | None = None) -> None:
        self.settings = settings
        self._engine: MatchingEngine | None = None
        self._lock = threading.RLock()
        self._checked_at = 0.0
        self._marks: dict[str, dt.datetime | None] = {}

    def get(self) -> MatchingEngine:
        with self._lock:
            if self._engine is None:
                self._build()
            elif time.monotonic() - self._checked_at > SYNC_INTERVAL:
                self._sync()
            assert self._engine is not None
            return self._engine

    def reset(self) -> None:
        with self._lock:
            self._engine = None
            self._marks = {}
            self._checked_at = 0.0

    def touch(self) -> None:
        """Check the database for changes on the next use."""
        self._checked_at = 0.0

    def _build(self) -> None:
        started = time.monotonic()
        engine = MatchingEngine(self.settings)
        marks = _marks()
        live = set(live_opportunities().values_list("pk", flat=True))
        for item_type in ITEM_TYPES:
            ids = sorted(live) if item_type == OPPORTUNITY else None
            items, vectors = _with_vectors(item_type, list(items_of(item_type, ids)))
            if items:
                engine.upsert(items, vectors, estimate=False)
        engine.refresh_statistics()
        self._engine, self._marks, self._checked_at = engine, marks, time.monotonic()
        logger.info(
            "Matching engine built with %s items in %.1f s", len(engine), time.monotonic() - started
        )

    def _sync(self) -> None:
        assert self._engine is not None
        marks = _marks()
        self._checked_at = time.monotonic()
        if marks == self._marks:
            return
        changed: dict[str, set[int]] = {item_type: set() for item_type in ITEM_TYPES}
        since = self._marks.get("embedding")
        if marks["embedding"] != since:
            rows = (
                Embedding.objects.all()
                if since is None
                else Embedding.objects.filter(updated_at__gt=since)
            )
            for item_type, pk in rows.values_list("item_type", "item_id"):
                changed.setdefault(item_type, set()).add(pk)
        for item_type, model in MODELS.items():
            previous = self._marks.get(item_type)
            if marks[item_type] != previous:
                items = (
                    model.objects.all()
                    if previous is None
                    else model.objects.filter(updated_at__gt=previous)
                )
                changed[item_type].update(items.values_list("pk", flat=True))
        self._apply(changed)
        self._marks = marks

    def _apply(self, changed: dict[str, set[int]]) -> None:
        assert self._engine is not None
        engine = self._engine
        opportunity_ids = changed.get(OPPORTUNITY, set())
        if opportunity_ids:
            live = set(
                live_opportunities().filter(pk__in=opportunity_ids).values_list("pk", flat=True)
            )
            gone = [item_id(OPPORTUNITY, pk) for pk in opportunity_ids - live]
            engine.remove([entry for entry in gone if entry in engine])
            changed[OPPORTUNITY] = live
        for item_type, ids in changed.items():
            if not ids:
                continue
            items, vectors = _with_vectors(item_type, list(items_of(item_type, sorted(ids))))
            present = {parse_item_id(item.id)[1] for item in items}
            engine.remove(
                [item_id(item_type, pk) for pk in ids - present if item_id(item_type, pk) in engine]
            )
            if items:
                engine.upsert(items, vectors)


_HOLDER = EngineHolder()


def matching_engine() -> MatchingEngine:
    """The process-wide engine, current with the database (within ``SYNC_INTERVAL``)."""
    return _HOLDER.get()


def reset_engine() -> None:
    """Forget the engine (tests, or after a bulk load); the next use rebuilds it."""
    _HOLDER.reset()


def forget_engine_items(ids: Iterable[object]) -> None:
    """Items of this process changed: have the next use pick them up immediately."""
    _HOLDER.touch()
