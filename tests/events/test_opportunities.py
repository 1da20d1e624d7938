"""Participants' linked marketplace opportunities: set and refused through the form, the
service and the API; shown in the catalogue and the agenda; and the suggestions the matching
engine draws from them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from puente.accounts.viewer import viewer_for
from puente.core.errors import ValidationFailed
from puente.core.models import Visibility
from puente.events import selectors, services
from puente.events.models import EventStatus, Participant
from puente.marketplace.models import Opportunity
from tests.api.conftest import ApiClient, token_for
from tests.events.helpers import accepted_meeting, make_event, pending_request, register
from tests.factories import OrganizationFactory, UserFactory, hub, make_member, term
from tests.marketplace.helpers import post_opportunity

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _offer(
    organization: Any, title: str = "Capital semilla agritech", **values: Any
) -> Opportunity:
    return post_opportunity(organization, title=title, **values)


# --- setting them ----------------------------------------------------------------------------
def test_the_registration_form_offers_only_my_organizations_live_opportunities() -> None:
    event = make_event()
    organization = OrganizationFactory(name="Paisa Pagos")
    member = make_member(organization)
    live = _offer(organization, title="Pagos para tenderos")
    draft = _offer(organization, title="Borrador", publish=False)
    foreign = _offer(OrganizationFactory(), title="De otra organización")
    client = signed_in(member)
    page = client.get(f"/events/{event.slug}/register/")
    choices = {o.pk for o in page.context["form"].fields["opportunities"].queryset}
    assert choices == {live.pk}
    assert draft.pk not in choices
    assert foreign.pk not in choices
    response = client.post(
        f"/events/{event.slug}/register/",
        {"organization": str(organization.pk), "language": "es", "opportunities": [live.pk]},
    )
    assert response.status_code == 302
    mine = Participant.objects.get(event=event, organization=organization)
    assert list(mine.opportunities.all()) == [live]
    # Editing: another organization's opportunity is refused, the links are kept.
    response = client.post(
        f"/events/{event.slug}/register/", {"language": "es", "opportunities": [foreign.pk]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["opportunities"]
    assert list(mine.opportunities.all()) == [live]
    response = client.post(f"/events/{event.slug}/register/", {"language": "es"})
    assert response.status_code == 302
    assert list(mine.opportunities.all()) == []


def test_someone_taking_part_alone_has_no_opportunities_to_link() -> None:
    event = make_event()
    loner = UserFactory()
    page = signed_in(loner).get(f"/events/{event.slug}/register/")
    assert "opportunities" not in page.context["form"].fields
    organization = OrganizationFactory()
    member = make_member(organization)
    live = _offer(organization)
    response = signed_in(member).post(
        f"/events/{event.slug}/register/",
        {"organization": "", "language": "es", "opportunities": [live.pk]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["opportunities"] == [
        "Solo quien participa por una organización puede vincular oportunidades."
    ]
    assert not Participant.objects.filter(event=event).exists()


def test_the_service_refuses_opportunities_of_another_organization_or_not_published() -> None:
    event = make_event()
    organization = OrganizationFactory()
    member = make_member(organization)
    live = _offer(organization)
    draft = _offer(organization, publish=False)
    foreign = _offer(OrganizationFactory())
    with pytest.raises(ValidationFailed) as refused:
        services.participant_register(
            event=event,
            actor=member,
            organization=organization,
            values={"opportunities": [live, foreign]},
        )
    assert refused.value.code == "bad_opportunity"
    assert refused.value.field == "opportunities"
    assert not Participant.objects.filter(event=event).exists()
    participant = services.participant_register(
        event=event, actor=member, organization=organization, values={"opportunities": [live]}
    )
    assert list(participant.opportunities.all()) == [live]
    for wrong in (draft, foreign):
        with pytest.raises(ValidationFailed):
            services.participant_update(
                participant=participant, actor=member, values={"opportunities": [wrong]}
            )
    assert list(participant.opportunities.all()) == [live]
    services.participant_update(participant=participant, actor=member, values={"seek": "Socios"})
    assert list(participant.opportunities.all()) == [live]  # left out: kept
    services.participant_update(participant=participant, actor=member, values={"opportunities": []})
    assert list(participant.opportunities.all()) == []


def test_the_api_links_opportunities_and_refuses_bad_ids(client: Client) -> None:
    api = ApiClient(client)
    event = make_event()
    organization = OrganizationFactory()
    member = make_member(organization)
    token = token_for(member)[1]
    live = _offer(organization)
    foreign = _offer(OrganizationFactory())
    path = f"/events/{event.pk}/participants"
    for ids, code in (
        ([foreign.pk], "bad_opportunity"),
        ([live.pk, 2**62], "bad_opportunity"),
        ([0], None),
        (["abc"], None),
    ):
        answer = api.post(
            path, {"organization": organization.pk, "opportunities": ids}, token=token
        )
        assert answer.status in (400, 422), answer.data
        assert answer.data["message"]
        if code is not None:
            assert answer.data["code"] == code
    assert not Participant.objects.filter(event=event).exists()
    answer = api.post(
        path, {"organization": organization.pk, "opportunities": [live.pk]}, token=token
    )
    assert answer.status == 201, answer.data
    assert answer.data["opportunities"] == [live.pk]


# --- showing them ----------------------------------------------------------------------------
def _catalogue_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_the_catalogue_links_visible_live_opportunities_in_bounded_queries() -> None:
    event = make_event()
    organization = OrganizationFactory(name="Coral Pay")
    shown = _offer(organization, title="Pagos digitales para tenderos")
    hidden = _offer(organization, title="Solo para la red", visibility=Visibility.PRIVATE)
    draft = _offer(organization, title="Borrador de pagos", publish=False)
    participant = register(event, organization)
    participant.opportunities.set([shown, hidden, draft])
    client = signed_in(UserFactory())
    body = client.get(f"/events/{event.slug}/").content.decode()
    assert f'href="/opportunities/{shown.pk}/"' in body
    assert "Pagos digitales para tenderos" in body
    assert "Solo para la red" not in body
    assert "Borrador de pagos" not in body
    few = _catalogue_queries(client, f"/events/{event.slug}/")
    for _ in range(6):
        other = OrganizationFactory()
        register(event, other).opportunities.set([_offer(other), _offer(other)])
    assert _catalogue_queries(client, f"/events/{event.slug}/") == few


def test_the_agenda_links_the_counterparts_opportunities() -> None:
    event = make_event(status=EventStatus.PUBLISHED)
    mine = register(event)
    partner = OrganizationFactory(name="Coral Pay")
    theirs = register(event, partner)
    offer = _offer(partner, title="Pagos digitales para tenderos")
    theirs.opportunities.set([offer])
    meeting = accepted_meeting(mine, theirs)
    meeting.slot, meeting.table = event.slots.first(), 1
    meeting.save()
    body = signed_in(mine.user).get(f"/events/{event.slug}/agenda/").content.decode()
    assert f'href="/opportunities/{offer.pk}/"' in body
    assert "Pagos digitales para tenderos" in body


# --- suggestions -----------------------------------------------------------------------------
def _capital_market(event: Any) -> dict[str, Any]:
    """A startup asking for agritech seed capital, a fund offering it, and an unrelated firm."""
    startup = OrganizationFactory(
        name="Cafetal", type=term("organization_type", "startup"), stage=term("stage", "seed")
    )
    fund = OrganizationFactory(
        name="Biscayne Seed Fund",
        hub=hub("miami"),
        type=term("organization_type", "investor"),
        tagline="Fondo de inversión",
        description="Fondo de inversión de Miami.",
    )
    drones = OrganizationFactory(
        name="Agro Drones", tagline="Drones para cultivos", description="Drones para cultivos."
    )
    request = post_opportunity(
        startup,
        side="request",
        language="es",
        title="Buscamos capital semilla agritech",
        description="Startup de agritech busca capital semilla para crecer en Miami.",
        sectors=["agritech"],
    )
    offer = post_opportunity(
        fund,
        title="Seed capital for agritech",
        description="We invest seed capital in agritech startups from Latin America.",
        sectors=["agritech"],
        stages=["seed"],
    )
    mine = register(event, startup, offer="", seek="")
    mine.opportunities.set([request])
    return {
        "mine": mine,
        "fund": register(event, fund, offer="", seek=""),
        "drones": register(event, drones, offer="", seek=""),
        "offer": offer,
        "request": request,
    }


def test_suggestions_come_from_the_matches_of_my_linked_opportunities() -> None:
    event = make_event()
    market = _capital_market(event)
    mine = market["mine"]
    found = selectors.suggested_participants(viewer_for(mine.user), mine)
    assert found, "no suggestion from the linked request"
    assert found[0].participant == market["fund"]
    assert found[0].reasons[0].code == "linked_opportunity"
    assert found[0].reasons[0].params["opportunity"] == market["request"].pk
    assert mine not in [s.participant for s in found]
    page = signed_in(mine.user).get(f"/events/{event.slug}/suggestions/")
    assert "Buscamos capital semilla agritech" in page.content.decode()
    # Once asked, the fund is no longer suggested.
    pending_request(mine, market["fund"])
    again = selectors.suggested_participants(viewer_for(mine.user), mine)
    assert market["fund"] not in [s.participant for s in again]


def test_suggestions_search_what_i_seek_not_what_i_offer() -> None:
    event = make_event()
    competitor = register(
        event,
        OrganizationFactory(
            name="Coral Pay",
            tagline="Pagos digitales para tenderos",
            description="Pagos digitales y billeteras para tenderos de barrio",
        ),
    )
    mine = register(event, offer="pagos digitales para tenderos", seek="")
    assert selectors.suggested_participants(viewer_for(mine.user), mine) == []
    mine.seek = "pagos digitales para tenderos"
    mine.save()
    found = selectors.suggested_participants(viewer_for(mine.user), mine)
    assert [s.participant for s in found][:1] == [competitor]
