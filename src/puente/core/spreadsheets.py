"""Cells of files people open in a spreadsheet.

A cell starting with ``= + - @`` (or a tab or carriage return) is run as a formula by
Excel and its kin; exports write such text with a leading apostrophe, which spreadsheets
show as plain text (and the directory's importer removes again).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """``text`` as a cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """Rows as a CSV file in UTF-8 with a byte-order mark, which Excel needs to show
    accents (other programs ignore it)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")
