"""Turning the bytes of an import file into text, or saying clearly why that is impossible.

UTF-8 with or without a byte-order mark is the default; UTF-16/32 are recognised by their
byte-order mark; other encodings are given by the caller. Binary files (spreadsheets, PDFs,
archives), NUL bytes and control characters are refused with the line they were found on and a
suggestion of what to do.
"""

from __future__ import annotations

import codecs
import unicodedata
from typing import Any

from django.utils.translation import gettext as _

from puente.directory.import_files import ImportFileError

_BINARY_SIGNATURES = (
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0", "xls"),
    (b"%PDF", "pdf"),
    (b"\x1f\x8b", "gzip"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"SQLite format 3\x00", "sqlite"),
)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _line_of(data: bytes | str, position: int) -> int:
    newline: Any = b"\n" if isinstance(data, bytes) else "\n"
    return data[:position].count(newline) + 1


def refuse_oversize(size: int, max_bytes: int) -> None:
    """Refuse a file larger than ``max_bytes`` (checked before reading it, where possible)."""
    if size > max_bytes:
        raise ImportFileError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": _megabytes(size), "limit": _megabytes(max_bytes)},
            code="file_too_large",
        )


def decode(
    data: bytes,
    *,
    encoding: str | None = None,
    max_bytes: int,
    encoding_hint: str = "--encoding {encoding}",
) -> tuple[str, str, list[str]]:
    """The file's text, the encoding it was read with and notes for the report.

    ``encoding`` None means UTF-8 (with or without a byte-order mark); UTF-16 and UTF-32 files
    are recognised by their byte-order mark. ``encoding_hint`` is how the caller's interface
    says "read it as {encoding}" in suggestions (``--encoding {encoding}`` on the command line).
    """
    refuse_oversize(len(data), max_bytes)
    if encoding:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise ImportFileError(
                _(
                    "“%(encoding)s” is not an encoding this importer knows. Use for example utf-8, latin-1, cp1252 or utf-16."
                )
                % {"encoding": encoding[:40]},
                code="unknown_encoding",
            ) from None
    notes: list[str] = []
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            notes.append(
                _(
                    "The file is encoded in %(encoding)s (it starts with a byte-order mark); it was converted to read it."
                )
                % {"encoding": name.upper()}
            )
            encoding = name
            break
    else:
        if data.startswith(codecs.BOM_UTF8):
            data, encoding = data[len(codecs.BOM_UTF8) :], "utf-8"
        elif encoding in (None, "utf-8"):
            _refuse_binary(data, encoding_hint)
    if not data.strip(b" \t\r\n\x00"):
        raise ImportFileError(_("The file is empty."), code="empty_file")
    encoding = encoding or "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise _decode_error(data, error, encoding, encoding_hint) from None
    _refuse_control_characters(text, encoding, encoding_hint)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise ImportFileError(_("The file is empty."), code="empty_file")
    return text, encoding, notes


def _refuse_binary(data: bytes, encoding_hint: str) -> None:
    head = data[:4096]
    for signature, kind in _BINARY_SIGNATURES:
        if head.startswith(signature):
            if kind in ("zip", "xls"):
                message = _(
                    "This is a spreadsheet workbook or a ZIP archive, not a text file. In the spreadsheet, use “Save as” → “CSV UTF-8” and import that file."
                )
            else:
                message = _("This is a binary file (%(kind)s), not CSV or JSON Lines text.") % {
                    "kind": kind.upper()
                }
            raise ImportFileError(message, code="binary_file")
    if b"\x00" in head:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if max(even, odd) > len(head) // 4 and min(even, odd) < max(even, odd) // 4:
            suggestion = "utf-16-le" if odd > even else "utf-16-be"
            raise ImportFileError(
                _(
                    "The file looks like UTF-16 text without a byte-order mark. Save it as UTF-8, or give its encoding (%(hint)s)."
                )
                % {"hint": encoding_hint.format(encoding=suggestion)},
                code="utf16_without_bom",
            )
    position = data.find(b"\x00")
    if position >= 0:
        raise ImportFileError(
            _(
                "Line %(line)s contains a NUL byte: this is a binary file or it is not in the encoding given, so it cannot be read as text."
            )
            % {"line": _line_of(data, position)},
            code="nul_byte",
        )


def _decode_error(
    data: bytes, error: UnicodeDecodeError, encoding: str, encoding_hint: str
) -> ImportFileError:
    position = error.start
    line = _line_of(data, position)
    column = position - (data.rfind(b"\n", 0, position) + 1) + 1
    byte = data[position : position + 1].hex().upper()
    printable = sum(32 <= value < 127 or value in (9, 10, 13) for value in data[:4096])
    if printable < min(len(data), 4096) * 0.7:
        return ImportFileError(
            _(
                "This does not look like a text file: byte 0x%(byte)s on line %(line)s cannot be read as %(encoding)s. Import a CSV or JSON Lines file."
            )
            % {"byte": byte, "line": line, "encoding": encoding},
            code="binary_file",
        )
    if encoding.replace("_", "-") in ("utf-8", "utf8"):
        return ImportFileError(
            _(
                "The file is not valid UTF-8: byte 0x%(byte)s on line %(line)s, column %(column)s cannot be read. "
                "Save the file as UTF-8, or give its encoding: files saved by Excel on Windows are usually latin-1 or cp1252 (%(hint)s)."
            )
            % {
                "byte": byte,
                "line": line,
                "column": column,
                "hint": encoding_hint.format(encoding="latin-1"),
            },
            code="not_utf8",
        )
    return ImportFileError(
        _(
            "The file cannot be read as %(encoding)s: byte 0x%(byte)s on line %(line)s, column %(column)s is not valid there. Check the encoding you gave, or save the file as UTF-8."
        )
        % {
            "encoding": encoding,
            "byte": byte,
            "line": line,
            "column": column,
        },
        code="wrong_encoding",
    )


def _refuse_control_characters(text: str, encoding: str, encoding_hint: str) -> None:
    for position, char in enumerate(text):
        if char in "\t\n\r" or unicodedata.category(char) != "Cc":
            continue
        line = _line_of(text, position)
        if char == "\x00":
            raise ImportFileError(
                _(
                    "Line %(line)s contains a NUL byte: this is a binary file or it is not in the encoding given, so it cannot be read as text."
                )
                % {"line": line},
                code="nul_byte",
            )
        if "\x80" <= char <= "\x9f":
            raise ImportFileError(
                _(
                    "Line %(line)s contains the control character U+%(code)04X after reading the file as %(encoding)s. Files from Windows are usually cp1252 (%(hint)s)."
                )
                % {
                    "line": line,
                    "code": ord(char),
                    "encoding": encoding,
                    "hint": encoding_hint.format(encoding="cp1252"),
                },
                code="control_character",
            )
        raise ImportFileError(
            _(
                "Line %(line)s contains the control character U+%(code)04X: this does not look like a text file."
            )
            % {"line": line, "code": ord(char)},
            code="control_character",
        )
