"""Reading import files: text in, rows with their line numbers out. Pure: no database.

Everything that can be wrong with a file as a whole (delimiters, quotes, missing columns; the
encoding is checked before, in :mod:`puente.directory.import_decoding`) raises
:class:`ImportFileError` with a machine code and a translated message that says where and what
to do. Problems of a single row (a ragged CSV row, a JSON line
that is not an object, a list where text belongs) are attached to that row, so the rest of the
file can still be checked and reported in one go.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from puente.core.errors import ValidationFailed
from puente.core.spreadsheets import FORMULA_STARTS

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
TRUE_WORDS = {"true", "yes", "y", "1", "si", "sí", "x", "verdadero"}
FALSE_WORDS = {"false", "no", "n", "0", "", "falso"}


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
