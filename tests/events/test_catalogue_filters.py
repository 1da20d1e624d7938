"""Finding counterparts in an event's catalogue: words in either language and without
accents, the hub and type of organization, and only those the viewer can still ask."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from puente.events import selectors
from tests.events.helpers import make_event, pending_request, register
from tests.factories import OrganizationFactory, hub, term

pytestmark = pytest.mark.django_db


def catalogue(client: Client, event: Any, **query: str) -> tuple[list[str], str]:
    html = client.get(f"/events/{event.slug}/", query, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    names = [
        part.split("<h3>")[1].split("</h3>")[0]
        for part in html.split('class="card participant"')[1:]
    ]
    return names, html


@pytest.fixture
def world() -> dict[str, Any]:
    event = make_event()
    people = {
        "energia": register(
            event,
            OrganizationFactory(
                name="Energía Guayacán", type=term("organization_type", "corporate")
            ),
            offer="Redes eléctricas inteligentes",
            seek="Startups de almacenamiento",
        ),
        "coral": register(
            event,
            OrganizationFactory(name="Coral Pay", hub=hub("miami")),
            offer="Payments for marketplaces",
            seek="Banking partners in Colombia",
        ),
        "fondo": register(
            event,
            OrganizationFactory(
                name="Fondo Andino", hub=hub("miami"), type=term("organization_type", "investor")
            ),
            offer="Seed capital",
            seek="Fintech startups",
        ),
    }
    return {"event": event, **people}


def test_words_match_name_offer_and_seek_without_accents_or_case(world: dict[str, Any]) -> None:
    everyone = list(selectors.participants_of(world["event"]))
    assert selectors.filter_catalogue(everyone, text="ENERGIA") == [world["energia"]]
    assert selectors.filter_catalogue(everyone, text="electricas") == [world["energia"]]
    assert selectors.filter_catalogue(everyone, text="fintech seed") == [world["fondo"]]
    assert selectors.filter_catalogue(everyone, text="fintech payments") == []  # every word
    assert selectors.filter_catalogue(everyone, hub="miami") == [world["coral"], world["fondo"]]
    assert selectors.filter_catalogue(everyone, hub="miami", organization_type="investor") == [
        world["fondo"]
    ]
    assert selectors.filter_catalogue(everyone, leave_out={world["coral"].pk}) == [
        world["energia"],
        world["fondo"],
    ]
    assert selectors.filter_catalogue(everyone) == everyone


def test_the_event_page_filters_and_says_how_many_match(world: dict[str, Any]) -> None:
    client = Client()
    event = world["event"]
    names, html = catalogue(client, event)
    assert names == ["Energía Guayacán", "Coral Pay", "Fondo Andino"]
    assert 'role="search"' in html
    assert "participants match" not in html
    # The choices are the hubs and types present, in the reader's language.
    assert '<option value="miami">' in html
    assert '<option value="investor">Investor</option>' in html
    names, html = catalogue(client, event, q="startups", hub="miami")
    assert names == ["Fondo Andino"]
    assert "1 of 3 participants match." in html
    assert "Clear filters" in html
    names, html = catalogue(client, event, q="quantum")
    assert names == []
    assert "No participant matches these filters." in html
    # A hub that is not among the choices is dropped; the words still apply.
    names, _html = catalogue(client, event, q="payments", hub="atlantis")
    assert names == ["Coral Pay"]


def test_only_those_i_can_still_ask(world: dict[str, Any]) -> None:
    event = world["event"]
    pending_request(world["energia"], world["coral"])
    client = Client()
    client.force_login(world["energia"].user)
    names, html = catalogue(client, event)
    assert "Only those I can still ask" in html
    names, _html = catalogue(client, event, open="on")
    assert names == ["Fondo Andino"]  # not myself, not Coral (a request is open)
    # Someone not registered has no such box, and it changes nothing for them.
    names, html = catalogue(Client(), event, open="on")
    assert "Only those I can still ask" not in html
    assert len(names) == 3
