"""Telling Spanish from English in a short query, the gate of same-language lexical matching."""

from __future__ import annotations

import pytest

from puente.matching.engine.text import _FUNCTION_WORDS, detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Buscamos capital semilla para agrotecnología", "es"),
        ("We are looking for seed capital in agritech", "en"),
        ("I play with my son.", "en"),
        ("Tell me where you live.", "en"),
        ("Don't come home too late.", "en"),
        ("Tom's friends said nothing.", "en"),
        ("My country needs me.", "en"),
        ("Quiero ir contigo.", "es"),
        ("Alguien vino a verme ayer.", "es"),
        ("Tom estaba bastante borracho.", "es"),
        ("¿Dónde está la oficina?", "es"),
        ("logística en Medellín", "es"),
        ("Hola, soy Sepideh.", "es"),
        ("Hello, I am Sepideh.", "en"),
    ],
)
def test_short_texts_are_told_apart_whatever_the_default(text: str, language: str) -> None:
    assert detect_language(text, default="es") == language
    assert detect_language(text, default="en") == language


@pytest.mark.parametrize("text", ["", "Tom Mary", "🚀🌎", "12345", "a me no son"])
def test_no_evidence_falls_back_to_the_default(text: str) -> None:
    assert detect_language(text, default="es") == "es"
    assert detect_language(text, default="en") == "en"


def test_spanish_letters_are_evidence_even_in_names() -> None:
    assert detect_language("Medellín Miami", default="en") == "es"


def test_no_word_counts_for_both_languages() -> None:
    assert not _FUNCTION_WORDS["es"] & _FUNCTION_WORDS["en"]
