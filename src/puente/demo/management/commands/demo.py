"""``puente demo``: migrate, seed the bilingual demo network once, print the accounts, serve."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from puente.demo.management.commands.serve import HOST, checked_port, serve
from puente.demo.seed import DEFAULT_SEED, DemoRefused, seed_demo
from puente.demo.seed.accounts import DEMO_PASSWORD
from puente.directory.management.console import UI_LANGUAGES, command_language

ROLE_LABELS = {
    "staff": gettext_lazy("Staff (back office)"),
    "manager_medellin": gettext_lazy("Hub manager, Medellín"),
    "manager_miami": gettext_lazy("Hub manager, Miami"),
    "organization_admin": gettext_lazy("Organization admin"),
    "member": gettext_lazy("Organization member"),
    "mentor": gettext_lazy("Mentor"),
}


class Command(BaseCommand):
    help = "Create or update the database, seed the bilingual demo of Medellín and Miami once, print the demo accounts and serve."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare the demo and exit without serving."
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed: the same seed gives the same data (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--size",
            choices=["full", "small"],
            default="full",
            help="full (300+ organizations, 600 people) or small (a quick sample).",
        )
        parser.add_argument("--port", default=None, help="TCP port (default: $PORT, else 8000).")
        parser.add_argument(
            "--reset", action="store_true", help="Empty the demo database and seed it again."
        )
        parser.add_argument("--language", choices=UI_LANGUAGES, help="Language of the messages.")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(command_language(options.get("language"))):
            port = checked_port(options["port"] if options["port"] is not None else settings.PORT)
            if options["seed"] < 0:
                raise CommandError(_("The seed must be zero or a positive number."))
            started = time.perf_counter()
            self.stdout.write(_("Preparing the database…"))
            call_command("migrate", interactive=False, verbosity=0)
            try:
                result = seed_demo(
                    seed=options["seed"], size=options["size"], reset=options["reset"]
                )
            except DemoRefused as error:
                raise CommandError(str(error)) from None
            seconds = time.perf_counter() - started
            if result.seeded:
                self.stdout.write(
                    self.style.SUCCESS(
                        _(
                            "Seeded the demo (seed %(seed)s): %(organizations)s organizations, %(people)s people, %(accounts)s accounts, in %(seconds).1f s."
                        )
                        % {
                            "seed": result.seed,
                            "organizations": result.counts.get("organizations", 0),
                            "people": result.counts.get("people", 0),
                            "accounts": len(result.accounts),
                            "seconds": seconds,
                        }
                    )
                )
            else:
                self.stdout.write(
                    _(
                        "The demo data is already there (seed %(seed)s); nothing was added. Use --reset to start again."
                    )
                    % {"seed": result.seed}
                )
            self.stdout.write("")
            self.stdout.write(
                _(
                    "Open http://%(host)s:%(port)s/ and sign in with one of these accounts (password: %(password)s):"
                )
                % {"host": HOST, "port": port, "password": DEMO_PASSWORD}
            )
            self.stdout.write(self.accounts_table(result.accounts))
            self.stdout.write("")
        if not options["no_serve"]:
            serve(port)

    def accounts_table(self, accounts: list[Any]) -> str:
        rows = [(str(_("Role")), str(_("Email")), str(_("Organization or hub")))]
        rows += [
            (
                str(ROLE_LABELS.get(account.role, account.role)),
                account.email,
                account.description or str(_("All hubs")),
            )
            for account in accounts
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
        return "\n".join("  " + line for line in lines)
