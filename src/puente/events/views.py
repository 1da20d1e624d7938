"""Pages of brokerage events for everyone: the list, an event, registration, meeting requests,
the personal agenda and its calendar file. The organizer's pages are in ``views_organize``.

Views parse input, call one selector or service and render; refusals show the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_GET, require_POST

from puente.accounts.viewer import viewer_for
from puente.core.errors import DomainError, NotFound, PermissionDenied
from puente.core.forms import show_error, validated
from puente.core.ids import MAX_ID, parse_id
from puente.core.models import Hub
from puente.core.qr import qr_svg
from puente.core.timezones import zone as zone_named
from puente.directory.selectors import own_organizations
from puente.directory.views import forbidden_page, signed_in_account
from puente.events import selectors, services, services_feedback, services_schedule
from puente.events.calendar import (
    agenda_calendar,
    agenda_download,
    calendar_response,
    webcal,
)
from puente.events.forms import (
    AnswerForm,
    CatalogueFilterForm,
    FeedbackForm,
    MeetingRequestForm,
    RegistrationForm,
)
from puente.events.models import Event, Participant, RequestStatus

FEED_REFRESH = dt.timedelta(hours=1)


def not_found_as_404(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Selectors raise NotFound; pages answer the 404 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        for value in kwargs.values():
            if isinstance(value, int) and value > MAX_ID:
                raise Http404
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error
        except PermissionDenied as error:
            return forbidden_page(request, error.message)

    return wrapper


def slot_label(slot: Any, zone_name: str) -> str:
    """A slot as the wall-clock time in a zone: "Tue 3 Mar, 09:00–09:20"."""
    zone = zone_named(zone_name)
    start, end = slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)
    # Translators: a Django date format; Spanish writes month abbreviations in lowercase (b).
    day_and_time = pgettext("date format", "D j M, H:i")
    return f"{formats.date_format(start, day_and_time)}–{formats.date_format(end, 'H:i')}"


def slot_labels(event: Event) -> dict[int, str]:
    """Every slot of the event as its label in the event's zone, by slot id."""
    return {slot.pk: slot_label(slot, event.time_zone) for slot in selectors.slots_of(event)}


def check_in_qr(request: HttpRequest, event: Event, participant: Participant) -> SafeString:
    """The participant's check-in code as a QR image of its full address (agendas, badges,
    printed agendas: what a phone camera or a desk scanner reads)."""
    return qr_svg(
        request.build_absolute_uri(selectors.check_in_path(event, participant)),
        label=_("Check-in code of %(name)s") % {"name": participant.display_name},
    )


def participant_named(event: Event, wanted: str) -> Participant:
    """The registered participant whose id is ``wanted`` (from a ``?participant=``
    parameter), else NotFound: a bad id is a participant that does not exist."""
    number = parse_id(wanted)
    if number is None:
        raise NotFound(_("There is no such participant at this event."))
    return selectors.participant_in_event(event, number)


def _viewer_zone(request: HttpRequest) -> str:
    return str(getattr(request, "viewer_time_zone", "UTC"))


def _back(request: HttpRequest, event: Event, name: str = "events:detail") -> HttpResponse:
    return redirect(name, slug=event.slug)


# --- list and detail -----------------------------------------------------------------------
def event_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    events = list(
        selectors.events_visible_to(viewer)
        .prefetch_related("other_hubs")
        .order_by("-start_date", "id")[:100]
    )
    return render(
        request,
        "events/event_list.html",
        {"events": events, "can_create": viewer.is_manager},
    )


@not_found_as_404
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    event = selectors.event_for_viewer(viewer, slug=slug)
    me = selectors.participant_for(request.user, event)
    everyone = list(selectors.catalogue_of(viewer, event))
    filters = CatalogueFilterForm(request.GET or None, participants=everyone)
    filters.is_valid()  # a value that is not a choice is dropped; the others still apply
    wanted = getattr(filters, "cleaned_data", {})
    search = selectors.search_catalogue(
        everyone,
        me,
        text=wanted.get("q") or "",
        hub=wanted.get("hub") or "",
        organization_type=wanted.get("type") or "",
        can_ask=bool(wanted.get("open")),
    )
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "me": me,
            "participants": search.found,
            "total": len(search.everyone),
            "filters": filters,
            "filtered": any(wanted.values()),
            "open_with": search.open_with,
            "announcements": selectors.announcements_for(me) if me is not None else [],
            "sessions": list(event.sessions.all()),
            "slot_count": event.slots.count(),
            "can_organize": services.can_organize(request.user, event),
            "registration_open": services.registration_open(event),
            "requests_open": services.requests_open(event),
            "over": event.is_published and selectors.event_over(event),
        },
    )


# --- registration --------------------------------------------------------------------------
@login_required
@not_found_as_404
def event_register(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    event = selectors.event_for_viewer(viewer, slug=slug)
    me = selectors.participant_for(request.user, event)
    organizations = list(own_organizations(viewer))
    zone_name = _viewer_zone(request)
    owners = [o.pk for o in organizations] if me is None else [me.organization_id]
    form = RegistrationForm(
        request.POST or None,
        event=event,
        organizations=organizations,
        slot_label=lambda slot: slot_label(slot, zone_name),
        with_organization=me is None,
        opportunities=selectors.linkable_opportunities(pk for pk in owners if pk is not None),
        initial=_registration_initial(me, request),
    )
    if request.method == "POST":
        try:
            values = validated(form)
            if me is None:
                services.participant_register(
                    event=event,
                    actor=signed_in_account(request),
                    organization=values.get("organization"),
                    values=values,
                )
                messages.success(
                    request, _("You are registered. Now ask other participants for meetings.")
                )
            else:
                services.participant_update(
                    participant=me, actor=signed_in_account(request), values=values
                )
                messages.success(request, _("Your registration is saved."))
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            show_error(form, error)
        else:
            return _back(request, event)
    return render(
        request,
        "events/register.html",
        {
            "event": event,
            "form": form,
            "me": me,
            "registration_open": services.registration_open(event),
        },
    )


def _registration_initial(me: Participant | None, request: HttpRequest) -> dict[str, Any]:
    if me is None:
        return {"language": getattr(request.user, "language", "es") or "es"}
    return {
        "attendees": me.attendees,
        "offer": me.offer,
        "seek": me.seek,
        "language": me.language,
        "standby": me.standby,
        "unavailable_slots": list(me.unavailable_slots.all()),
        "opportunities": list(me.opportunities.all()),
    }


def _my_registration(request: HttpRequest, slug: str) -> tuple[Event, Participant]:
    """The event and the viewer's own registration for it, else NotFound."""
    event = selectors.event_for_viewer(viewer_for(request.user), slug=slug)
    me = selectors.participant_for(request.user, event)
    if me is None:
        raise NotFound(_("You are not registered for this event."))
    return event, me


@login_required
@not_found_as_404
def event_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    """The participant withdraws: a page says what will happen (GET), then open requests
    are cancelled and meetings removed (POST)."""
    event, me = _my_registration(request, slug)
    if request.method != "POST":
        return render(
            request,
            "events/withdraw.html",
            {"event": event, "participant": me, "effects": selectors.withdrawal_effects(me)},
        )
    try:
        services.participant_cancel(participant=me, actor=signed_in_account(request))
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    messages.success(request, _("You withdrew from the event."))
    return _back(request, event)


@require_POST
@login_required
@not_found_as_404
def self_check_in(request: HttpRequest, slug: str) -> HttpResponse:
    """On the event day, a participant checks in from their agenda."""
    event, me = _my_registration(request, slug)
    try:
        services_schedule.participant_self_check_in(
            participant=me, actor=signed_in_account(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You are checked in. Enjoy your meetings!"))
    return redirect("events:agenda", slug=event.slug)


# --- meeting requests ----------------------------------------------------------------------
@login_required
@not_found_as_404
def meeting_request_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    event = selectors.event_for_viewer(viewer, slug=slug)
    target = selectors.participant_in_event(event, pk)
    me = selectors.participant_for(request.user, event)
    if me is None:
        messages.info(request, _("Register for the event before asking for meetings."))
        return redirect("events:register", slug=event.slug)
    form = MeetingRequestForm(request.POST or None)
    if request.method == "POST":
        try:
            values = validated(form)
            services.meeting_request_create(
                actor=signed_in_account(request),
                requester=me,
                target=target,
                message=values["message"],
                priority=values["priority"],
            )
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("Your request was sent to %(name)s.") % {"name": target.display_name},
            )
            return redirect("events:requests", slug=event.slug)
    return render(
        request,
        "events/request_new.html",
        {"event": event, "target": target, "form": form, "me": me},
    )


@login_required
@not_found_as_404
def suggestions(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    event = selectors.event_for_viewer(viewer, slug=slug)
    me = selectors.participant_for(request.user, event)
    if me is None:
        messages.info(request, _("Register for the event before asking for meetings."))
        return redirect("events:register", slug=event.slug)
    return render(
        request,
        "events/suggestions.html",
        {
            "event": event,
            "me": me,
            "suggestions": selectors.suggested_participants(viewer, me),
            "requests_open": services.requests_open(event),
        },
    )


@login_required
@not_found_as_404
def my_requests(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    event = selectors.event_for_viewer(viewer, slug=slug)
    me = selectors.participant_for(request.user, event)
    if me is None:
        messages.info(request, _("Register for the event to send and receive meeting requests."))
        return redirect("events:register", slug=event.slug)
    found = selectors.requests_of(me)
    return render(
        request,
        "events/requests.html",
        {
            "event": event,
            "me": me,
            "requests": found,
            # "Accept all" while accepting is possible (requests of a closed window can
            # only be declined).
            "pending_received": sum(
                item.status == RequestStatus.PENDING for item in found["received"]
            )
            if services.requests_open(event)
            else 0,
            "answer_form": AnswerForm(),
        },
    )


@login_required
@require_POST
@not_found_as_404
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    meeting_request = selectors.request_for_viewer(request.user, pk)
    event = meeting_request.event
    form = AnswerForm(request.POST)
    try:
        values = validated(form)
        services.meeting_request_answer(
            request=meeting_request,
            actor=signed_in_account(request),
            accept=values["accept"],
            message=values["message"],
        )
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if values["accept"]:
            messages.success(
                request, _("Meeting accepted: it will be on your agenda once scheduled.")
            )
        else:
            messages.success(request, _("Request declined."))
    return redirect("events:requests", slug=event.slug)


@login_required
@require_POST
@not_found_as_404
def requests_accept_all(request: HttpRequest, slug: str) -> HttpResponse:
    """Accept every pending request received, one by one; say which could not be."""
    event = selectors.event_for_viewer(viewer_for(request.user), slug=slug)
    me = selectors.participant_for(request.user, event)
    if me is None:
        raise NotFound(_("You are not registered for this event."))
    try:
        done = services.meeting_requests_accept_all(
            participant=me, actor=signed_in_account(request)
        )
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    if done.accepted:
        messages.success(
            request,
            ngettext(
                "%(count)s request accepted: the meetings will be on your agenda once scheduled.",
                "%(count)s requests accepted: the meetings will be on your agenda once scheduled.",
                done.accepted,
            )
            % {"count": done.accepted},
        )
    for refused, reason in done.refused:
        messages.error(
            request,
            _("%(name)s: not accepted. %(reason)s")
            % {"name": refused.requester.display_name, "reason": reason},
        )
    return redirect("events:requests", slug=event.slug)


@login_required
@require_POST
@not_found_as_404
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting_request = selectors.request_for_viewer(request.user, pk)
    try:
        services.meeting_request_cancel(request=meeting_request, actor=signed_in_account(request))
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Request cancelled."))
    return redirect("events:requests", slug=meeting_request.event.slug)


# --- agenda --------------------------------------------------------------------------------
def _agenda_participant(request: HttpRequest, event: Event) -> Participant:
    """The viewer's own registration, or (for organizers) the one named by ``?participant=``."""
    wanted = request.GET.get("participant", "")
    if wanted and services.can_organize(request.user, event):
        return participant_named(event, wanted)
    me = selectors.participant_for(request.user, event)
    if me is None:
        raise NotFound(_("You are not registered for this event."))
    if not (event.is_published or services.can_organize(request.user, event)):
        raise NotFound(_("The agenda is not published yet."))
    return me


@login_required
@not_found_as_404
def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    event = selectors.event_for_viewer(viewer, slug=slug)
    try:
        participant = _agenda_participant(request, event)
    except NotFound as error:
        return render(
            request,
            "events/agenda_unavailable.html",
            {"event": event, "message": error.message},
            status=404,
        )
    own = services.acts_for(request.user, participant)
    # "Their time": the viewer's own zone on their agenda, else (an organizer printing a
    # participant's agenda) the zone of the account that registered the participant.
    viewer_zone = _viewer_zone(request) if own else participant.user.time_zone
    rows = []
    items = selectors.agenda_of(participant, viewer)
    given = selectors.feedback_of(participant) if own else {}
    now = timezone.now()
    for item in items:
        rows.append(
            {
                "item": item,
                "feedback": given.get(item.meeting.pk),
                "feedback_open": own and services_feedback.feedback_open(event, item.slot, now),
                "mine_start": item.slot.starts_at.astimezone(zone_named(viewer_zone)),
                "mine_end": item.slot.ends_at.astimezone(zone_named(viewer_zone)),
                "event_start": item.slot.starts_at.astimezone(event.zone),
                "event_end": item.slot.ends_at.astimezone(event.zone),
            }
        )
    # On the event day, the meeting in progress or the next one, at the top.
    coming = next((i for i, item in enumerate(items) if item.slot.ends_at > now), None)
    if coming is not None and (
        not event.is_published or items[coming].slot.starts_at - now > selectors.EVENT_DAY_LEAD
    ):
        coming = None
    # Counterparts' directory profiles the viewer may open.
    profiles = {
        organization.pk
        for item in items
        if (organization := item.counterpart.organization) is not None
        and viewer.can_see(
            organization.profile_visibility,
            hub_ids=[organization.hub_id],
            organization_ids=[organization.pk],
        )
    }
    query = f"?participant={participant.pk}" if request.GET.get("participant") else ""
    # Once the event is over, subscribing and checking in have no use.
    ongoing = not selectors.event_over(event, now)
    code = check_in_qr(request, event, participant) if event.is_published and ongoing else ""
    feed_url = ""
    if own and participant.calendar_token:
        feed_url = request.build_absolute_uri(
            reverse("events:agenda_feed", kwargs={"key": participant.calendar_token})
        )
    return render(
        request,
        "events/agenda.html",
        {
            "event": event,
            "participant": participant,
            "rows": rows,
            "viewer_zone": viewer_zone,
            "own": own,
            "check_in_open": own and services_schedule.self_check_in_open(event),
            "profiles": profiles,
            "same_zone": viewer_zone == event.time_zone,
            "ics_url": reverse("events:agenda_ics", kwargs={"slug": event.slug}) + query,
            "feed_url": feed_url,
            "check_in_qr": code,
            "upcoming": rows[coming] if coming is not None else None,
            "upcoming_now": coming is not None and items[coming].slot.starts_at <= now,
            "ongoing": ongoing,
            # The "how it went" column once some meeting's time has come, not before.
            "show_feedback": any(row["feedback_open"] or row["feedback"] for row in rows),
            "check_in_code": selectors.check_in_code(participant),
            "webcal_url": webcal(feed_url) if feed_url else "",
        },
    )


@login_required
@not_found_as_404
def agenda_ics(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    event = selectors.event_for_viewer(viewer, slug=slug)
    return agenda_download(event, _agenda_participant(request, event))


@login_required
@not_found_as_404
def meeting_feedback(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A side of a meeting says whether it took place, how useful it was and what's next."""
    event, me = _my_registration(request, slug)
    meeting = selectors.meeting_of(me, pk)
    mine = selectors.feedback_of(me).get(meeting.pk)
    initial = (
        {
            "held": "1" if mine.held else "0",
            "rating": mine.rating,
            "outcome": mine.outcome,
            "note": mine.note,
        }
        if mine is not None
        else {"held": "1"}
    )
    form = FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            services_feedback.meeting_feedback_give(
                meeting=meeting,
                participant=me,
                actor=signed_in_account(request),
                values=validated(form),
            )
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Thank you: the organizers have your feedback."))
            return redirect(reverse("events:agenda", kwargs={"slug": event.slug}) + "#agenda")
    return render(
        request,
        "events/feedback.html",
        {
            "event": event,
            "meeting": meeting,
            "counterpart": meeting.other(me),
            "when": meeting.slot.starts_at.astimezone(event.zone) if meeting.slot else None,
            "form": form,
            "open": services_feedback.feedback_open(event, meeting.slot),
        },
    )


@require_POST
@login_required
@not_found_as_404
def agenda_feed_key(request: HttpRequest, slug: str) -> HttpResponse:
    """The participant asks for the address of their calendar subscription, or a new one."""
    event, me = _my_registration(request, slug)
    renew = request.POST.get("renew") == "1"
    try:
        services.calendar_feed_key(participant=me, actor=signed_in_account(request), renew=renew)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Your calendar has a new address: the old one no longer works.")
            if renew
            else _("Add this address to your calendar: it follows every change to your agenda."),
        )
    return redirect(reverse("events:agenda", kwargs={"slug": event.slug}) + "#subscribe")


@require_GET
def agenda_feed(request: HttpRequest, key: str) -> HttpResponse:
    """A participant's agenda as a calendar subscription: no sign-in, the secret key in the
    address is the permission. Calendar clients read it again every hour or so."""
    try:
        participant = selectors.participant_by_feed_key(key)
    except NotFound as error:
        raise Http404(error.message) from error
    items, cancelled = selectors.feed_of(participant)
    # In the language of the account that registered the participant: calendar clients
    # send no useful Accept-Language.
    with translation.override(participant.user.language or settings.LANGUAGE_CODE):
        body = agenda_calendar(
            participant.event, participant, items, cancelled, refresh=FEED_REFRESH
        )
    response = calendar_response(body, participant.event, inline=True)
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


def hubs_managed(user: Any) -> Any:
    viewer = viewer_for(user)
    hubs = Hub.objects.filter(is_active=True)
    return hubs if viewer.is_staff else hubs.filter(pk__in=viewer.managed_hub_ids)
