"""``puente import organizations|people FILE``: import a CSV or JSON Lines file (see docs/import.md)."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from puente.accounts.models import User
from puente.core.errors import DomainError
from puente.directory import importing
from puente.directory.import_decoding import refuse_oversize
from puente.directory.management.console import UI_LANGUAGES, command_language

MAX_PROBLEMS_SHOWN = 200


class Command(BaseCommand):
    help = "Import organizations, people or opportunities from a CSV or JSON Lines file. Nothing is written unless every row is valid, unless --skip-invalid."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind", choices=sorted(importing.IMPORTERS), help="What the file holds."
        )
        parser.add_argument(
            "file", help="The file to import (.csv, .tsv, .jsonl); - reads standard input."
        )
        parser.add_argument(
            "--format",
            choices=["csv", "jsonl", "json"],
            help="The file's format, when its extension does not say.",
        )
        parser.add_argument(
            "--encoding", help="The file's text encoding (default UTF-8), e.g. latin-1 or cp1252."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and report the invalid ones.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would happen, without writing.",
        )
        parser.add_argument(
            "--as",
            dest="actor_email",
            metavar="EMAIL",
            help="Act as this user (their hub-manager rights apply); default: the system.",
        )
        parser.add_argument(
            "--language",
            choices=UI_LANGUAGES,
            help="Language of the messages (default from $PUENTE_LANGUAGE or $LANG).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(command_language(options.get("language"))):
            self._import(options)

    def _import(self, options: dict[str, Any]) -> None:
        importer = importing.IMPORTERS[options["kind"]]
        actor = None
        if options.get("actor_email"):
            actor = User.objects.filter(
                email__iexact=options["actor_email"].strip(), is_active=True
            ).first()
            if actor is None:
                raise CommandError(
                    _("There is no active user with the email address %(email)s.")
                    % {"email": options["actor_email"]}
                )
        path = options["file"]
        try:
            data = self._read(path)
            report = importer(
                data=data,
                filename=path,
                actor=actor,
                file_format=options.get("format"),
                encoding=options.get("encoding"),
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        for warning in report.warnings():
            self.stderr.write(self.style.WARNING(_("Warning: %(warning)s") % {"warning": warning}))
        for problem in report.problems[:MAX_PROBLEMS_SHOWN]:
            self.stdout.write(str(problem))
        hidden = len(report.problems) - MAX_PROBLEMS_SHOWN
        if hidden > 0:
            self.stdout.write(_("… and %(count)s more problems.") % {"count": hidden})
        self.stdout.write(report.summary())
        if report.failed:
            raise CommandError(report.headline())
        style = self.style.WARNING if (report.invalid or report.dry_run) else self.style.SUCCESS
        self.stdout.write(style(report.headline()))

    def _read(self, path: str) -> bytes:
        if path == "-":
            data = sys.stdin.buffer.read(settings.IMPORT_MAX_BYTES + 1)
            refuse_oversize(len(data), settings.IMPORT_MAX_BYTES)
            return data
        if not os.path.exists(path):
            raise CommandError(_("There is no file %(path)s.") % {"path": path})
        if os.path.isdir(path):
            raise CommandError(
                _("%(path)s is a directory; give the path of a file.") % {"path": path}
            )
        refuse_oversize(os.path.getsize(path), settings.IMPORT_MAX_BYTES)
        try:
            with open(path, "rb") as handle:
                return handle.read(settings.IMPORT_MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(
                _("The file %(path)s cannot be read: %(reason)s")
                % {"path": path, "reason": error.strerror or error}
            ) from None
