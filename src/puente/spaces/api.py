"""API: spaces, their availability, bookings (201, or 409 with the conflicting intervals)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from puente.accounts.viewer import viewer_for
from puente.api.auth import caller, caller_or_anonymous, required_auth
from puente.api.schemas import ERRORS, MAX_OFFSET, READ_ERRORS, ErrorOut, InputSchema, ObjectId
from puente.core.errors import PermissionDenied, ValidationFailed
from puente.spaces import selectors, services
from puente.spaces.models import Booking, Space
from puente.spaces.timeslots import Interval

router = Router(tags=["spaces"])

#: The longest window one availability request may cover.
MAX_AVAILABILITY_DAYS = 31


class OpeningHoursOut(Schema):
    weekday: int = Field(..., description="0 = Monday … 6 = Sunday.")
    opens: str = Field(..., description="Local time of the space, HH:MM.")
    closes: str


class SpaceOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    kind: str
    hub: str = Field(..., description="Slug of the hub.")
    time_zone: str = Field(
        ..., description="The space's (hub's) IANA zone; bookings are made in it."
    )
    capacity: int
    units: int = Field(..., description="Bookings that may run at once (desks of a shared area).")
    equipment: str
    requires_induction: bool
    requires_approval: bool
    min_duration_minutes: int
    max_duration_minutes: int
    max_days_ahead: int
    buffer_minutes: int
    price_per_hour: str
    currency: str
    opening_hours: list[OpeningHoursOut]
    you_may_book: bool


class SpacePage(Schema):
    items: list[SpaceOut]
    count: int


class SpaceFilters(InputSchema):
    hub: str = Field("", max_length=40, description="Hub slug.")
    kind: Literal["", "desk", "office", "meeting_room", "lab", "event_hall"] = ""
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _space_out(space: Space, may_book: bool) -> SpaceOut:
    return SpaceOut(
        id=space.pk,
        slug=space.slug,
        name=space.name,
        description=space.description,
        kind=space.kind,
        hub=space.hub.slug,
        time_zone=space.time_zone,
        capacity=space.capacity,
        units=space.units,
        equipment=space.equipment,
        requires_induction=space.requires_induction,
        requires_approval=space.requires_approval or space.requires_induction,
        min_duration_minutes=space.min_duration_minutes,
        max_duration_minutes=space.max_duration_minutes,
        max_days_ahead=space.max_days_ahead,
        buffer_minutes=space.buffer_minutes,
        price_per_hour=str(space.price_per_hour),
        currency=space.currency,
        opening_hours=[
            OpeningHoursOut(
                weekday=item.weekday, opens=f"{item.opens:%H:%M}", closes=f"{item.closes:%H:%M}"
            )
            for item in space.hours.all()
        ],
        you_may_book=may_book,
    )


@router.get(
    "/spaces", response={200: SpacePage, **READ_ERRORS}, summary="Bookable spaces of the hubs"
)
def list_spaces(request: HttpRequest, filters: Query[SpaceFilters]) -> SpacePage:
    viewer = viewer_for(caller_or_anonymous(request))
    spaces = selectors.spaces_listed(hub=filters.hub.strip(), kind=filters.kind)
    items = list(spaces[filters.offset : filters.offset + filters.limit])
    count = spaces.count() if (filters.offset or len(items) == filters.limit) else len(items)
    return SpacePage(
        items=[_space_out(space, selectors.may_book(viewer, space)) for space in items], count=count
    )


class IntervalOut(Schema):
    start: dt.datetime
    end: dt.datetime


class AvailabilityOut(Schema):
    space_id: int
    time_zone: str
    start: dt.datetime = Field(..., alias="from")
    end: dt.datetime = Field(..., alias="to")
    open: list[IntervalOut] = Field(
        ..., description="Opening windows (holidays and closures left out)."
    )
    free: list[IntervalOut] = Field(..., description="Open time where at least one unit is free.")
    busy: list[IntervalOut] = Field(
        ..., description="Held bookings, including the space's buffer after each."
    )
    closed_dates: list[dt.date]


class AvailabilityParams(InputSchema):
    start: dt.datetime = Field(
        ..., alias="from", description="ISO 8601; without an offset it is the space's local time."
    )
    end: dt.datetime = Field(..., alias="to", description="At most 31 days after `from`.")


def _aware(moment: dt.datetime, space: Space) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=space.zone)


@router.get(
    "/spaces/{space_id}/availability",
    response={200: AvailabilityOut, **READ_ERRORS},
    by_alias=True,
    summary="Free and taken time of a space",
)
def space_availability(
    request: HttpRequest, space_id: ObjectId, params: Query[AvailabilityParams]
) -> AvailabilityOut:
    space = selectors.space_by(pk=space_id)
    start, end = _aware(params.start, space), _aware(params.end, space)
    if end <= start:
        raise ValidationFailed(_("“to” must be after “from”."), code="end_before_start", field="to")
    if end - start > dt.timedelta(days=MAX_AVAILABILITY_DAYS):
        raise ValidationFailed(
            _("Ask for at most %(days)s days at a time.") % {"days": MAX_AVAILABILITY_DAYS},
            code="window_too_long",
            field="to",
        )
    found = selectors.availability(space, start, end)

    def intervals(items: list[Interval]) -> list[IntervalOut]:
        return [IntervalOut(start=item.start, end=item.end) for item in items]

    return AvailabilityOut.model_validate(
        {
            "space_id": space.pk,
            "time_zone": space.time_zone,
            "from": start,
            "to": end,
            "open": intervals(found.open),
            "free": intervals(found.free),
            "busy": intervals(found.busy),
            "closed_dates": found.closed_dates,
        }
    )


class BookingIn(InputSchema):
    start: dt.datetime = Field(
        ..., description="ISO 8601; without an offset it is the space's local time."
    )
    end: dt.datetime
    rule: str = Field(
        "",
        max_length=300,
        description="RFC 5545 recurrence, e.g. FREQ=WEEKLY;COUNT=8 (daily, weekly or monthly). Expanded on the space's wall clock.",
    )
    exceptions: list[dt.date] = Field(
        [], max_length=100, description="Local dates to leave out of the series."
    )
    purpose: str = Field("", max_length=200)
    attendees: int = Field(1, ge=1, le=10000)


class BookingOut(Schema):
    id: int
    space_id: int
    series_id: int | None
    unit: int
    start: dt.datetime
    end: dt.datetime
    local_start: str = Field(..., description="Start on the space's wall clock.")
    time_zone: str
    status: Literal["tentative", "approved", "rejected", "cancelled", "released"]
    purpose: str
    attendees: int
    price: str
    currency: str


class BookingList(Schema):
    items: list[BookingOut]
    count: int


class ConflictOut(ErrorOut):
    conflicts: list[IntervalOut] | None = None


def _booking_out(booking: Booking) -> BookingOut:
    return BookingOut(
        id=booking.pk,
        space_id=booking.space_id,
        series_id=booking.series_id,
        unit=booking.unit,
        start=booking.starts_at,
        end=booking.ends_at,
        local_start=booking.starts_at.astimezone(booking.space.zone).strftime("%Y-%m-%dT%H:%M"),
        time_zone=booking.space.time_zone,
        status=booking.status,  # type: ignore[arg-type]
        purpose=booking.purpose,
        attendees=booking.attendees,
        price=str(booking.price),
        currency=booking.currency,
    )


@router.post(
    "/spaces/{space_id}/bookings",
    response={201: BookingList, 409: ConflictOut, **ERRORS},
    auth=required_auth,
    summary="Book a space (once or recurring)",
)
def create_booking(
    request: HttpRequest, space_id: ObjectId, payload: BookingIn
) -> Status[BookingList]:
    user = caller(request)
    space = selectors.space_by(pk=space_id)
    bookings = services.booking_create(
        space=space,
        actor=user,
        start=payload.start,
        end=payload.end,
        rule=payload.rule,
        exceptions=payload.exceptions,
        purpose=payload.purpose,
        attendees=payload.attendees,
    )
    return Status(
        201, BookingList(items=[_booking_out(booking) for booking in bookings], count=len(bookings))
    )


@router.delete(
    "/bookings/{booking_id}",
    response={204: None, **ERRORS},
    auth=required_auth,
    summary="Cancel a booking (its owner, or a manager of its hub)",
)
def cancel_booking(request: HttpRequest, booking_id: ObjectId) -> Status[None]:
    user = caller(request)
    booking = selectors.booking_for_viewer(viewer_for(user), booking_id)
    services.booking_cancel(booking=booking, actor=user)
    return Status(204, None)


class DecisionIn(InputSchema):
    approve: bool
    note: str = Field("", max_length=500)


@router.post(
    "/bookings/{booking_id}/decision",
    response={200: BookingList, **ERRORS},
    auth=required_auth,
    summary="Approve or reject a tentative booking (hub managers)",
)
def decide_booking(request: HttpRequest, booking_id: ObjectId, payload: DecisionIn) -> BookingList:
    user = caller(request)
    viewer = viewer_for(user)
    booking = selectors.booking_for_viewer(viewer, booking_id)
    if not viewer.manages_any([booking.space.hub_id]):
        raise PermissionDenied(_("Only managers of the space's hub can decide bookings."))
    decided = services.booking_decide(
        booking=booking, actor=user, approve=payload.approve, note=payload.note
    )
    return BookingList(items=[_booking_out(item) for item in decided], count=len(decided))
