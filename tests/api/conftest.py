"""Fixtures of the API tests: a client speaking JSON, and a small world with one user per role."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from puente.accounts.models import ApiToken, User
from puente.core.models import Visibility
from puente.directory.models import MembershipRole, Organization, OrganizationClaim, Person
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    hub,
    make_manager,
    make_member,
    term,
)

API = "/api/v1"

#: Every kind of caller the permission table knows.
ROLES = (
    "anonymous",
    "unverified",
    "member_without_org",
    "org_member",
    "org_admin",
    "mentor",
    "manager_same_hub",
    "manager_other_hub",
    "staff",
)


def token_for(user: User, name: str = "tests") -> tuple[ApiToken, str]:
    """A fresh API token for the user (marked as just used, so requests do not write)."""
    raw, key_hash, hint = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=key_hash, key_hint=hint, last_used_at=timezone.now()
    )
    return token, raw


@dataclass
class ApiResponse:
    status: int
    data: Any
    headers: dict[str, str]


class ApiClient:
    """Calls the API as a test would with curl: JSON in, JSON out, optional bearer token."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        language: str = "en",
        raw_body: bytes | str | None = None,
        content_type: str = "application/json",
        files: dict[str, tuple[str, bytes]] | None = None,
        **extra: Any,
    ) -> ApiResponse:
        headers: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": language, **extra}
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        url = path if path.startswith("/api/") else f"{API}{path}"
        if files is not None:
            # Multipart upload (the import endpoints); ``body`` holds the extra form fields.
            uploads = {
                name: SimpleUploadedFile(filename, data) for name, (filename, data) in files.items()
            }
            response = self.client.post(url, {**(body or {}), **uploads}, **headers)
        else:
            data: Any = (
                raw_body if raw_body is not None else (json.dumps(body) if body is not None else "")
            )
            response = self.client.generic(
                method.upper(), url, data=data, content_type=content_type, **headers
            )
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        content = raw.decode("utf-8") if raw else ""
        is_json = response.get("Content-Type", "").startswith("application/json")
        parsed = json.loads(content) if content and is_json else content or None
        return ApiResponse(
            status=response.status_code,
            data=parsed,
            headers=dict(response.items()),
        )

    def get(self, path: str, **kwargs: Any) -> ApiResponse:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> ApiResponse:
        return self.call("POST", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> ApiResponse:
        return self.call("PATCH", path, body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> ApiResponse:
        return self.call("PUT", path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> ApiResponse:
        return self.call("DELETE", path, **kwargs)


@pytest.fixture
def api(client: Client) -> ApiClient:
    return ApiClient(client)


@dataclass
class World:
    """A public Medellín organization with a member, an admin and a pending claim; a person; and
    one user (with a token) per role."""

    organization: Organization
    person: Person
    claim: OrganizationClaim
    users: dict[str, User | None] = field(default_factory=dict)
    tokens: dict[str, str | None] = field(default_factory=dict)

    def user(self, role: str) -> User:
        user = self.users[role]
        assert user is not None, role
        return user


def build_world() -> World:
    medellin = hub("medellin")
    organization = OrganizationFactory(
        name="Café Trazable",
        hub=medellin,
        profile_visibility=Visibility.PUBLIC,
        contact_visibility=Visibility.MEMBERS,
        stage=term("stage", "seed"),
        sectors=["agritech"],
    )
    person = PersonFactory(full_name="Lucía Restrepo", hub=medellin)
    mentor = UserFactory(full_name="Mentor Mentora")
    PersonFactory(full_name="Mentor Mentora", hub=medellin, user=mentor, is_mentor=True)
    users: dict[str, User | None] = {
        "anonymous": None,
        "unverified": UserFactory(email_verified_at=None),
        "member_without_org": UserFactory(),
        "org_member": make_member(organization, role=MembershipRole.MEMBER),
        "org_admin": make_member(organization, role=MembershipRole.ADMIN),
        "mentor": mentor,
        "manager_same_hub": make_manager("medellin"),
        "manager_other_hub": make_manager("miami", home_hub=hub("miami")),
        "staff": UserFactory(is_staff=True),
    }
    claimant = UserFactory(full_name="Claimant")
    claim = OrganizationClaim.objects.create(
        user=claimant, organization=organization, role_title="Fundadora"
    )
    tokens = {
        role: (token_for(user)[1] if user is not None else None) for role, user in users.items()
    }
    return World(organization=organization, person=person, claim=claim, users=users, tokens=tokens)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


Check = Callable[[World], bool]
