"""Spell out numbers in words, in Spanish or English, before a text is embedded.

The sentence encoder is sensitive to how a number is written: "2:30" and "dos y media", or
"19" and "diecinueve", land far apart, and Spanish writers spell numbers out far more often
than English ones. Writing every integer and clock time in words, in the text's own language,
puts both sides of a bilingual pair in the same form. Only the text given to the encoder is
changed; stored and displayed text is untouched.
"""

from __future__ import annotations

import re

_EN_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ES_ONES = [
    "cero",
    "uno",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
    "trece",
    "catorce",
    "quince",
    "dieciséis",
    "diecisiete",
    "dieciocho",
    "diecinueve",
    "veinte",
    "veintiuno",
    "veintidós",
    "veintitrés",
    "veinticuatro",
    "veinticinco",
    "veintiséis",
    "veintisiete",
    "veintiocho",
    "veintinueve",
]
_ES_TENS = [
    "_",
    "_",
    "veinte",
    "treinta",
    "cuarenta",
    "cincuenta",
    "sesenta",
    "setenta",
    "ochenta",
    "noventa",
]
_ES_HUNDREDS = [
    "_",
    "ciento",
    "doscientos",
    "trescientos",
    "cuatrocientos",
    "quinientos",
    "seiscientos",
    "setecientos",
    "ochocientos",
    "novecientos",
]

# A clock time such as 2:30 or 14:05 (not part of a longer number).
_CLOCK_TIME = re.compile(r"(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")
# A plain integer of at most 9 digits, not part of a decimal or grouped number.
_INTEGER = re.compile(r"(?<![\d.,])\d{1,9}(?![\d]|[.,]\d)")
# Years are read as years, not as "two thousand and…": leave them as digits.
_YEAR = re.compile(r"^(1[89]|20)\d\d$")


def english_number(n: int) -> str:
    """An integer 0 ≤ n < 10¹² in English words: 1520 -> 'one thousand five hundred twenty'."""
    if n < 20:
        return _EN_ONES[n]
    if n < 100:
        return _EN_TENS[n // 10] + (f"-{_EN_ONES[n % 10]}" if n % 10 else "")
    if n < 1000:
        rest = n % 100
        return f"{_EN_ONES[n // 100]} hundred" + (f" {english_number(rest)}" if rest else "")
    for divisor, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= divisor:
            rest = n % divisor
            head = f"{english_number(n // divisor)} {name}"
            return head + (f" {english_number(rest)}" if rest else "")
    raise AssertionError("unreachable")  # pragma: no cover


def spanish_number(n: int) -> str:
    """An integer 0 ≤ n < 10¹² in Spanish words: 1520 -> 'mil quinientos veinte'."""
    if n < 30:
        return _ES_ONES[n]
    if n < 100:
        return _ES_TENS[n // 10] + (f" y {_ES_ONES[n % 10]}" if n % 10 else "")
    if n == 100:
        return "cien"
    if n < 1000:
        rest = n % 100
        return _ES_HUNDREDS[n // 100] + (f" {spanish_number(rest)}" if rest else "")
    if n < 10**6:
        thousands, rest = divmod(n, 1000)
        head = "mil" if thousands == 1 else f"{spanish_number(thousands)} mil"
        return head + (f" {spanish_number(rest)}" if rest else "")
    millions, rest = divmod(n, 10**6)
    head = "un millón" if millions == 1 else f"{spanish_number(millions)} millones"
    return head + (f" {spanish_number(rest)}" if rest else "")


def _clock_time(hour: int, minute: int, language: str) -> str:
    if language == "es":
        words = {0: "en punto", 15: "y cuarto", 30: "y media"}.get(minute)
        return f"{spanish_number(hour)} " + (words or f"y {spanish_number(minute)}")
    if minute == 30:
        return f"half past {english_number(hour)}"
    if minute == 15:
        return f"quarter past {english_number(hour)}"
    if minute == 0:
        return f"{english_number(hour)} o'clock"
    return f"{english_number(hour)} {english_number(minute)}"


def spell_out_numbers(text: str, language: str) -> str:
    """Write clock times and integers (not years) in words, for ``language`` 'es' or 'en'.

    Other languages are returned unchanged.
    """
    if language not in ("es", "en") or not any(ch.isdigit() for ch in text):
        return text
    to_words = spanish_number if language == "es" else english_number

    def clock_time(match: re.Match[str]) -> str:
        words = _clock_time(int(match.group(1)), int(match.group(2)), language)
        glued = match.string[match.end() : match.end() + 1].isalnum()  # "14:30h"
        return f"{words} " if glued else words

    text = _CLOCK_TIME.sub(clock_time, text)

    def integer(match: re.Match[str]) -> str:
        digits = match.group()
        return digits if _YEAR.match(digits) else to_words(int(digits))

    return _INTEGER.sub(integer, text)
