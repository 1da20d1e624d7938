"""What an import did (or, in a dry run, would do): per-row results and problems, and the
summary line ``N created, M updated, K invalid`` in the user's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from puente.directory.import_files import ParsedFile, RowProblem

RowAction = Literal["create", "update", "unchanged", "invalid"]


@dataclass
class RowResult:
    """What happened (or, in a dry run, would happen) to one row."""

    line: int
    external_id: str
    label: str
    action: RowAction
    changed: list[str] = field(default_factory=list)
    object_id: int | None = None


@dataclass
class ImportReport:
    """The outcome of an import: per-row results, the problems found and what was written."""

    kind: str
    file: ParsedFile
    results: list[RowResult]
    problems: list[RowProblem]
    dry_run: bool
    skip_invalid: bool
    committed: bool = False

    def _count(self, action: str) -> int:
        return sum(result.action == action for result in self.results)

    @property
    def invalid(self) -> int:
        return self._count("invalid")

    @property
    def created(self) -> int:
        return self._count("create") if (self.committed or self.dry_run) else 0

    @property
    def updated(self) -> int:
        return self._count("update") if (self.committed or self.dry_run) else 0

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")

    @property
    def valid(self) -> int:
        return len(self.results) - self.invalid

    @property
    def failed(self) -> bool:
        """True when rows were invalid and, all-or-nothing, nothing was written."""
        return not self.dry_run and not self.committed

    def summary(self) -> str:
        """``N created, M updated, K invalid`` (and how many rows needed no change)."""
        parts = [
            ngettext("%(count)s created", "%(count)s created", self.created)
            % {"count": self.created},
            ngettext("%(count)s updated", "%(count)s updated", self.updated)
            % {"count": self.updated},
            ngettext("%(count)s invalid", "%(count)s invalid", self.invalid)
            % {"count": self.invalid},
        ]
        text = ", ".join(parts)
        if self.unchanged:
            text += " " + ngettext(
                "(%(count)s unchanged)", "(%(count)s unchanged)", self.unchanged
            ) % {"count": self.unchanged}
        return text

    def headline(self, *, skip_option: str = "--skip-invalid") -> str:
        if self.dry_run:
            return _("Dry run: nothing was written. This is what the import would do.")
        if self.failed:
            return ngettext(
                "Nothing was imported: %(count)s row is not valid. Fix it and import the file again, or import only the valid rows (%(option)s).",
                "Nothing was imported: %(count)s rows are not valid. Fix them and import the file again, or import only the valid rows (%(option)s).",
                self.invalid,
            ) % {"count": self.invalid, "option": skip_option}
        if self.invalid:
            return ngettext(
                "The valid rows were imported; %(count)s invalid row was skipped.",
                "The valid rows were imported; %(count)s invalid rows were skipped.",
                self.invalid,
            ) % {"count": self.invalid}
        return _("Import complete.")

    def warnings(self) -> list[str]:
        notes = list(self.file.notes)
        if self.file.ignored_columns:
            notes.append(
                _("Unknown columns were ignored: %(columns)s.")
                % {"columns": ", ".join(f"“{name}”" for name in self.file.ignored_columns)}
            )
        return notes
