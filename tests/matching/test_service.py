"""Search and matches through the Django service: visibility, feedback, explanations."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from puente.accounts.viewer import viewer_for
from puente.core.models import Visibility
from puente.marketplace import services as marketplace
from puente.marketplace.forms import OpportunityForm
from puente.matching import selectors, services
from puente.matching.models import Embedding
from tests.factories import OrganizationFactory, UserFactory, hub, make_member, term

pytestmark = pytest.mark.django_db


def post(organization: Any, **values: Any) -> Any:
    data = {
        "side": "offer",
        "kind": "capital",
        "language": "en",
        "hub": organization.hub.slug,
        "visibility": "public",
        **values,
    }
    form = OpportunityForm(data)
    assert form.is_valid(), form.errors
    return marketplace.opportunity_create(
        organization=organization, actor=None, values=form.cleaned_data, publish=True
    )


def test_publishing_stores_an_embedding_once_per_text_version(
    django_capture_on_commit_callbacks: Any,
) -> None:
    fund = OrganizationFactory(
        name="Biscayne Seed Fund", hub=hub("miami"), type=term("organization_type", "investor")
    )
    with django_capture_on_commit_callbacks(execute=True):
        offer = post(
            fund,
            title="Seed capital for agritech",
            description="We invest seed capital in agritech startups from Latin America.",
        )
    first = Embedding.objects.get(item_type="opportunity", item_id=offer.pk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        marketplace.opportunity_update(opportunity=offer, actor=None, values={"deadline": None})
    assert callbacks == []  # same words: no job scheduled
    assert Embedding.objects.get(pk=first.pk).text_version == first.text_version
    with django_capture_on_commit_callbacks(execute=True):
        marketplace.opportunity_update(
            opportunity=offer,
            actor=None,
            values={"title": "Seed capital for agritech and foodtech"},
        )
    assert Embedding.objects.get(pk=first.pk).text_version != first.text_version


def test_a_request_is_matched_to_complementary_offers_with_reasons() -> None:
    startup = OrganizationFactory(
        name="Cafetal", type=term("organization_type", "startup"), stage=term("stage", "seed")
    )
    fund = OrganizationFactory(
        name="Biscayne Seed Fund", hub=hub("miami"), type=term("organization_type", "investor")
    )
    bank = OrganizationFactory(
        name="Brickell Bank", hub=hub("miami"), type=term("organization_type", "corporate")
    )
    request = post(
        startup,
        side="request",
        language="es",
        title="Buscamos capital semilla agritech",
        description="Startup de agritech busca capital semilla para crecer en Miami.",
        target_hubs=["miami"],
        sectors=["agritech"],
    )
    offer = post(
        fund,
        title="Seed capital for agritech",
        description="We invest seed capital in agritech startups from Latin America.",
        sectors=["agritech"],
        stages=["seed"],
        target_hubs=["medellin"],
    )
    other_request = post(
        bank,
        side="request",
        title="We need agritech capital",
        description="Looking for capital for agritech in Miami and beyond.",
    )
    with translation.override("en"):
        results = selectors.opportunity_matches(viewer_for(None), request, limit=10)
    ids = [(result.item_type, result.id) for result in results]
    assert ("opportunity", offer.pk) in ids
    assert ("opportunity", other_request.pk) not in ids  # two requests do not complement each other
    reasons = {
        reason.code: reason.text
        for reason in next(
            r for r in results if r.id == offer.pk and r.item_type == "opportunity"
        ).reasons
    }
    assert reasons["complementary_kind"] == "They offer the capital you are looking for"
    assert reasons["shared_sectors"] == "Same sector: Agritech and food"
    assert "stage_fit" in reasons
    with translation.override("es"):
        results = selectors.opportunity_matches(viewer_for(None), request, limit=10)
    reasons = {
        reason.code: reason.text
        for reason in next(
            r for r in results if r.id == offer.pk and r.item_type == "opportunity"
        ).reasons
    }
    assert reasons["shared_sectors"] == "Mismo sector: Agrotecnología y alimentos"


def test_search_never_shows_what_the_viewer_may_not_see() -> None:
    hidden = OrganizationFactory(
        name="Secret Agritech Lab",
        profile_visibility=Visibility.PRIVATE,
        description="agritech drones",
    )
    shown = OrganizationFactory(name="Open Agritech Lab", description="agritech drones")
    anonymous = selectors.search(viewer_for(None), "agritech drones", types=["organization"])
    assert [result.id for result in anonymous] == [shown.pk]
    member = make_member(hidden)
    assert {
        result.id
        for result in selectors.search(
            viewer_for(member), "agritech drones", types=["organization"]
        )
    } == {hidden.pk, shown.pk}


def test_dismissed_items_never_come_back() -> None:
    user = UserFactory()
    first = OrganizationFactory(name="Agritech One", description="agritech coffee traceability")
    second = OrganizationFactory(name="Agritech Two", description="agritech coffee traceability")
    viewer = viewer_for(user)
    assert {r.id for r in selectors.search(viewer, "agritech coffee", types=["organization"])} == {
        first.pk,
        second.pk,
    }
    services.match_feedback_record(
        user=user, item_type="organization", item_id=first.pk, kind="not_relevant"
    )
    assert [r.id for r in selectors.search(viewer, "agritech coffee", types=["organization"])] == [
        second.pk
    ]


@pytest.mark.real_encoder
def test_a_spanish_request_finds_an_english_offer() -> None:
    startup = OrganizationFactory(name="Cafetal", type=term("organization_type", "startup"))
    fund = OrganizationFactory(
        name="Biscayne Seed Fund", hub=hub("miami"), type=term("organization_type", "investor")
    )
    lab = OrganizationFactory(
        name="Port Logistics", hub=hub("miami"), type=term("organization_type", "corporate")
    )
    request = post(
        startup,
        side="request",
        language="es",
        title="Buscamos inversión semilla para nuestra startup agrícola",
        description="Necesitamos capital semilla para ampliar nuestra plataforma de trazabilidad de café.",
    )
    offer = post(
        fund,
        title="Seed investment for agriculture startups",
        description="We provide seed capital to startups building technology for farms and coffee growers.",
    )
    post(
        lab,
        kind="client",
        title="Container shipping services for exporters",
        description="We move refrigerated containers between ports of the Caribbean and Florida.",
    )
    results = selectors.opportunity_matches(viewer_for(None), request, limit=3)
    assert (results[0].item_type, results[0].id) == ("opportunity", offer.pk)
    assert any(
        reason.code == "semantic_similarity" and reason.params.get("cross_language")
        for reason in results[0].reasons
    )
