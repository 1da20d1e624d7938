"""Reading import files: bytes in, rows with their line numbers out. Pure: no database.

Everything that can be wrong with a file as a whole (encoding, binary content, delimiters,
quotes, missing columns) raises :class:`ImportFileError` with a machine code and a translated
message that says where and what to do. Problems of a single row (a ragged CSV row, a JSON line
that is not an object, a list where text belongs) are attached to that row, so the rest of the
file can still be checked and reported in one go.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from puente.core.errors import ValidationFailed

FORMATS = ("csv", "jsonl")
EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}
DELIMITERS = (",", ";", "\t")
# Cells a spreadsheet would run as a formula are written with a leading apostrophe on export
# (see exporting.py); the importer removes it again so files round-trip.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TRUE_WORDS = {"true", "yes", "y", "1", "si", "sí", "x", "verdadero"}
FALSE_WORDS = {"false", "no", "n", "0", "", "falso"}

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


class ImportFileError(ValidationFailed):
    """The file as a whole cannot be read; nothing in it was imported."""

    default_code = "invalid_file"


@dataclass(frozen=True)
class RowProblem:
    """Why one row cannot be imported: its line in the file, the column and the reason."""

    line: int
    field: str
    code: str
    message: str

    def __str__(self) -> str:
        if self.field:
            return _("line %(line)s: %(field)s: %(message)s") % {
                "line": self.line,
                "field": self.field,
                "message": self.message,
            }
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "field": self.field,
            "code": self.code,
            "message": self.message,
            "text": str(self),
        }


@dataclass
class SourceRow:
    """One record of the file: where it starts and its values by column name."""

    line: int
    values: dict[str, Any]
    problems: list[RowProblem] = field(default_factory=list)


@dataclass
class ParsedFile:
    """The readable content of an import file."""

    format: str
    encoding: str
    delimiter: str | None
    columns: list[str]
    ignored_columns: list[str]
    rows: list[SourceRow]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ColumnSpec:
    """The columns one kind of record accepts, and how each is typed."""

    columns: tuple[str, ...]
    required: tuple[str, ...]
    list_columns: frozenset[str] = frozenset()
    int_columns: frozenset[str] = frozenset()
    bool_columns: frozenset[str] = frozenset()


def delimiter_name(delimiter: str) -> str:
    return {",": _("comma"), ";": _("semicolon"), "\t": _("tab")}.get(delimiter, repr(delimiter))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _line_of(data: bytes | str, position: int) -> int:
    newline: Any = b"\n" if isinstance(data, bytes) else "\n"
    return data[:position].count(newline) + 1


# --- bytes to text -----------------------------------------------------------------------------


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


# --- format ------------------------------------------------------------------------------------


def detect_format(filename: str, text: str, requested: str | None = None) -> str:
    """``csv`` or ``jsonl``: as requested, else by the file's extension, else by its content."""
    if requested:
        requested = requested.lower()
        requested = "jsonl" if requested in ("json", "ndjson") else requested
        if requested not in FORMATS:
            raise ImportFileError(
                _("Unknown format “%(format)s”: use csv or jsonl.") % {"format": requested[:20]},
                code="unknown_format",
            )
        return requested
    lowered = filename.lower()
    for extension, file_format in EXTENSIONS.items():
        if lowered.endswith(extension):
            return file_format
    return "jsonl" if text.lstrip().startswith("{") else "csv"


def parse(text: str, *, file_format: str, spec: ColumnSpec, encoding: str = "utf-8") -> ParsedFile:
    """Split decoded text into rows of the given format (see :func:`detect_format`)."""
    if file_format == "jsonl":
        return _parse_jsonl(text, spec, encoding)
    return _parse_csv(text, spec, encoding)


# --- CSV -----------------------------------------------------------------------------------------


def _normalize_column(name: str) -> str:
    return name.strip().strip("\ufeff").strip().lower().replace(" ", "_")


def _choose_delimiter(header_line: str, known: Collection[str]) -> str:
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        try:
            cells = next(csv.reader([header_line], delimiter=delimiter))
        except (csv.Error, StopIteration):
            continue
        score = (sum(_normalize_column(cell) in known for cell in cells), len(cells))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_error(error: csv.Error, line: int) -> ImportFileError:
    detail = str(error)
    if "unexpected end of data" in detail or "EOF" in detail:
        return ImportFileError(
            _(
                'Line %(line)s: a quoted value starts here and its closing quote is missing, so the rest of the file would be read as one value. Close the quotes, and write a quote inside a value as two quotes ("").'
            )
            % {"line": line},
            code="unbalanced_quotes",
        )
    if "expected after" in detail:
        return ImportFileError(
            _(
                'Line %(line)s: a quoted value is followed by more text before the next delimiter. Put the whole value inside the quotes and write a quote inside it as two quotes ("").'
            )
            % {"line": line},
            code="unbalanced_quotes",
        )
    if "field larger than field limit" in detail:
        return ImportFileError(
            _("Line %(line)s: a value is longer than %(limit)s characters.")
            % {"line": line, "limit": csv.field_size_limit()},
            code="value_too_long",
        )
    return ImportFileError(
        _("Line %(line)s cannot be read as CSV (%(detail)s).") % {"line": line, "detail": detail},
        code="malformed_csv",
    )


def _unprotect(cell: str) -> str:
    # An exported cell that would be a spreadsheet formula starts with an apostrophe.
    if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_STARTS:
        return cell[1:]
    return cell


def _parse_csv(text: str, spec: ColumnSpec, encoding: str) -> ParsedFile:
    known = set(spec.columns)
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    delimiter = _choose_delimiter(header_line, known)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    header_cells: list[str] = []
    rows: list[SourceRow] = []
    last_line = 0
    while True:
        start = last_line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise _csv_error(error, start) from None
        last_line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header_cells = cells
            header = [_normalize_column(cell) for cell in cells]
            _check_header(header, spec, delimiter)
            continue
        row = SourceRow(line=start, values={})
        if len(cells) != len(header):
            row.problems.append(
                RowProblem(
                    line=start,
                    field="",
                    code="ragged_row",
                    message=_(
                        "the row has %(found)s values but the header has %(expected)s columns; a value containing the delimiter (%(delimiter)s) must be in quotes."
                    )
                    % {
                        "found": len(cells),
                        "expected": len(header),
                        "delimiter": delimiter_name(delimiter),
                    },
                )
            )
        for name, cell in zip(header, cells, strict=False):
            if name in known:
                value: Any = _unprotect(cell)
                if name in spec.list_columns:
                    value = [
                        part.strip() for part in value.replace(",", ";").split(";") if part.strip()
                    ]
                elif name in spec.bool_columns:
                    value = parse_bool(value)
                    if value is None:
                        row.problems.append(
                            RowProblem(
                                start,
                                name,
                                "wrong_type",
                                _("expected true or false (or yes/no), got “%(value)s”.")
                                % {"value": cell[:40]},
                            )
                        )
                        continue
                row.values[name] = value
        rows.append(row)
    if header is None:
        raise ImportFileError(_("The file is empty."), code="empty_file")
    if not rows:
        raise ImportFileError(
            _("The file has a header line but no rows to import."), code="no_rows"
        )
    ignored = [
        cell.strip() or _("(empty)")
        for cell, name in zip(header_cells, header, strict=True)
        if name not in known
    ]
    columns = [name for name in header if name in known]
    return ParsedFile(
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
        columns=columns,
        ignored_columns=ignored,
        rows=rows,
    )


def _check_header(header: list[str], spec: ColumnSpec, delimiter: str) -> None:
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise ImportFileError(
                _("The column “%(column)s” appears twice in the header.") % {"column": name},
                code="duplicate_column",
            )
        seen.add(name)
    missing = [name for name in spec.required if name not in seen]
    if missing:
        shown = ", ".join(f"“{name}”" for name in header[:12] if name) or _("none")
        raise ImportFileError(
            _(
                "The header lacks the required columns %(missing)s. It was read with the delimiter %(delimiter)s and has these columns: %(found)s. Use a comma, semicolon or tab between columns, and name the columns as documented."
            )
            % {
                "missing": ", ".join(missing),
                "delimiter": delimiter_name(delimiter),
                "found": shown,
            },
            code="missing_columns",
        )


def parse_bool(value: Any) -> bool | None:
    """True/False for the usual spellings of yes and no (both languages); None if unclear."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    return None


# --- JSON Lines --------------------------------------------------------------------------------


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, str):
        return _("a text")
    if isinstance(value, bool):
        return _("true or false")
    if isinstance(value, int | float):
        return _("a number")
    if value is None:
        return "null"
    return _("an object")


def _parse_jsonl(text: str, spec: ColumnSpec, encoding: str) -> ParsedFile:
    if text.lstrip().startswith("["):
        raise ImportFileError(
            _(
                "This is a JSON array. JSON Lines means one JSON object per line, with no brackets or commas between lines."
            ),
            code="json_array",
        )
    known = set(spec.columns)
    rows: list[SourceRow] = []
    seen_columns: list[str] = []
    ignored: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        row = SourceRow(line=number, values={})
        rows.append(row)
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            row.problems.append(
                RowProblem(
                    number,
                    "",
                    "invalid_json",
                    _("this line is not valid JSON (column %(column)s: %(detail)s).")
                    % {"column": error.colno, "detail": error.msg},
                )
            )
            continue
        except RecursionError:
            row.problems.append(
                RowProblem(number, "", "invalid_json", _("this line nests too deeply to be read."))
            )
            continue
        if not isinstance(data, dict):
            row.problems.append(
                RowProblem(
                    number,
                    "",
                    "not_an_object",
                    _("each line must be a JSON object {…}; this one is %(kind)s.")
                    % {"kind": _json_kind(data)},
                )
            )
            continue
        for raw_key, value in data.items():
            key = _normalize_column(str(raw_key))
            if key not in known:
                if raw_key not in ignored:
                    ignored.append(str(raw_key))
                continue
            if key not in seen_columns:
                seen_columns.append(key)
            problem = _json_type_problem(key, value, spec)
            if problem:
                row.problems.append(RowProblem(number, key, "wrong_type", problem))
                continue
            row.values[key] = _json_value(key, value, spec)
    if not rows:
        raise ImportFileError(_("The file is empty."), code="empty_file")
    columns = [name for name in spec.columns if name in seen_columns]
    return ParsedFile(
        format="jsonl",
        encoding=encoding,
        delimiter=None,
        columns=columns,
        ignored_columns=ignored,
        rows=rows,
    )


def _json_type_problem(key: str, value: Any, spec: ColumnSpec) -> str | None:
    if value is None:
        return None
    if key in spec.list_columns:
        if not isinstance(value, list):
            return _('expected a list of codes such as ["fintech", "software"], got %(kind)s.') % {
                "kind": _json_kind(value)
            }
        if not all(isinstance(item, str) for item in value):
            return _("every item of the list must be a code in quotes.")
        return None
    if key in spec.bool_columns:
        return (
            None
            if parse_bool(value) is not None
            else _("expected true or false, got %(kind)s.") % {"kind": _json_kind(value)}
        )
    if isinstance(value, list | dict | bool):
        return _("expected a single value, got %(kind)s.") % {"kind": _json_kind(value)}
    if key in spec.int_columns and isinstance(value, float) and not value.is_integer():
        return _("expected a whole number, got %(value)s.") % {"value": value}
    return None


def _json_value(key: str, value: Any, spec: ColumnSpec) -> Any:
    if key in spec.list_columns:
        return [item.strip() for item in value or [] if item.strip()]
    if key in spec.bool_columns:
        return parse_bool(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def row_lines(rows: Iterable[SourceRow]) -> list[int]:
    return [row.line for row in rows]
