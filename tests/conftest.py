"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from puente.directory.selectors import taxonomy_changed


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    cache.clear()
    taxonomy_changed()


@pytest.fixture(autouse=True)
def _fast_encoder(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests embed with a small hashing encoder unless marked ``real_encoder``; the matching
    engine of the process is rebuilt for every test (each test has its own database state)."""
    from puente.matching.engine import HashingEncoder, get_encoder, set_encoder
    from puente.matching.runtime import reset_engine

    real = request.node.get_closest_marker("real_encoder") is not None
    previous = None
    if not real:
        previous = get_encoder() if _encoder_loaded() else None
        set_encoder(HashingEncoder(dimension=64))
    reset_engine()
    yield
    reset_engine()
    if not real:
        set_encoder(previous)  # type: ignore[arg-type]


def _encoder_loaded() -> bool:
    from puente.matching.engine import encoder

    return getattr(encoder, "_encoder", None) is not None


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """Reload hubs and taxonomy for tests that flush the database (live server, threads)."""
    from puente.core.reference_data import ensure_reference_data

    ensure_reference_data()
