"""Fixtures for the engine tests: a fake encoder, never the real model (except where marked)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from puente.matching.engine import EngineSettings, HashingEncoder, MatchingEngine, set_encoder


@pytest.fixture(autouse=True)
def fake_encoder() -> Iterator[HashingEncoder]:
    """Install a deterministic hashing encoder as the process-wide encoder."""
    encoder = HashingEncoder(dimension=128)
    set_encoder(encoder)
    yield encoder
    set_encoder(None)


@pytest.fixture
def engine(fake_encoder: HashingEncoder) -> MatchingEngine:
    """An empty engine using the fake encoder, hubness over 2 neighbours."""
    return MatchingEngine(EngineSettings(hubness_k=2, neighbours_k=2), encoder=fake_encoder)
