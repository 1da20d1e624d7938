"""The spaces pages: browse, book through the form (with preview), approve, calendar files,
events and office hours; pinned query counts on the lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from puente.spaces.models import Booking, BookingStatus, CalendarFeed
from puente.spaces.services import booking_create
from tests.factories import UserFactory, make_manager
from tests.spaces.helpers import make_mentor, make_office_hours, make_space, next_weekday
from tests.spaces.test_community import make_event

pytestmark = pytest.mark.django_db


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def form(day: dt.date, start: str = "10:00", end: str = "11:00", **extra: Any) -> dict[str, Any]:
    return {
        "day": day.isoformat(),
        "start_time": start,
        "end_time": end,
        "attendees": 1,
        "purpose": "Demo",
        "repeat": "",
        "repeat_count": "",
        "exceptions": "",
        **extra,
    }


def test_space_pages_render_in_both_languages(client: Client) -> None:
    space = make_space(description_es="Sala con pantalla", description_en="Room with a screen")
    for language, words in (("es", "Espacios para reservar"), ("en", "Spaces to book")):
        client.cookies["puente_language"] = language
        listing = client.get(reverse("spaces:list"))
        assert words in listing.content.decode()
        detail = client.get(
            reverse("spaces:space", kwargs={"slug": space.slug}), HTTP_ACCEPT_LANGUAGE=language
        )
        assert detail.status_code == 200
    assert client.get(reverse("spaces:space", kwargs={"slug": "no-such-space"})).status_code == 404
    assert client.get(reverse("spaces:list") + "?hub=%00&kind=<script>").status_code == 200


def test_a_member_previews_a_series_then_books_it_through_the_form(client: Client) -> None:
    space = make_space()
    member = UserFactory()
    day = next_weekday(0, weeks=2, series=3)
    booking_create(
        space=space,
        actor=UserFactory(),
        start=dt.datetime.combine(day + dt.timedelta(days=7), dt.time(10)),
        end=dt.datetime.combine(day + dt.timedelta(days=7), dt.time(11)),
    )
    signed_in(client, member)
    url = reverse("spaces:space", kwargs={"slug": space.slug})
    preview = client.post(url, {**form(day, repeat="weekly", repeat_count=3), "action": "preview"})
    page = preview.content.decode()
    assert page.count("occurrence-ok") == 2
    assert page.count("occurrence-conflict") == 1
    refused = client.post(url, {**form(day, repeat="weekly", repeat_count=3), "action": "book"})
    assert "alert-error" in refused.content.decode()
    assert not Booking.objects.filter(user=member).exists()
    booked = client.post(
        url,
        {
            **form(
                day,
                repeat="weekly",
                repeat_count=3,
                exceptions=(day + dt.timedelta(days=7)).isoformat(),
            ),
            "action": "book",
        },
    )
    assert booked.status_code == 302
    assert Booking.objects.filter(user=member).count() == 2


@pytest.mark.parametrize(
    "values",
    [
        {"day": "2026-02-30"},
        {"start_time": "25:00"},
        {"day": ""},
        {"exceptions": "mañana"},
        {"repeat": "hourly"},
        {"attendees": "-3"},
        {"start_time": "11:00", "end_time": "10:00"},
        {"start_time": "05:00", "end_time": "06:00"},
    ],
)
def test_bad_form_input_shows_errors_and_saves_nothing(
    client: Client, values: dict[str, str]
) -> None:
    space = make_space()
    signed_in(client, UserFactory())
    response = client.post(
        reverse("spaces:space", kwargs={"slug": space.slug}),
        {**form(next_weekday(1)), **values, "action": "book"},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "alert-error" in response.content.decode()
    assert Booking.objects.count() == 0


def test_manager_approves_from_the_queue_and_the_member_downloads_the_calendar_file(
    client: Client,
) -> None:
    space = make_space(requires_approval=True)
    member = UserFactory()
    [booking] = booking_create(
        space=space,
        actor=member,
        start=dt.datetime.combine(next_weekday(1), dt.time(9)),
        end=dt.datetime.combine(next_weekday(1), dt.time(10)),
    )
    signed_in(client, UserFactory())
    assert client.get(reverse("spaces:approvals")).status_code == 403
    assert (
        client.post(
            reverse("spaces:approval_decide", kwargs={"pk": booking.pk}), {"decision": "approve"}
        ).status_code
        == 404
    )
    signed_in(client, make_manager("medellin"))
    queue = client.get(reverse("spaces:approvals"))
    assert f"approval-{booking.pk}" in queue.content.decode()
    client.post(
        reverse("spaces:approval_decide", kwargs={"pk": booking.pk}),
        {"decision": "approve", "note": "Bienvenida"},
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED
    signed_in(client, member)
    response = client.get(reverse("spaces:booking_ics", kwargs={"pk": booking.pk}))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == booking.starts_at
    assert str(event["status"]) == "CONFIRMED"
    assert calendar.walk("VTIMEZONE")


def test_a_secret_feed_lists_my_bookings_until_revoked(client: Client) -> None:
    member = UserFactory()
    space = make_space()
    booking_create(
        space=space,
        actor=member,
        start=dt.datetime.combine(next_weekday(1), dt.time(9)),
        end=dt.datetime.combine(next_weekday(1), dt.time(10)),
    )
    signed_in(client, member)
    client.post(reverse("spaces:feed_create"))
    page = client.get(reverse("spaces:my_bookings")).content.decode()
    url = page.split('id="new-feed" readonly value="')[1].split('"')[0]
    client.logout()
    path = url.removeprefix("http://testserver")
    assert len(Calendar.from_ical(client.get(path).content).walk("VEVENT")) == 1
    signed_in(client, member)
    client.post(reverse("spaces:feed_revoke", kwargs={"pk": CalendarFeed.objects.get().pk}))
    client.logout()
    assert client.get(path).status_code == 404
    assert client.get(reverse("spaces:feed", kwargs={"token": "guess"})).status_code == 404


def test_events_and_office_hours_pages(client: Client) -> None:
    event = make_event(capacity=1)
    mentor = make_mentor(full_name="Lucía Mentora")
    make_office_hours(mentor)
    assert (
        "Encuentro fintech"
        in client.get(reverse("spaces:events"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    )
    founder = UserFactory()
    signed_in(client, founder)
    client.post(reverse("spaces:event_register", kwargs={"slug": event.slug}))
    assert event.registrations.get(user=founder).status == "registered"
    assert client.get(reverse("spaces:event_ics", kwargs={"slug": event.slug})).status_code == 200
    page = client.get(reverse("spaces:office_hours")).content.decode()
    assert "Lucía Mentora" in page
    slot = page.split('name="slot" value="')[1].split('"')[0]
    response = client.post(
        reverse("spaces:session_book", kwargs={"pk": mentor.office_hours.get().pk}),
        {"slot": slot, "topic": "Entrar a Miami"},
    )
    assert response.status_code == 302
    sessions = client.get(reverse("spaces:sessions")).content.decode()
    assert "Entrar a Miami" in sessions
    session = mentor.mentor_sessions.get()
    assert client.get(reverse("spaces:session_ics", kwargs={"pk": session.pk})).status_code == 200
    signed_in(client, UserFactory())
    assert client.get(reverse("spaces:session_ics", kwargs={"pk": session.pk})).status_code == 404


@pytest.mark.parametrize("rows", [3, 12])
def test_list_pages_do_not_grow_queries_with_rows(
    client: Client, django_assert_num_queries: Any, rows: int
) -> None:
    member = UserFactory()
    for number in range(rows):
        space = make_space("miami" if number % 2 else "medellin")
        day = next_weekday(number % 5)
        booking_create(
            space=space,
            actor=member,
            start=dt.datetime.combine(day, dt.time(9)),
            end=dt.datetime.combine(day, dt.time(10)),
        )
        make_event()
    signed_in(client, member)
    client.get(reverse("spaces:my_bookings"))  # warm the session
    # Signed-in requests start with 4 queries (session, user, the viewer's memberships and roles).
    pinned = {"spaces:list": 9, "spaces:my_bookings": 7, "spaces:events": 7}
    for name, expected in pinned.items():
        with django_assert_num_queries(expected):
            client.get(reverse(name))


def test_hub_managers_publish_a_secret_calendar_of_their_space_only(client: Client) -> None:
    space = make_space()
    signed_in(client, UserFactory())
    client.post(reverse("spaces:feed_create"), {"space": space.pk})
    assert not CalendarFeed.objects.exists()
    assert client.post(reverse("spaces:feed_create"), {"space": "x"}).status_code == 404
    assert client.post(reverse("spaces:feed_create"), {"space": "²"}).status_code == 404
    assert client.post(reverse("spaces:feed_create"), {"space": "9" * 30}).status_code == 404
    manager = make_manager("medellin")
    signed_in(client, manager)
    assert (
        "Create a calendar address for this space"
        in client.get(
            reverse("spaces:space", kwargs={"slug": space.slug}), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    )
    client.post(reverse("spaces:feed_create"), {"space": space.pk})
    assert CalendarFeed.objects.get().space == space


@pytest.mark.parametrize("bookings", [2, 10])
def test_the_space_page_does_not_grow_queries_with_bookings(
    client: Client, django_assert_num_queries: Any, bookings: int
) -> None:
    space = make_space(units=20)
    member = UserFactory()
    for number in range(bookings):
        day = next_weekday(number % 5)
        booking_create(
            space=space,
            actor=member,
            start=dt.datetime.combine(day, dt.time(9)),
            end=dt.datetime.combine(day, dt.time(10)),
        )
    signed_in(client, member)
    client.get(reverse("spaces:list"))  # warm the session
    with django_assert_num_queries(9):
        client.get(reverse("spaces:space", kwargs={"slug": space.slug}))


def test_the_space_list_sorts_by_the_name_shown_in_each_language(client: Client) -> None:
    names = [("Boardroom", "Sala de juntas"), ("Open desk", "Escritorio abierto"),
             ("creative area", "Área creativa")]  # fmt: skip
    for name_en, name_es in names:
        make_space(name_en=name_en, name_es=name_es)

    def order(language: str, shown: list[str]) -> list[str]:
        page = client.get(reverse("spaces:list"), HTTP_ACCEPT_LANGUAGE=language)
        text = page.content.decode()
        return sorted(shown, key=text.index)

    spanish = ["Sala de juntas", "Escritorio abierto", "Área creativa"]
    assert order("es", spanish) == ["Área creativa", "Escritorio abierto", "Sala de juntas"]
    english = ["Boardroom", "Open desk", "creative area"]
    assert order("en", english) == ["Boardroom", "creative area", "Open desk"]
