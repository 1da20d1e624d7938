"""puente purge_login_attempts — delete failed sign-ins too old to count towards a lockout."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from puente.accounts.lockout import login_attempts_purge


class Command(BaseCommand):
    help = "Delete recorded failed sign-ins older than the lockout window (the Celery task does the same)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = login_attempts_purge()
        self.stdout.write(
            ngettext(
                "Deleted %(count)s old failed sign-in.",
                "Deleted %(count)s old failed sign-ins.",
                deleted,
            )
            % {"count": deleted}
        )
