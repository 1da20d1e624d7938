"""A hub manager checks a file, reads the problems by line and imports the valid rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from puente.directory.models import Organization
from tests.factories import make_manager

TEXTS = {
    "en": {
        "file": "File",
        "check": "Check the file",
        "summary": "1 created, 0 updated, 1 invalid",
        "skip": "Import the valid rows and skip the invalid one",
        "import": "Import 1 row",
        "done": "The valid rows were imported; 1 invalid row was skipped.",
    },
    "es": {
        "file": "Archivo",
        "check": "Revisar el archivo",
        "summary": "1 creada, 0 actualizadas, 1 no válida",
        "skip": "Importar las filas válidas y omitir la no válida",
        "import": "Importar 1 fila",
        "done": "Se importaron las filas válidas; se omitió 1 fila no válida.",
    },
}


@pytest.mark.parametrize("language", ["es", "en"])
def test_manager_checks_then_imports_the_valid_rows(
    new_page: Any, live_server: Any, tmp_path: Path, settings: Any, language: str
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    texts = TEXTS[language]
    client = Client()
    client.force_login(make_manager("medellin"))
    page = new_page(language)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    upload = tmp_path / "organizations.csv"
    upload.write_text(
        "external_id,name,type,hub,sectors\nweb-1,Café Trace,startup,medellin,agritech\nweb-2,Agro Dos,startup,medellin,agrotech\n",
        encoding="utf-8",
    )

    page.goto("/directory/import/")
    page.get_by_label(texts["file"], exact=True).set_input_files(str(upload))
    page.get_by_role("button", name=texts["check"]).click()
    assert page.get_by_test_id("import-summary").inner_text() == texts["summary"]
    problem = page.locator("#import-problems tbody tr")
    assert problem.count() == 1
    assert problem.locator("td").first.inner_text() == "3"
    assert not Organization.objects.exists()

    page.get_by_label(texts["skip"]).check()
    page.get_by_role("button", name=texts["import"]).click()
    # The check's report is on the page until the import's answer replaces it: wait for it.
    expect(page.locator("#import-report")).to_contain_text(texts["done"])
    page.get_by_role("link", name="Café Trace").click()
    page.wait_for_url("**/directory/organizations/cafe-trace/")
    assert list(Organization.objects.values_list("external_id", flat=True)) == ["web-1"]
