"""``puente periodic [--list] [--job NAME ...]``: run the recurring jobs once, now.

For installs without a broker that do not keep ``puente serve`` running (cron can call this),
and for an administrator who wants an expiry or a reminder to happen now. The jobs and their
intervals are declared in :mod:`puente.core.periodic`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from puente.core.periodic import JOBS, run_job
from puente.directory.management.console import UI_LANGUAGES, command_language


class Command(BaseCommand):
    help = "Run Puente's recurring jobs (expiries, reminders, releases) once, now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--list", action="store_true", help="List the jobs and their intervals."
        )
        parser.add_argument(
            "--job",
            action="append",
            default=[],
            metavar="NAME",
            help="Run only this job (repeatable).",
        )
        parser.add_argument("--language", choices=UI_LANGUAGES, help="Language of the messages.")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(command_language(options.get("language"))):
            by_name = {job.name: job for job in JOBS}
            if options["list"]:
                for job in JOBS:
                    minutes = int(job.every.total_seconds() // 60)
                    self.stdout.write(
                        _("%(name)s — every %(minutes)s min")
                        % {"name": job.name, "minutes": minutes}
                    )
                return
            unknown = [name for name in options["job"] if name not in by_name]
            if unknown:
                raise CommandError(
                    _("Unknown job: %(names)s. Known jobs: %(known)s.")
                    % {"names": ", ".join(unknown), "known": ", ".join(by_name)}
                )
            chosen = [by_name[name] for name in options["job"]] or list(JOBS)
            failed = 0
            for job in chosen:
                outcome = run_job(job)
                if not outcome.ok:
                    failed += 1
                    self.stderr.write(_("%(name)s: failed (see the log)") % {"name": job.name})
                else:
                    self.stdout.write(
                        _("%(name)s: %(result)s") % {"name": job.name, "result": outcome.result}
                    )
            if failed:
                raise CommandError(_("%(count)s job(s) failed.") % {"count": failed})
