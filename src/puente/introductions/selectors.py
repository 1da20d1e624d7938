"""Reads of introductions: who sees which, and what each side may see of the other."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from puente.accounts.viewer import Viewer
from puente.directory.models import Organization, OrganizationMembership
from puente.introductions.models import Introduction, IntroductionStatus


def introductions_visible_to(viewer: Viewer) -> QuerySet[Introduction]:
    """Introductions involving the viewer's organizations, or brokered in hubs they manage."""
    if viewer.is_staff:
        return Introduction.objects.all()
    condition = Q(pk__in=[])
    if viewer.organization_ids:
        condition |= Q(requester_id__in=viewer.organization_ids) | Q(
            target_id__in=viewer.organization_ids
        )
    if viewer.managed_hub_ids:
        condition |= Q(requester__hub_id__in=viewer.managed_hub_ids) | Q(
            target__hub_id__in=viewer.managed_hub_ids
        )
    return Introduction.objects.filter(condition)


def introduction_list(
    viewer: Viewer, *, status: str = "", offset: int = 0, limit: int = 20
) -> tuple[list[Introduction], int]:
    queryset = introductions_visible_to(viewer)
    if status:
        queryset = queryset.filter(status=status)
    items = list(
        queryset.select_related(
            "requester",
            "requester__hub",
            "requester__type",
            "target",
            "target__hub",
            "target__type",
            "opportunity",
            "target_opportunity",
        )
        .prefetch_related("outcomes")
        .order_by("-created_at", "-id")[offset : offset + limit]
    )
    return items, queryset.count()


def introduction_for_viewer(viewer: Viewer, pk: int) -> Introduction:
    """The introduction, or the same 404 whether it does not exist or the viewer is not involved."""
    introduction = (
        introductions_visible_to(viewer)
        .select_related(
            "requester",
            "requester__hub",
            "target",
            "target__hub",
            "requested_by",
            "brokered_by",
            "opportunity",
            "target_opportunity",
            "requester_accepted_by",
            "target_accepted_by",
        )
        .prefetch_related("outcomes")
        .filter(pk=pk)
        .first()
    )
    if introduction is None:
        raise Http404("introduction")
    return introduction


@dataclass(frozen=True)
class Contact:
    """What one side sees of the other once both accepted: the organization and its people."""

    organization: Organization
    email: str
    phone: str
    people: list[tuple[str, str]]


def counterpart_contact(viewer: Viewer, introduction: Introduction) -> Contact | None:
    """The other side's contact details, only when the introduction was accepted by both sides
    and the viewer is on one side of it (hub managers brokering see no contact details here)."""
    if introduction.status != IntroductionStatus.ACCEPTED:
        return None
    side = introduction.side_of(viewer.organization_ids)
    if side is None:
        return None
    other = introduction.target if side == "requester" else introduction.requester
    accepted_by = (
        introduction.target_accepted_by
        if side == "requester"
        else (introduction.requested_by or introduction.requester_accepted_by)
    )
    people: list[tuple[str, str]] = []
    if accepted_by is not None:
        people.append((accepted_by.full_name, accepted_by.email))
    for membership in (
        OrganizationMembership.objects.filter(organization=other)
        .select_related("user")
        .order_by("role", "id")[:5]
    ):
        entry = (membership.user.full_name, membership.user.email)
        if entry not in people:
            people.append(entry)
    return Contact(organization=other, email=other.email, phone=other.phone, people=people)


BOXES = ("waiting", "incoming", "outgoing", "all")


def introduction_inbox(
    viewer: Viewer, box: str, *, offset: int = 0, limit: int = 20
) -> tuple[list[Introduction], int]:
    """One box of the viewer's introductions: ``waiting`` for their answer, ``incoming`` (they
    were asked), ``outgoing`` (they asked) or ``all`` (including those brokered in their hubs)."""
    queryset = introductions_visible_to(viewer)
    mine = viewer.organization_ids
    if box == "waiting":
        queryset = queryset.filter(status=IntroductionStatus.PENDING).filter(
            Q(requester_id__in=mine, requester_accepted_at__isnull=True)
            | Q(target_id__in=mine, target_accepted_at__isnull=True)
        )
    elif box == "incoming":
        queryset = queryset.filter(target_id__in=mine)
    elif box == "outgoing":
        queryset = queryset.filter(requester_id__in=mine)
    items = list(
        queryset.select_related(
            "requester",
            "requester__hub",
            "target",
            "target__hub",
            "opportunity",
            "target_opportunity",
            "brokered_by",
        ).order_by("-created_at", "-id")[offset : offset + limit]
    )
    return items, queryset.count()
