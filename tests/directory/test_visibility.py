"""Who sees which organizations and which of their fields."""

from __future__ import annotations

import pytest

from puente.accounts.viewer import viewer_for
from puente.core.models import Visibility
from puente.directory import selectors
from puente.directory.models import MembershipRole
from tests.factories import OrganizationFactory, UserFactory, hub, make_manager, make_member

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_sees_public_profiles_but_never_contact_details() -> None:
    public = OrganizationFactory(profile_visibility=Visibility.PUBLIC)
    OrganizationFactory(profile_visibility=Visibility.MEMBERS)
    viewer = viewer_for(None)
    assert list(selectors.organizations_visible_to(viewer)) == [public]
    assert selectors.organization_access(viewer, public).contact_visible is False


def test_members_of_the_hub_see_member_profiles_and_contacts() -> None:
    members_only = OrganizationFactory(
        profile_visibility=Visibility.MEMBERS, contact_visibility=Visibility.MEMBERS
    )
    medellin_member = UserFactory(home_hub=hub("medellin"))
    miami_member = UserFactory(home_hub=hub("miami"))
    assert members_only in selectors.organizations_visible_to(viewer_for(medellin_member))
    assert members_only not in selectors.organizations_visible_to(viewer_for(miami_member))
    assert selectors.organization_access(viewer_for(medellin_member), members_only).contact_visible


def test_partner_hub_visibility_reaches_members_of_partner_hubs_only() -> None:
    shared = OrganizationFactory(profile_visibility=Visibility.PARTNER_HUBS)
    miami_member = UserFactory(home_hub=hub("miami"))
    unverified = UserFactory(home_hub=hub("miami"), email_verified_at=None)
    assert shared in selectors.organizations_visible_to(viewer_for(miami_member))
    assert shared not in selectors.organizations_visible_to(viewer_for(unverified))


def test_private_profiles_are_seen_by_their_members_and_hub_managers_only() -> None:
    private = OrganizationFactory(profile_visibility=Visibility.PRIVATE)
    member = make_member(private, role=MembershipRole.MEMBER)
    manager = make_manager("medellin")
    other_manager = make_manager("miami")
    assert private in selectors.organizations_visible_to(viewer_for(member))
    assert private in selectors.organizations_visible_to(viewer_for(manager))
    assert private not in selectors.organizations_visible_to(viewer_for(other_manager))
    assert private not in selectors.organizations_visible_to(viewer_for(UserFactory()))


def test_same_answer_for_missing_and_hidden_organizations() -> None:
    hidden = OrganizationFactory(profile_visibility=Visibility.PRIVATE)
    viewer = viewer_for(None)
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.organization_for_viewer(viewer, pk=hidden.pk)
    with pytest.raises(Http404):
        selectors.organization_for_viewer(viewer, pk=hidden.pk + 1000)
