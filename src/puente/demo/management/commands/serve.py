"""``puente serve [--port P]``: serve the site on 127.0.0.1 with Django's threaded server.

Static files are served by WhiteNoise from the apps, so nothing has to be collected first.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext as _

from puente.core.periodic import PeriodicRunner
from puente.directory.management.console import UI_LANGUAGES, command_language

HOST = "127.0.0.1"
logger = logging.getLogger(__name__)


def checked_port(value: Any) -> int:
    """A TCP port number (1 to 65535), or a clear error."""
    try:
        port = int(value)
    except (TypeError, ValueError):
        raise CommandError(
            _("The port must be a number between 1 and 65535, not “%(value)s”.") % {"value": value}
        ) from None
    if not 1 <= port <= 65535:
        raise CommandError(
            _("The port must be a number between 1 and 65535, not “%(value)s”.") % {"value": value}
        )
    return port


def warm_matching() -> None:
    """Load the sentence encoder and build the matching engine before the first visitor asks
    (about 2.5 s here; otherwise the first search or matches page pays it)."""
    from puente.matching.engine import embed_texts
    from puente.matching.runtime import matching_engine

    try:
        matching_engine()
    except DatabaseError as error:  # e.g. never migrated: serve anyway, pages will say why
        logger.warning("Matching engine not prepared: %s", error)
    embed_texts(["Puente"], ["es"])


def serve(port: int) -> None:
    """Run the web server in the foreground until interrupted. Without a broker (the embedded
    mode) the recurring jobs run in a thread of this process; with one, Celery beat runs them."""
    warm_matching()
    runner = None
    if not settings.CELERY_BROKER_URL:
        runner = PeriodicRunner()
        runner.start()
    try:
        call_command("runserver", f"{HOST}:{port}", use_reloader=False, use_threading=True)
    finally:
        if runner is not None:
            runner.stop(timeout=5)


class Command(BaseCommand):
    help = "Serve Puente on http://127.0.0.1:PORT (default: $PORT or 8000)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default=None, help="TCP port (default: $PORT, else 8000).")
        parser.add_argument("--language", choices=UI_LANGUAGES, help="Language of the messages.")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(command_language(options.get("language"))):
            port = checked_port(options["port"] if options["port"] is not None else settings.PORT)
            self.stdout.write(
                _("Puente is at http://%(host)s:%(port)s/ — press Ctrl+C to stop.")
                % {"host": HOST, "port": port}
            )
        serve(port)
