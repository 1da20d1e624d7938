"""Matches shown to members are remembered once per (organization, item) and counted as the
"matches shown" KPI, from the subject organization's hub to the matched item's hub."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from puente.accounts.viewer import viewer_for
from puente.impact.computation import Quarter
from puente.impact.models import ActivityKind as K
from puente.impact.models import ActivityRecord
from puente.impact.selectors import Direction, Scope, build_dashboard
from puente.impact.services import activity_sync_existing
from puente.matching import selectors, services
from puente.matching.models import MatchImpression
from tests.factories import OrganizationFactory, hub, make_manager, make_member, term
from tests.impact.conftest import partnership
from tests.marketplace.helpers import post_opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    partnership()
    startup = OrganizationFactory(
        name="Cafetal Digital", type=term("organization_type", "startup"), hub=hub("medellin")
    )
    fund = OrganizationFactory(
        name="Biscayne Seed Fund", hub=hub("miami"), type=term("organization_type", "investor")
    )
    local_fund = OrganizationFactory(
        name="Fondo Antioquia", hub=hub("medellin"), type=term("organization_type", "investor")
    )
    request = post_opportunity(
        startup,
        side="request",
        title="Seed capital for agritech wanted",
        description="Agritech startup from Medellín looks for seed capital to reach Miami.",
        sectors=["agritech"],
    )
    offer = post_opportunity(fund, sectors=["agritech"])
    local_offer = post_opportunity(
        local_fund,
        title="Seed capital for agritech in Antioquia",
        description="We invest seed capital in agritech startups from Antioquia.",
        sectors=["agritech"],
    )
    return {
        "startup": startup,
        "fund": fund,
        "local_fund": local_fund,
        "request": request,
        "offer": offer,
        "local_offer": local_offer,
    }


def shown_facts() -> set[tuple[Any, ...]]:
    return set(
        ActivityRecord.objects.filter(kind=K.MATCH_SHOWN).values_list(
            "source_id",
            "hub__slug",
            "organization_id",
            "partner_organization_id",
            "origin_hub__slug",
            "destination_hub__slug",
        )
    )


def matches_url(world: dict[str, Any]) -> str:
    return reverse("marketplace:matches", kwargs={"pk": world["request"].pk})


def test_a_member_seeing_matches_records_each_pair_once_with_its_direction(
    client: Client, world: dict[str, Any]
) -> None:
    member = make_member(world["startup"])
    client.force_login(member)
    page = client.get(matches_url(world)).content.decode()
    assert world["offer"].title in page
    assert world["local_offer"].title in page

    impressions = {
        (i.item_type, i.item_id): i
        for i in MatchImpression.objects.filter(organization=world["startup"])
    }
    assert set(impressions) >= {
        ("opportunity", world["offer"].pk),
        ("opportunity", world["local_offer"].pk),
    }
    abroad = impressions[("opportunity", world["offer"].pk)]
    at_home = impressions[("opportunity", world["local_offer"].pk)]
    assert abroad.user_id is None
    assert abroad.matched_organization == world["fund"]
    facts = shown_facts()
    assert len(facts) == len(impressions)
    startup, fund, local = world["startup"].pk, world["fund"].pk, world["local_fund"].pk
    assert (str(abroad.pk), "medellin", startup, fund, "medellin", "miami") in facts
    assert (str(at_home.pk), "medellin", startup, local, None, None) in facts

    # Seen again, by the same member or a colleague: nothing new.
    client.get(matches_url(world))
    client.force_login(make_member(world["startup"]))
    client.get(matches_url(world))
    assert MatchImpression.objects.count() == len(impressions)
    assert shown_facts() == facts

    quarter = Quarter.of_moment(timezone.now(), hub("medellin").zone)
    board = build_dashboard(
        quarter=quarter, scope=Scope(direction=Direction(hub("medellin"), hub("miami")))
    )
    abroad_count = sum(
        1 for i in impressions.values() if i.matched_organization.hub_id == hub("miami").pk
    )
    assert abroad_count >= 1
    assert board.row("matches_shown").value.value == abroad_count


def test_the_api_records_matches_shown_like_the_page(client: Client, world: dict[str, Any]) -> None:
    member = make_member(world["startup"])
    viewer = viewer_for(member)
    results = selectors.opportunity_matches(viewer, world["request"], limit=10)
    assert services.matches_shown_record(viewer=viewer, subject=world["request"], results=results)
    assert (
        services.matches_shown_record(viewer=viewer, subject=world["request"], results=results) == 0
    )
    # A hub manager who is not a member is counted on their own account, once too.
    manager = make_manager("medellin")
    manager_viewer = viewer_for(manager)
    assert services.matches_shown_record(
        viewer=manager_viewer, subject=world["request"], results=results
    ) == len(results)
    assert MatchImpression.objects.filter(user=manager, organization=None).count() == len(results)
    # Anonymous viewers are never counted.
    assert (
        services.matches_shown_record(
            viewer=viewer_for(None), subject=world["request"], results=results
        )
        == 0
    )


def test_search_results_are_not_counted_as_matches_shown(
    client: Client, world: dict[str, Any]
) -> None:
    client.force_login(make_member(world["startup"]))
    page = client.get(reverse("matching:search"), {"q": "seed capital agritech"})
    assert page.status_code == 200
    assert MatchImpression.objects.count() == 0


def test_seeing_the_matches_again_costs_one_extra_query_and_the_first_time_four(
    client: Client, world: dict[str, Any]
) -> None:
    client.force_login(make_member(world["startup"]))
    with CaptureQueriesContext(connection) as first:
        client.get(matches_url(world))
    with CaptureQueriesContext(connection) as again:
        client.get(matches_url(world))
    impression_queries = [
        q["sql"] for q in first.captured_queries if "matching_matchimpression" in q["sql"]
    ]
    fact_inserts = [
        q["sql"]
        for q in first.captured_queries
        if q["sql"].startswith("INSERT") and "impact_activityrecord" in q["sql"]
    ]
    # Read what was seen, insert the new pairs, read them back; one insert of facts.
    assert len(impression_queries) == 3
    assert len(fact_inserts) == 1
    # Seen again: the page costs 19 queries as before, plus the one reading what was seen (the
    # subject comes from the engine; visibility is checked on keys, then the page's rows read).
    assert len(again.captured_queries) == 20
    assert len([q for q in again.captured_queries if "matching_matchimpression" in q["sql"]]) == 1
    assert not [q for q in again.captured_queries if "impact_activityrecord" in q["sql"]]


def test_the_backfill_rebuilds_the_same_match_facts(client: Client, world: dict[str, Any]) -> None:
    client.force_login(make_member(world["startup"]))
    client.get(matches_url(world))
    recorded = shown_facts()
    assert recorded
    ActivityRecord.objects.filter(kind=K.MATCH_SHOWN).delete()
    assert activity_sync_existing(sources=["matching.matchimpression"]) == len(recorded)
    assert shown_facts() == recorded
