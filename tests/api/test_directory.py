"""What API users of the directory see and change: filters, visibility, edits, claims, people."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from puente.core.models import Visibility
from puente.directory.models import (
    MembershipRole,
    Organization,
    OrganizationMembership,
    Position,
    VerificationStatus,
)
from tests.api.conftest import ApiClient, World, token_for
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    add_position,
    hub,
    make_manager,
    term,
)

pytestmark = pytest.mark.django_db


def names(response: object) -> list[str]:
    return [item.get("name") or item.get("full_name") for item in response.data["items"]]  # type: ignore[attr-defined]


@pytest.fixture
def directory(db: None) -> dict[str, Organization]:
    miami = hub("miami")
    return {
        "cafe": OrganizationFactory(
            name="Café Trazable",
            sectors=["agritech"],
            stage=term("stage", "seed"),
            external_id="crm-1",
        ),
        "pagos": OrganizationFactory(
            name="Pagos Andinos",
            sectors=["fintech"],
            verification_status=VerificationStatus.VERIFIED,
        ),
        "bay": OrganizationFactory(
            name="Biscayne Ventures",
            hub=miami,
            type=term("organization_type", "investor"),
            description="Seed fund for Latin American fintech.",
            description_language="en",
            sectors=["fintech"],
        ),
        "old": OrganizationFactory(
            name="Old Logistics",
            sectors=["logistics"],
            last_confirmed_at=timezone.now() - dt.timedelta(days=400),
        ),
        "hidden": OrganizationFactory(name="Stealth Labs", profile_visibility=Visibility.PRIVATE),
    }


def test_lists_answer_items_and_count(api: ApiClient, directory: dict[str, Organization]) -> None:
    response = api.get("/organizations?limit=2")
    assert response.status == 200
    assert response.data["count"] == 4  # the private one is not counted for a visitor
    assert names(response) == ["Biscayne Ventures", "Café Trazable"]
    assert names(api.get("/organizations?limit=2&offset=2")) == ["Old Logistics", "Pagos Andinos"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hub=miami", ["Biscayne Ventures"]),
        ("type=investor", ["Biscayne Ventures"]),
        ("sector=fintech", ["Biscayne Ventures", "Pagos Andinos"]),
        ("sector=fintech&hub=medellin", ["Pagos Andinos"]),
        ("sector=agritech&sector=logistics", ["Café Trazable", "Old Logistics"]),
        ("stage=seed", ["Café Trazable"]),
        ("verified=true", ["Pagos Andinos"]),
        ("stale=true", ["Old Logistics"]),
        ("q=trazable", ["Café Trazable"]),
        ("q=fintech&sort=name", ["Biscayne Ventures", "Pagos Andinos"]),
        ("q=agrotecnologia", ["Café Trazable"]),  # the Spanish label of the sector, without accents
        ("external_id=crm-1", ["Café Trazable"]),
        ("sort=-name", ["Pagos Andinos", "Old Logistics", "Café Trazable", "Biscayne Ventures"]),
    ],
)
def test_organization_filters(
    api: ApiClient, directory: dict[str, Organization], query: str, expected: list[str]
) -> None:
    response = api.get(f"/organizations?{query}")
    assert response.status == 200, response.data
    assert names(response) == expected
    assert response.data["count"] == len(expected)


def test_facets_count_the_whole_result(api: ApiClient, directory: dict[str, Organization]) -> None:
    response = api.get("/organizations?facets=true&sector=fintech", language="es")
    facets = response.data["facets"]
    assert {value["code"]: value["count"] for value in facets["hub"]} == {"medellin": 1, "miami": 1}
    fintech = next(value for value in facets["sector"] if value["code"] == "fintech")
    assert fintech["selected"] is True
    assert fintech["label"] == "Fintech"
    assert api.get("/organizations").data["facets"] is None


def test_labels_follow_the_callers_language(
    api: ApiClient, directory: dict[str, Organization]
) -> None:
    cafe = directory["cafe"].pk
    assert api.get(f"/organizations/{cafe}", language="es").data["sectors"] == [
        {"code": "agritech", "label": "Agrotecnología y alimentos"}
    ]
    assert api.get(f"/organizations/{cafe}", language="en").data["sectors"] == [
        {"code": "agritech", "label": "Agritech and food"}
    ]


def test_contact_details_are_never_shown_to_visitors(
    api: ApiClient, directory: dict[str, Organization]
) -> None:
    cafe = directory["cafe"]
    public = api.get(f"/organizations/{cafe.pk}").data
    assert public["contact_visible"] is False
    assert public["email"] is None
    assert public["phone"] is None
    _token, member_token = token_for(UserFactory(home_hub=hub("medellin")))
    member_view = api.get(f"/organizations/{cafe.pk}", token=member_token).data
    assert member_view["email"] == cafe.email
    _token, miami_token = token_for(UserFactory(home_hub=hub("miami")))
    assert api.get(f"/organizations/{cafe.pk}", token=miami_token).data["email"] is None


def test_hidden_and_missing_organizations_get_the_same_404(
    api: ApiClient, directory: dict[str, Organization]
) -> None:
    hidden = api.get(f"/organizations/{directory['hidden'].pk}")
    missing = api.get("/organizations/987654")
    assert hidden.status == missing.status == 404
    assert hidden.data == missing.data
    _token, manager_token = token_for(make_manager("medellin"))
    assert api.get(f"/organizations/{directory['hidden'].pk}", token=manager_token).status == 200


def test_a_manager_creates_an_organization_with_every_relation(
    api: ApiClient, world: World
) -> None:
    body = {
        "name": "Laboratorio Río",
        "type": "university",
        "hub": "medellin",
        "other_hubs": ["miami"],
        "description": "Investigación en e-Ciencia.",
        "description_language": "es",
        "description_translation": "Research in e-Science.",
        "description_translation_language": "en",
        "sectors": ["healthtech", "biotech"],
        "technologies": ["e_science"],
        "markets": ["united_states"],
        "target_hubs": ["miami"],
        "stage": "established",
        "founded_year": 1998,
        "website": "labrio.example.org",
        "email": "hola@labrio.example.org",
        "external_id": "uni-42",
    }
    response = api.post("/organizations", body, token=world.tokens["manager_same_hub"])
    assert response.status == 201, response.data
    data = response.data
    assert data["external_id"] == "uni-42"
    assert data["other_hubs"] == ["miami"]
    assert data["target_hubs"] == ["miami"]
    assert {item["code"] for item in data["sectors"]} == {"healthtech", "biotech"}
    assert data["website"] == "https://labrio.example.org"
    assert data["email"] == "hola@labrio.example.org"  # the manager may see contacts
    assert names(api.get("/organizations?external_id=uni-42")) == ["Laboratorio Río"]
    duplicate = api.post(
        "/organizations", {**body, "name": "Otro"}, token=world.tokens["manager_same_hub"]
    )
    assert duplicate.status == 422
    assert {error["field"] for error in duplicate.data["errors"]} == {"external_id"}


def test_a_manager_cannot_add_organizations_to_another_hub(api: ApiClient, world: World) -> None:
    response = api.post(
        "/organizations",
        {"name": "Otra", "type": "startup", "hub": "miami"},
        token=world.tokens["manager_same_hub"],
    )
    assert response.status == 403
    assert not Organization.objects.filter(name="Otra").exists()


def test_a_patch_changes_only_the_fields_sent(api: ApiClient, world: World) -> None:
    organization = world.organization
    response = api.patch(
        f"/organizations/{organization.pk}",
        {"sectors": ["fintech", "software"], "city": "Envigado"},
        token=world.tokens["org_admin"],
    )
    assert response.status == 200, response.data
    assert {item["code"] for item in response.data["sectors"]} == {"fintech", "software"}
    assert response.data["city"] == "Envigado"
    assert response.data["name"] == "Café Trazable"
    assert response.data["stage"] == {"code": "seed", "label": "Seed"}
    organization.refresh_from_db()
    assert organization.tagline == "Software para el agro colombiano"


def test_an_invalid_patch_changes_nothing(api: ApiClient, world: World) -> None:
    year = timezone.now().year + 1
    response = api.patch(
        f"/organizations/{world.organization.pk}",
        {"founded_year": year, "city": "Envigado", "contact_visibility": "public"},
        token=world.tokens["org_admin"],
    )
    assert response.status == 422
    assert {error["field"] for error in response.data["errors"]} == {
        "founded_year",
        "contact_visibility",
    }
    world.organization.refresh_from_db()
    assert world.organization.city == ""


def test_an_admin_cannot_move_the_organization_to_another_hub(api: ApiClient, world: World) -> None:
    response = api.patch(
        f"/organizations/{world.organization.pk}", {"hub": "miami"}, token=world.tokens["org_admin"]
    )
    assert response.status == 403
    world.organization.refresh_from_db()
    assert world.organization.hub.slug == "medellin"


def test_verification_and_confirmation_show_in_the_profile(api: ApiClient, world: World) -> None:
    Organization.objects.filter(pk=world.organization.pk).update(
        last_confirmed_at=timezone.now() - dt.timedelta(days=500)
    )
    url = f"/organizations/{world.organization.pk}"
    assert api.get(url).data["is_stale"] is True
    confirmed = api.post(f"{url}/confirmation", token=world.tokens["org_admin"])
    assert confirmed.data["is_stale"] is False
    verified = api.post(
        f"{url}/verification", {"verified": True}, token=world.tokens["manager_same_hub"]
    )
    assert verified.data["is_verified"] is True
    assert verified.data["verification_status"] == "verified"
    withdrawn = api.post(
        f"{url}/verification", {"verified": False}, token=world.tokens["manager_same_hub"]
    )
    assert withdrawn.data["is_verified"] is False


def test_a_claim_approved_by_the_hub_makes_the_claimant_an_admin(
    api: ApiClient, world: World
) -> None:
    claimant_token = world.tokens["member_without_org"]
    claimed = api.post(
        f"/organizations/{world.organization.pk}/claims",
        {"role_title": "Cofundadora"},
        token=claimant_token,
    )
    assert claimed.status == 201
    assert claimed.data["status"] == "pending"
    # Before approval the claimant cannot edit the profile.
    assert (
        api.patch(
            f"/organizations/{world.organization.pk}", {"city": "Rionegro"}, token=claimant_token
        ).status
        == 403
    )

    pending = api.get("/claims", token=world.tokens["manager_same_hub"])
    assert {item["id"] for item in pending.data["items"]} == {world.claim.pk, claimed.data["id"]}
    assert api.get("/claims", token=world.tokens["manager_other_hub"]).data == {
        "items": [],
        "count": 0,
    }

    decided = api.post(
        f"/claims/{claimed.data['id']}/decision",
        {"approve": True},
        token=world.tokens["manager_same_hub"],
    )
    assert decided.status == 200
    assert decided.data["status"] == "approved"
    assert (
        OrganizationMembership.objects.get(
            user=world.user("member_without_org"), organization=world.organization
        ).role
        == MembershipRole.ADMIN
    )
    assert (
        api.patch(
            f"/organizations/{world.organization.pk}", {"city": "Rionegro"}, token=claimant_token
        ).status
        == 200
    )
    again = api.post(
        f"/claims/{claimed.data['id']}/decision",
        {"approve": False},
        token=world.tokens["manager_same_hub"],
    )
    assert again.status == 404  # decided claims leave the queue


def test_people_filters_and_positions(api: ApiClient, world: World) -> None:
    miami_person = PersonFactory(full_name="Daniel Brooks", hub=hub("miami"), is_mentor=True)
    miami_person.expertise.set([term("technology", "ai")])
    add_position(world.person, world.organization, "CEO")
    assert names(api.get("/people?hub=miami")) == ["Daniel Brooks"]
    assert names(api.get("/people?mentor=true")) == ["Daniel Brooks", "Mentor Mentora"]
    assert names(api.get("/people?expertise=ai")) == ["Daniel Brooks"]
    assert names(api.get("/people?q=lucia")) == ["Lucía Restrepo"]
    detail = api.get(f"/people/{world.person.pk}").data
    assert detail["positions"] == [
        {
            "organization_id": world.organization.pk,
            "organization_name": "Café Trazable",
            "title": "CEO",
        }
    ]
    assert detail["email"] is None


def test_a_person_edits_their_own_profile_but_not_others(api: ApiClient, world: World) -> None:
    own = world.user("mentor").person  # type: ignore[attr-defined]
    response = api.patch(
        f"/people/{own.pk}",
        {"headline": "Mentora de agritech", "languages": ["es", "en"]},
        token=world.tokens["mentor"],
    )
    assert response.status == 200, response.data
    assert response.data["headline"] == "Mentora de agritech"
    assert response.data["languages"] == [
        "es",
        "en",
    ]
    assert response.data["email"] == own.email  # people always see their own contact details
    assert (
        api.patch(
            f"/people/{world.person.pk}", {"headline": "x"}, token=world.tokens["mentor"]
        ).status
        == 403
    )


def test_a_manager_adds_a_person(api: ApiClient, world: World) -> None:
    body = {
        "full_name": "Sofía Vélez",
        "hub": "medellin",
        "expertise": ["fintech", "ai"],
        "languages": ["es"],
        "is_mentor": True,
        "contact_visibility": "members",
    }
    response = api.post("/people", body, token=world.tokens["manager_same_hub"])
    assert response.status == 201, response.data
    assert {item["code"] for item in response.data["expertise"]} == {"fintech", "ai"}
    bad = api.post(
        "/people",
        {**body, "languages": ["tlh"], "expertise": ["seed"]},
        token=world.tokens["manager_same_hub"],
    )
    assert bad.status == 422
    assert {error["field"] for error in bad.data["errors"]} == {"languages", "expertise"}


def test_me_lists_managed_hubs(api: ApiClient, world: World) -> None:
    data = api.get("/me", token=world.tokens["manager_other_hub"]).data
    assert data["managed_hubs"] == ["miami"]
    assert data["home_hub"] == "miami"
    assert api.get("/me", token=world.tokens["unverified"]).data["email_verified"] is False


def test_hubs_and_taxonomy(api: ApiClient, world: World) -> None:
    hubs = api.get("/hubs", language="es").data
    assert [item["slug"] for item in hubs["items"]] == ["medellin", "miami"]
    assert hubs["count"] == 2
    assert hubs["items"][0]["partners"] == ["miami"]
    assert hubs["items"][0]["time_zone"] == "America/Bogota"
    assert api.get("/hubs/miami").data["currency"] == "USD"
    stages = api.get("/taxonomy?vocabulary=stage", language="es").data
    assert {item["vocabulary"] for item in stages["items"]} == {"stage"}
    assert next(item for item in stages["items"] if item["code"] == "seed")["label"] == "Semilla"
    assert api.get("/taxonomy").data["count"] > stages["count"]


def test_positions_in_hidden_organizations_are_not_revealed(api: ApiClient, world: World) -> None:
    hidden = OrganizationFactory(name="Stealth Labs", profile_visibility=Visibility.PRIVATE)
    Position.objects.create(person=world.person, organization=hidden, title="Advisor")
    add_position(world.person, world.organization, "CEO")
    public_view = api.get(f"/people/{world.person.pk}").data
    assert [position["organization_name"] for position in public_view["positions"]] == [
        "Café Trazable"
    ]
    listed = api.get("/people?q=lucia").data["items"][0]
    assert [position["organization_name"] for position in listed["positions"]] == ["Café Trazable"]
    manager_view = api.get(
        f"/people/{world.person.pk}", token=world.tokens["manager_same_hub"]
    ).data
    assert {position["organization_name"] for position in manager_view["positions"]} == {
        "Café Trazable",
        "Stealth Labs",
    }


def test_a_manager_who_moves_a_record_out_of_sight_still_gets_the_result(
    api: ApiClient, world: World
) -> None:
    token = world.tokens["manager_same_hub"]
    moved = api.patch(
        f"/organizations/{world.organization.pk}",
        {"hub": "miami", "profile_visibility": "private"},
        token=token,
    )
    assert moved.status == 200, moved.data
    assert moved.data["hub"] == "miami"
    assert moved.data["profile_visibility"] == "private"
    assert api.get(f"/organizations/{world.organization.pk}", token=token).status == 404
    person = api.patch(
        f"/people/{world.person.pk}", {"hub": "miami", "profile_visibility": "private"}, token=token
    )
    assert person.status == 200, person.data
    assert person.data["hub"] == "miami"
    assert api.get(f"/people/{world.person.pk}", token=token).status == 404
