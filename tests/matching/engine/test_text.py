"""Text normalization, number spelling and version hashes."""

from __future__ import annotations

import pytest

from puente.matching.engine.numbers import english_number, spanish_number, spell_out_numbers
from puente.matching.engine.text import (
    encoder_views,
    expand_english_contractions,
    fold,
    normalize_for_encoder,
    text_version_hash,
    tokens,
)


def test_fold_and_tokens_strip_accents_and_case() -> None:
    assert fold("Medellín ÉNERGIE") == "medellin energie"
    assert tokens("¿Agrotecnología en Medellín?") == ["agrotecnologia", "en", "medellin"]


def test_text_version_hash_is_stable_and_sensitive() -> None:
    first = text_version_hash("Café de Colombia", "es")
    assert first == text_version_hash("Café de Colombia", "es")
    assert len(first) == 16
    assert first != text_version_hash("Café de Colombia.", "es")
    assert first != text_version_hash("Café de Colombia", "en")


@pytest.mark.parametrize(
    ("number", "english", "spanish"),
    [
        (0, "zero", "cero"),
        (16, "sixteen", "dieciséis"),
        (21, "twenty-one", "veintiuno"),
        (45, "forty-five", "cuarenta y cinco"),
        (100, "one hundred", "cien"),
        (115, "one hundred fifteen", "ciento quince"),
        (1000, "one thousand", "mil"),
        (2500, "two thousand five hundred", "dos mil quinientos"),
        (1_000_000, "one million", "un millón"),
        (3_200_000, "three million two hundred thousand", "tres millones doscientos mil"),
    ],
)
def test_numbers_in_words(number: int, english: str, spanish: str) -> None:
    assert english_number(number) == english
    assert spanish_number(number) == spanish


def test_spell_out_numbers_times_integers_not_years() -> None:
    assert spell_out_numbers("Let's start at 2:30.", "en") == "Let's start at half past two."
    assert spell_out_numbers("a las 14:30h", "es") == "a las catorce y media h"
    assert spell_out_numbers("I am 19, since 2019", "en") == "I am nineteen, since 2019"
    assert spell_out_numbers("3.5 millones", "es") == "3.5 millones"
    assert spell_out_numbers("Ich bin 19", "de") == "Ich bin 19"


def test_contractions_and_encoder_views() -> None:
    assert expand_english_contractions("I'm sure we can't") == "I am sure we cannot"
    assert normalize_for_encoder("We don't  open at 9", "en") == "We do not open at nine"
    assert normalize_for_encoder("No abrimos a las 9", "es") == "No abrimos a las nueve"
    assert encoder_views("¿Vienes mañana?", "es") == ("¿Vienes mañana?", "vienes mañana")
    assert encoder_views("!!!", "en") == ("!!!", "!!!")
