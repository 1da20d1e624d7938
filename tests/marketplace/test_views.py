"""Marketplace pages: browse with filters, read, post, manage, express interest, matches."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from puente.marketplace.models import ExpressionOfInterest, Opportunity, Status
from puente.matching.models import MatchFeedback
from tests.factories import OrganizationFactory, UserFactory, hub, make_member, term
from tests.marketplace.helpers import post_opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    startup = OrganizationFactory(
        name="Cafetal Digital",
        type=term("organization_type", "startup"),
        stage=term("stage", "seed"),
    )
    fund = OrganizationFactory(
        name="Biscayne Seed Fund",
        hub=hub("miami"),
        type=term("organization_type", "investor"),
        description_language="en",
    )
    request = post_opportunity(
        startup,
        side="request",
        language="es",
        title="Buscamos capital semilla para agritech",
        description="Startup de agritech en Medellín busca capital semilla para llegar a Miami.",
        target_hubs=["miami"],
        sectors=["agritech"],
        stages=["seed"],
    )
    offer = post_opportunity(fund, sectors=["agritech"], stages=["seed"], target_hubs=["medellin"])
    return {"startup": startup, "fund": fund, "request": request, "offer": offer}


def test_browse_filters_by_side_kind_sector_and_direction(
    client: Client, world: dict[str, Any]
) -> None:
    url = reverse("marketplace:list")
    page = client.get(url).content.decode()
    assert world["request"].title in page
    assert world["offer"].title in page
    only_offers = client.get(url, {"side": "offer"}).content.decode()
    assert world["offer"].title in only_offers
    assert world["request"].title not in only_offers
    medellin_to_miami = client.get(url, {"direction": "medellin>miami"}).content.decode()
    assert world["request"].title in medellin_to_miami
    assert world["offer"].title not in medellin_to_miami
    assert (
        world["offer"].title
        in client.get(
            url, {"kind": "capital", "sector": "agritech", "stage": "seed"}
        ).content.decode()
    )
    assert (
        "No opportunities match"
        in client.get(url, {"sector": "fintech"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "x" * 10_000},
        {"q": "🌱🚀"},
        {"q": "\x00"},
        {"kind": "nope", "direction": "mars>moon", "side": "both", "page": "-4"},
        {"stage": ["a"] * 100},
    ],
)
def test_bad_input_on_the_list_never_fails(
    client: Client, world: dict[str, Any], params: dict[str, Any]
) -> None:
    assert client.get(reverse("marketplace:list"), params).status_code == 200


def test_list_queries_do_not_grow_with_results(
    client: Client, django_assert_max_num_queries: Any, world: dict[str, Any]
) -> None:
    for index in range(12):
        post_opportunity(
            world["fund"],
            title=f"Offer number {index}",
            description="Another investor offer for agritech founders.",
            sectors=["agritech", "fintech"],
            target_hubs=["medellin"],
        )
    with django_assert_max_num_queries(12):
        response = client.get(reverse("marketplace:list"))
    assert response.content.decode().count("opp-card ") == 14


def test_search_on_the_list_finds_words_in_either_language(
    client: Client, world: dict[str, Any]
) -> None:
    page = client.get(reverse("marketplace:list"), {"q": "semilla"}).content.decode()
    assert world["request"].title in page
    assert world["offer"].title not in page


def test_members_post_a_request_and_see_its_matches_with_reasons(
    client: Client, world: dict[str, Any]
) -> None:
    member = make_member(world["startup"], language="es")
    client.force_login(member)
    response = client.post(
        reverse("marketplace:create"),
        {
            "organization": world["startup"].pk,
            "side": "request",
            "kind": "capital",
            "title": "Capital semilla para nuestra plataforma agrícola",
            "description": "Buscamos inversión semilla para crecer la plataforma de trazabilidad del café.",
            "language": "es",
            "hub": "medellin",
            "target_hubs": ["miami"],
            "sectors": ["agritech"],
            "visibility": "public",
            "publish": "1",
        },
        HTTP_ACCEPT_LANGUAGE="es",
    )
    created = Opportunity.objects.get(title="Capital semilla para nuestra plataforma agrícola")
    assert response.status_code == 302
    assert response["Location"] == reverse("marketplace:detail", kwargs={"pk": created.pk})
    assert created.status == Status.PUBLISHED
    assert created.created_by == member
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert world["offer"].title in page
    assert "Ofrecen lo que buscas: capital" in page
    assert "Mismo sector: Agrotecnología y alimentos" in page
    assert "Solicitar una presentación" in page


def test_outsiders_cannot_post_for_an_organization(client: Client, world: dict[str, Any]) -> None:
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(reverse("marketplace:create")).status_code == 403
    other = make_member(OrganizationFactory())
    client.force_login(other)
    response = client.post(
        reverse("marketplace:create"),
        {
            "organization": world["startup"].pk,
            "side": "offer",
            "kind": "capital",
            "title": "Hijacked offer",
            "description": "x" * 40,
            "language": "en",
            "hub": "medellin",
            "visibility": "public",
        },
    )
    assert response.status_code == 200
    assert not Opportunity.objects.filter(title="Hijacked offer").exists()


def test_owners_edit_publish_renew_archive(client: Client, world: dict[str, Any]) -> None:
    member = make_member(world["startup"])
    draft = post_opportunity(
        world["startup"],
        publish=False,
        title="Talento de datos",
        kind="talent",
        language="es",
        description="Buscamos científicos de datos para un proyecto agrícola.",
    )
    client.force_login(member)
    edit = reverse("marketplace:edit", kwargs={"pk": draft.pk})
    assert client.get(edit).status_code == 200
    from puente.marketplace.forms import opportunity_initial

    data = {
        key: value for key, value in opportunity_initial(draft).items() if value not in (None, "")
    }
    data["title"] = "Talento en ciencia de datos"
    assert client.post(edit, data).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Talento en ciencia de datos"
    for action, status in (
        ("publish", Status.PUBLISHED),
        ("renew", Status.PUBLISHED),
        ("archive", Status.ARCHIVED),
    ):
        client.post(reverse("marketplace:action", kwargs={"pk": draft.pk, "action": action}))
        draft.refresh_from_db()
        assert draft.status == status
    assert (
        client.post(
            reverse("marketplace:action", kwargs={"pk": draft.pk, "action": "explode"})
        ).status_code
        == 403
    )
    stranger = make_member(OrganizationFactory())
    client.force_login(stranger)
    assert (
        client.post(
            reverse("marketplace:action", kwargs={"pk": world["request"].pk, "action": "archive"})
        ).status_code
        == 403
    )
    assert (
        client.get(reverse("marketplace:edit", kwargs={"pk": world["request"].pk})).status_code
        == 403
    )


def test_drafts_are_invisible_to_others(client: Client, world: dict[str, Any]) -> None:
    draft = post_opportunity(world["startup"], publish=False, title="Borrador secreto")
    assert client.get(reverse("marketplace:detail", kwargs={"pk": draft.pk})).status_code == 404
    assert client.get(reverse("marketplace:detail", kwargs={"pk": 10**12})).status_code == 404


def test_matches_are_shown_only_to_the_owners(client: Client, world: dict[str, Any]) -> None:
    url = reverse("marketplace:detail", kwargs={"pk": world["request"].pk})
    assert world["offer"].title not in client.get(url).content.decode()
    client.force_login(make_member(OrganizationFactory()))
    assert (
        client.get(reverse("marketplace:matches", kwargs={"pk": world["request"].pk})).status_code
        == 403
    )


def test_members_express_interest_once(
    client: Client,
    world: dict[str, Any],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    owner = make_member(world["fund"], language="en")
    interested = make_member(world["startup"])
    client.force_login(interested)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("marketplace:interest", kwargs={"pk": world["offer"].pk}),
            {"organization": world["startup"].pk, "message": "Nos interesa mucho"},
        )
    assert (
        ExpressionOfInterest.objects.filter(
            opportunity=world["offer"], organization=world["startup"]
        ).count()
        == 1
    )
    assert [message.to for message in mailoutbox] == [[owner.email]]
    assert "Cafetal Digital is interested" in mailoutbox[0].subject
    client.post(
        reverse("marketplace:interest", kwargs={"pk": world["offer"].pk}),
        {"organization": world["startup"].pk},
    )
    assert ExpressionOfInterest.objects.filter(opportunity=world["offer"]).count() == 1
    client.force_login(owner)
    assert (
        "Nos interesa mucho"
        in client.get(
            reverse("marketplace:detail", kwargs={"pk": world["offer"].pk})
        ).content.decode()
    )


def test_feedback_hides_a_match_for_good(client: Client, world: dict[str, Any]) -> None:
    member = make_member(world["startup"])
    client.force_login(member)
    response = client.post(
        reverse("matching:feedback"),
        {"item_type": "opportunity", "item_id": world["offer"].pk, "kind": "not_relevant"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'id="match-opportunity-{world["offer"].pk}"' in response.content.decode()
    assert MatchFeedback.objects.filter(
        user=member, item_id=world["offer"].pk, kind="not_relevant"
    ).exists()
    page = client.get(
        reverse("marketplace:matches", kwargs={"pk": world["request"].pk})
    ).content.decode()
    assert world["offer"].title not in page
    assert (
        client.post(
            reverse("matching:feedback"),
            {"item_type": "planet", "item_id": "-1", "kind": "love"},
            HTTP_HX_REQUEST="true",
        ).status_code
        == 400
    )


@pytest.mark.parametrize(
    "next_url", ["-1", "{}", "10000-01-01", "9999-12-31T23:59", "//evil.example/", "\\x00"]
)
def test_feedback_without_htmx_goes_back_only_to_a_path_on_this_site(
    client: Client, world: dict[str, Any], next_url: str
) -> None:
    """A ``next`` that is no path (``-1`` used to reach Django's URL-name lookup: 500)."""
    client.force_login(make_member(world["startup"]))
    for kind in ("not_relevant", "love"):  # a recorded feedback, and a refused one
        response = client.post(
            reverse("matching:feedback"),
            {
                "item_type": "opportunity",
                "item_id": world["offer"].pk,
                "kind": kind,
                "next": next_url,
            },
        )
        assert response.status_code == 302
        assert response["Location"] == "/"
    response = client.post(
        reverse("matching:feedback"),
        {
            "item_type": "opportunity",
            "item_id": world["offer"].pk,
            "kind": "already_met",
            "next": "/search/?q=agritech",
        },
    )
    assert response["Location"] == "/search/?q=agritech"


def test_search_page_ranks_every_kind_and_survives_bad_input(
    client: Client, world: dict[str, Any]
) -> None:
    page = client.get(
        reverse("matching:search"), {"q": "capital semilla agritech"}
    ).content.decode()
    assert world["offer"].title in page or world["request"].title in page
    for q in ("", " ", "x" * 10_000, "🌱🌱", "\x00"):
        assert (
            client.get(
                reverse("matching:search"), {"q": q, "type": "bogus", "hub": "mars"}
            ).status_code
            == 200
        )


def test_a_public_opportunity_of_a_hidden_organization_does_not_link_to_its_404(
    client: Client,
) -> None:
    hidden = OrganizationFactory(name="Sigilo Labs", profile_visibility="private")
    opportunity = post_opportunity(hidden)
    url = reverse("marketplace:detail", args=[opportunity.pk])
    html = client.get(url).content.decode()
    assert "Sigilo Labs" in html  # the poster is named on its own opportunity
    assert reverse("directory:organization", args=[hidden.slug]) not in html
    shown = post_opportunity(OrganizationFactory(name="Cafetal Digital"))
    html = client.get(reverse("marketplace:detail", args=[shown.pk])).content.decode()
    assert reverse("directory:organization", args=[shown.organization.slug]) in html
