"""Reads of the directory that carry rules: visibility, facets, search, fetch-and-check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from puente.accounts.viewer import Viewer
from puente.core.models import Hub, TaxonomyTerm, Visibility, Vocabulary
from puente.core.search import query_terms
from puente.core.text import sort_key
from puente.directory import facet_index
from puente.directory.models import (
    PERSON_INDEX,
    ClaimStatus,
    Organization,
    OrganizationClaim,
    OrganizationMembership,
    Person,
    Position,
    stale_cutoff,
)
from puente.directory.text_index import TextMatches

OrganizationHubs = Organization.other_hubs.through


def _present_in(hub_ids: Iterable[int]) -> QuerySet[Any]:
    return OrganizationHubs.objects.filter(hub_id__in=list(hub_ids)).values("organization_id")


def organizations_visible_to(viewer: Viewer) -> QuerySet[Organization]:
    """Organizations whose profile the viewer may see."""
    return Organization.objects.filter(
        viewer.visibility_q(
            field_name="profile_visibility",
            hub_field="hub_id",
            other_hubs_subquery=_present_in,
            organization_field="id",
        )
    )


def own_organizations(viewer: Viewer) -> QuerySet[Organization]:
    """The organizations the viewer belongs to, by name."""
    return Organization.objects.filter(pk__in=viewer.organization_ids).order_by("sort_name", "id")


def organizations_acted_for(viewer: Viewer) -> QuerySet[Organization]:
    """Organizations the viewer may act for (post, apply, register): their own, every one
    of the hubs they manage, all of them for staff."""
    if viewer.is_staff:
        return Organization.objects.all()
    condition = Q(pk__in=viewer.organization_ids)
    if viewer.managed_hub_ids:
        condition |= Q(hub_id__in=viewer.managed_hub_ids)
    return Organization.objects.filter(condition)


#: What an organization picker may offer (``OrganizationPicker.scope``).
PICKER_SCOPES = {"visible": organizations_visible_to, "acted_for": organizations_acted_for}


def organizations_named(
    viewer: Viewer, text: str, *, limit: int, scope: str = "visible"
) -> list[Organization]:
    """Up to ``limit`` organizations of the scope (:data:`PICKER_SCOPES`; an unknown one
    is "visible") whose name contains ``text`` (accents and case ignored), those that start
    with it first, then by name."""
    key = sort_key(text)
    found = PICKER_SCOPES.get(scope, organizations_visible_to)(viewer)
    if key:
        found = found.filter(sort_name__contains=key).annotate(
            later=Case(When(sort_name__startswith=key, then=Value(0)), default=Value(1))
        )
        return list(found.order_by("later", "sort_name", "id")[:limit])
    return list(found.order_by("sort_name", "id")[:limit])


def organization_visible_to(viewer: Viewer, pk: int) -> bool:
    """Whether the viewer may open the organization's page (one query)."""
    return organizations_visible_to(viewer).filter(pk=pk).exists()


def people_visible_to(viewer: Viewer) -> QuerySet[Person]:
    """People whose profile the viewer may see."""
    if viewer.is_staff:
        return Person.objects.all()
    visible = viewer.visibility_q(field_name="profile_visibility", hub_field="hub_id")
    if viewer.user_id is not None:
        visible |= Q(user_id=viewer.user_id)
    return Person.objects.filter(visible)


def positions_shown_to(viewer: Viewer) -> QuerySet[Position]:
    """Positions at organizations whose profile the viewer may see, the main one first.

    A person's page lists where they work; an organization hidden from the viewer (its
    page answers 404, as if it did not exist) is left out rather than named with a link
    that goes nowhere.
    """
    return (
        Position.objects.filter(organization__in=organizations_visible_to(viewer))
        .select_related("organization", "organization__type")
        .order_by("-is_primary", "id")
    )


def shown_positions(person: Person) -> list[Position]:
    """The positions ``positions_shown_to`` prefetched on ``person`` (as ``shown_positions``),
    or, for a person read without that prefetch, all of them."""
    prefetched: list[Position] | None = getattr(person, "shown_positions", None)
    return list(person.positions.all()) if prefetched is None else prefetched


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
        return (
            not (
                self.q
                or self.hubs
                or self.types
                or self.sectors
                or self.technologies
                or self.stages
            )
            and self.verified is None
            and self.stale is None
        )


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
    profile_counts: dict[str, int] = field(default_factory=dict)


SORTS = {
    "name": ("sort_name", "id"),
    "-name": ("-sort_name", "-id"),
    "recent": ("-created_at", "-id"),
    "updated": ("-last_confirmed_at", "-id"),
}


def _facet_values(
    vocabulary: str, counts: dict[int, int], selected: Sequence[str]
) -> list[FacetValue]:
    values = [
        FacetValue(
            code=term.code,
            label=term.label,
            count=counts.get(term.pk, 0),
            selected=term.code in selected,
        )
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


def _term_ids(vocabulary: str, codes: Sequence[str]) -> set[int]:
    return {term.pk for term in _terms(vocabulary) if term.code in codes}


def _masks(
    index: facet_index.DirectoryIndex, filters: DirectoryFilters, hubs: list[Hub]
) -> dict[str, np.ndarray]:
    """One boolean mask per active filter, over the index's organizations."""
    masks: dict[str, np.ndarray] = {}
    if filters.hubs:
        masks["hub"] = index.in_hubs({hub.pk for hub in hubs if hub.slug in filters.hubs})
    if filters.types:
        masks["type"] = facet_index.one_of(
            index.type, _term_ids(Vocabulary.ORGANIZATION_TYPE, filters.types)
        )
    if filters.stages:
        masks["stage"] = facet_index.one_of(
            index.stage, _term_ids(Vocabulary.STAGE, filters.stages)
        )
    if filters.sectors:
        masks["sector"] = index.sectors.any_of(
            _term_ids(Vocabulary.SECTOR, filters.sectors), index.size
        )
    if filters.technologies:
        masks["technology"] = index.technologies.any_of(
            _term_ids(Vocabulary.TECHNOLOGY, filters.technologies), index.size
        )
    if filters.verified is not None:
        masks["verified"] = index.verified if filters.verified else ~index.verified
    if filters.stale is not None:
        stale = index.stale(_cutoff_us())
        masks["stale"] = stale if filters.stale else ~stale
    return masks


def _cutoff_us() -> int:
    return int((stale_cutoff() - _EPOCH) // dt.timedelta(microseconds=1))


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _combine(base: np.ndarray, masks: dict[str, np.ndarray], *skip: str) -> np.ndarray:
    result = base
    for name, mask in masks.items():
        if name not in skip:
            result = result & mask
    return result


@dataclass
class _Search:
    """The organizations the viewer may see that match the text query, over the index."""

    index: facet_index.DirectoryIndex
    matching: np.ndarray
    masks: dict[str, np.ndarray]
    hubs: list[Hub]
    text: TextMatches | None = None


def _search(viewer: Viewer, filters: DirectoryFilters, *, need_hubs: bool) -> _Search:
    index = facet_index.directory_index()
    hubs = list(Hub.objects.all()) if (filters.hubs or need_hubs) else []
    matching = facet_index.visible_mask(index, viewer)
    text = None
    if filters.q:
        text = index.text.search(query_terms(filters.q))
        matching = matching & text.matched
    return _Search(
        index=index, matching=matching, masks=_masks(index, filters, hubs), hubs=hubs, text=text
    )


def _page_slots(search: _Search, selected: np.ndarray, filters: DirectoryFilters) -> np.ndarray:
    """The selected slots in the page order."""
    index = search.index
    if filters.sort == "recent":
        return index.recent_order[selected[index.recent_order]]
    if filters.sort == "updated":
        return index.updated_order[selected[index.updated_order]]
    slots = index.name_order[selected[index.name_order]]  # by (name, id)
    if filters.sort == "-name":
        return slots[::-1]
    if filters.q and not filters.sort and search.text is not None:
        # Relevance: name tiers, then BM25 (higher first), then name.
        text = search.text
        return slots[np.lexsort((index.name_rank[slots], -text.score[slots], text.tier[slots]))]
    return slots


def organization_directory(
    viewer: Viewer,
    filters: DirectoryFilters,
    *,
    offset: int = 0,
    limit: int = 24,
    with_facets: bool = True,
    detail: bool = False,
) -> DirectoryResult:
    """Search and filter the organizations the viewer may see, with facet counts.

    Matching, filtering, counting and ordering run on the in-memory facet index (exact, see
    ``facet_index`` and ``text_index``); the database reads only the page's rows.
    """
    if filters.q and not query_terms(filters.q):
        search = _search(viewer, replace(filters, q=""), need_hubs=with_facets)
        search.matching = np.zeros(search.index.size, dtype=bool)
        return DirectoryResult(
            items=[],
            count=0,
            facets=_facets(search, filters) if with_facets else {},
            profile_counts={"verified": 0, "stale": 0},
        )
    search = _search(viewer, filters, need_hubs=with_facets)
    selected = _combine(search.matching, search.masks)
    slots = _page_slots(search, selected, filters)
    page_ids = [int(pk) for pk in search.index.ids[slots[offset : offset + limit]]]
    prefetch = (
        ["sectors", "other_hubs", "technologies", "markets", "target_hubs"]
        if detail
        else ["sectors", "other_hubs"]
    )
    rows = {}
    if page_ids:
        rows = {
            organization.pk: organization
            for organization in Organization.objects.filter(id__in=page_ids)
            .defer("search_text")  # the largest column, only used by the search index
            .select_related("type", "hub", "stage")
            .prefetch_related(*prefetch)
        }
    result = DirectoryResult(
        items=[rows[pk] for pk in page_ids if pk in rows], count=int(np.count_nonzero(selected))
    )
    if with_facets:
        result.facets = _facets(search, filters)
        result.profile_counts = _profile_counts(search, filters)
    return result


def _facets(search: _Search, filters: DirectoryFilters) -> dict[str, list[FacetValue]]:
    index, matching, masks = search.index, search.matching, search.masks
    facets: dict[str, list[FacetValue]] = {}
    hub_base = _combine(matching, masks, "hub")
    home_counts = index.counts("hub", hub_base)
    present_counts = index.other_hubs.counts(hub_base)
    facets["hub"] = [
        FacetValue(
            code=hub.slug,
            label=hub.name,
            count=home_counts.get(hub.pk, 0) + present_counts.get(hub.pk, 0),
            selected=hub.slug in filters.hubs,
        )
        for hub in search.hubs
        if hub.is_active
    ]
    type_counts = index.counts("type", _combine(matching, masks, "type"))
    facets["type"] = _facet_values(Vocabulary.ORGANIZATION_TYPE, type_counts, filters.types)
    stage_counts = index.counts("stage", _combine(matching, masks, "stage"))
    stage_counts.pop(facet_index.NO_STAGE, None)
    facets["stage"] = _facet_values(Vocabulary.STAGE, stage_counts, filters.stages)
    facets["sector"] = _facet_values(
        Vocabulary.SECTOR,
        index.sectors.counts(_combine(matching, masks, "sector")),
        filters.sectors,
    )
    facets["technology"] = _facet_values(
        Vocabulary.TECHNOLOGY,
        index.technologies.counts(_combine(matching, masks, "technology")),
        filters.technologies,
    )
    return facets


def _profile_counts(search: _Search, filters: DirectoryFilters) -> dict[str, int]:
    """How many results are verified and how many stale; each count ignores its own filter."""
    index = search.index
    base = _combine(search.matching, search.masks, "verified", "stale")
    verified = index.verified
    stale = index.stale(_cutoff_us())
    verified_when = (
        verified if filters.stale is None else verified & (stale if filters.stale else ~stale)
    )
    stale_when = (
        stale if filters.verified is None else stale & (verified if filters.verified else ~verified)
    )
    return {
        "verified": int(np.count_nonzero(base & verified_when)),
        "stale": int(np.count_nonzero(base & stale_when)),
    }


def organization_for_viewer(
    viewer: Viewer, *, slug: str | None = None, pk: int | None = None
) -> Organization:
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
        details_visible=viewer.can_see(
            organization.details_visibility, hub_ids=hub_ids, organization_ids=own
        ),
        contact_visible=viewer.can_see(
            organization.contact_visibility, hub_ids=hub_ids, organization_ids=own
        ),
        can_edit=is_admin or is_manager,
        can_verify=is_manager,
        is_member=organization.pk in viewer.organization_ids,
        can_claim=viewer.is_authenticated and not is_admin,
    )


def organization_people(viewer: Viewer, organization: Organization) -> list[Position]:
    """The organization's people that the viewer may see, with their roles."""
    visible_people = people_visible_to(viewer).values("id")
    return list(
        Position.objects.filter(organization=organization, person_id__in=visible_people)
        .select_related("person", "person__hub")
        .order_by("-is_primary", "person__sort_name")
    )


def person_for_viewer(viewer: Viewer, *, slug: str | None = None, pk: int | None = None) -> Person:
    """The person, or the same 404 whether they do not exist or the viewer may not see them."""
    lookup = {"slug": slug} if slug is not None else {"pk": pk}
    person = (
        people_visible_to(viewer)
        .select_related("hub")
        .prefetch_related(
            "expertise",
            Prefetch("positions", queryset=positions_shown_to(viewer), to_attr="shown_positions"),
        )
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
    # The viewer's own organizations are never hidden from them, so the positions shown
    # decide this as well as all of them would.
    own_orgs = {position.organization_id for position in shown_positions(person)}
    is_self = viewer.user_id is not None and person.user_id == viewer.user_id
    return PersonAccess(
        contact_visible=is_self
        or viewer.can_see(
            person.contact_visibility, hub_ids={person.hub_id}, organization_ids=own_orgs
        ),
        can_edit=is_self or viewer.manages_any({person.hub_id}),
    )


@dataclass(frozen=True)
class PeopleFilters:
    q: str = ""
    hubs: Sequence[str] = ()
    expertise: Sequence[str] = ()
    mentors_only: bool = False


def people_directory(
    viewer: Viewer, filters: PeopleFilters, *, offset: int = 0, limit: int = 24
) -> tuple[list[Person], int]:
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
        queryset = queryset.filter(
            id__in=expertise_table.objects.filter(taxonomyterm__code__in=filters.expertise).values(
                "person_id"
            )
        )
    if filters.mentors_only:
        queryset = queryset.filter(is_mentor=True)
    order = ("fts_rank", "sort_name") if filters.q else ("sort_name", "id")
    page: list[Person] = list(
        queryset.select_related("hub")
        .prefetch_related(
            "expertise",
            Prefetch("positions", queryset=positions_shown_to(viewer), to_attr="shown_positions"),
        )
        .order_by(*order)[offset : offset + limit]
    )
    count = queryset.count() if (offset or len(page) == limit) else offset + len(page)
    return page, count


def claims_for_manager(viewer: Viewer) -> QuerySet[OrganizationClaim]:
    """Pending claims on organizations of the hubs the viewer manages."""
    claims = OrganizationClaim.objects.filter(status=ClaimStatus.PENDING).select_related(
        "user", "organization", "organization__hub"
    )
    if viewer.is_staff:
        return claims
    return claims.filter(
        Q(organization__hub_id__in=viewer.managed_hub_ids)
        | Q(organization_id__in=_present_in(viewer.managed_hub_ids))
    )


def claim_for_manager(viewer: Viewer, claim_id: int) -> OrganizationClaim:
    claim = claims_for_manager(viewer).filter(pk=claim_id).first()
    if claim is None:
        raise Http404("claim")
    return claim


def memberships_of(user: Any) -> list[OrganizationMembership]:
    return list(
        OrganizationMembership.objects.filter(user=user).select_related(
            "organization", "organization__type", "organization__hub"
        )
    )


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
    org_counts = dict(
        organizations.values_list("hub_id").annotate(n=Count("id")).values_list("hub_id", "n")
    )
    type_counts: dict[int, dict[int, int]] = {}
    for hub_id, type_id, n in (
        organizations.values_list("hub_id", "type_id")
        .annotate(n=Count("id"))
        .values_list("hub_id", "type_id", "n")
    ):
        type_counts.setdefault(hub_id, {})[type_id] = n
    people = people_visible_to(viewer)
    people_counts = dict(
        people.values_list("hub_id").annotate(n=Count("id")).values_list("hub_id", "n")
    )
    mentor_counts = dict(
        people.filter(is_mentor=True)
        .values_list("hub_id")
        .annotate(n=Count("id"))
        .values_list("hub_id", "n")
    )
    target_table = Organization.target_hubs.through
    reaching: dict[tuple[int, int], int] = {}
    rows = (
        target_table.objects.filter(organization_id__in=organizations.values("id"))
        .values_list("organization__hub_id", "hub_id")
        .annotate(n=Count("organization_id"))
        .values_list("organization__hub_id", "hub_id", "n")  # type: ignore[misc]
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
            reaching_out={
                slugs[target]: n
                for (home, target), n in reaching.items()
                if home == hub.pk and target != hub.pk and target in slugs
            },
        )
        for hub in hubs
    ]


def recently_confirmed(viewer: Viewer, *, limit: int = 6) -> list[Organization]:
    return list(
        organizations_visible_to(viewer)
        .select_related("type", "hub")
        .prefetch_related("sectors")
        .order_by("-created_at", "-id")[:limit]
    )


def profile_facet_counts(viewer: Viewer, filters: DirectoryFilters) -> dict[str, int]:
    """How many results are verified and how many are stale, under every other active filter.

    Each count ignores its own filter (like the other facets) but keeps the other flag's, so
    ticking "verified" still shows how many stale profiles it would leave.
    ``organization_directory`` returns the same numbers as ``profile_counts``.
    """
    if filters.q and not query_terms(filters.q):
        return {"verified": 0, "stale": 0}
    return _profile_counts(_search(viewer, filters, need_hubs=False), filters)


def pending_claim_of(user: Any, organization: Organization) -> OrganizationClaim | None:
    """The user's claim on the organization that awaits a decision, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return OrganizationClaim.objects.filter(
        user=user, organization=organization, status=ClaimStatus.PENDING
    ).first()


def pending_claims_on(viewer: Viewer, organization: Organization) -> int:
    """How many claims on this organization wait for a decision (for its hub managers)."""
    if not viewer.manages_any(organization.hub_ids()):
        return 0
    return OrganizationClaim.objects.filter(
        organization=organization, status=ClaimStatus.PENDING
    ).count()


def claims_of(user: Any, *, limit: int = 20) -> list[OrganizationClaim]:
    """A user's own claims, newest first, with the organization they concern."""
    return list(
        OrganizationClaim.objects.filter(user=user).select_related(
            "organization", "organization__hub", "organization__type"
        )[:limit]
    )


def claims_recently_decided(viewer: Viewer, *, limit: int = 10) -> list[OrganizationClaim]:
    """The latest decided claims on organizations of the hubs the viewer manages."""
    claims = OrganizationClaim.objects.exclude(status=ClaimStatus.PENDING).select_related(
        "user", "organization", "decided_by"
    )
    if not viewer.is_staff:
        claims = claims.filter(
            Q(organization__hub_id__in=viewer.managed_hub_ids)
            | Q(organization_id__in=_present_in(viewer.managed_hub_ids))
        )
    return list(claims.order_by("-decided_at", "-id")[:limit])


def known_codes(vocabularies: str | Sequence[str], codes: Sequence[str]) -> list[str]:
    """The codes that name active terms of the vocabularies (read from the process cache)."""
    names = (vocabularies,) if isinstance(vocabularies, str) else tuple(vocabularies)
    known = {term.code for name in names for term in _terms(name)}
    return [code for code in codes if code in known]


def expertise_choices() -> dict[str, list[TaxonomyTerm]]:
    """Sectors and technologies, the vocabularies people state their expertise in."""
    return {
        Vocabulary.SECTOR: _terms(Vocabulary.SECTOR),
        Vocabulary.TECHNOLOGY: _terms(Vocabulary.TECHNOLOGY),
    }


def claim_in_managed_hubs(viewer: Viewer, claim_id: int) -> OrganizationClaim:
    """A claim (pending or decided) on an organization of a hub the viewer manages, else 404."""
    claims = OrganizationClaim.objects.select_related(
        "user", "organization", "organization__hub", "decided_by"
    )
    if not viewer.is_staff:
        claims = claims.filter(
            Q(organization__hub_id__in=viewer.managed_hub_ids)
            | Q(organization_id__in=_present_in(viewer.managed_hub_ids))
        )
    claim = claims.filter(pk=claim_id).first()
    if claim is None:
        raise Http404("claim")
    return claim
