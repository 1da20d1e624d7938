"""API of the marketplace, matching and introductions: behaviour and bad input (never a 500)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from puente.introductions.models import IntroductionStatus
from tests.api.conftest import ApiClient, World, token_for
from tests.api.marketplace_world import fund, offer, request
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_search_ranks_items_with_their_explanation(api: ApiClient, world: World) -> None:
    target = offer(world)
    response = api.get("/search?q=seed%20capital%20agritech&type=opportunity&limit=5")
    assert response.status == 200
    item = next(item for item in response.data["items"] if item["id"] == target.pk)
    assert item["type"] == "opportunity"
    assert item["external_id"] == "perm-offer"
    assert isinstance(item["score"], float)
    assert item["explanation"]
    assert {"code", "text", "contribution"} <= set(item["explanation"][0])


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("q=", 422, "empty_query"),
        ("q=%20%20", 422, "empty_query"),
        ("", 422, None),
        (f"q={'a' * 10_000}", 200, None),
        (f"q={'a' * 10_001}", 422, None),
        (f"q={quote('🌱🚀 café')}", 200, None),
        (f"q={quote('Kapital für Landwirtschaft')}", 200, None),
        (f"q={quote('种子资金')}", 200, None),
        ("q=capital&hub=mars", 422, None),
        ("q=capital&type=planet", 422, None),
        ("q=capital&limit=0", 422, None),
        ("q=capital&exclude=organization%3A12&exclude=person%3A3", 200, None),
        ("q=capital&exclude=planet%3A1", 422, None),
        ("q=capital&exclude=organization%3Aabc", 422, None),
        ("q=capital&exclude=organization%3A0", 422, None),
        (f"q=capital&exclude={'organization%3A1' * 40}", 422, None),
        ("q=capital&limit=abc", 422, None),
        ("q=capital&unknown=1", 200, None),
    ],
)
def test_search_bad_input_gets_a_clear_answer(
    api: ApiClient, world: World, query: str, status: int, code: str | None
) -> None:
    response = api.get(f"/search?{query}")
    assert response.status == status, response.data
    if status >= 400:
        assert response.data["message"]
        if code:
            assert response.data["code"] == code


def test_search_leaves_out_the_excluded_items(api: ApiClient, world: World) -> None:
    target = offer(world)
    query = "/search?q=seed%20capital%20agritech&type=opportunity&limit=50"
    assert target.pk in [item["id"] for item in api.get(query).data["items"]]
    response = api.get(f"{query}&exclude=opportunity%3A{target.pk}")
    assert response.status == 200
    assert target.pk not in [item["id"] for item in response.data["items"]]


def test_matches_of_an_opportunity_for_its_members(api: ApiClient, world: World) -> None:
    subject, target = request(world), offer(world)
    token = world.tokens["org_member"]
    response = api.get(f"/opportunities/{subject.pk}/matches?limit=5", token=token, language="es")
    assert response.status == 200
    match = next(item for item in response.data["items"] if item["id"] == target.pk)
    assert "Ofrecen lo que buscas: capital" in [reason["text"] for reason in match["explanation"]]
    for bad in ("limit=0", "limit=51", "limit=x"):
        assert api.get(f"/opportunities/{subject.pk}/matches?{bad}", token=token).status == 422
    assert api.get("/opportunities/99999999/matches", token=token).status == 404
    assert api.get("/opportunities/abc/matches", token=token).status in (404, 422)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"organization": 1},
        {"organization": "x", "side": "offer"},
        {
            "organization": 1,
            "side": "sideways",
            "kind": "capital",
            "title": "T",
            "description": "d",
            "hub": "medellin",
        },
        {
            "organization": 1,
            "side": "offer",
            "kind": "capital",
            "title": "🌱" * 300,
            "description": "d",
            "hub": "medellin",
        },
        {
            "organization": 1,
            "side": "offer",
            "kind": "capital",
            "title": "Título válido",
            "description": "Una descripción suficientemente larga.",
            "hub": "medellin",
            "amount_min": 10,
            "amount_max": 5,
            "currency": "USD",
        },
        {
            "organization": 1,
            "side": "offer",
            "kind": "capital",
            "title": "Título válido",
            "description": "Una descripción suficientemente larga.",
            "hub": "mars",
            "surprise": True,
        },
    ],
)
def test_bad_opportunity_bodies_never_fail(
    api: ApiClient, world: World, body: dict[str, object]
) -> None:
    body = (
        {**body, "organization": world.organization.pk}
        if "organization" in body and body["organization"] == 1
        else body
    )
    response = api.post("/opportunities", body, token=world.tokens["org_member"])
    assert response.status in (403, 422), response.data
    assert response.data["code"]
    assert response.data["message"]


def test_opportunity_crud_and_filters(api: ApiClient, world: World) -> None:
    token = world.tokens["org_admin"]
    created = api.post(
        "/opportunities",
        {
            "organization": world.organization.pk,
            "side": "request",
            "kind": "talent",
            "title": "Desarrolladores de datos",
            "description": "Buscamos desarrolladores de datos en Miami.",
            "hub": "medellin",
            "target_hubs": ["miami"],
            "sectors": ["agritech"],
        },
        token=token,
    )
    assert created.status == 201
    assert created.data["status"] == "draft"
    assert created.data["can_manage"]
    pk = created.data["id"]
    assert api.get(f"/opportunities/{pk}").status == 404  # a draft is invisible to others
    assert api.post(f"/opportunities/{pk}/publish", token=token).data["status"] == "published"
    assert (
        api.patch(f"/opportunities/{pk}", {"title": "Desarrolladoras de datos"}, token=token).data[
            "title"
        ]
        == "Desarrolladoras de datos"
    )
    assert api.patch(f"/opportunities/{pk}", {}, token=token).status == 422
    listed = api.get("/opportunities?side=request&kind=talent&target_hub=miami").data
    assert [item["id"] for item in listed["items"]] == [pk]
    assert api.get("/opportunities?kind=nope").status == 422
    assert api.get("/opportunities?q=" + "x" * 10_000).status == 200
    assert api.post(f"/opportunities/{pk}/archive", token=token).data["status"] == "archived"
    assert api.post(f"/opportunities/{pk}/publish", token=token).status == 422


def test_introduction_loop_through_the_api(api: ApiClient, world: World) -> None:
    investor = make_member(fund(world), language="en")
    investor_token = token_for(investor)[1]
    subject, target = request(world), offer(world)
    founder_token = world.tokens["org_member"]
    sent = api.post(
        "/introductions",
        {
            "requester": world.organization.pk,
            "target_opportunity": target.pk,
            "opportunity": subject.pk,
            "message": "Hola",
        },
        token=founder_token,
    )
    assert sent.status == 201
    assert sent.data["status"] == IntroductionStatus.PENDING
    assert sent.data["contact"] is None
    assert sent.data["explanation"]
    pk = sent.data["id"]
    again = api.post(
        "/introductions",
        {"requester": world.organization.pk, "target": fund(world).pk},
        token=founder_token,
    )
    assert again.status == 409
    assert again.data["code"] == "introduction_exists"
    assert (
        api.post(
            f"/introductions/{pk}/outcomes",
            {"kind": "met", "occurred_on": "2026-01-01"},
            token=founder_token,
        ).status
        == 422
    )
    accepted = api.post(f"/introductions/{pk}/accept", token=investor_token)
    assert accepted.status == 200
    assert accepted.data["status"] == "accepted"
    assert accepted.data["contact"]["organization"] == world.organization.pk
    mine = api.get(f"/introductions/{pk}", token=founder_token).data
    assert mine["contact"]["organization"] == fund(world).pk
    assert mine["contact"]["people"]
    from django.utils import timezone

    outcome = api.post(
        f"/introductions/{pk}/outcomes",
        {
            "kind": "investment",
            "occurred_on": timezone.localdate().isoformat(),
            "amount": "250000",
            "currency": "USD",
        },
        token=founder_token,
    )
    assert outcome.status == 201
    assert outcome.data["kind"] == "investment"
    bad = api.post(
        f"/introductions/{pk}/outcomes",
        {"kind": "investment", "occurred_on": timezone.localdate().isoformat()},
        token=founder_token,
    )
    assert bad.status == 422
    assert bad.data["code"] == "amount_required"
    assert (
        api.post(
            f"/introductions/{pk}/outcomes",
            {"kind": "teleport", "occurred_on": "soon"},
            token=founder_token,
        ).status
        == 422
    )
    assert api.get("/introductions?box=bogus", token=founder_token).status == 422


def test_feedback_hides_an_item_from_search(api: ApiClient, world: World) -> None:
    target = offer(world)
    token = world.tokens["org_member"]
    assert any(
        item["id"] == target.pk
        for item in api.get(
            "/search?q=seed%20capital%20agritech&type=opportunity", token=token
        ).data["items"]
    )
    assert (
        api.post(
            "/feedback",
            {"item_type": "opportunity", "item_id": target.pk, "kind": "already_met"},
            token=token,
        ).status
        == 201
    )
    assert all(
        item["id"] != target.pk
        for item in api.get(
            "/search?q=seed%20capital%20agritech&type=opportunity", token=token
        ).data["items"]
    )
    assert (
        api.post(
            "/feedback", {"item_type": "planet", "item_id": -1, "kind": "love"}, token=token
        ).status
        == 422
    )
    assert api.delete(f"/feedback/opportunity/{target.pk}", token=token).status == 204
    assert any(
        item["id"] == target.pk
        for item in api.get(
            "/search?q=seed%20capital%20agritech&type=opportunity", token=token
        ).data["items"]
    )
