"""Back office: staff appoint and remove hub managers on the user page, and revoke tokens;
each change goes through the services and is audited."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from puente.accounts.models import HubRole, User
from puente.accounts.services import api_token_create
from puente.core.models import AuditEntry, Hub
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """The values a browser would submit from the first form with a given id."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.select = form_id, False, ""
        self.fields: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form" and attr.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "disabled" in attr:
            return
        if tag == "input" and attr.get("name"):
            kind = attr.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attr:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.append(
                    (attr["name"], attr.get("value", "on" if kind == "checkbox" else ""))
                )
        elif tag == "select":
            self.select = attr.get("name", "")
        elif tag == "option" and self.select and "selected" in attr:
            self.fields.append((self.select, attr.get("value", "")))
        elif tag == "textarea" and attr.get("name"):
            self.fields.append((attr["name"], ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        if tag == "select":
            self.select = ""


def form_data(client: Client, path: str, form_id: str) -> dict[str, Any]:
    parser = _FormFields(form_id)
    parser.feed(client.get(path).content.decode())
    data: dict[str, Any] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return data


@pytest.fixture
def staff_client(db: None) -> tuple[User, Client]:
    staff = UserFactory(email="staff@example.org", is_staff=True, is_superuser=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    return staff, client


def test_staff_appoint_and_remove_a_hub_manager_in_the_admin(
    staff_client: tuple[User, Client], user: User
) -> None:
    staff, client = staff_client
    path = f"/admin/accounts/user/{user.pk}/change/"
    data = form_data(client, path, "user_form")
    miami = Hub.objects.get(slug="miami")
    data.update(
        {
            "hub_roles-TOTAL_FORMS": ["1"],
            "hub_roles-0-hub": [str(miami.pk)],
            "hub_roles-0-role": ["manager"],
            "hub_roles-0-user": [str(user.pk)],
        }
    )
    response = client.post(path, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    role = HubRole.objects.get(user=user)
    assert role.hub == miami
    grant = AuditEntry.objects.get(action="hub_role.grant")
    assert (grant.actor_id, grant.hub_id) == (staff.pk, miami.pk)

    data = form_data(client, path, "user_form")
    data["hub_roles-0-DELETE"] = ["on"]
    assert client.post(path, data).status_code == 302
    assert not HubRole.objects.exists()
    revoke = AuditEntry.objects.get(action="hub_role.revoke")
    assert revoke.actor_id == staff.pk
    assert revoke.before == {"hub": miami.pk, "role": "manager", "user": user.pk}


def test_changing_the_hub_of_a_role_is_audited_as_revoke_and_grant(
    staff_client: tuple[User, Client], user: User
) -> None:
    _staff, client = staff_client
    medellin, miami = Hub.objects.get(slug="medellin"), Hub.objects.get(slug="miami")
    HubRole.objects.create(user=user, hub=medellin)
    path = f"/admin/accounts/user/{user.pk}/change/"
    data = form_data(client, path, "user_form")
    data["hub_roles-0-hub"] = [str(miami.pk)]
    assert client.post(path, data).status_code == 302
    assert list(HubRole.objects.values_list("hub__slug", flat=True)) == ["miami"]
    assert list(AuditEntry.objects.order_by("id").values_list("action", "hub_id")) == [
        ("hub_role.revoke", medellin.pk),
        ("hub_role.grant", miami.pk),
    ]


def test_staff_revoke_tokens_with_an_admin_action(
    staff_client: tuple[User, Client], user: User
) -> None:
    staff, client = staff_client
    token, _secret = api_token_create(user=user, name="leaked")
    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [str(token.pk)]},
        follow=True,
    )
    assert "1 token revoked." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.get(action="api_token.revoke").actor_id == staff.pk
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/accounts/apitoken/",
        "/admin/accounts/loginattempt/",
    ],
)
def test_admin_pages_render(staff_client: tuple[User, Client], path: str) -> None:
    _staff, client = staff_client
    assert client.get(path).status_code == 200


def test_admin_user_page_renders_in_spanish(staff_client: tuple[User, Client], user: User) -> None:
    _staff, client = staff_client
    text = client.get(
        f"/admin/accounts/user/{user.pk}/change/", HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "Roles en nodos (los gestores de nodo curan el directorio" in text
