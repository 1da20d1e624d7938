"""Pinned database query counts of every list and detail endpoint.

A list is measured with full pages of 2 and of 12 items, a detail with few and with many related
rows; the count must be the pinned number both times, so an N+1 query cannot creep in. When a
change legitimately alters a count, update QUERY_COUNTS and say why in the commit.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from puente.directory.facet_index import directory_index
from puente.directory.models import OrganizationClaim
from puente.directory.selectors import taxonomy_changed
from tests.api.conftest import ApiClient, World, token_for
from tests.factories import OrganizationFactory, PersonFactory, UserFactory, add_position, hub, term

pytestmark = pytest.mark.django_db


def _grow(world: World, rows: int) -> None:
    """Add organizations, people, claims and tokens with every relation filled in."""
    miami = hub("miami")
    sectors = [term("sector", code) for code in ("fintech", "agritech", "software")]
    technologies = [term("technology", code) for code in ("ai", "iot")]
    markets = [term("market", code) for code in ("colombia", "united_states")]
    manager = world.user("manager_same_hub")
    for index in range(rows):
        organization = OrganizationFactory(
            name=f"Agro Datos {index}", stage=term("stage", "seed"), sectors=["agritech", "fintech"]
        )
        organization.technologies.set(technologies)
        organization.markets.set(markets)
        organization.other_hubs.set([miami])
        organization.target_hubs.set([miami])
        organization.sectors.set(sectors)
        person = PersonFactory(full_name=f"Persona Agro {index}", is_mentor=True)
        person.expertise.set(sectors[:2])
        add_position(person, organization, "CEO")
        add_position(person, world.organization, f"Advisor {index}")
        claimant = UserFactory()
        OrganizationClaim.objects.create(user=claimant, organization=organization, role_title="CEO")
        token_for(manager, name=f"token {index}")


# Lists take the page size as {limit}.
ENDPOINTS: dict[str, Callable[[World], str]] = {
    "hubs": lambda w: "/hubs",
    "hub": lambda w: "/hubs/medellin",
    "taxonomy": lambda w: "/taxonomy?vocabulary=sector",
    "organizations": lambda w: "/organizations?limit={limit}",
    "organizations-filtered": lambda w: (
        "/organizations?hub=medellin&sector=agritech&technology=ai&stage=seed&type=startup&limit={limit}"
    ),
    "organizations-search": lambda w: "/organizations?q=agro&limit={limit}",
    "organizations-facets": lambda w: "/organizations?facets=true&sector=fintech&limit={limit}",
    "organization": lambda w: f"/organizations/{w.organization.pk}",
    "people": lambda w: "/people?limit={limit}",
    "people-filtered": lambda w: (
        "/people?q=agro&hub=medellin&expertise=fintech&mentor=true&limit={limit}"
    ),
    "person": lambda w: f"/people/{w.person.pk}",
    "claims": lambda w: "/claims?limit={limit}",
    "tokens": lambda w: "/tokens?limit={limit}",
    "me": lambda w: "/me",
}
ACCOUNT_ONLY = {"claims", "tokens", "me"}

# (endpoint, caller) -> queries. A "token" caller is a Medellín hub manager with a bearer token:
# one query reads the token with its user and, where visibility matters, three more learn the
# manager's roles (memberships, hub roles, partnerships). Lists with full pages also count.
QUERY_COUNTS: dict[tuple[str, str], int] = {
    ("hubs", "anonymous"): 2,  # hubs, partnerships
    ("hubs", "token"): 2 + 1,
    ("hub", "anonymous"): 2,
    ("hub", "token"): 2 + 1,
    ("taxonomy", "anonymous"): 1,
    ("taxonomy", "token"): 1 + 1,
    ("organizations", "anonymous"): 7,  # index token, page, 5 prefetches
    ("organizations", "token"): 7 + 4,
    # + known hubs, known terms, hubs, the 4 filtered vocabularies (cold cache)
    ("organizations-filtered", "anonymous"): 14,
    ("organizations-filtered", "token"): 14 + 4,
    ("organizations-search", "anonymous"): 7,  # the words are in the facet index: no query
    ("organizations-search", "token"): 7 + 4,
    ("organizations-facets", "anonymous"): 13,  # + known terms, hubs, 4 vocabularies (cold)
    ("organizations-facets", "token"): 13 + 4,
    ("organization", "anonymous"): 6,  # organization, 5 prefetches
    ("organization", "token"): 6 + 4,
    ("people", "anonymous"): 4,  # page, expertise, positions, count
    ("people", "token"): 4 + 4,
    ("people-filtered", "anonymous"): 6,  # + known hubs, known terms
    ("people-filtered", "token"): 6 + 4,
    ("person", "anonymous"): 3,
    ("person", "token"): 3 + 4,
    ("claims", "token"): 2 + 4,  # page, count
    ("tokens", "token"): 2 + 1,
    ("me", "token"): 3 + 4,  # managed hubs, memberships
}


def _measure(api: ApiClient, path: str, token: str | None) -> int:
    taxonomy_changed()  # measure cold: the taxonomy cache is per process
    # The directory's facet index is rebuilt once after a write (a fixed number of queries,
    # pinned in tests/directory/test_facet_index.py); measure the requests that follow.
    directory_index()
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path, token=token)
    assert response.status == 200, response.data
    if "limit=" in path:  # a full page, so the count query runs too
        assert (
            len(response.data["items"]) == int(path.rsplit("limit=", 1)[1]) < response.data["count"]
        )
    return len(queries)


@pytest.mark.parametrize(
    ("endpoint", "caller"), sorted(QUERY_COUNTS), ids=[f"{e}-{c}" for e, c in sorted(QUERY_COUNTS)]
)
def test_query_count_is_pinned_and_does_not_grow_with_rows(
    api: ApiClient, world: World, endpoint: str, caller: str
) -> None:
    token = world.tokens["manager_same_hub"] if caller == "token" else None
    path = ENDPOINTS[endpoint](world)
    if "{limit}" in path:
        _grow(world, 13)
        counts = (
            _measure(api, path.format(limit=2), token),
            _measure(api, path.format(limit=12), token),
        )
    else:
        _grow(world, 2)
        few = _measure(api, path, token)
        _grow(world, 12)
        counts = (few, _measure(api, path, token))
    assert counts == (QUERY_COUNTS[(endpoint, caller)],) * 2


def test_every_pinned_count_is_measured() -> None:
    measured = {
        (endpoint, caller)
        for endpoint in ENDPOINTS
        for caller in ("anonymous", "token")
        if not (caller == "anonymous" and endpoint in ACCOUNT_ONLY)
    }
    assert measured == set(QUERY_COUNTS)
