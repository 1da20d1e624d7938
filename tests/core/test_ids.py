"""Ids taken from requests: only what can name a row is parsed."""

from __future__ import annotations

import pytest

from puente.core.ids import MAX_ID, parse_id


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("42", 42),
        (42, 42),
        ("007", 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 30, None),
        ("0", None),
        ("-1", None),
        ("", None),
        (None, None),
        (" 4", None),
        ("4 ", None),
        ("4.0", None),
        ("+4", None),
        ("²", None),  # str.isdigit says yes, int() refuses
        ("٣", None),  # Arabic-Indic three: int() reads it as 3
        ("\uff11\uff12", None),  # full-width digits
        ("1_000", None),  # int() accepts underscores
    ],
)
def test_parse_id_takes_ascii_digits_that_fit_a_column(raw: object, expected: int | None) -> None:
    assert parse_id(raw) == expected
