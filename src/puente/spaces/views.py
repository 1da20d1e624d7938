"""Pages of spaces: browse and book spaces, my bookings, the approval queue and calendar files.

Views parse input, call one service or selector and render; refusals come back from the
services as translated messages shown next to the form.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from puente.accounts.models import User
from puente.accounts.viewer import viewer_for
from puente.core.errors import DomainError
from puente.core.ids import parse_id
from puente.core.models import Hub
from puente.directory.views import forbidden_page
from puente.spaces import ics, selectors, services
from puente.spaces.forms import BookingForm, DecisionForm
from puente.spaces.models import BookingStatus, CalendarFeed, MentorSession, SpaceKind
from puente.spaces.services import BookingConflict, problem_message


def signed_in_user(request: HttpRequest) -> User:
    """The user of a view behind ``login_required``."""
    user = request.user
    assert isinstance(user, User)
    return user


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def space_list(request: HttpRequest) -> HttpResponse:
    hub = re.sub(r"[^a-z0-9_-]", "", request.GET.get("hub", "")[:40])
    kind = request.GET.get("kind", "")[:20]
    if kind not in SpaceKind.values:
        kind = ""
    spaces = selectors.spaces_by_name(hub=hub, kind=kind)
    return render(
        request,
        "spaces/space_list.html",
        {
            "spaces": spaces,
            "hubs": Hub.objects.filter(is_active=True),
            "kinds": SpaceKind.choices,
            "hub": hub,
            "kind": kind,
        },
    )


def space_detail(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.space_by(slug=slug)
    viewer = viewer_for(request.user)
    may_book = selectors.may_book(viewer, space)
    form = BookingForm(request.POST or None, time_zone=space.time_zone)
    checks: list[services.OccurrenceCheck] = []
    error = ""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        if form.is_valid():
            start, end = form.local_interval()
            try:
                if request.POST.get("action") == "preview":
                    checks = services.booking_check(
                        space=space,
                        start=start,
                        end=end,
                        rule=form.rule,
                        exceptions=form.cleaned_data["exceptions"],
                        attendees=form.cleaned_data["attendees"],
                    )
                else:
                    bookings = services.booking_create(
                        space=space,
                        actor=signed_in_user(request),
                        start=start,
                        end=end,
                        rule=form.rule,
                        exceptions=form.cleaned_data["exceptions"],
                        purpose=form.cleaned_data["purpose"],
                        attendees=form.cleaned_data["attendees"],
                    )
                    if bookings[0].status == BookingStatus.TENTATIVE:
                        messages.info(
                            request,
                            _(
                                "Booking requested: it is tentative until a manager of the hub approves it."
                            ),
                        )
                    else:
                        messages.success(
                            request,
                            _(
                                "Booked. Check in when you arrive: bookings without check-in are released after 15 minutes."
                            ),
                        )
                    return redirect("spaces:my_bookings")
            except BookingConflict as conflict:
                error = conflict.message
                checks = services.booking_check(
                    space=space,
                    start=start,
                    end=end,
                    rule=form.rule,
                    exceptions=form.cleaned_data["exceptions"],
                    attendees=form.cleaned_data["attendees"],
                )
            except DomainError as refusal:
                error = refusal.message
    now = timezone.now()
    upcoming = list(selectors.space_calendar_bookings(space).filter(ends_at__gte=now)[:20])
    problems = [[problem_message(code, space) for code in check.problems] for check in checks]
    return render(
        request,
        "spaces/space_detail.html",
        {
            "space": space,
            "form": form,
            "may_book": may_book,
            "checks": list(zip(checks, problems, strict=True)),
            "error": error,
            "upcoming": upcoming,
            "viewer": viewer,
        },
    )


def _login_url() -> str:
    from django.urls import reverse

    return reverse("accounts:login")


@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    bookings = list(selectors.bookings_of(request.user))
    feeds = list(
        CalendarFeed.objects.filter(
            user=signed_in_user(request), revoked_at__isnull=True
        ).select_related("space")
    )
    new_feed_url = request.session.pop("spaces_new_feed_url", "")
    return render(
        request,
        "spaces/my_bookings.html",
        {"bookings": bookings, "feeds": feeds, "new_feed_url": new_feed_url, "now": timezone.now()},
    )


@login_required
def booking_ics(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_for_viewer(viewer_for(request.user), pk)
    return _calendar_response(
        ics.calendar_bytes([ics.booking_item(booking)]), f"puente-booking-{booking.pk}.ics"
    )


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_for_viewer(viewer_for(request.user), pk)
    try:
        services.booking_cancel(booking=booking, actor=signed_in_user(request))
        messages.success(request, _("Booking cancelled."))
    except DomainError as refusal:
        messages.error(request, refusal.message)
    return redirect("spaces:my_bookings")


@login_required
@require_POST
def booking_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_for_viewer(viewer_for(request.user), pk)
    try:
        services.booking_check_in(booking=booking, actor=signed_in_user(request))
        messages.success(request, _("Checked in. Enjoy the space!"))
    except DomainError as refusal:
        messages.error(request, refusal.message)
    return redirect("spaces:my_bookings")


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not viewer.is_manager:
        return forbidden_page(request, _("Only hub managers approve bookings."))
    bookings = list(selectors.approval_queue(viewer)[:200])
    return render(request, "spaces/approvals.html", {"bookings": bookings, "form": DecisionForm()})


@login_required
@require_POST
def approval_decide(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_for_viewer(viewer_for(request.user), pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("spaces:approvals")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.booking_decide(
            booking=booking,
            actor=signed_in_user(request),
            approve=approve,
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Booking approved.") if approve else _("Booking rejected."))
    except DomainError as refusal:
        messages.error(request, refusal.message)
    return redirect("spaces:approvals")


@login_required
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    space = None
    if request.POST.get("space"):
        wanted = parse_id(request.POST["space"])
        if wanted is None:
            raise Http404("space")
        space = selectors.space_by(pk=wanted)
    try:
        _feed, raw = services.calendar_feed_create(actor=signed_in_user(request), space=space)
    except DomainError as refusal:
        messages.error(request, refusal.message)
        return redirect("spaces:my_bookings")
    from django.urls import reverse

    request.session["spaces_new_feed_url"] = request.build_absolute_uri(
        reverse("spaces:feed", kwargs={"token": raw})
    )
    messages.success(request, _("Calendar address created. Copy it now: it is shown only once."))
    return redirect("spaces:my_bookings")


@login_required
@require_POST
def feed_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    feed = CalendarFeed.objects.filter(pk=pk, user=signed_in_user(request)).first()
    if feed is None:
        raise Http404("feed")
    services.calendar_feed_revoke(feed=feed, actor=signed_in_user(request))
    messages.success(request, _("Calendar address revoked."))
    return redirect("spaces:my_bookings")


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A secret calendar address: a user's bookings and sessions, or a space's bookings."""
    found = (
        CalendarFeed.objects.filter(
            token_hash=CalendarFeed.hash_of(token[:100]), revoked_at__isnull=True
        )
        .select_related("user", "space", "space__hub")
        .first()
    )
    if found is None or not found.user.is_active:
        raise Http404("feed")
    since = timezone.now() - dt.timedelta(days=30)
    items: list[Any]
    if found.space is not None:
        items = [
            ics.booking_item(booking) for booking in selectors.space_calendar_bookings(found.space)
        ]
        name = found.space.name
    else:
        items = [
            ics.booking_item(booking)
            for booking in selectors.bookings_of(found.user).filter(ends_at__gte=since)
        ]
        sessions = MentorSession.objects.filter(starts_at__gte=since).filter(
            mentor=found.user
        ) | MentorSession.objects.filter(starts_at__gte=since).filter(founder=found.user)
        items += [
            ics.session_item(session)
            for session in sessions.select_related("mentor", "founder", "office_hours")
        ]
        name = "Puente"
    return _calendar_response(ics.calendar_bytes(items, name=name), "puente.ics")
