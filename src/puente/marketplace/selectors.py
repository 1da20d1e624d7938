"""Reads of the marketplace with their rules: who sees which opportunity, search and filters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from puente.accounts.viewer import Viewer
from puente.core.models import Hub
from puente.core.search import query_terms
from puente.marketplace.models import (
    OPPORTUNITY_INDEX,
    ExpressionOfInterest,
    InterestStatus,
    Opportunity,
    Status,
)


def opportunities_visible_to(viewer: Viewer) -> QuerySet[Opportunity]:
    """Published, unexpired opportunities the viewer may see, plus every opportunity of the
    viewer's own organizations (drafts included) and of the hubs they manage."""
    now = timezone.now()
    live = Q(status=Status.PUBLISHED) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    visible_live = live & viewer.visibility_q(
        field_name="visibility", hub_field="hub_id", organization_field="organization_id"
    )
    own = (
        Q(organization_id__in=viewer.organization_ids) if viewer.organization_ids else Q(pk__in=[])
    )
    managed = Q(hub_id__in=viewer.managed_hub_ids) if viewer.managed_hub_ids else Q(pk__in=[])
    if viewer.is_staff:
        return Opportunity.objects.all()
    return Opportunity.objects.filter(visible_live | own | managed)


@dataclass(frozen=True)
class OpportunityFilters:
    q: str = ""
    side: str = ""
    kinds: Sequence[str] = ()
    hubs: Sequence[str] = ()
    target_hubs: Sequence[str] = ()
    sectors: Sequence[str] = ()
    stages: Sequence[str] = ()
    reaching: Sequence[str] = ()
    organization_id: int | None = None
    status: str = ""


@dataclass
class OpportunityPage:
    items: Sequence[Opportunity]
    count: int


def opportunity_list(
    viewer: Viewer, filters: OpportunityFilters, *, offset: int = 0, limit: int = 20
) -> OpportunityPage:
    """Search and filter the opportunities the viewer may see (live ones unless a status is asked)."""
    queryset = opportunities_visible_to(viewer)
    if filters.q:
        if not query_terms(filters.q):
            return OpportunityPage(items=[], count=0)
        queryset = OPPORTUNITY_INDEX.ranked(queryset, filters.q)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    elif filters.organization_id is None:
        queryset = queryset.filter(status=Status.PUBLISHED, expires_at__gt=timezone.now())
    if filters.side:
        queryset = queryset.filter(side=filters.side)
    if filters.kinds:
        queryset = queryset.filter(kind__code__in=filters.kinds)
    if filters.hubs:
        queryset = queryset.filter(hub__slug__in=filters.hubs)
    if filters.target_hubs:
        target_table = Opportunity.target_hubs.through
        queryset = queryset.filter(
            id__in=target_table.objects.filter(hub__slug__in=filters.target_hubs).values(
                "opportunity_id"
            )
        )
    if filters.sectors:
        sector_table = Opportunity.sectors.through
        queryset = queryset.filter(
            id__in=sector_table.objects.filter(taxonomyterm__code__in=filters.sectors).values(
                "opportunity_id"
            )
        )
    if filters.reaching:
        target_table = Opportunity.target_hubs.through
        targeted = target_table.objects.values("opportunity_id")
        reaching = target_table.objects.filter(hub__slug__in=filters.reaching).values(
            "opportunity_id"
        )
        queryset = queryset.filter(Q(id__in=reaching) | ~Q(id__in=targeted))
    if filters.stages:
        stage_table = Opportunity.stages.through
        queryset = queryset.filter(
            id__in=stage_table.objects.filter(taxonomyterm__code__in=filters.stages).values(
                "opportunity_id"
            )
        )
    if filters.organization_id is not None:
        queryset = queryset.filter(organization_id=filters.organization_id)
    order = ("fts_rank", "-published_at") if filters.q else ("-published_at", "-id")
    items = list(
        queryset.select_related(
            "organization", "organization__type", "organization__hub", "hub", "kind"
        )
        .prefetch_related("sectors", "target_hubs", "stages", "technologies")
        .annotate(
            interest_count=Count("interests", filter=Q(interests__status=InterestStatus.OPEN))
        )
        .order_by(*order)[offset : offset + limit]
    )
    count = queryset.count() if (offset or len(items) == limit) else offset + len(items)
    return OpportunityPage(items=items, count=count)


def opportunity_for_viewer(viewer: Viewer, pk: int, *, with_terms: bool = True) -> Opportunity:
    """The opportunity, or the same 404 whether it does not exist or the viewer may not see it.
    ``with_terms=False`` skips reading its sectors, technologies, stages and target hubs (four
    queries) for callers that only need the opportunity itself."""
    rows = opportunities_visible_to(viewer).select_related(
        "organization", "organization__type", "organization__hub", "hub", "kind", "created_by"
    )
    if with_terms:
        rows = rows.prefetch_related("sectors", "technologies", "stages", "target_hubs")
    opportunity = rows.filter(pk=pk).first()
    if opportunity is None:
        raise Http404("opportunity")
    return opportunity


def interests_in(viewer: Viewer, opportunity: Opportunity) -> list[ExpressionOfInterest]:
    """Expressions of interest: all of them for the owners and hub managers, the viewer's own otherwise."""
    interests = ExpressionOfInterest.objects.filter(
        opportunity=opportunity, status=InterestStatus.OPEN
    ).select_related("organization", "organization__hub", "user")
    if opportunity.organization_id in viewer.organization_ids or viewer.manages_any(
        {opportunity.hub_id}
    ):
        return list(interests)
    return list(interests.filter(organization_id__in=viewer.organization_ids))


def direction_label(opportunity: Opportunity) -> tuple[Hub, list[Hub]]:
    """From which hub to which hubs: (posting hub, target hubs; empty means any)."""
    return opportunity.hub, list(opportunity.target_hubs.all())


def interests_prefetch() -> Prefetch:
    return Prefetch(
        "interests", queryset=ExpressionOfInterest.objects.filter(status=InterestStatus.OPEN)
    )
