"""Row ids as requests carry them: parsed once, the same way everywhere."""

from __future__ import annotations

#: Ids are positive 64-bit integers; anything else can never name a row.
MAX_ID = 2**63 - 1


def parse_id(raw: object) -> int | None:
    """The row id a request parameter names, or None when it can name no row.

    Only ASCII digits count: ``str.isdigit`` also accepts "²" (which ``int`` refuses,
    a server error) and "٣" (which ``int`` reads as 3). An id of 2**63 or more is refused
    before any query: SQLite raises ``OverflowError`` for it.
    """
    text = str(raw) if raw is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None
