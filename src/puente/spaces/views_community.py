"""Pages of community events and mentor office hours."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from puente.accounts.viewer import viewer_for
from puente.core.errors import DomainError
from puente.spaces import ics, selectors, services_community
from puente.spaces.forms import OfficeHoursForm, SessionBookingForm, SessionRecordForm
from puente.spaces.models import OfficeHours
from puente.spaces.views import _calendar_response, signed_in_user

#: How far ahead the office-hours page lists free slots.
SLOTS_AHEAD = dt.timedelta(days=21)


def event_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "spaces/event_list.html", {"events": list(selectors.events_upcoming()[:100])}
    )


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_by_slug(slug)
    registration = selectors.registration_of(event, request.user)
    manages = request.user.is_authenticated and viewer_for(request.user).manages_any([event.hub_id])
    attendees = list(selectors.event_attendees(event)) if manages else []
    return render(
        request,
        "spaces/event_detail.html",
        {"event": event, "registration": registration, "attendees": attendees, "manages": manages},
    )


@login_required
@require_POST
def event_register(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_by_slug(slug)
    try:
        if request.POST.get("action") == "cancel":
            registration = selectors.registration_of(event, request.user)
            if registration is not None:
                services_community.event_registration_cancel(
                    registration=registration, actor=signed_in_user(request)
                )
                messages.success(request, _("Registration cancelled."))
        else:
            registration = services_community.event_register(
                event=event, actor=signed_in_user(request)
            )
            if registration.status == "registered":
                messages.success(request, _("You are registered."))
            else:
                messages.info(request, _("The event is full: you are on the waiting list."))
    except DomainError as refusal:
        messages.error(request, refusal.message)
    return redirect("spaces:event", slug=slug)


@login_required
@require_POST
def event_check_in(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_by_slug(slug)
    registration = selectors.event_attendees(event).filter(pk=pk).first()
    if registration is None:
        return redirect("spaces:event", slug=slug)
    try:
        services_community.event_check_in(registration=registration, actor=signed_in_user(request))
    except DomainError as refusal:
        messages.error(request, refusal.message)
    return redirect("spaces:event", slug=slug)


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_by_slug(slug)
    return _calendar_response(ics.calendar_bytes([ics.event_item(event)]), f"{event.slug}.ics")


def office_hours(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    offers = []
    for item in selectors.office_hours_listed():
        slots = selectors.free_office_hour_slots(
            item, now + dt.timedelta(hours=1), now + SLOTS_AHEAD
        )[:12]
        offers.append((item, slots))
    is_mentor = request.user.is_authenticated and services_community.is_mentor(request.user)
    form = (
        OfficeHoursForm(
            initial={
                "time_zone": getattr(request.user, "time_zone", "America/Bogota"),
                "first_day": now.date(),
            }
        )
        if is_mentor
        else None
    )
    return render(
        request,
        "spaces/office_hours.html",
        {
            "offers": offers,
            "is_mentor": is_mentor,
            "form": form,
            "booking_form": SessionBookingForm(),
        },
    )


@login_required
@require_POST
def office_hours_publish(request: HttpRequest) -> HttpResponse:
    form = OfficeHoursForm(request.POST)
    if form.is_valid():
        try:
            services_community.office_hours_publish(
                mentor=signed_in_user(request), values=form.service_values()
            )
            messages.success(request, _("Your office hours are published."))
            return redirect("spaces:office_hours")
        except DomainError as refusal:
            messages.error(request, refusal.message)
    else:
        messages.error(
            request,
            _("Check the office hours: %(errors)s")
            % {
                "errors": "; ".join(
                    str(error) for errors in form.errors.values() for error in errors
                )
            },
        )
    return redirect("spaces:office_hours")


@login_required
@require_POST
def session_book(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.office_hours_by(pk)
    form = SessionBookingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a slot and say what you would like to talk about."))
        return redirect("spaces:office_hours")
    try:
        services_community.session_book(
            office_hours=offer,
            founder=signed_in_user(request),
            starts_at=form.cleaned_data["slot"],
            topic=form.cleaned_data["topic"],
        )
    except DomainError as refusal:
        messages.error(request, refusal.message)
        return redirect("spaces:office_hours")
    messages.success(request, _("Office hours booked. You and the mentor got the invitation."))
    return redirect("spaces:sessions")


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    items = list(selectors.sessions_of(request.user)[:100])
    mine = list(
        OfficeHours.objects.filter(mentor=signed_in_user(request), is_active=True).select_related(
            "hub"
        )
    )
    return render(
        request,
        "spaces/sessions.html",
        {
            "sessions": items,
            "record_form": SessionRecordForm(),
            "now": timezone.now(),
            "my_office_hours": mine,
        },
    )


@login_required
@require_POST
def session_record(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_participant(request.user, pk)
    form = SessionRecordForm(request.POST)
    if form.is_valid():
        try:
            services_community.session_record(
                session=session, actor=signed_in_user(request), values=form.cleaned_data
            )
            messages.success(request, _("Saved."))
        except DomainError as refusal:
            messages.error(request, refusal.message)
    else:
        messages.error(request, _("Check the form."))
    return redirect("spaces:sessions")


@login_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_participant(request.user, pk)
    try:
        services_community.session_cancel(session=session, actor=signed_in_user(request))
        messages.success(request, _("Session cancelled."))
    except DomainError as refusal:
        messages.error(request, refusal.message)
    return redirect("spaces:sessions")


@login_required
def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_participant(request.user, pk)
    return _calendar_response(
        ics.calendar_bytes([ics.session_item(session)]), f"puente-office-hours-{session.pk}.ics"
    )
