"""The import and export endpoints of the API: who may import, what the answers say."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from puente.accounts.services import api_token_create
from puente.core.models import Visibility
from puente.directory.models import Organization
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    add_position,
    hub,
    make_manager,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference_data(db: None) -> None:
    hub("medellin")  # reloads hubs and taxonomy if a transactional test flushed them


HEADER = "external_id,name,type,hub,description,description_language,sectors"
MEDELLIN_ROW = "ext-1,Café Trace,startup,medellin,Trazabilidad,es,agritech"
MIAMI_ROW = "ext-2,Brickell Pay,scaleup,miami,Payments,en,fintech"


def bearer(user: Any) -> dict[str, str]:
    _token, raw = api_token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT_LANGUAGE": "en"}


def upload(
    client: Client,
    content: str | bytes,
    *,
    headers: dict[str, str],
    name: str = "orgs.csv",
    path: str = "/api/v1/organizations/import",
    **fields: str,
) -> Any:
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        path, {"file": SimpleUploadedFile(name, data, content_type="text/csv"), **fields}, **headers
    )


ROLES: dict[str, Callable[[], Any]] = {
    "anonymous": lambda: None,
    "member": lambda: UserFactory(),
    "manager_medellin": lambda: make_manager("medellin"),
    "manager_miami": lambda: make_manager("miami"),
    "staff": lambda: UserFactory(is_staff=True),
}


@pytest.mark.parametrize(
    ("role", "import_status", "export_status"),
    [
        ("anonymous", 401, 200),
        ("member", 403, 200),
        ("manager_medellin", 200, 200),
        ("manager_miami", 422, 200),  # the rows belong to Medellín
        ("staff", 200, 200),
    ],
)
@pytest.mark.parametrize("kind", ["organizations", "people"])
def test_permissions_by_role(
    client: Client, role: str, import_status: int, export_status: int, kind: str
) -> None:
    user = ROLES[role]()
    headers = bearer(user) if user is not None else {"HTTP_ACCEPT_LANGUAGE": "en"}
    if kind == "organizations":
        content = f"{HEADER}\n{MEDELLIN_ROW}\n"
    else:
        content = "external_id,full_name,hub\np-1,Ana Restrepo,medellin\n"
    response = upload(client, content, headers=headers, path=f"/api/v1/{kind}/import")
    assert response.status_code == import_status, response.content
    assert client.get(f"/api/v1/{kind}/export", **headers).status_code == export_status


def test_import_answers_with_the_report_and_keeps_external_ids(client: Client) -> None:
    headers = bearer(UserFactory(is_staff=True))
    response = upload(client, f"{HEADER}\n{MEDELLIN_ROW}\n{MIAMI_ROW}\n", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["summary"] == "2 created, 0 updated, 0 invalid"
    assert body["committed"] is True
    assert [(row["line"], row["external_id"], row["action"]) for row in body["rows"]] == [
        (2, "ext-1", "create"),
        (3, "ext-2", "create"),
    ]
    organization = Organization.objects.get(external_id="ext-1")
    assert body["rows"][0]["id"] == organization.pk
    found = client.get("/api/v1/organizations", {"external_id": "ext-1"}).json()
    assert [item["external_id"] for item in found["items"]] == ["ext-1"]
    assert client.get(f"/api/v1/organizations/{organization.pk}").json()["external_id"] == "ext-1"


def test_invalid_rows_answer_422_with_line_numbers_and_write_nothing(client: Client) -> None:
    headers = bearer(make_manager("medellin"))
    content = f"{HEADER}\n{MEDELLIN_ROW}\next-3,Agro,startup,medellin,,es,agrotech\n"
    response = upload(client, content, headers=headers)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_invalid"
    assert body["message"].startswith("Nothing was imported: 1 row is not valid.")
    assert body["errors"] == [
        {
            "field": "sectors",
            "code": "invalid_choice",
            "message": "line 3: sectors: “agrotech” is not a known code here.",
        }
    ]
    assert body["report"]["problems"][0]["line"] == 3
    assert Organization.objects.count() == 0

    response = upload(client, content, headers=headers, skip_invalid="true")
    assert response.status_code == 200
    assert response.json()["summary"] == "1 created, 0 updated, 1 invalid"


def test_dry_run_writes_nothing(client: Client) -> None:
    response = upload(
        client,
        f"{HEADER}\n{MEDELLIN_ROW}\n",
        headers=bearer(make_manager("medellin")),
        dry_run="true",
    )
    assert response.status_code == 200
    assert response.json()["dry_run"] is True
    assert response.json()["rows"][0]["action"] == "create"
    assert Organization.objects.count() == 0


def test_a_manager_of_miami_cannot_import_rows_of_medellin(client: Client) -> None:
    response = upload(client, f"{HEADER}\n{MEDELLIN_ROW}\n", headers=bearer(make_manager("miami")))
    assert response.status_code == 422
    assert (
        response.json()["errors"][0]["message"]
        == "line 2: hub: you do not manage the hub “medellin”; only its managers can import its records."
    )


@pytest.mark.parametrize(
    ("content", "fields", "code", "message"),
    [
        (f"{HEADER}\n{MEDELLIN_ROW}\n".encode("latin-1"), {}, "not_utf8", "(encoding=latin-1)"),
        (b"", {}, "empty_file", "The file is empty."),
        (b"\x00\x00binary", {}, "nul_byte", "Line 1 contains a NUL byte"),
        (
            f"{HEADER}\n".encode(),
            {},
            "no_rows",
            "The file has a header line but no rows to import.",
        ),
        (
            f"{HEADER}\n{MEDELLIN_ROW}\n".encode(),
            {"encoding": "klingon"},
            "unknown_encoding",
            "“klingon” is not an encoding",
        ),
    ],
)
def test_bad_files_answer_422_with_a_code_and_message(
    client: Client, content: bytes, fields: dict[str, str], code: str, message: str
) -> None:
    response = upload(client, content, headers=bearer(make_manager("medellin")), **fields)
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert message in response.json()["message"]


def test_missing_file_or_bad_flags_are_validation_errors(client: Client) -> None:
    headers = bearer(make_manager("medellin"))
    response = client.post("/api/v1/organizations/import", {}, **headers)
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "file.file",
        "code": "missing",
        "message": "This field is required.",
    }
    response = upload(client, f"{HEADER}\n{MEDELLIN_ROW}\n", headers=headers, format="xlsx")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "format"


def test_oversized_upload_is_refused(client: Client, settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 100
    response = upload(
        client, f"{HEADER}\n" + f"{MEDELLIN_ROW}\n" * 5, headers=bearer(make_manager("medellin"))
    )
    assert response.status_code == 422
    assert response.json()["code"] == "file_too_large"


def _rows(response: Any) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_export_hides_what_the_caller_may_not_see(client: Client) -> None:
    OrganizationFactory(
        external_id="pub",
        name="Public",
        email="hola@pub.example",
        profile_visibility=Visibility.PUBLIC,
    )
    OrganizationFactory(
        external_id="priv",
        name="Private",
        profile_visibility=Visibility.PRIVATE,
        contact_visibility=Visibility.PRIVATE,
    )
    anonymous = client.get("/api/v1/organizations/export?format=csv")
    assert anonymous["Content-Type"] == "text/csv; charset=utf-8"
    assert anonymous["Content-Disposition"].startswith('attachment; filename="organizations-')
    rows = _rows(anonymous)
    assert [row["external_id"] for row in rows] == ["pub"]
    assert rows[0]["email"] == ""  # contact details are never public
    manager_rows = _rows(
        client.get("/api/v1/organizations/export?format=csv", **bearer(make_manager("medellin")))
    )
    assert {row["external_id"]: row["email"] for row in manager_rows}["pub"] == "hola@pub.example"
    assert {row["external_id"] for row in manager_rows} == {"pub", "priv"}


def test_export_as_json_lines_of_one_hub(client: Client) -> None:
    OrganizationFactory(external_id="m-1")
    response = client.get("/api/v1/organizations/export", {"format": "json", "hub": "medellin"})
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert [json.loads(line)["external_id"] for line in lines] == ["m-1"]
    assert client.get("/api/v1/organizations/export", {"hub": "miami"}).status_code == 200
    bad = client.get("/api/v1/organizations/export", {"hub": "atlantis"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 422
    assert bad.json() == {
        "code": "unknown_hub",
        "message": "There is no hub “atlantis”.",
        "field": "hub",
    }
    assert client.get("/api/v1/organizations/export", {"format": "xml"}).status_code == 422


def test_exported_file_imports_back_unchanged(client: Client) -> None:
    OrganizationFactory(external_id="r-1", sectors=["fintech"])
    headers = bearer(make_manager("medellin"))
    exported = b"".join(
        client.get("/api/v1/organizations/export?format=csv", **headers).streaming_content
    )
    response = upload(client, exported, headers=headers)
    assert response.status_code == 200
    assert response.json()["summary"] == "0 created, 0 updated, 0 invalid (1 unchanged)"


def test_export_route_does_not_shadow_organization_detail(client: Client) -> None:
    organization = OrganizationFactory()
    assert client.get(f"/api/v1/organizations/{organization.pk}").json()["id"] == organization.pk


@pytest.mark.parametrize("kind", ["organizations", "people"])
def test_export_query_count_does_not_grow_with_the_rows(client: Client, kind: str) -> None:
    def add(count: int) -> None:
        for _index in range(count):
            add_position(PersonFactory(), OrganizationFactory(sectors=["fintech", "software"]))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(f"/api/v1/{kind}/export").streaming_content)
        return len(captured.captured_queries)

    add(3)
    few = queries()
    add(30)
    assert queries() == few
