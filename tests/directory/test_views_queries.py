"""Pinned query counts of the directory pages: they must not grow with the number of rows.

Each test renders a page with 3 rows and again with 30, and expects exactly the same number
of queries both times. When a change legitimately adds a query, update the pinned number
and say why in the commit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from puente.directory.models import MembershipRole
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    add_position,
    hub,
    make_member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    # With 3 rows and 30 rows alike the first page is full, so both runs take the same path
    # (a full page also asks for the total count; a short one knows it already).
    from puente.directory import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)


# Queries of a signed-in request before the page's own: session, user, and the viewer's
# memberships, hub roles and hub partnerships.
SIGNED_IN = 5


def grow(total: int) -> None:
    """Bring the directory to ``total`` organizations, each with sectors, a second hub and a person."""
    from puente.directory.models import Organization

    for index in range(Organization.objects.count(), total):
        organization = OrganizationFactory(
            name=f"Org {index:03d}",
            sectors=["fintech", "software"],
            hub=hub("medellin" if index % 2 else "miami"),
        )
        organization.other_hubs.set([hub("miami")])
        person = PersonFactory(full_name=f"Persona {index:03d}", is_mentor=True)
        person.expertise.set(organization.sectors.all())
        add_position(person, organization)


def anonymous() -> Client:
    return Client()


def member() -> Client:
    client = Client()
    client.force_login(UserFactory(home_hub=hub("medellin")))
    return client


def assert_same_queries(
    django_assert_num_queries: Any, client: Client, url: Callable[[], str], expected: int
) -> None:
    for total in (3, 30):
        grow(total)
        address = url()
        assert client.get(address).status_code == 200  # warm the per-process taxonomy cache
        with django_assert_num_queries(expected):
            response = client.get(address)
        assert response.status_code == 200


# The list reads the facet index's token, the hubs, its page and two prefetches (sectors,
# other hubs); a search costs no query (the index holds the words too). Matches, counts,
# facets and filters are computed on the in-memory facet index (rebuilt once after a write:
# see test_facet_index.py).
@pytest.mark.parametrize(
    ("make_client", "query", "expected"),
    [
        (anonymous, "", 5),
        (anonymous, "?q=org", 5),
        (anonymous, "?hub=miami&sector=fintech&sort=name", 5),
        (member, "", SIGNED_IN + 5),
        (member, "?q=org", SIGNED_IN + 5),
        (member, "?hub=miami&sector=fintech&sort=name", SIGNED_IN + 5),
    ],
)
def test_directory_list_queries_do_not_grow(
    django_assert_num_queries: Any, make_client: Callable[[], Client], query: str, expected: int
) -> None:
    assert_same_queries(
        django_assert_num_queries,
        make_client(),
        lambda: reverse("directory:organizations") + query,
        expected,
    )


def test_directory_fragment_costs_the_same_as_the_page(django_assert_num_queries: Any) -> None:
    client = anonymous()
    grow(30)
    url = reverse("directory:organizations") + "?sector=fintech"
    client.get(url)
    with django_assert_num_queries(5):
        response = client.get(url, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()


def _first_organization_url() -> str:
    from puente.directory.models import Organization

    return reverse(
        "directory:organization", args=[Organization.objects.order_by("id").first().slug]
    )  # type: ignore[union-attr]


def _first_person_url() -> str:
    from puente.directory.models import Person

    return reverse("directory:person", args=[Person.objects.order_by("id").first().slug])  # type: ignore[union-attr]


@pytest.mark.parametrize(("make_client", "expected"), [(anonymous, 7), (member, SIGNED_IN + 8)])
def test_organization_detail_queries_do_not_grow(
    django_assert_num_queries: Any, make_client: Callable[[], Client], expected: int
) -> None:
    assert_same_queries(django_assert_num_queries, make_client(), _first_organization_url, expected)


def test_organization_detail_queries_for_its_admin(django_assert_num_queries: Any) -> None:
    grow(3)
    from puente.directory.models import Organization

    organization = Organization.objects.order_by("id").first()
    assert organization is not None
    client = Client()
    client.force_login(make_member(organization, role=MembershipRole.ADMIN))
    url = _first_organization_url()
    client.get(url)
    # The viewer also reads the hubs of the user's organizations; the claim box is not shown.
    with django_assert_num_queries(SIGNED_IN + 2 + 7):
        client.get(url)
    grow(30)
    with django_assert_num_queries(SIGNED_IN + 2 + 7):
        client.get(url)


@pytest.mark.parametrize(
    ("make_client", "query", "expected"),
    [
        (anonymous, "", 5),
        (anonymous, "?q=persona&hub=medellin", 5),
        (member, "", SIGNED_IN + 5),
        (member, "?mentor=1&expertise=fintech", SIGNED_IN + 5),
    ],
)
def test_people_list_queries_do_not_grow(
    django_assert_num_queries: Any, make_client: Callable[[], Client], query: str, expected: int
) -> None:
    assert_same_queries(
        django_assert_num_queries,
        make_client(),
        lambda: reverse("directory:people") + query,
        expected,
    )


@pytest.mark.parametrize(("make_client", "expected"), [(anonymous, 3), (member, SIGNED_IN + 3)])
def test_person_detail_queries_do_not_grow(
    django_assert_num_queries: Any, make_client: Callable[[], Client], expected: int
) -> None:
    assert_same_queries(django_assert_num_queries, make_client(), _first_person_url, expected)
