"""puente import_indicators FILE --format ncses|worldbank|csv [--indicator CODE] [--area NAME ...]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from puente.core.errors import DomainError
from puente.impact.indicator_files import READERS, read_puente_csv
from puente.impact.services import IndicatorRow, indicator_ensure, indicator_values_import


class Command(BaseCommand):
    help = "Import published innovation indicator figures (each stored with its source)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--format", dest="fmt", choices=["ncses", "worldbank", "csv"], required=True
        )
        parser.add_argument(
            "--indicator",
            default="rd_expenditure_pct_gdp",
            help="Indicator code (known: rd_expenditure_pct_gdp, sti_investment_pct_gdp).",
        )
        parser.add_argument(
            "--area",
            action="append",
            dest="areas",
            help="Import only these countries or cities (repeatable).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        text = path.read_text(encoding="utf-8-sig")
        try:
            figures = (
                read_puente_csv(text)
                if options["fmt"] == "csv"
                else READERS[options["fmt"]](text, areas=options["areas"])
            )
        except ValueError as error:
            raise CommandError(f"{path}: {error}") from error
        if options["areas"] and options["fmt"] == "csv":
            wanted = {area.casefold() for area in options["areas"]}
            figures = [figure for figure in figures if figure.area.casefold() in wanted]
        try:
            indicator = indicator_ensure(options["indicator"])
            written = indicator_values_import(
                indicator=indicator,
                rows=[
                    IndicatorRow(
                        f.area, f.year, f.value, f.source, f.source_url, f.is_target, f.note
                    )
                    for f in figures
                ],
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"{written} figures of {indicator.code} from {path.name}")
