"""The hub managers' import page: check a file, read the report, then import it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from puente.directory.models import Organization
from tests.factories import UserFactory, hub, make_manager

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference_data(db: None) -> None:
    hub("medellin")  # reloads hubs and taxonomy if a transactional test flushed them


URL = "/directory/import/"
HEADER = "external_id,name,type,hub,description,description_language,sectors"
ROW_1 = "ext-1,Café Trace,startup,medellin,Trazabilidad,es,agritech"
ROW_2 = "ext-2,Agro Dos,startup,medellin,,es,agrotech"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def manager_client(client: Client) -> Client:
    client.force_login(make_manager("medellin"))
    return client


def check(client: Client, content: str | bytes, **fields: str) -> Any:
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        URL,
        {"kind": "organizations", "file": SimpleUploadedFile("orgs.csv", data), **fields},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def token_of(response: Any) -> str:
    match = re.search(r'name="token" value="([0-9a-f]+)"', response.content.decode())
    assert match, "the report offers no import button"
    return match.group(1)


def test_only_hub_managers_can_open_the_page(client: Client) -> None:
    assert client.get(URL).status_code == 302
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403
    client.force_login(make_manager("miami"))
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Check the file" in page.content.decode()


def test_check_then_import(manager_client: Client) -> None:
    response = check(manager_client, f"{HEADER}\n{ROW_1}\n")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dry run: nothing was written." in page
    assert "1 created, 0 updated, 0 invalid" in page
    assert "Import 1 row" in page
    assert Organization.objects.count() == 0

    done = manager_client.post(URL, {"token": token_of(response)}, HTTP_ACCEPT_LANGUAGE="en")
    assert done.status_code == 200
    organization = Organization.objects.get(external_id="ext-1")
    page = done.content.decode()
    assert "Import complete." in page
    assert f'href="/directory/organizations/{organization.slug}/"' in page

    # The checked file is imported once: the same token does not import it again.
    again = manager_client.post(URL, {"token": token_of(response)}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 302
    assert Organization.objects.count() == 1


def test_problems_are_listed_by_line_and_the_import_is_all_or_nothing(
    manager_client: Client,
) -> None:
    response = check(manager_client, f"{HEADER}\n{ROW_1}\n{ROW_2}\n")
    page = response.content.decode()
    assert (
        '<td class="nowrap">3</td><td><code>sectors</code></td><td>“agrotech” is not a known code here.</td>'
        in page
    )
    token = token_of(response)
    refused = manager_client.post(URL, {"token": token}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 422
    assert "Nothing was imported: 1 row is not valid." in refused.content.decode()
    assert Organization.objects.count() == 0

    done = manager_client.post(
        URL, {"token": token, "skip_invalid": "on"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert done.status_code == 200
    assert "The valid rows were imported; 1 invalid row was skipped." in done.content.decode()
    assert list(Organization.objects.values_list("external_id", flat=True)) == ["ext-1"]


def test_rows_of_a_hub_the_manager_does_not_manage_are_refused(manager_client: Client) -> None:
    page = check(
        manager_client, f"{HEADER}\next-9,Brickell Pay,scaleup,miami,,en,fintech\n"
    ).content.decode()
    assert "you do not manage the hub “miami”" in page
    assert 'name="token"' not in page  # nothing valid to import


def test_a_bad_file_is_explained_on_the_form(manager_client: Client) -> None:
    response = check(manager_client, f"{HEADER}\n{ROW_1}\n".encode("latin-1"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "The file is not valid UTF-8: byte 0xE9 on line 2" in page
    assert "choose “latin-1” under “Text encoding”" in page
    fixed = check(manager_client, f"{HEADER}\n{ROW_1}\n".encode("latin-1"), encoding="latin-1")
    assert "1 created, 0 updated, 0 invalid" in fixed.content.decode()


def test_the_form_requires_a_file_and_valid_choices(manager_client: Client) -> None:
    response = manager_client.post(URL, {"kind": "spaceships"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    page = response.content.decode()
    assert "Select a valid choice. spaceships is not one of the available choices." in page
    assert "This field is required." in page


def test_an_unknown_token_asks_to_upload_again(manager_client: Client) -> None:
    response = manager_client.post(URL, {"token": "0" * 32}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "That checked file is no longer waiting to be imported" in response.content.decode()


def test_the_page_speaks_spanish(manager_client: Client) -> None:
    page = manager_client.get(URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Importar al directorio" in page
    assert "Revisar el archivo" in page


def test_the_account_menu_links_managers_to_the_import_page(
    manager_client: Client, client: Client
) -> None:
    assert f'href="{URL}"' in manager_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
