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
