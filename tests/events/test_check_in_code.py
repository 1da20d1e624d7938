"""Check-in by code: each participant's agenda carries a QR code of a secret address; an
organizer's phone opens it to check them in with one tap, and a desk scanner types it into
the organizer's page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from puente.core.errors import NotFound
from puente.core.qr import QUIET_ZONE, qr_modules, qr_svg
from puente.events import selectors
from puente.events.models import EventStatus, Participant
from tests.events.helpers import COMING_DAY, accepted_meeting, make_event, register
from tests.factories import UserFactory, make_manager

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def published_pair() -> tuple[Any, Participant, Participant]:
    event = make_event(status=EventStatus.PUBLISHED, published_at=timezone.now(), day=COMING_DAY)
    mine, theirs = register(event), register(event)
    meeting = accepted_meeting(mine, theirs)
    meeting.slot, meeting.table = event.slots.order_by("starts_at").first(), 2
    meeting.save()
    return event, mine, theirs


# --- the QR code --------------------------------------------------------------------------
FINDER = [
    [True] * 7,
    [True, False, False, False, False, False, True],
    [True, False, True, True, True, False, True],
    [True, False, True, True, True, False, True],
    [True, False, True, True, True, False, True],
    [True, False, False, False, False, False, True],
    [True] * 7,
]


def test_the_qr_code_has_its_three_finder_patterns_and_grows_with_the_text() -> None:
    short = qr_modules("https://puente.example/e/1-0123456789ab/")
    size = len(short)
    assert (size - 17) % 4 == 0  # a QR version: 21, 25, 29, ... modules a side
    for top, left in ((0, 0), (0, size - 7), (size - 7, 0)):
        assert [row[left : left + 7] for row in short[top : top + 7]] == FINDER
    assert len(qr_modules("x" * 200)) > size


def test_the_svg_draws_exactly_the_dark_modules() -> None:
    text = "https://puente.example/events/rueda/check-in/12-0123456789ab/"
    modules = qr_modules(text)
    svg = str(qr_svg(text, label='Code of "Café" <Trazable>'))
    size = len(modules) + 2 * QUIET_ZONE
    assert f'viewBox="0 0 {size} {size}"' in svg
    assert 'aria-label="Code of &quot;Café&quot; &lt;Trazable&gt;"' in svg  # escaped
    drawn = [[False] * len(modules) for _ in modules]
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", svg):
        for column in range(int(x), int(x) + int(width)):
            drawn[int(y) - QUIET_ZONE][column - QUIET_ZONE] = True
    assert drawn == modules


# --- codes --------------------------------------------------------------------------------
def test_a_code_finds_its_participant_and_nothing_else() -> None:
    event, mine, theirs = published_pair()
    code = selectors.check_in_code(mine)
    assert re.fullmatch(rf"{mine.pk}-[0-9a-f]{{12}}", code)
    assert selectors.participant_by_check_in_code(event, code) == mine
    address = f"https://puente.example/events/{event.slug}/check-in/{code}/"
    assert selectors.participant_by_check_in_code(event, f"  {address}\n") == mine
    assert selectors.participant_by_check_in_code(event, address.upper()) == mine
    forged = f"{theirs.pk}-{code.split('-')[1]}"  # someone else's id with my hash
    other_event = make_event(status=EventStatus.PUBLISHED)
    for text in (forged, "", "12", "abc-def", f"{mine.pk}-ffffffffffff", "9" * 30 + "-0"):
        with pytest.raises(NotFound):
            selectors.participant_by_check_in_code(event, text)
    with pytest.raises(NotFound):  # the code means nothing at another event
        selectors.participant_by_check_in_code(other_event, code)


# --- the agenda shows it ------------------------------------------------------------------
def test_the_agenda_shows_the_check_in_code_once_published() -> None:
    event, mine, _theirs = published_pair()
    page = signed_in(mine.user).get(f"/events/{event.slug}/agenda/")
    assert page.context["check_in_code"] == selectors.check_in_code(mine)
    body = page.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="qr"' in body
    event.status = EventStatus.OPEN
    event.save(update_fields=["status"])
    manager = make_manager("medellin")
    draft = signed_in(manager).get(f"/events/{event.slug}/agenda/?participant={mine.pk}")
    assert 'class="qr"' not in draft.content.decode()


# --- the organizer's phone ----------------------------------------------------------------
def test_an_organizer_scanning_the_code_checks_the_participant_in_with_one_tap() -> None:
    event, mine, _theirs = published_pair()
    address = f"/events/{event.slug}/check-in/{selectors.check_in_code(mine)}/"
    manager = signed_in(make_manager("medellin"))
    page = manager.get(address)
    assert page.status_code == 200
    assert mine.display_name in page.content.decode()
    assert 'id="check-in-button"' in page.content.decode()
    mine.refresh_from_db()
    assert mine.checked_in_at is None  # looking changes nothing
    response = manager.post(address)
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.checked_in_at is not None
    again = manager.get(address).content.decode()
    assert 'id="check-in-state"' in again
    assert 'id="check-in-button"' not in again


def test_only_organizers_can_use_a_code() -> None:
    event, mine, theirs = published_pair()
    address = f"/events/{event.slug}/check-in/{selectors.check_in_code(mine)}/"
    for user in (mine.user, theirs.user, UserFactory()):
        response = signed_in(user).post(address)
        assert response.status_code == 403
    assert Client().get(address).status_code == 302  # to sign in
    mine.refresh_from_db()
    assert mine.checked_in_at is None
    bad = f"/events/{event.slug}/check-in/{mine.pk}-000000000000/"
    assert signed_in(make_manager("medellin")).get(bad).status_code == 404


# --- the desk scanner ---------------------------------------------------------------------
def test_the_desk_checks_in_whoever_is_scanned() -> None:
    event, mine, theirs = published_pair()
    manager = signed_in(make_manager("medellin"))
    page = manager.get(f"/events/{event.slug}/organize/").content.decode()
    assert 'id="check-in-desk"' in page
    scanned = f"http://testserver/events/{event.slug}/check-in/{selectors.check_in_code(mine)}/"
    response = manager.post(f"/events/{event.slug}/check-in-desk/", {"code": scanned})
    assert response.status_code == 302
    assert response["Location"].endswith("/organize/#day-heading")
    mine.refresh_from_db()
    assert mine.checked_in_at is not None
    # A wrong code says so and checks nobody in.
    response = manager.post(
        f"/events/{event.slug}/check-in-desk/", {"code": f"{theirs.pk}-000000000000"}, follow=True
    )
    assert any(m.level_tag == "error" for m in response.context["messages"])
    theirs.refresh_from_db()
    assert theirs.checked_in_at is None
    # Participants cannot use the desk.
    desk = signed_in(theirs.user).post(
        f"/events/{event.slug}/check-in-desk/", {"code": selectors.check_in_code(theirs)}
    )
    assert desk.status_code == 403
    theirs.refresh_from_db()
    assert theirs.checked_in_at is None


def test_a_past_event_offers_neither_the_code_nor_the_subscription() -> None:
    event = make_event(status=EventStatus.PUBLISHED, published_at=timezone.now())  # March 2026
    mine = register(event)
    page = signed_in(mine.user).get(f"/events/{event.slug}/agenda/").content.decode()
    assert 'class="qr"' not in page
    assert 'id="subscribe"' not in page


def test_the_api_agenda_gives_the_check_in_address(client: Client) -> None:
    from tests.api.conftest import ApiClient, token_for

    event, mine, _theirs = published_pair()
    agenda = ApiClient(client).get(f"/events/{event.pk}/agenda", token=token_for(mine.user)[1])
    code = selectors.check_in_code(mine)
    assert agenda.data["check_in_url"] == (
        f"http://testserver/events/{event.slug}/check-in/{code}/"
    )
