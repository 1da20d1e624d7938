"""puente report --period 2026-Q3 --hub medellin --lang es --format pdf --out FILE"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from puente.core.errors import ValidationFailed
from puente.impact import reports, selectors
from puente.impact.forms import parse_filters


class Command(BaseCommand):
    help = "Write the funder report of a quarter (KPI table with definitions, targets, sources)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--period", required=True, help="Quarter, e.g. 2026-Q3 (in each hub's time zone)."
        )
        parser.add_argument(
            "--hub", default="", help="Hub code (e.g. medellin); omit for the whole network."
        )
        parser.add_argument(
            "--direction", default="", help="e.g. medellin-miami; omit for both directions."
        )
        parser.add_argument("--lang", default="es", choices=["es", "en"])
        parser.add_argument("--format", dest="fmt", default="pdf", choices=list(reports.FORMATS))
        parser.add_argument("--out", required=True, help="File to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            filters = parse_filters(
                {
                    "quarter": options["period"],
                    "hub": options["hub"],
                    "direction": options["direction"],
                },
                strict=True,
            )
        except ValidationFailed as error:
            raise CommandError(error.message) from error
        board = selectors.build_dashboard(quarter=filters.quarter, scope=filters.scope)
        content = reports.render_report(board, fmt=options["fmt"], language=options["lang"])
        with open(options["out"], "wb") as handle:
            handle.write(content)
        self.stdout.write(f"{options['out']}: {len(content)} bytes, {filters.quarter}")
