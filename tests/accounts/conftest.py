"""Fixtures for the accounts tests: users in each state and clients signed in as them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from puente.accounts.models import User
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def user(db: None) -> User:
    return UserFactory(email="ana@example.org", full_name="Ana Restrepo", language="es")


@pytest.fixture
def english_user(db: None) -> User:
    return UserFactory(
        email="john@example.org",
        full_name="John Carter",
        language="en",
        time_zone="America/New_York",
    )


@pytest.fixture
def unverified_user(db: None) -> User:
    return UserFactory(email="nueva@example.org", full_name="Nueva Persona", email_verified_at=None)


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks: Any) -> Any:
    """``with after_commit(): ...`` runs the on-commit work (emails, tasks) of the requests inside.

    Tests run inside a transaction that never commits, so without this nothing is sent.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


def signed_in(user: User, language: str = "es") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user, backend="puente.accounts.backends.EmailBackend")
    return client


@pytest.fixture
def user_client(user: User) -> Client:
    return signed_in(user)


@pytest.fixture
def english_client(english_user: User) -> Client:
    return signed_in(english_user, "en")


def page_text(response: Any) -> str:
    return response.content.decode()


def link_in(message: Any) -> str:
    """The site path of the first link to this site in an email's text body."""
    import re

    match = re.search(r"http://testserver(/\S+)", message.body)
    assert match, message.body
    return match.group(1)
