"""The in-memory facet index: same visibility as the database rule, exact counts, always fresh."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from puente.accounts.viewer import viewer_for
from puente.core.models import Visibility
from puente.directory import facet_index, selectors
from puente.directory.models import Organization, VerificationStatus
from tests.factories import OrganizationFactory, UserFactory, hub, make_manager, make_member, term

pytestmark = pytest.mark.django_db

LEVELS = [Visibility.PUBLIC, Visibility.PARTNER_HUBS, Visibility.MEMBERS, Visibility.PRIVATE]


def _world() -> list[Organization]:
    """Every visibility level x home hub x (present in the other hub or not), with terms."""
    organizations = []
    sectors = ["fintech", "agritech", "software"]
    for number, (level, home, present) in enumerate(
        itertools.product(LEVELS, ("medellin", "miami"), (False, True))
    ):
        organization = OrganizationFactory(
            name=f"Org {number:02d}",
            profile_visibility=level,
            hub=hub(home),
            sectors=[sectors[number % 3], sectors[(number + 1) % 3]]
            if number % 2
            else [sectors[number % 3]],
            type=term("organization_type", "startup" if number % 3 else "investor"),
            stage=term("stage", "seed") if number % 4 == 0 else None,
            verification_status=VerificationStatus.VERIFIED
            if number % 5 == 0
            else VerificationStatus.UNVERIFIED,
        )
        if present:
            organization.other_hubs.set([hub("miami" if home == "medellin" else "medellin")])
        if number % 3 == 0:
            organization.technologies.set([term("technology", "ai")])
        organizations.append(organization)
    return organizations


def _viewers(organizations: list[Organization]) -> dict[str, Any]:
    return {
        "anonymous": viewer_for(None),
        "unverified": viewer_for(UserFactory(home_hub=hub("miami"), email_verified_at=None)),
        "medellin member": viewer_for(UserFactory(home_hub=hub("medellin"))),
        "miami member": viewer_for(UserFactory(home_hub=hub("miami"))),
        "organization member": viewer_for(make_member(organizations[-1], home_hub=None)),
        "miami manager": viewer_for(make_manager("miami")),
        "staff": viewer_for(UserFactory(is_staff=True)),
    }


def test_visible_mask_is_the_visibility_rule_of_the_database() -> None:
    organizations = _world()
    index = facet_index.directory_index()
    for name, viewer in _viewers(organizations).items():
        expected = set(selectors.organizations_visible_to(viewer).values_list("id", flat=True))
        got = {int(pk) for pk in index.ids[facet_index.visible_mask(index, viewer)]}
        assert got == expected, name


@pytest.mark.parametrize(
    "filters",
    [
        selectors.DirectoryFilters(),
        selectors.DirectoryFilters(hubs=["miami"]),
        selectors.DirectoryFilters(hubs=["miami"], sectors=["fintech", "agritech"]),
        selectors.DirectoryFilters(types=["startup"], stages=["seed"]),
        selectors.DirectoryFilters(technologies=["ai"], verified=False),
        selectors.DirectoryFilters(q="cacao", hubs=["medellin"]),
        selectors.DirectoryFilters(stale=False, verified=True),
    ],
)
def test_counts_and_facets_equal_the_database_counts(filters: selectors.DirectoryFilters) -> None:
    organizations = _world()
    for name, viewer in _viewers(organizations).items():
        result = selectors.organization_directory(viewer, filters, limit=3)
        rows = selectors.organizations_visible_to(viewer)
        if filters.q:
            rows = rows.filter(search_text__contains=filters.q)

        def narrowed(skip: str, rows: Any = rows) -> Any:
            if filters.hubs and skip != "hub":
                rows = rows.filter(
                    Q(hub__slug__in=filters.hubs) | Q(other_hubs__slug__in=filters.hubs)
                )
            if filters.types and skip != "type":
                rows = rows.filter(type__code__in=filters.types)
            if filters.stages and skip != "stage":
                rows = rows.filter(stage__code__in=filters.stages)
            if filters.sectors and skip != "sector":
                rows = rows.filter(sectors__code__in=filters.sectors)
            if filters.technologies and skip != "technology":
                rows = rows.filter(technologies__code__in=filters.technologies)
            if filters.verified is not None:
                rows = (
                    rows.filter(verification_status="verified")
                    if filters.verified
                    else rows.exclude(verification_status="verified")
                )
            if filters.stale is not None:
                old = Q(last_confirmed_at__lt=selectors.stale_cutoff())
                rows = rows.filter(old) if filters.stale else rows.exclude(old)
            return rows.distinct()

        everything = narrowed("")
        assert result.count == everything.count(), name
        assert [item.pk for item in result.items] == list(
            everything.order_by("name", "id").values_list("id", flat=True)[:3]
        ) or filters.q, name
        for facet, values in result.facets.items():
            for value in values:
                if facet == "hub":
                    base = narrowed("hub")
                    expected = (
                        base.filter(hub__slug=value.code).count()
                        + base.filter(other_hubs__slug=value.code).count()
                    )
                else:
                    field = {
                        "type": "type__code",
                        "stage": "stage__code",
                        "sector": "sectors__code",
                        "technology": "technologies__code",
                    }[facet]
                    expected = narrowed(facet).filter(**{field: value.code}).count()
                assert value.count == expected, (name, facet, value.code)


def test_the_index_follows_every_kind_of_write() -> None:
    organization = OrganizationFactory(name="Alfa", sectors=["fintech"])
    anonymous = viewer_for(None)

    def fintech() -> int:
        return selectors.organization_directory(
            anonymous, selectors.DirectoryFilters(sectors=["fintech"])
        ).count

    assert fintech() == 1
    OrganizationFactory(name="Beta", sectors=["fintech"])
    assert fintech() == 2
    organization.sectors.remove(term("sector", "fintech"))
    assert fintech() == 1
    organization.sectors.add(term("sector", "fintech"))
    assert fintech() == 2
    Organization.objects.filter(pk=organization.pk).update(profile_visibility=Visibility.PRIVATE)
    assert fintech() == 1
    Organization.objects.filter(name="Beta").delete()
    assert fintech() == 0
    organization.other_hubs.add(hub("miami"))
    assert (
        selectors.organization_directory(
            viewer_for(make_manager("miami")), selectors.DirectoryFilters(hubs=["miami"])
        ).count
        == 1
    )


def test_sorts_follow_the_database_order() -> None:
    _world()
    anonymous = viewer_for(None)
    visible = selectors.organizations_visible_to(anonymous)
    for sort, order in selectors.SORTS.items():
        result = selectors.organization_directory(
            anonymous, selectors.DirectoryFilters(sort=sort), limit=100
        )
        assert [item.pk for item in result.items] == list(
            visible.order_by(*order).values_list("id", flat=True)
        ), sort


def test_recent_order_survives_a_fraction_just_below_the_next_second() -> None:
    """Creation times of .9997 s and, 800 microseconds later, .0005 s of the next second:
    the index must not round the first up a second (SQLite's strftime did, so the index
    put it first where the database puts it second)."""
    earlier = OrganizationFactory(name="Earlier")
    later = OrganizationFactory(name="Later")
    second = dt.datetime(2026, 11, 30, 15, 57, 1, tzinfo=dt.UTC)
    Organization.objects.filter(pk=earlier.pk).update(
        created_at=second + dt.timedelta(microseconds=999_700)
    )
    Organization.objects.filter(pk=later.pk).update(
        created_at=second + dt.timedelta(seconds=1, microseconds=500)
    )
    anonymous = viewer_for(None)
    result = selectors.organization_directory(
        anonymous, selectors.DirectoryFilters(sort="recent"), limit=10
    )
    assert [item.pk for item in result.items] == [later.pk, earlier.pk]


def test_search_orders_by_relevance_and_counts_matches() -> None:
    OrganizationFactory(name="Aaa Cafe")  # the factory's description mentions cacao once
    OrganizationFactory(
        name="Zeta Cacao", tagline="Cacao", description="Cacao fino de aroma: cacao, cacao y cacao."
    )
    OrganizationFactory(name="Otra", description="Servicios contables", tagline="Contabilidad")
    result = selectors.organization_directory(
        viewer_for(None), selectors.DirectoryFilters(q="cacao")
    )
    assert result.count == 2
    assert [item.name for item in result.items] == [
        "Zeta Cacao",
        "Aaa Cafe",
    ]  # relevance before name
    assert (
        selectors.organization_directory(
            viewer_for(None), selectors.DirectoryFilters(q="contables")
        ).count
        == 1
    )


def test_rebuilding_costs_a_fixed_number_of_queries() -> None:
    for total in (2, 20):
        while Organization.objects.count() < total:
            OrganizationFactory(sectors=["fintech"])
        facet_index.forget()
        with CaptureQueriesContext(connection) as queries:
            facet_index.directory_index()
        # token, organizations, sectors, technologies, other hubs, search texts
        assert len(queries) == 6
        with CaptureQueriesContext(connection) as queries:
            facet_index.directory_index()
        assert len(queries) == 1  # only the token when nothing changed


def _snapshot(index: facet_index.DirectoryIndex) -> dict[str, Any]:
    """What the index says, independent of how its slots are numbered."""
    live = index.name_order
    ids = index.ids[live]
    words = {
        q: sorted(int(pk) for pk in index.ids[index.text.search([q]).matched])
        for q in ("org", "cacao", "alfa", "fin", "zzz")
    }
    return {
        "ids by name": list(ids),
        "recent": list(index.ids[index.recent_order]),
        "updated": list(index.ids[index.updated_order]),
        **{name: list(getattr(index, name)[live]) for name in facet_index.SCALARS},
        **{
            name: sorted(
                (int(term), int(pk))
                for row, term in enumerate(getattr(index, name).term_ids)
                for pk in index.ids[getattr(index, name).matrix[row] & index.alive]
            )
            for name, _column in facet_index.TERM_TABLES
        },
        "words": words,
    }


def test_refreshing_after_writes_equals_a_full_build() -> None:
    organizations = _world()
    facet_index.forget()
    facet_index.directory_index()
    with CaptureQueriesContext(connection) as queries:
        facet_index.directory_index()
    assert len(queries) == 1  # nothing changed: the stamp token only
    first = organizations[0]
    first.name = "Alfa Cacao"
    first.search_text = "alfa cacao"
    first.save()
    first.sectors.add(term("sector", "healthtech"))
    organizations[1].delete()
    OrganizationFactory(name="Zulu Cacao", sectors=["fintech"], description="cacao")
    Organization.objects.filter(pk=organizations[2].pk).update(
        verification_status=VerificationStatus.VERIFIED, profile_visibility=Visibility.PRIVATE
    )
    organizations[3].other_hubs.clear()
    # Moves in the "updated" order; two organizations with the same date order by id.
    moment = organizations[5].last_confirmed_at
    Organization.objects.filter(pk__in=[organizations[4].pk, organizations[6].pk]).update(
        last_confirmed_at=moment
    )
    Organization.objects.filter(pk=organizations[7].pk).update(
        last_confirmed_at=timezone.now() - dt.timedelta(days=800)
    )
    refreshed = facet_index.directory_index()
    assert refreshed.text.changed  # applied row by row, not rebuilt
    facet_index.forget()
    assert _snapshot(refreshed) == _snapshot(facet_index.directory_index())


def test_a_rolled_back_write_the_index_saw_is_forgotten() -> None:
    OrganizationFactory(name="Alfa", sectors=["fintech"])
    anonymous = viewer_for(None)

    def fintech() -> list[str]:
        result = selectors.organization_directory(
            anonymous, selectors.DirectoryFilters(sectors=["fintech"])
        )
        return [item.name for item in result.items]

    assert fintech() == ["Alfa"]
    seen_inside = []

    def write_then_fail() -> None:
        with transaction.atomic():
            OrganizationFactory(name="Beta", sectors=["fintech"])
            seen_inside.extend(fintech())
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert seen_inside == ["Alfa", "Beta"]
    assert fintech() == ["Alfa"]
    OrganizationFactory(name="Gamma", sectors=["fintech"])  # numbered after the rolled-back one
    assert fintech() == ["Alfa", "Gamma"]
