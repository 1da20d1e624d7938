"""Claiming an organization from its page, and the hub managers' queue that decides claims."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from puente.core.models import AuditEntry
from puente.directory.models import (
    ClaimStatus,
    MembershipRole,
    OrganizationClaim,
    OrganizationMembership,
    Position,
)
from tests.factories import OrganizationFactory, UserFactory, hub, make_manager, make_member

pytestmark = pytest.mark.django_db

QUEUE = reverse("directory:claims")


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def claim_url(slug: str) -> str:
    return reverse("directory:organization_claim", args=[slug])


def detail(client: Client, slug: str) -> str:
    response = client.get(reverse("directory:organization", args=[slug]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


# --- claiming --------------------------------------------------------------------------------
def test_verified_user_claims_an_organization_and_sees_it_pending(
    django_capture_on_commit_callbacks: Any,
) -> None:
    organization = OrganizationFactory(name="Cafetal Digital")
    manager = make_manager("medellin")
    user = UserFactory(full_name="Laura Gómez")
    client = signed_in(user)
    html = detail(client, organization.slug)
    assert "Claim this organization" in html
    assert 'name="role_title"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            claim_url(organization.slug), {"role_title": "CEO", "message": "Soy la fundadora."}
        )
    assert response.status_code == 302
    claim = OrganizationClaim.objects.get(organization=organization, user=user)
    assert claim.status == ClaimStatus.PENDING
    assert claim.role_title == "CEO"
    assert AuditEntry.objects.filter(action="organization.claim", actor=user).exists()
    assert [message.to for message in mail.outbox] == [[manager.email]]
    html = detail(client, organization.slug)
    assert 'id="claim-pending"' in html
    assert "waiting for a decision by the managers of Medellín" in html
    assert 'name="role_title"' not in html


def test_a_second_claim_while_one_is_pending_is_refused() -> None:
    organization = OrganizationFactory()
    user = UserFactory()
    client = signed_in(user)
    client.post(claim_url(organization.slug), {"role_title": "CEO"})
    response = client.post(claim_url(organization.slug), {"role_title": "CTO"})
    assert response.status_code == 200
    assert OrganizationClaim.objects.filter(user=user).count() == 1


def test_claim_needs_a_role_and_says_so() -> None:
    organization = OrganizationFactory()
    client = signed_in(UserFactory())
    response = client.post(
        claim_url(organization.slug),
        {"role_title": "   ", "message": "x" * 3000},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html or "Say what your role" in html
    assert "Keep it to 2000 characters or fewer (it has 3000)." in html
    assert not OrganizationClaim.objects.exists()


def test_unverified_users_are_told_to_confirm_their_email_first() -> None:
    organization = OrganizationFactory()
    user = UserFactory(email_verified_at=None)
    client = signed_in(user)
    html = detail(client, organization.slug)
    assert 'id="claim-unverified"' in html
    assert "Confirm your email address first" in html
    assert 'name="role_title"' not in html
    response = client.post(
        claim_url(organization.slug), {"role_title": "CEO"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Confirm your email address" in response.content.decode()
    assert not OrganizationClaim.objects.exists()


def test_visitors_are_asked_to_sign_in_to_claim(client: Client) -> None:
    organization = OrganizationFactory()
    html = detail(client, organization.slug)
    assert "Sign in to claim this profile" in html
    response = client.post(claim_url(organization.slug), {"role_title": "CEO"})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert not OrganizationClaim.objects.exists()


def test_admins_are_not_offered_to_claim_their_own_organization() -> None:
    organization = OrganizationFactory()
    admin = make_member(organization, role=MembershipRole.ADMIN)
    html = detail(signed_in(admin), organization.slug)
    assert "Do you represent this organization?" not in html
    assert "Edit profile" in html
    response = signed_in(admin).post(claim_url(organization.slug), {"role_title": "CEO"})
    assert response.status_code == 302
    assert not OrganizationClaim.objects.exists()


def test_claiming_a_hidden_organization_is_404() -> None:
    organization = OrganizationFactory(profile_visibility="private")
    assert (
        signed_in(UserFactory())
        .post(claim_url(organization.slug), {"role_title": "CEO"})
        .status_code
        == 404
    )


# --- the managers' queue ---------------------------------------------------------------------
def pending_claim(organization_hub: str = "medellin", **user: object) -> OrganizationClaim:
    organization = OrganizationFactory(hub=hub(organization_hub), website="https://cafetal.example")
    claimant = UserFactory(**user)
    return OrganizationClaim.objects.create(
        user=claimant, organization=organization, role_title="CEO", message="Soy la fundadora."
    )


def test_queue_requires_sign_in(client: Client) -> None:
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_queue_is_forbidden_to_members_and_admins() -> None:
    claim = pending_claim()
    admin = make_member(claim.organization, role=MembershipRole.ADMIN)
    for user in (UserFactory(), admin):
        response = signed_in(user).get(QUEUE, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 403
        assert "Only hub managers review claims" in response.content.decode()
        assert (
            signed_in(user)
            .post(
                reverse("directory:claim_decide", args=[claim.pk]),
                {f"claim-{claim.pk}-decision": "approve"},
            )
            .status_code
            == 403
        )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING


def test_queue_lists_only_the_claims_of_the_managers_hubs() -> None:
    medellin_claim = pending_claim("medellin", email="ana@cafetal.example")
    miami_claim = pending_claim("miami")
    html = (
        signed_in(make_manager("medellin")).get(QUEUE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert medellin_claim.organization.name in html
    assert miami_claim.organization.name not in html
    assert "1 claim waiting for a decision" in html
    assert "Email domain matches the website" in html
    staff = UserFactory(is_staff=True)
    html = signed_in(staff).get(QUEUE).content.decode()
    assert medellin_claim.organization.name in html
    assert miami_claim.organization.name in html


def test_manager_approves_a_claim_with_a_plain_post() -> None:
    claim = pending_claim()
    manager = make_manager("medellin")
    client = signed_in(manager)
    response = client.post(
        reverse("directory:claim_decide", args=[claim.pk]),
        {f"claim-{claim.pk}-decision": "approve", f"claim-{claim.pk}-note": "Bienvenida"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert claim.decided_by == manager
    assert claim.decision_note == "Bienvenida"
    assert (
        OrganizationMembership.objects.get(user=claim.user, organization=claim.organization).role
        == MembershipRole.ADMIN
    )
    assert Position.objects.filter(
        person__user=claim.user, organization=claim.organization, title="CEO"
    ).exists()
    html = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "now manages" in html
    assert "Recently decided" in html
    # The new admin can now edit the profile.
    assert (
        signed_in(claim.user)
        .get(reverse("directory:organization_edit", args=[claim.organization.slug]))
        .status_code
        == 200
    )


def test_manager_rejects_a_claim_with_htmx_and_gets_the_updated_row() -> None:
    claim = pending_claim()
    client = signed_in(make_manager("medellin"))
    response = client.post(
        reverse("directory:claim_decide", args=[claim.pk]),
        {
            f"claim-{claim.pk}-decision": "reject",
            f"claim-{claim.pk}-note": "No pudimos confirmar el vínculo.",
        },
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert f'id="claim-{claim.pk}"' in html
    assert "Rejected." in html
    assert '<p id="pending-count" hx-swap-oob="innerHTML">0 claims waiting for a decision' in html
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED
    assert not OrganizationMembership.objects.filter(user=claim.user).exists()
    assert AuditEntry.objects.filter(action="organization.claim.reject").exists()


def test_deciding_twice_or_without_a_decision_changes_nothing() -> None:
    claim = pending_claim()
    client = signed_in(make_manager("medellin"))
    url = reverse("directory:claim_decide", args=[claim.pk])
    response = client.post(
        url,
        {f"claim-{claim.pk}-decision": "maybe"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Choose to approve or reject the claim." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING
    client.post(url, {f"claim-{claim.pk}-decision": "reject"})
    response = client.post(
        url, {f"claim-{claim.pk}-decision": "approve"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "already been decided" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED
    assert not OrganizationMembership.objects.filter(user=claim.user).exists()


def test_claims_of_other_hubs_are_404_for_a_manager() -> None:
    claim = pending_claim("miami")
    response = signed_in(make_manager("medellin")).post(
        reverse("directory:claim_decide", args=[claim.pk]),
        {f"claim-{claim.pk}-decision": "approve"},
    )
    assert response.status_code == 404
    assert (
        signed_in(make_manager("medellin"))
        .post(reverse("directory:claim_decide", args=[999999]), {})
        .status_code
        == 404
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING


def test_manager_sees_waiting_claims_on_the_profile() -> None:
    claim = pending_claim()
    html = detail(signed_in(make_manager("medellin")), claim.organization.slug)
    assert "1 claim on this organization awaits your decision" in html
