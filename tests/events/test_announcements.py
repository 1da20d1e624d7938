"""The organizers write to the participants: in the app and by email, in each reader's
language around the organizers' own words, to everyone or a group of the event day."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from puente.core.errors import Conflict, PermissionDenied, ValidationFailed
from puente.core.models import AuditEntry, Notification
from puente.core.notifications import render_notification
from puente.events.models import Announcement, Audience, EventStatus, ParticipantStatus
from puente.events.services_announcements import announcement_send, audience_of
from tests.events.helpers import accepted_meeting, make_event, register
from tests.factories import OrganizationFactory, make_manager, make_member

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def world() -> dict[str, Any]:
    event = make_event(status=EventStatus.PUBLISHED, published_at=timezone.now())
    here = register(event, OrganizationFactory(name="Alfa"), checked_in_at=timezone.now())
    late = register(event, OrganizationFactory(name="Beta"), standby=True)
    absent = register(event, OrganizationFactory(name="Gama"), no_show=True)
    gone = register(event, OrganizationFactory(name="Delta"), status=ParticipantStatus.CANCELLED)
    colleague = make_member(here.organization)  # speaks for Alfa too
    return {
        "event": event,
        "here": here,
        "late": late,
        "absent": absent,
        "gone": gone,
        "colleague": colleague,
        "manager": make_manager("medellin"),
    }


def test_audiences(world: dict[str, Any]) -> None:
    event = world["event"]
    accepted_meeting(world["late"], world["gone"])  # Beta has a meeting (not placed)
    names = {
        audience: sorted(p.display_name for p in audience_of(event, audience))
        for audience in Audience.values
    }
    assert names == {
        "everyone": ["Alfa", "Beta", "Gama"],
        "checked_in": ["Alfa"],
        "not_checked_in": ["Beta"],  # the absent are not waited for
        "standby": ["Beta"],
        "no_meetings": ["Alfa", "Gama"],
    }


def test_a_message_reaches_everyone_who_speaks_for_the_participants(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sent = announcement_send(
            event=world["event"],
            actor=world["manager"],
            message="  La rueda pasa al salón B.\nSegundo piso.  ",
            audience=Audience.CHECKED_IN,
        )
    assert sent.message == "La rueda pasa al salón B.\nSegundo piso."
    assert sent.recipients == 2  # Alfa's registrant and colleague
    users = {n.user for n in Notification.objects.filter(kind="events.announcement")}
    assert users == {world["here"].user, world["colleague"]}
    notification = Notification.objects.filter(kind="events.announcement").first()
    assert notification is not None
    with translation.override("en"):
        text = render_notification(notification.kind, notification.params)
    assert text == "The organizers of Rueda de negocios: La rueda pasa al salón B. Segundo piso."
    with translation.override("es"):
        assert render_notification(notification.kind, notification.params).startswith(
            "Los organizadores de Rueda de negocios: La rueda"
        )
    assert notification.url.endswith("#announcements")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    body = mail.outbox[0].body
    assert "La rueda pasa al salón B.\nSegundo piso." in body
    assert AuditEntry.objects.filter(action="event.announce").count() == 1


def test_bad_messages_and_who_may_send(world: dict[str, Any]) -> None:
    event, manager = world["event"], world["manager"]
    with pytest.raises(ValidationFailed) as empty:
        announcement_send(event=event, actor=manager, message="   ")
    assert empty.value.code == "required"
    with pytest.raises(ValidationFailed) as long:
        announcement_send(event=event, actor=manager, message="x" * 1001)
    assert long.value.code == "too_long"
    with pytest.raises(ValidationFailed):
        announcement_send(event=event, actor=manager, message="Hola", audience="vips")
    with pytest.raises(PermissionDenied):
        announcement_send(event=event, actor=world["here"].user, message="Hola")
    with pytest.raises(PermissionDenied):
        announcement_send(event=event, actor=make_manager("miami"), message="Hola")
    announcement_send(event=event, actor=manager, message="Hola")
    with pytest.raises(Conflict) as twice:
        announcement_send(event=event, actor=manager, message="Hola")
    assert twice.value.code == "repeated"
    announcement_send(event=event, actor=manager, message="Hola", audience=Audience.STANDBY)
    event.status = EventStatus.DRAFT
    event.save()
    with pytest.raises(ValidationFailed) as draft:
        announcement_send(event=event, actor=manager, message="Otra")
    assert draft.value.code == "not_open"
    assert Announcement.objects.count() == 2


def test_nobody_in_the_group(world: dict[str, Any]) -> None:
    world["here"].checked_in_at = None
    world["here"].save()
    with pytest.raises(ValidationFailed) as nobody:
        announcement_send(
            event=world["event"],
            actor=world["manager"],
            message="Bienvenidos",
            audience=Audience.CHECKED_IN,
        )
    assert nobody.value.code == "no_recipients"
    assert not Announcement.objects.exists()


def test_the_organizers_page_sends_and_lists(world: dict[str, Any]) -> None:
    event = world["event"]
    manager = signed_in(world["manager"])
    url = f"/events/{event.slug}/organize/announcements/"
    assert url in manager.get(f"/events/{event.slug}/organize/").content.decode()
    sent = manager.post(url, {"audience": "everyone", "message": "Café a las 10:00"}, follow=True)
    html = sent.content.decode()
    assert "Message sent to 4 people." in html  # three registrants and Alfa's colleague
    assert "Café a las 10:00" in html
    assert "Every participant" in html
    again = manager.post(url, {"audience": "everyone", "message": "Café a las 10:00"})
    assert again.status_code == 200
    assert "This message was just sent to the same people." in again.content.decode()
    assert "Café a las 10:00</textarea>" in again.content.decode()  # the text is kept
    empty = manager.post(url, {"audience": "everyone", "message": ""})
    assert "This field is required." in empty.content.decode()
    for outsider in (world["here"].user, make_manager("miami")):
        assert signed_in(outsider).get(url).status_code == 403
        assert signed_in(outsider).post(url, {"message": "x"}).status_code == 403
    assert Announcement.objects.count() == 1


def test_the_event_page_keeps_announcements_for_their_audience(world: dict[str, Any]) -> None:
    event, manager = world["event"], world["manager"]
    announcement_send(event=event, actor=manager, message="Para todos")
    announcement_send(event=event, actor=manager, message="Para standby", audience="standby")
    announcement_send(event=event, actor=manager, message="Ya llegaron", audience="checked_in")
    page = f"/events/{event.slug}/"

    alfa = signed_in(world["here"].user).get(page).content.decode()
    beta = signed_in(world["late"].user).get(page).content.decode()
    public = Client().get(page).content.decode()

    assert "Para todos" in alfa
    assert "Para standby" not in alfa
    assert "Ya llegaron" not in alfa  # a day-of message, not kept on the page
    assert "Para todos" in beta
    assert "Para standby" in beta
    assert 'id="announcements"' not in public
