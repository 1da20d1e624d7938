"""puente impact_sync: write KPI facts for organizations, introductions and outcomes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from puente.impact.services import activity_sync_existing


class Command(BaseCommand):
    help = (
        "Record activity facts for existing organizations, introductions and outcomes (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        created = activity_sync_existing()
        self.stdout.write(f"{created} new activity records")
