"""An event's results for the funders' report: who took part by hub and type, requests,
meetings placed and held (between hubs too), and what the participants said; "held" is
the funders' indicator's own rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone, translation

from puente.events import selectors
from puente.events.models import EventStatus, MeetingFeedback, MeetingRequest, RequestStatus
from tests.events.helpers import accepted_meeting, make_event, register
from tests.factories import OrganizationFactory, hub, make_manager, term

pytestmark = pytest.mark.django_db


def test_results_count_meetings_held_between_hubs_with_the_indicators_rule() -> None:
    # A published event whose slots have all begun (10 March 2026).
    event = make_event(status=EventStatus.PUBLISHED, published_at=timezone.now())
    med_a = register(event, OrganizationFactory(name="Paisa A"))
    med_b = register(
        event, OrganizationFactory(name="Paisa B", type=term("organization_type", "investor"))
    )
    mia = register(event, OrganizationFactory(name="Coral", hub=hub("miami")))
    first, second, third = event.slots.order_by("starts_at")[:3]
    across = accepted_meeting(med_a, mia, slot=first, table=1)
    accepted_meeting(med_a, med_b, slot=second, table=1)  # Medellín with Medellín
    denied = accepted_meeting(med_b, mia, slot=third, table=1)
    accepted_meeting(mia, med_b)  # accepted, never placed
    MeetingFeedback.objects.create(meeting=denied, participant=med_b, held=False)
    MeetingFeedback.objects.create(meeting=denied, participant=mia, held=False)
    MeetingFeedback.objects.create(
        meeting=across, participant=mia, held=True, rating=4, outcome="agreement"
    )
    MeetingRequest.objects.create(
        event=event,
        requester=mia,
        target=med_a,
        status=RequestStatus.DECLINED,
        expires_at=timezone.now(),
    )

    with translation.override("en"):
        results = selectors.event_results(event)

    assert results.stats.participants == 3
    assert dict(results.by_hub) == {"Medellín": 2, "Miami": 1}
    assert dict(results.by_type) == {"Startup": 2, "Investor": 1}
    assert results.stats.meetings_placed == 3
    assert results.held == 2  # the one both sides said did not happen is out
    assert (results.placed_across_hubs, results.held_across_hubs) == (2, 1)
    assert results.hub_pairs == [("Medellín – Miami", 2, 1), ("Medellín – Medellín", 1, 1)]
    assert results.stats.requests_accepted == 4
    assert results.stats.requests_declined == 1
    assert results.acceptance_rate == 80
    assert results.feedback.average_rating == 4
    # Before their time, placed meetings are not held.
    assert selectors.event_results(event, now=first.starts_at - dt.timedelta(days=1)).held == 0


def test_the_results_page_is_for_organizers_and_prints() -> None:
    event = make_event(status=EventStatus.PUBLISHED, published_at=timezone.now())
    a, b = register(event), register(event, OrganizationFactory(hub=hub("miami")))
    accepted_meeting(a, b, slot=event.slots.first(), table=1)
    url = f"/events/{event.slug}/organize/results/"
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_manager("medellin"))
    assert url in client.get(f"/events/{event.slug}/organize/").content.decode()
    html = client.get(url).content.decode()
    assert 'id="results-held">1<' in html
    assert 'id="results-held-across">1<' in html
    assert "Medellín – Miami" in html
    assert "window.print()" in html
    participant = Client()
    participant.force_login(a.user)
    assert participant.get(url).status_code == 403


def test_the_results_through_the_api() -> None:
    from tests.api.conftest import ApiClient, token_for

    event = make_event(status=EventStatus.PUBLISHED, published_at=timezone.now())
    a, b = register(event), register(event, OrganizationFactory(hub=hub("miami")))
    accepted_meeting(a, b, slot=event.slots.first(), table=1)
    api = ApiClient(Client())
    answer = api.get(f"/events/{event.pk}/results", token=token_for(make_manager("medellin"))[1])
    assert answer.status == 200
    assert answer.data["meetings_held"] == 1
    assert answer.data["held_across_hubs"] == 1
    assert answer.data["hub_pairs"] == [{"between": "Medellín – Miami", "placed": 1, "held": 1}]
    assert answer.data["acceptance_rate"] == 100
    refused = api.get(f"/events/{event.pk}/results", token=token_for(a.user)[1])
    assert refused.status == 403
