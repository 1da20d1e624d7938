"""BM25 per language, against the formula computed by hand."""

from __future__ import annotations

import math

import pytest

from puente.matching.engine.lexical import BM25Index, BM25Parameters


def test_scores_match_the_bm25_formula() -> None:
    index = BM25Index(BM25Parameters(k1=1.2, b=0.75))
    documents = {
        "a": "cafe especial de colombia",
        "b": "software de pagos",
        "c": "cafe cafe y cacao",
    }
    for item_id, text in documents.items():
        index.upsert(item_id, text, "es")
    scores = index.scores("café", "es")  # accents are folded
    lengths = {key: len(text.split()) for key, text in documents.items()}
    average = sum(lengths.values()) / 3
    idf = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))

    def expected(tf: int, length: int) -> float:
        return idf * tf * 2.2 / (tf + 1.2 * (1 - 0.75 + 0.75 * length / average))

    assert scores["a"] == pytest.approx(expected(1, lengths["a"]))
    assert scores["c"] == pytest.approx(expected(2, lengths["c"]))
    assert "b" not in scores


def test_languages_are_separate_and_removal_works() -> None:
    index = BM25Index()
    index.upsert("es1", "plataforma de agritech", "es")
    index.upsert("en1", "agritech platform", "en")
    assert set(index.scores("agritech", "es")) == {"es1"}
    assert set(index.scores("agritech", "en")) == {"en1"}
    assert index.scores("agritech", "pt") == {}
    index.remove("en1")
    assert index.scores("agritech", "en") == {}
    assert len(index) == 1
    index.upsert("es1", "otra cosa", "es")  # re-indexing replaces the old text
    assert index.scores("agritech", "es") == {}


def test_field_weights_and_top_k() -> None:
    index = BM25Index(BM25Parameters(field_weights={"name": 3.0}))
    index.upsert("named", {"name": "Coffee Labs", "description": "roasting"}, "en")
    index.upsert("described", {"name": "Labs", "description": "coffee roasting"}, "en")
    top = index.top_k("coffee", "en", 2)
    assert [item_id for item_id, _ in top] == ["named", "described"]
    assert index.top_k("coffee", "en", 5, excluded={"named"})[0][0] == "described"


def test_stemming_is_optional() -> None:
    pytest.importorskip("snowballstemmer")
    index = BM25Index(BM25Parameters(stem=True))
    index.upsert("x", "financiamos empresas", "es")
    assert "x" in index.scores("empresa financiada", "es")
    plain = BM25Index()
    plain.upsert("x", "financiamos empresas", "es")
    assert plain.scores("empresa financiada", "es") == {}
