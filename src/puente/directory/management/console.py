"""Helpers shared by Puente's own management commands (import, export, demo, serve)."""

from __future__ import annotations

import os

from django.conf import settings

UI_LANGUAGES = ("es", "en")


def command_language(requested: str | None = None) -> str:
    """The language a command speaks: ``--language``, else $PUENTE_LANGUAGE, else the locale."""
    for value in (
        requested,
        os.environ.get("PUENTE_LANGUAGE"),
        os.environ.get("LC_ALL"),
        os.environ.get("LC_MESSAGES"),
        os.environ.get("LANG"),
    ):
        code = (value or "")[:2].lower()
        if code in UI_LANGUAGES:
            return code
    return settings.LANGUAGE_CODE
