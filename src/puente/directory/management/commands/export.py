"""``puente export organizations|people --format csv|json``: the importer's columns, round-trip safe."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from puente.core.errors import DomainError
from puente.directory import exporting
from puente.directory.management.console import UI_LANGUAGES, command_language


class Command(BaseCommand):
    help = (
        "Export organizations or people as CSV or JSON Lines, in the columns `puente import` reads."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["organizations", "people"], help="What to export.")
        parser.add_argument(
            "--format",
            default="csv",
            choices=["csv", "json", "jsonl"],
            help="csv (default) or json (JSON Lines).",
        )
        parser.add_argument("--out", help="Write to this file instead of the standard output.")
        parser.add_argument(
            "--hub", help="Only records whose home hub has this code, e.g. medellin."
        )
        parser.add_argument("--language", choices=UI_LANGUAGES, help="Language of the messages.")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(command_language(options.get("language"))):
            try:
                file_format = exporting.export_format(options["format"])
                hub = exporting.export_hub(options.get("hub"))
            except DomainError as error:
                raise CommandError(error.message) from None
            path = options.get("out")
            if not path:
                exporting.records_export(
                    options["kind"], out=_Writer(self), file_format=file_format, hub=hub
                )
                return
            directory = os.path.dirname(os.path.abspath(path))
            if not os.path.isdir(directory):
                raise CommandError(_("The folder %(path)s does not exist.") % {"path": directory})
            partial = f"{path}.partial"
            try:
                with open(partial, "w", encoding="utf-8", newline="") as handle:
                    count = exporting.records_export(
                        options["kind"], out=handle, file_format=file_format, hub=hub
                    )
                os.replace(partial, path)
            except OSError as error:
                raise CommandError(
                    _("%(path)s cannot be written: %(reason)s")
                    % {"path": path, "reason": error.strerror or error}
                ) from None
            message = ngettext(
                "Wrote %(count)s record to %(path)s.", "Wrote %(count)s records to %(path)s.", count
            )
            self.stderr.write(message % {"count": count, "path": path})


class _Writer:
    """Sends text to the command's standard output without adding line endings."""

    def __init__(self, command: BaseCommand) -> None:
        self.command = command

    def write(self, text: str) -> None:
        self.command.stdout.write(text, ending="")
