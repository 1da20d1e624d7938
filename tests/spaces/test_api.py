"""The spaces API: listing, availability, booking with 201/409, cancelling, and bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from puente.spaces.models import Booking, BookingStatus
from tests.api.conftest import ApiClient, token_for
from tests.factories import UserFactory, make_manager
from tests.spaces.helpers import make_space, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_token() -> str:
    return token_for(UserFactory())[1]


def test_spaces_list_shows_zone_currency_and_hours(api: ApiClient) -> None:
    make_space("medellin", price_per_hour=40000)
    make_space("miami")
    response = api.get("/spaces?hub=medellin")
    assert response.status == 200
    [space] = response.data["items"]
    assert space["time_zone"] == "America/Bogota"
    assert space["currency"] == "COP"
    assert space["opening_hours"][0] == {"weekday": 0, "opens": "08:00", "closes": "18:00"}
    assert space["you_may_book"] is False


def test_booking_answers_201_then_409_with_the_conflicting_interval(
    api: ApiClient, member_token: str
) -> None:
    space = make_space()
    day = next_weekday(1)
    body = {"start": f"{day}T09:00", "end": f"{day}T10:00"}
    created = api.post(f"/spaces/{space.pk}/bookings", body, token=member_token)
    assert created.status == 201, created.data
    [booking] = created.data["items"]
    assert booking["local_start"] == f"{day}T09:00"
    assert booking["status"] == "approved"
    assert booking["start"].endswith("14:00:00Z") or "+00:00" in booking["start"]
    refused = api.post(
        f"/spaces/{space.pk}/bookings",
        {"start": f"{day}T09:30", "end": f"{day}T10:30"},
        token=token_for(UserFactory())[1],
    )
    assert refused.status == 409
    assert refused.data["code"] == "booking_conflict"
    assert refused.data["conflicts"] == [
        {"start": f"{day}T14:30:00+00:00", "end": f"{day}T15:30:00+00:00"}
    ]
    assert Booking.objects.count() == 1


def test_availability_lists_free_and_busy_time_and_closed_days(
    api: ApiClient, member_token: str
) -> None:
    space = make_space(buffer_minutes=15)
    day = next_weekday(1)
    api.post(
        f"/spaces/{space.pk}/bookings",
        {"start": f"{day}T09:00", "end": f"{day}T10:00"},
        token=member_token,
    )
    response = api.get(f"/spaces/{space.pk}/availability?from={day}T00:00&to={day}T23:59")
    assert response.status == 200, response.data
    assert response.data["time_zone"] == "America/Bogota"
    assert [(item["start"][11:16], item["end"][11:16]) for item in response.data["free"]] == [
        ("13:00", "14:00"),
        ("15:15", "23:00"),
    ]
    assert len(response.data["busy"]) == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"start": "DAYT10:00", "end": "DAYT09:00"}, "end_before_start"),
        ({"start": "DAYT10:00", "end": "DAYT10:00"}, "end_before_start"),
        ({"start": "DAYT09:00", "end": "2029-01-01T09:00"}, "too_long"),
        ({"start": "DAYT05:00", "end": "DAYT06:00"}, "outside_hours"),
        ({"start": "DAYT09:00", "end": "DAYT10:00", "rule": "FREQ=NEVER"}, "invalid_rule"),
        ({"start": "DAYT09:00", "end": "DAYT10:00", "rule": "FREQ=WEEKLY"}, "unbounded_rule"),
        (
            {"start": "DAYT09:00", "end": "DAYT10:00", "rule": "FREQ=SECONDLY;COUNT=5"},
            "unsupported_frequency",
        ),
        ({"start": "DAYT09:00", "end": "DAYT10:00", "attendees": 0}, "greater_than_equal"),
        ({"start": "yesterday", "end": "DAYT10:00"}, "datetime_from_date_parsing"),
        ({"start": "DAYT09:00"}, "missing"),
        ({"start": "DAYT09:00", "end": "DAYT10:00", "colour": "red"}, "extra_forbidden"),
        ({"start": None, "end": "DAYT10:00"}, "null"),
    ],
)
def test_bad_booking_input_is_a_clear_error_and_saves_nothing(
    api: ApiClient, member_token: str, body: dict, code: str
) -> None:  # type: ignore[type-arg]
    space = make_space()
    day = str(next_weekday(1))
    payload = {
        key: value.replace("DAY", day) if isinstance(value, str) else value
        for key, value in body.items()
    }
    response = api.post(f"/spaces/{space.pk}/bookings", payload, token=member_token)
    assert response.status in (400, 422), response.data
    codes = [response.data["code"], *(item["code"] for item in response.data.get("errors") or [])]
    assert any(code in found for found in codes), response.data
    assert response.data["message"]
    assert Booking.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/spaces/999999/bookings",
        "/spaces/0/bookings",
        "/spaces/abc/bookings",
        "/spaces/99999999999999999999999/bookings",
    ],
)
def test_unknown_spaces_are_a_json_404_or_422(api: ApiClient, member_token: str, path: str) -> None:
    response = api.post(
        path, {"start": "2030-01-01T09:00", "end": "2030-01-01T10:00"}, token=member_token
    )
    assert response.status in (404, 422)
    assert response.data["code"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "from=2030-01-01T00:00",
        "from=2030-01-02T00:00&to=2030-01-01T00:00",
        "from=2030-01-01T00:00&to=2031-01-01T00:00",
        "from=x&to=y",
    ],
)
def test_bad_availability_windows_are_refused(api: ApiClient, query: str) -> None:
    space = make_space()
    response = api.get(f"/spaces/{space.pk}/availability?{query}")
    assert response.status == 422
    assert response.data["message"]


def test_cancel_by_owner_then_the_time_is_free_and_others_cannot_see_it(api: ApiClient) -> None:
    space = make_space()
    owner_token = token_for(owner := UserFactory())[1]
    day = next_weekday(1)
    created = api.post(
        f"/spaces/{space.pk}/bookings",
        {"start": f"{day}T09:00", "end": f"{day}T10:00"},
        token=owner_token,
    )
    booking_id = created.data["items"][0]["id"]
    assert api.delete(f"/bookings/{booking_id}", token=token_for(UserFactory())[1]).status == 404
    assert api.delete(f"/bookings/{booking_id}", token=owner_token).status == 204
    assert Booking.objects.get(pk=booking_id).status == BookingStatus.CANCELLED
    assert api.delete(f"/bookings/{booking_id}", token=owner_token).status == 422
    again = api.post(
        f"/spaces/{space.pk}/bookings",
        {"start": f"{day}T09:00", "end": f"{day}T10:00"},
        token=owner_token,
    )
    assert again.status == 201
    assert owner.space_bookings.count() == 2


def test_a_manager_approves_a_tentative_series_through_the_api(
    api: ApiClient, member_token: str
) -> None:
    space = make_space(requires_approval=True)
    day = next_weekday(0, series=3)
    created = api.post(
        f"/spaces/{space.pk}/bookings",
        {"start": f"{day}T09:00", "end": f"{day}T10:00", "rule": "FREQ=WEEKLY;COUNT=3"},
        token=member_token,
    )
    assert created.status == 201
    assert {item["status"] for item in created.data["items"]} == {"tentative"}
    manager_token = token_for(make_manager("medellin"))[1]
    decided = api.post(
        f"/bookings/{created.data['items'][0]['id']}/decision",
        {"approve": True},
        token=manager_token,
    )
    assert decided.status == 200
    assert decided.data["count"] == 3
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.APPROVED}


def test_times_with_an_offset_are_converted_to_the_space_clock(
    api: ApiClient, member_token: str
) -> None:
    space = make_space()
    day = next_weekday(1)
    start = dt.datetime.combine(
        day, dt.time(10), dt.timezone(dt.timedelta(hours=-4))
    )  # 9:00 in Bogotá
    created = api.post(
        f"/spaces/{space.pk}/bookings",
        {"start": start.isoformat(), "end": (start + dt.timedelta(hours=1)).isoformat()},
        token=member_token,
    )
    assert created.status == 201, created.data
    assert created.data["items"][0]["local_start"] == f"{day}T09:00"
