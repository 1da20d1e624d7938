"""Plain-text normalization shared by search indexing and matching."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Medellín Énergie' -> 'medellin energie'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


_LEADING_MARKS = re.compile(r"^[\W_]+", re.UNICODE)
_SPACES = re.compile(r"\s+", re.UNICODE)


def sort_key(text: str, length: int = 200) -> str:
    """The key a name sorts by, as a Spanish or English reader expects: accents and case
    ignored, leading quotes and marks (``¡``, ``"``, ``(``) skipped, spaces collapsed.

    Stored beside names (``sort_name`` columns) so that every database orders them the
    same way: their own collations are binary here ("Éxito" after "Zeta", "iNNpulsa"
    after every capital). Cut to ``length`` characters, the column's size; ties are
    broken by id.
    """
    key = _SPACES.sub(" ", _LEADING_MARKS.sub("", fold(text))).strip()
    return key[:length]


def words(text: str) -> list[str]:
    """Accent-folded word tokens of a text."""
    return _WORD.findall(fold(text))


def word_count(text: str) -> int:
    """``len(words(text))``, without folding ASCII text (folding cannot change its words)."""
    if text.isascii():
        return len(_WORD.findall(text))
    return len(words(text))


def search_document(*parts: str | None) -> str:
    """The folded text a full-text index stores for a record."""
    return " ".join(" ".join(words(part)) for part in parts if part)
