"""Reads of the directory that carry rules: visibility, facets, search, fetch-and-check."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from puente.accounts.viewer import Viewer
from puente.core.models import Hub, TaxonomyTerm, Visibility, Vocabulary
from puente.core.search import query_terms
from puente.directory.models import (
    ORGANIZATION_INDEX,
    PERSON_INDEX,
    ClaimStatus,
    Organization,
    OrganizationClaim,
    OrganizationMembership,
    Person,
    Position,
    VerificationStatus,
    stale_cutoff,
)

OrganizationHubs = Organization.other_hubs.through


def _present_in(hub_ids: Iterable[int]) -> QuerySet[Any]:
    return OrganizationHubs.objects.filter(hub_id__in=list(hub_ids)).values("organization_id")


def organizations_visible_to(viewer: Viewer) -> QuerySet[Organization]:
    """Organizations whose profile the viewer may see."""
    return Organization.objects.filter(
        viewer.visibility_q(field_name="profile_visibility", hub_field="hub_id", other_hubs_subquery=_present_in, organization_field="id")
    )


def people_visible_to(viewer: Viewer) -> QuerySet[Person]:
    """People whose profile the viewer may see."""
    if viewer.is_staff:
        return Person.objects.all()
    visible = viewer.visibility_q(field_name="profile_visibility", hub_field="hub_id")
    if viewer.user_id is not None:
        visible |= Q(user_id=viewer.user_id)
    return Person.objects.filter(visible)


@dataclass(frozen=True)
class DirectoryFilters:
    """What a directory search asks for; every list holds codes or slugs."""

    q: str = ""
    hubs: Sequence[str] = ()
    types: Sequence[str] = ()
    sectors: Sequence[str] = ()
    technologies: Sequence[str] = ()
    stages: Sequence[str] = ()
    verified: bool | None = None
    stale: bool | None = None
    sort: str = ""

    def is_empty(self) -> bool:
        return not (self.q or self.hubs or self.types or self.sectors or self.technologies or self.stages) and self.verified is None and self.stale is None


@dataclass
class FacetValue:
    code: str
    label: str
    count: int
    selected: bool


@dataclass
class DirectoryResult:
    """A page of organizations with the total and the facet counts of the whole result."""

    items: list[Organization]
    count: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)


SORTS = {"name": ("name", "id"), "-name": ("-name", "-id"), "recent": ("-created_at", "-id"), "updated": ("-last_confirmed_at", "-id")}


def _filter(queryset: QuerySet[Organization], filters: DirectoryFilters, *, skip: str = "") -> QuerySet[Organization]:
    if filters.hubs and skip != "hub":
        hub_ids = list(Hub.objects.filter(slug__in=filters.hubs).values_list("id", flat=True))
        queryset = queryset.filter(Q(hub_id__in=hub_ids) | Q(id__in=_present_in(hub_ids)))
    if filters.types and skip != "type":
        queryset = queryset.filter(type__code__in=filters.types)
    if filters.stages and skip != "stage":
        queryset = queryset.filter(stage__code__in=filters.stages)
    if filters.sectors and skip != "sector":
        sector_table = Organization.sectors.through
        queryset = queryset.filter(id__in=sector_table.objects.filter(taxonomyterm__code__in=filters.sectors).values("organization_id"))
    if filters.technologies and skip != "technology":
        technology_table = Organization.technologies.through
        queryset = queryset.filter(id__in=technology_table.objects.filter(taxonomyterm__code__in=filters.technologies).values("organization_id"))
    if filters.verified is not None:
        verified = Q(verification_status=VerificationStatus.VERIFIED)
        queryset = queryset.filter(verified if filters.verified else ~verified)
    if filters.stale is not None:
        old = Q(last_confirmed_at__lt=stale_cutoff())
        queryset = queryset.filter(old if filters.stale else ~old)
    return queryset


def _term_facet(base: QuerySet[Organization], through: Any, vocabulary: str, selected: Sequence[str]) -> list[FacetValue]:
    counts = dict(
        through.objects.filter(organization_id__in=base.values("id")).values_list("taxonomyterm_id").annotate(n=Count("organization_id")).values_list("taxonomyterm_id", "n")
    )
    return _facet_values(vocabulary, counts, selected)


def _facet_values(vocabulary: str, counts: dict[int, int], selected: Sequence[str]) -> list[FacetValue]:
    values = [
        FacetValue(code=term.code, label=term.label, count=counts.get(term.pk, 0), selected=term.code in selected)
        for term in _terms(vocabulary)
        if counts.get(term.pk) or term.code in selected
    ]
    return sorted(values, key=lambda value: (-value.count, value.label))


_TERM_CACHE: dict[str, list[TaxonomyTerm]] = {}


def _terms(vocabulary: str) -> list[TaxonomyTerm]:
    """Terms of a vocabulary, read once per process (the taxonomy changes rarely)."""
    if vocabulary not in _TERM_CACHE:
        _TERM_CACHE[vocabulary] = list(TaxonomyTerm.objects.of(vocabulary))
    return _TERM_CACHE[vocabulary]


def taxonomy_changed() -> None:
    """Forget cached taxonomy terms after the taxonomy is edited."""
    _TERM_CACHE.clear()


def organization_directory(
    viewer: Viewer, filters: DirectoryFilters, *, offset: int = 0, limit: int = 24, with_facets: bool = True, detail: bool = False
) -> DirectoryResult:
    """Search and filter the organizations the viewer may see, with facet counts."""
    visible = organizations_visible_to(viewer)
    if filters.q and not query_terms(filters.q):
        return DirectoryResult(items=[], count=0, facets=_facets(visible.none(), filters) if with_facets else {})
    matching = ORGANIZATION_INDEX.filter(visible, filters.q) if filters.q else visible
    queryset = _filter(ORGANIZATION_INDEX.ranked(visible, filters.q) if filters.q else visible, filters)
    order = SORTS.get(filters.sort) or (("fts_rank", "name") if filters.q else SORTS["name"])
    prefetch = ["sectors", "other_hubs", "technologies", "markets", "target_hubs"] if detail else ["sectors", "other_hubs"]
    page = list(queryset.select_related("type", "hub", "stage").prefetch_related(*prefetch).order_by(*order)[offset : offset + limit])
    count = _filter(matching, filters).count() if (offset or len(page) == limit) else offset + len(page)
    result = DirectoryResult(items=page, count=count)
    if with_facets:
        result.facets = _facets(matching, filters)
    return result


def _facets(visible: QuerySet[Organization], filters: DirectoryFilters) -> dict[str, list[FacetValue]]:
    facets: dict[str, list[FacetValue]] = {}
    hub_base = _filter(visible, filters, skip="hub")
    home_counts = dict(hub_base.values_list("hub_id").annotate(n=Count("id")).values_list("hub_id", "n"))
    present_counts = dict(
        OrganizationHubs.objects.filter(organization_id__in=hub_base.values("id")).values_list("hub_id").annotate(n=Count("organization_id")).values_list("hub_id", "n")
    )
    facets["hub"] = [
        FacetValue(code=hub.slug, label=hub.name, count=home_counts.get(hub.pk, 0) + present_counts.get(hub.pk, 0), selected=hub.slug in filters.hubs)
        for hub in Hub.objects.filter(is_active=True)
    ]
    type_counts = dict(_filter(visible, filters, skip="type").values_list("type_id").annotate(n=Count("id")).values_list("type_id", "n"))
    facets["type"] = _facet_values(Vocabulary.ORGANIZATION_TYPE, type_counts, filters.types)
    stage_counts = dict(_filter(visible, filters, skip="stage").exclude(stage_id=None).values_list("stage_id").annotate(n=Count("id")).values_list("stage_id", "n"))
    facets["stage"] = _facet_values(Vocabulary.STAGE, stage_counts, filters.stages)
    facets["sector"] = _term_facet(_filter(visible, filters, skip="sector"), Organization.sectors.through, Vocabulary.SECTOR, filters.sectors)
    facets["technology"] = _term_facet(_filter(visible, filters, skip="technology"), Organization.technologies.through, Vocabulary.TECHNOLOGY, filters.technologies)
    return facets


def organization_for_viewer(viewer: Viewer, *, slug: str | None = None, pk: int | None = None) -> Organization:
    """The organization, or the same 404 whether it does not exist or the viewer may not see it."""
    lookup = {"slug": slug} if slug is not None else {"pk": pk}
    organization = (
        organizations_visible_to(viewer)
        .select_related("type", "hub", "stage")
        .prefetch_related("sectors", "technologies", "markets", "target_hubs", "other_hubs")
        .filter(**lookup)
        .first()
    )
    if organization is None:
        raise Http404("organization")
    return organization


@dataclass(frozen=True)
class OrganizationAccess:
    """What a viewer may see and do on one organization's profile."""

    details_visible: bool
    contact_visible: bool
    can_edit: bool
    can_verify: bool
    is_member: bool
    can_claim: bool


def organization_access(viewer: Viewer, organization: Organization) -> OrganizationAccess:
    hub_ids = organization.hub_ids()
    own = {organization.pk}
    is_manager = viewer.manages_any(hub_ids)
    is_admin = organization.pk in viewer.admin_organization_ids
    return OrganizationAccess(
        details_visible=viewer.can_see(organization.details_visibility, hub_ids=hub_ids, organization_ids=own),
        contact_visible=viewer.can_see(organization.contact_visibility, hub_ids=hub_ids, organization_ids=own),
        can_edit=is_admin or is_manager,
        can_verify=is_manager,
        is_member=organization.pk in viewer.organization_ids,
        can_claim=viewer.is_authenticated and not is_admin,
    )


def organization_people(viewer: Viewer, organization: Organization) -> list[Position]:
    """The organization's people that the viewer may see, with their roles."""
    visible_people = people_visible_to(viewer).values("id")
    return list(
        Position.objects.filter(organization=organization, person_id__in=visible_people).select_related("person", "person__hub").order_by("-is_primary", "person__full_name")
    )


def person_for_viewer(viewer: Viewer, *, slug: str | None = None, pk: int | None = None) -> Person:
    """The person, or the same 404 whether they do not exist or the viewer may not see them."""
    lookup = {"slug": slug} if slug is not None else {"pk": pk}
    person = (
        people_visible_to(viewer)
        .select_related("hub")
        .prefetch_related("expertise", Prefetch("positions", queryset=Position.objects.select_related("organization", "organization__type")))
        .filter(**lookup)
        .first()
    )
    if person is None:
        raise Http404("person")
    return person


@dataclass(frozen=True)
class PersonAccess:
    contact_visible: bool
    can_edit: bool


def person_access(viewer: Viewer, person: Person) -> PersonAccess:
    own_orgs = {position.organization_id for position in person.positions.all()}
    is_self = viewer.user_id is not None and person.user_id == viewer.user_id
    return PersonAccess(
        contact_visible=is_self or viewer.can_see(person.contact_visibility, hub_ids={person.hub_id}, organization_ids=own_orgs),
        can_edit=is_self or viewer.manages_any({person.hub_id}),
    )


@dataclass(frozen=True)
class PeopleFilters:
    q: str = ""
    hubs: Sequence[str] = ()
    expertise: Sequence[str] = ()
    mentors_only: bool = False


def people_directory(viewer: Viewer, filters: PeopleFilters, *, offset: int = 0, limit: int = 24) -> tuple[list[Person], int]:
    """Search and filter the people the viewer may see."""
    queryset = people_visible_to(viewer)
    if filters.q:
        if not query_terms(filters.q):
            return [], 0
        queryset = PERSON_INDEX.ranked(queryset, filters.q)
    if filters.hubs:
        queryset = queryset.filter(hub__slug__in=filters.hubs)
    if filters.expertise:
        expertise_table = Person.expertise.through
        queryset = queryset.filter(id__in=expertise_table.objects.filter(taxonomyterm__code__in=filters.expertise).values("person_id"))
    if filters.mentors_only:
        queryset = queryset.filter(is_mentor=True)
    order = ("fts_rank", "full_name") if filters.q else ("full_name", "id")
    page = list(
        queryset.select_related("hub").prefetch_related("expertise", Prefetch("positions", queryset=Position.objects.select_related("organization"))).order_by(*order)[offset : offset + limit]
    )
    count = queryset.count() if (offset or len(page) == limit) else offset + len(page)
    return page, count


def claims_for_manager(viewer: Viewer) -> QuerySet[OrganizationClaim]:
    """Pending claims on organizations of the hubs the viewer manages."""
    claims = OrganizationClaim.objects.filter(status=ClaimStatus.PENDING).select_related("user", "organization", "organization__hub")
    if viewer.is_staff:
        return claims
    return claims.filter(Q(organization__hub_id__in=viewer.managed_hub_ids) | Q(organization_id__in=_present_in(viewer.managed_hub_ids)))


def claim_for_manager(viewer: Viewer, claim_id: int) -> OrganizationClaim:
    claim = claims_for_manager(viewer).filter(pk=claim_id).first()
    if claim is None:
        raise Http404("claim")
    return claim


def memberships_of(user: Any) -> list[OrganizationMembership]:
    return list(OrganizationMembership.objects.filter(user=user).select_related("organization", "organization__type", "organization__hub"))


def visibility_label(value: str) -> str:
    return str(Visibility(value).label)


@dataclass
class HubSummary:
    """What the home page says about one hub."""

    hub: Hub
    organizations: int
    people: int
    mentors: int
    by_type: list[FacetValue]
    reaching_out: dict[str, int]


def network_overview(viewer: Viewer) -> list[HubSummary]:
    """Per hub: organizations and people visible to the viewer, and how many want to reach each other hub."""
    hubs = list(Hub.objects.filter(is_active=True))
    organizations = organizations_visible_to(viewer)
    org_counts = dict(organizations.values_list("hub_id").annotate(n=Count("id")).values_list("hub_id", "n"))
    type_counts: dict[int, dict[int, int]] = {}
    for hub_id, type_id, n in organizations.values_list("hub_id", "type_id").annotate(n=Count("id")).values_list("hub_id", "type_id", "n"):
        type_counts.setdefault(hub_id, {})[type_id] = n
    people = people_visible_to(viewer)
    people_counts = dict(people.values_list("hub_id").annotate(n=Count("id")).values_list("hub_id", "n"))
    mentor_counts = dict(people.filter(is_mentor=True).values_list("hub_id").annotate(n=Count("id")).values_list("hub_id", "n"))
    target_table = Organization.target_hubs.through
    reaching: dict[tuple[int, int], int] = {}
    rows = (
        target_table.objects.filter(organization_id__in=organizations.values("id"))
        .values_list("organization__hub_id", "hub_id")
        .annotate(n=Count("organization_id"))
        .values_list("organization__hub_id", "hub_id", "n")
    )
    for home_id, target_id, n in rows:
        reaching[(home_id, target_id)] = n
    slugs = {hub.pk: hub.slug for hub in hubs}
    return [
        HubSummary(
            hub=hub,
            organizations=org_counts.get(hub.pk, 0),
            people=people_counts.get(hub.pk, 0),
            mentors=mentor_counts.get(hub.pk, 0),
            by_type=_facet_values(Vocabulary.ORGANIZATION_TYPE, type_counts.get(hub.pk, {}), ()),
            reaching_out={slugs[target]: n for (home, target), n in reaching.items() if home == hub.pk and target != hub.pk and target in slugs},
        )
        for hub in hubs
    ]


def recently_confirmed(viewer: Viewer, *, limit: int = 6) -> list[Organization]:
    return list(organizations_visible_to(viewer).select_related("type", "hub").prefetch_related("sectors").order_by("-created_at", "-id")[:limit])


def profile_facet_counts(viewer: Viewer, filters: DirectoryFilters) -> dict[str, int]:
    """How many results are verified and how many are stale, under every other active filter.

    One aggregate query; each count ignores its own filter (like the other facets) but keeps
    the other flag's, so ticking "verified" still shows how many stale profiles it would leave.
    """
    visible = organizations_visible_to(viewer)
    if filters.q:
        if not query_terms(filters.q):
            return {"verified": 0, "stale": 0}
        visible = ORGANIZATION_INDEX.filter(visible, filters.q)
    base = _filter(visible, replace(filters, verified=None, stale=None))
    verified = Q(verification_status=VerificationStatus.VERIFIED)
    stale = Q(last_confirmed_at__lt=stale_cutoff())
    verified_when = verified if filters.stale is None else verified & (stale if filters.stale else ~stale)
    stale_when = stale if filters.verified is None else stale & (verified if filters.verified else ~verified)
    counts = base.aggregate(verified=Count("id", filter=verified_when), stale=Count("id", filter=stale_when))
    return {"verified": counts["verified"] or 0, "stale": counts["stale"] or 0}


def pending_claim_of(user: Any, organization: Organization) -> OrganizationClaim | None:
    """The user's claim on the organization that awaits a decision, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return OrganizationClaim.objects.filter(user=user, organization=organization, status=ClaimStatus.PENDING).first()


def pending_claims_on(viewer: Viewer, organization: Organization) -> int:
    """How many claims on this organization wait for a decision (for its hub managers)."""
    if not viewer.manages_any(organization.hub_ids()):
        return 0
    return OrganizationClaim.objects.filter(organization=organization, status=ClaimStatus.PENDING).count()


def claims_of(user: Any, *, limit: int = 20) -> list[OrganizationClaim]:
    """A user's own claims, newest first, with the organization they concern."""
    return list(OrganizationClaim.objects.filter(user=user).select_related("organization", "organization__hub", "organization__type")[:limit])


def claims_recently_decided(viewer: Viewer, *, limit: int = 10) -> list[OrganizationClaim]:
    """The latest decided claims on organizations of the hubs the viewer manages."""
    claims = OrganizationClaim.objects.exclude(status=ClaimStatus.PENDING).select_related("user", "organization", "decided_by")
    if not viewer.is_staff:
        claims = claims.filter(Q(organization__hub_id__in=viewer.managed_hub_ids) | Q(organization_id__in=_present_in(viewer.managed_hub_ids)))
    return list(claims.order_by("-decided_at", "-id")[:limit])



def known_codes(vocabularies: str | Sequence[str], codes: Sequence[str]) -> list[str]:
    """The codes that name active terms of the vocabularies (read from the process cache)."""
    names = (vocabularies,) if isinstance(vocabularies, str) else tuple(vocabularies)
    known = {term.code for name in names for term in _terms(name)}
    return [code for code in codes if code in known]


def expertise_choices() -> dict[str, list[TaxonomyTerm]]:
    """Sectors and technologies, the vocabularies people state their expertise in."""
    return {Vocabulary.SECTOR: _terms(Vocabulary.SECTOR), Vocabulary.TECHNOLOGY: _terms(Vocabulary.TECHNOLOGY)}


def claim_in_managed_hubs(viewer: Viewer, claim_id: int) -> OrganizationClaim:
    """A claim (pending or decided) on an organization of a hub the viewer manages, else 404."""
    claims = OrganizationClaim.objects.select_related("user", "organization", "organization__hub", "decided_by")
    if not viewer.is_staff:
        claims = claims.filter(Q(organization__hub_id__in=viewer.managed_hub_ids) | Q(organization_id__in=_present_in(viewer.managed_hub_ids)))
    claim = claims.filter(pk=claim_id).first()
    if claim is None:
        raise Http404("claim")
    return claim
