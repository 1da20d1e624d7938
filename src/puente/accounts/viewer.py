"""Who is looking: the facts about a user that visibility and permission rules depend on.

Computed once per request (a handful of small queries) and cached on the user object, so
selectors and templates can ask ``viewer.can_see(...)`` for every row without new queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from puente.core.models import HubPartnership, Visibility

_CACHE_ATTRIBUTE = "_puente_viewer"


@dataclass(frozen=True)
class Viewer:
    """The visibility-relevant facts about one user (or an anonymous visitor)."""

    user_id: int | None = None
    is_staff: bool = False
    is_verified: bool = False
    member_hub_ids: frozenset[int] = field(default_factory=frozenset)
    network_hub_ids: frozenset[int] = field(default_factory=frozenset)
    managed_hub_ids: frozenset[int] = field(default_factory=frozenset)
    organization_ids: frozenset[int] = field(default_factory=frozenset)
    admin_organization_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_manager(self) -> bool:
        return self.is_staff or bool(self.managed_hub_ids)

    def manages_any(self, hub_ids: Iterable[int]) -> bool:
        return self.is_staff or not self.managed_hub_ids.isdisjoint(hub_ids)

    def can_see(
        self, visibility: str, *, hub_ids: Iterable[int], organization_ids: Iterable[int] = ()
    ) -> bool:
        """Whether a field group with ``visibility`` owned by these hubs/organizations is visible."""
        hub_ids = set(hub_ids)
        if visibility == Visibility.PUBLIC:
            return True
        if self.is_staff or not self.managed_hub_ids.isdisjoint(hub_ids):
            return True
        if not self.organization_ids.isdisjoint(organization_ids):
            return True
        if visibility == Visibility.PARTNER_HUBS:
            return not self.network_hub_ids.isdisjoint(hub_ids)
        if visibility == Visibility.MEMBERS:
            return not self.member_hub_ids.isdisjoint(hub_ids)
        return False

    def visibility_q(
        self,
        *,
        field_name: str,
        hub_field: str,
        other_hubs_subquery: Any | None = None,
        organization_field: str | None = None,
    ) -> Q:
        """The same rule as :meth:`can_see`, as a filter for a queryset.

        ``puente.directory.facet_index.visible_mask`` applies it to the directory's in-memory
        index: change both together (tests/directory/test_facet_index.py compares them).

        ``other_hubs_subquery(hub_ids)`` returns ids of rows present in those hubs besides their
        home hub (a subquery, so rows are never duplicated by a join).
        """
        visible = Q(**{field_name: Visibility.PUBLIC})
        if self.is_staff:
            return Q()

        def in_hubs(hub_ids: frozenset[int]) -> Q:
            condition = Q(**{f"{hub_field}__in": hub_ids})
            if other_hubs_subquery is not None:
                condition |= Q(id__in=other_hubs_subquery(hub_ids))
            return condition

        if self.managed_hub_ids:
            visible |= in_hubs(self.managed_hub_ids)
        if organization_field and self.organization_ids:
            visible |= Q(**{f"{organization_field}__in": self.organization_ids})
        if self.network_hub_ids:
            visible |= Q(**{field_name: Visibility.PARTNER_HUBS}) & in_hubs(self.network_hub_ids)
        if self.member_hub_ids:
            visible |= Q(**{field_name: Visibility.MEMBERS}) & in_hubs(self.member_hub_ids)
        return visible


ANONYMOUS = Viewer()


def viewer_for(user: Any) -> Viewer:
    """The viewer for a user, computed once and cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    from puente.accounts.models import HubRole
    from puente.directory.models import MembershipRole, Organization, OrganizationMembership

    memberships = list(
        OrganizationMembership.objects.filter(user=user).values_list("organization_id", "role")
    )
    organization_ids = frozenset(org_id for org_id, _role in memberships)
    admin_ids = frozenset(org_id for org_id, role in memberships if role == MembershipRole.ADMIN)
    managed = frozenset(HubRole.objects.filter(user=user).values_list("hub_id", flat=True))
    verified = user.email_verified_at is not None
    member_hubs: set[int] = set()
    if verified:
        if user.home_hub_id:
            member_hubs.add(user.home_hub_id)
        if organization_ids:
            member_hubs.update(
                Organization.objects.filter(id__in=organization_ids).values_list(
                    "hub_id", flat=True
                )
            )
            member_hubs.update(
                Organization.other_hubs.through.objects.filter(
                    organization_id__in=organization_ids
                ).values_list("hub_id", flat=True)
            )
        member_hubs.update(managed)
    network = set(member_hubs)
    if member_hubs:
        for hub_a, hub_b in HubPartnership.objects.involving(member_hubs).values_list(
            "hub_a_id", "hub_b_id"
        ):
            network.update((hub_a, hub_b))
    viewer = Viewer(
        user_id=user.pk,
        is_staff=bool(user.is_staff),
        is_verified=verified,
        member_hub_ids=frozenset(member_hubs),
        network_hub_ids=frozenset(network),
        managed_hub_ids=managed,
        organization_ids=organization_ids,
        admin_organization_ids=admin_ids,
    )
    setattr(user, _CACHE_ATTRIBUTE, viewer)
    return viewer


def forget_viewer(user: Any) -> None:
    """Drop the cached viewer after the user's roles or memberships change."""
    if user is not None and hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
