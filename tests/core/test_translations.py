"""Every screen speaks Spanish: each app's catalog is complete, compiled and current."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))

from check_translations import catalog_problems, inconsistent  # noqa: E402
from i18n_common import app_dirs  # noqa: E402


@pytest.mark.parametrize("app", app_dirs(), ids=lambda app: app.name)
def test_spanish_catalog_is_complete_and_compiled(app: Path) -> None:
    assert catalog_problems(app, "es") == []


def test_a_message_has_one_spanish_translation_across_apps() -> None:
    assert inconsistent("es") == []


@pytest.mark.django_db
def test_spanish_pages_use_the_catalog(client: object) -> None:
    from django.test import Client

    assert isinstance(client, Client)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert "Una red para dos ecosistemas de innovación." in response.content.decode()
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "One network for two innovation ecosystems." in response.content.decode()


def test_short_dates_follow_each_language() -> None:
    """Spanish writes month (and weekday) abbreviations in lowercase; English capitalises."""
    import datetime as dt

    from django.template import Context, Template
    from django.utils import translation

    day = dt.datetime(2026, 12, 21, 9, 25, tzinfo=dt.UTC)
    template = Template("{{ day|short_day }} / {{ day|short_date }} / {% dual_time day 'UTC' %}")
    with translation.override("es"):
        spanish = template.render(Context({"day": day, "viewer_time_zone": "UTC"}))
    with translation.override("en"):
        english = template.render(Context({"day": day, "viewer_time_zone": "UTC"}))
    assert spanish.startswith("lun 21 dic / 21 dic 2026 / ")
    assert "lun 21 dic 2026, 09:25" in spanish
    assert english.startswith("Mon 21 Dec / 21 Dec 2026 / ")
    assert "Mon 21 Dec 2026, 09:25" in english
