"""puente impact_sync: write the KPI facts that existing records stand for."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from puente.impact.services import activity_sync_existing
from puente.impact.sources import labels


class Command(BaseCommand):
    help = (
        "Record activity facts for existing organizations, introductions and outcomes, brokerage "
        "events and meetings, landing case files and surveys, bookings, community events and "
        "mentoring sessions (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source",
            action="append",
            dest="sources",
            metavar="APP.MODEL",
            help="Only this kind of record (repeatable), e.g. spaces.booking.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sources = options.get("sources")
        known = set(labels())
        unknown = sorted(set(sources or ()) - known)
        if unknown:
            raise CommandError(
                f"Unknown source {', '.join(unknown)}; choose from {', '.join(sorted(known))}."
            )
        created = activity_sync_existing(sources=sources)
        self.stdout.write(f"{created} new activity records")
