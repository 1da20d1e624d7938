"""A member's own pages: their directory profile and the organizations they belong to."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from puente.core.models import AuditEntry, Visibility
from puente.directory.models import ClaimStatus, MembershipRole, OrganizationClaim, Person
from tests.factories import OrganizationFactory, PersonFactory, UserFactory, hub, make_member

pytestmark = pytest.mark.django_db

MY_PROFILE = reverse("directory:my_profile")
MY_ORGANIZATIONS = reverse("directory:my_organizations")


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_own_pages_require_sign_in(client: Client) -> None:
    for url in (MY_PROFILE, MY_ORGANIZATIONS):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_first_visit_creates_the_profile_from_the_account() -> None:
    user = UserFactory(full_name="Laura Gómez", home_hub=hub("miami"), language="en")
    response = signed_in(user).get(MY_PROFILE, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    person = Person.objects.get(user=user)
    assert person.full_name == "Laura Gómez"
    assert person.hub.slug == "miami"
    html = response.content.decode()
    assert "We started your directory profile from your account" in html
    assert 'value="Laura Gómez"' in html
    # Expertise is grouped by sector and technology, labelled in the UI language.
    assert '<p class="choice-group-title" id="id_expertise_group0">Sectors</p>' in html
    assert "Artificial intelligence" in html
    assert 'name="external_id"' not in html


def test_member_edits_their_profile_and_the_change_is_audited() -> None:
    user = UserFactory()
    person = PersonFactory(user=user, full_name="Laura Gómez")
    client = signed_in(user)
    response = client.post(
        MY_PROFILE,
        {
            "full_name": "Laura Gómez Restrepo",
            "headline": "Mentora de fintech",
            "bio": "Fundé dos empresas de pagos.",
            "bio_language": "es",
            "hub": "medellin",
            "expertise": ["fintech", "ai"],
            "languages": ["es", "en"],
            "is_mentor": "on",
            "email": "laura@example.org",
            "linkedin": "linkedin.com/in/laura",
            "profile_visibility": Visibility.PUBLIC,
            "contact_visibility": Visibility.MEMBERS,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:person", args=[person.slug])
    person.refresh_from_db()
    assert person.full_name == "Laura Gómez Restrepo"
    assert person.is_mentor
    assert sorted(term.code for term in person.expertise.all()) == ["ai", "fintech"]
    assert person.languages == ["es", "en"]
    assert person.linkedin == "https://linkedin.com/in/laura"
    assert AuditEntry.objects.filter(action="person.update", actor=user).exists()
    html = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your profile is saved." in html
    assert "Mentora de fintech" in html
    assert "Edit my profile" in html


def test_profile_errors_are_shown_and_nothing_changes() -> None:
    user = UserFactory()
    person = PersonFactory(user=user, full_name="Laura Gómez")
    response = signed_in(user).post(
        MY_PROFILE,
        {
            "full_name": "",
            "bio_language": "xx",
            "hub": "atlantis",
            "email": "not-an-email",
            "phone": "call me",
            "profile_visibility": "everyone",
            "contact_visibility": "public",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html
    assert "Enter a valid email address, such as name@example.org." in html
    assert "Enter a phone number with digits" in html
    assert "“atlantis” is not a known code here." in html
    person.refresh_from_db()
    assert person.full_name == "Laura Gómez"


def test_my_organizations_lists_memberships_with_edit_links_for_admins() -> None:
    admin_of = OrganizationFactory(name="Cafetal Digital")
    member_of = OrganizationFactory(name="Paisa Pagos")
    claimed = OrganizationFactory(name="Coral Pay", hub=hub("miami"))
    user = make_member(admin_of, role=MembershipRole.ADMIN)
    make_member(member_of)  # another user
    from puente.directory.models import OrganizationMembership

    OrganizationMembership.objects.create(
        user=user, organization=member_of, role=MembershipRole.MEMBER
    )
    OrganizationClaim.objects.create(
        user=user,
        organization=claimed,
        role_title="CFO",
        status=ClaimStatus.REJECTED,
        decision_note="Usa tu correo de la empresa.",
    )
    html = signed_in(user).get(MY_ORGANIZATIONS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Cafetal Digital" in html
    assert "Paisa Pagos" in html
    assert reverse("directory:organization_edit", args=[admin_of.slug]) in html
    assert reverse("directory:organization_edit", args=[member_of.slug]) not in html
    assert "Coral Pay" in html
    assert "Rejected" in html
    assert "Usa tu correo de la empresa." in html


def test_my_organizations_empty_state_points_to_the_directory() -> None:
    html = (
        signed_in(UserFactory()).get(MY_ORGANIZATIONS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert "You do not belong to any organization yet." in html
    assert f'href="{reverse("directory:organizations")}"' in html


def test_confirm_from_my_organizations_returns_there() -> None:
    organization = OrganizationFactory()
    admin = make_member(organization, role=MembershipRole.ADMIN)
    response = signed_in(admin).post(
        reverse("directory:organization_confirm", args=[organization.slug]),
        {"next": MY_ORGANIZATIONS},
    )
    assert response["Location"] == MY_ORGANIZATIONS
    response = signed_in(admin).post(
        reverse("directory:organization_confirm", args=[organization.slug]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("directory:organization", args=[organization.slug])
