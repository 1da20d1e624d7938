"""Helpers for bilingual reference data and language-tagged user content."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation

UI_LANGUAGES = ("es", "en")


def active_language() -> str:
    """The two-letter UI language in effect (``es`` or ``en``)."""
    code = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in UI_LANGUAGES else settings.LANGUAGE_CODE


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """Read ``<field>_<lang>`` for the active language, falling back to the other languages.

    Reference data (hubs, taxonomy terms, KPI definitions) carries one column per UI language.
    """
    language = language or active_language()
    order = [language, *[code for code in UI_LANGUAGES if code != language]]
    for code in order:
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


def language_name(code: str) -> str:
    """The name of a content language in the active UI language."""
    names = dict(settings.CONTENT_LANGUAGES)
    return str(names.get(code, code))


def pick_translation(
    *,
    text: str,
    language: str,
    translation_text: str,
    translation_language: str,
    viewer_language: str,
) -> tuple[str, str, bool]:
    """Choose which version of a bilingual text to show.

    Returns ``(text, language, is_translation)``: the original when it is in the viewer's
    language or when no translation exists, the translation when that matches the viewer.
    """
    if language != viewer_language and translation_text and translation_language == viewer_language:
        return translation_text, translation_language, True
    return text, language, False
