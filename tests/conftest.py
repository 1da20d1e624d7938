"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from puente.directory.selectors import taxonomy_changed


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    cache.clear()
    taxonomy_changed()


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """Reload hubs and taxonomy for tests that flush the database (live server, threads)."""
    from puente.core.reference_data import ensure_reference_data

    ensure_reference_data()
