"""A popular participant accepts every pending request in one go; those that cannot be
accepted (a meeting limit reached) stay pending and are named with the reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone, translation

from puente.core.errors import PermissionDenied
from puente.events.models import Meeting, MeetingRequest, RequestStatus
from puente.events.services import meeting_requests_accept_all
from tests.events.helpers import make_event, pending_request, register
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_accept_all_stops_at_the_meeting_limit_and_says_who_is_left() -> None:
    event = make_event(max_meetings_per_participant=2)
    investor = register(event, OrganizationFactory(name="Fondo"))
    asking = [register(event, OrganizationFactory(name=name)) for name in ("Alfa", "Beta", "Gama")]
    requests = [pending_request(p, investor) for p in asking]
    expired = pending_request(register(event), investor)
    MeetingRequest.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - dt.timedelta(hours=1)
    )
    sent_by_me = pending_request(investor, register(event))

    with translation.override("en"):
        done = meeting_requests_accept_all(participant=investor, actor=investor.user)

    assert done.accepted == 2
    assert [(r.pk, "most meetings" in reason) for r, reason in done.refused] == [
        (requests[2].pk, True)
    ]
    statuses = {r.pk: r.status for r in MeetingRequest.objects.all()}
    assert statuses[requests[0].pk] == statuses[requests[1].pk] == RequestStatus.ACCEPTED
    assert statuses[requests[2].pk] == RequestStatus.PENDING
    assert statuses[sent_by_me.pk] == RequestStatus.PENDING  # not mine to answer
    assert Meeting.objects.filter(second=investor).count() == 2
    with pytest.raises(PermissionDenied):
        meeting_requests_accept_all(participant=investor, actor=asking[0].user)


def test_the_requests_page_offers_accept_all_and_reports() -> None:
    event = make_event(max_meetings_per_participant=1)
    investor = register(event, OrganizationFactory(name="Fondo"))
    for name in ("Alfa", "Beta"):
        pending_request(register(event, OrganizationFactory(name=name)), investor)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(investor.user)
    page = client.get(f"/events/{event.slug}/requests/").content.decode()
    assert "Accept all 2 pending requests" in page
    answer = client.post(f"/events/{event.slug}/requests/accept-all/", follow=True)
    html = answer.content.decode()
    assert "1 request accepted" in html
    assert "not accepted" in html
    assert "Accept all" not in html  # one pending left: its own buttons are enough
    stranger = Client()
    stranger.force_login(register(make_event()).user)
    assert stranger.post(f"/events/{event.slug}/requests/accept-all/").status_code == 404
