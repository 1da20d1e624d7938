"""Command line: appoint hub managers (audited, idempotent, clear errors)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from puente.accounts.models import HubRole, User
from puente.accounts.viewer import viewer_for
from puente.core.models import AuditEntry, Hub

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("grant_hub_manager", *args, stdout=out)
    return out.getvalue().strip()


def test_grant_hub_manager_appoints_and_audits(user: User) -> None:
    assert run("ANA@example.org", "miami") == "ana@example.org is now a manager of Miami."
    miami = Hub.objects.get(slug="miami")
    assert HubRole.objects.filter(user=user, hub=miami, role=HubRole.Role.MANAGER).exists()
    entry = AuditEntry.objects.get(action="hub_role.grant")
    assert entry.actor_id is None
    assert entry.hub_id == miami.pk
    assert viewer_for(User.objects.get(pk=user.pk)).managed_hub_ids == frozenset({miami.pk})


def test_granting_twice_changes_nothing(user: User) -> None:
    run("ana@example.org", "medellin")
    assert (
        run("ana@example.org", "medellin")
        == "ana@example.org already manages Medellín; nothing changed."
    )
    assert HubRole.objects.count() == 1
    assert AuditEntry.objects.filter(action="hub_role.grant").count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nadie@example.org", "miami"), "No account has the email address nadie@example.org."),
        (
            ("ana@example.org", "atlantis"),
            "No hub has the code “atlantis”. Known hubs: medellin, miami.",
        ),
        (
            ("ana@example.org", "mia mi/../"),
            "No hub has the code “mia mi/../”. Known hubs: medellin, miami.",
        ),
        (("not-an-email", "miami"), "“not-an-email” is not a valid email address."),
        (("ana\x00@example.org", "miami"), "is not a valid email address."),
    ],
)
def test_bad_arguments_are_explained_and_change_nothing(
    user: User, args: tuple[str, str], message: str
) -> None:
    with pytest.raises(CommandError) as error:
        run(*args)
    assert message in str(error.value)
    assert not HubRole.objects.exists()


def test_messages_follow_the_active_language(user: User) -> None:
    out = StringIO()
    with translation.override("es"):
        call_command("grant_hub_manager", "ana@example.org", "miami", stdout=out)
    assert out.getvalue().strip() == "ana@example.org ahora es gestor de Miami."
