"""The organizer's pages: creating and editing an event, its sessions, the scheduler with its
progress, manual adjustments of the schedule, statistics and publishing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from puente.accounts.viewer import viewer_for
from puente.core.errors import DomainError, NotFound, PermissionDenied
from puente.core.forms import show_error, validated
from puente.core.models import Hub
from puente.core.spreadsheets import csv_bytes
from puente.directory.views import forbidden_page, is_fragment_request, signed_in_account
from puente.events import selectors, services, services_announcements, services_schedule
from puente.events.forms import (
    AddMeetingForm,
    AnnouncementForm,
    EventCopyForm,
    EventForm,
    MeetingFilterForm,
    MoveForm,
    RunForm,
    SessionForm,
    StatusForm,
    event_initial,
)
from puente.events.models import Event, EventSession, EventStatus, Meeting, Participant
from puente.events.views import (
    check_in_qr,
    hubs_managed,
    not_found_as_404,
    participant_named,
    slot_label,
    slot_labels,
)


def _organized_event(request: HttpRequest, slug: str) -> Event:
    event = selectors.event_for_viewer(viewer_for(request.user), slug=slug)
    services.require_organizer(request.user, event)
    return event


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    hubs = hubs_managed(request.user)
    if not hubs.exists():
        return forbidden_page(request, _("Only hub managers can create events."))
    first = hubs.first()
    form = EventForm(
        request.POST or None,
        hubs=hubs,
        initial={
            "hub": first.slug if first else "",
            "time_zone": first.time_zone if first else "UTC",
            "language": request.LANGUAGE_CODE,
        },
    )
    if request.method == "POST":
        try:
            event = services.event_create(actor=signed_in_account(request), values=validated(form))
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(
                request, _("Event created. Add its sessions, then open it for registration.")
            )
            return redirect("events:organize", slug=event.slug)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@login_required
@not_found_as_404
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organized_event(request, slug)
    # The current hub stays a choice for a joint hub's manager, who may not move the event.
    hubs = hubs_managed(request.user) | Hub.objects.filter(pk=event.hub_id)
    form = EventForm(request.POST or None, hubs=hubs.distinct(), initial=event_initial(event))
    if request.method == "POST":
        try:
            values = validated(form)
            services.event_update(event=event, actor=signed_in_account(request), values=values)
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("events:organize", slug=event.slug)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
@not_found_as_404
def event_copy(request: HttpRequest, slug: str) -> HttpResponse:
    """Start the next edition from this one: same settings and sessions, new dates."""
    event = _organized_event(request, slug)
    form = EventCopyForm(request.POST or None, initial={"title": event.title})
    if request.method == "POST":
        try:
            values = validated(form)
            copy = services.event_copy(
                event=event,
                actor=signed_in_account(request),
                title=values["title"],
                start_date=values["start_date"],
            )
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "The new edition is a draft with the same settings and sessions. Check its "
                    "dates and windows, then open it for registration."
                ),
            )
            return redirect("events:organize", slug=copy.slug)
    return render(request, "events/event_copy.html", {"event": event, "form": form})


@login_required
@not_found_as_404
def organize(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organized_event(request, slug)
    meetings = selectors.meetings_of(event)
    zone_name = event.time_zone
    slots = list(selectors.slots_of(event))
    filters = MeetingFilterForm(
        request.GET or None, slots=slots, slot_label=lambda slot: slot_label(slot, zone_name)
    )
    wanted = filters.cleaned_data if filters.is_valid() else {}
    shown = selectors.filter_meetings(
        meetings,
        text=wanted.get("q") or "",
        show=wanted.get("show") or "all",
        slot_id=wanted["slot"].pk if wanted.get("slot") else None,
    )
    page = Paginator(shown, MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    slot_now, slot_next = selectors.now_and_next(event, slots, meetings, timezone.now())
    return render(
        request,
        "events/organize.html",
        {
            "event": event,
            "sessions": list(event.sessions.all()),
            "slots": slots,
            "slot_labels": {slot.pk: slot_label(slot, zone_name) for slot in slots},
            "meetings": meetings,
            "page": page,
            "filters": filters,
            "filter_query": query.urlencode(),
            "grid": selectors.schedule_grid(event, slots, meetings)
            if event.tables <= GRID_MAX_TABLES
            else None,
            "grid_max_tables": GRID_MAX_TABLES,
            "stats": selectors.event_statistics(event, meetings),
            "slot_now": slot_now,
            "slot_next": slot_next,
            "feedback": selectors.feedback_summary(event),
            "run": selectors.latest_run(event),
            "session_form": SessionForm(),
            "run_form": RunForm(),
            "add_form": AddMeetingForm(event=event),
            "status_form": StatusForm(event=event),
            "participants": {
                p.pk: p for p in selectors.alphabetical(selectors.participants_of(event))
            },
        },
    )


#: Meetings per page of the organizer's list (each row carries its own move form).
MEETINGS_PER_PAGE = 50
#: Widest event whose slots-by-tables grid is drawn (wider ones use the list's filters).
GRID_MAX_TABLES = 40


@login_required
@not_found_as_404
def schedule_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The whole schedule as a spreadsheet, times in the event's zone."""
    event = _organized_event(request, slug)
    return _csv_download(selectors.schedule_rows(event), f"{event.slug}-schedule.csv")


@login_required
@not_found_as_404
def results(request: HttpRequest, slug: str) -> HttpResponse:
    """The event's results on one printable page, for the funders' report."""
    event = _organized_event(request, slug)
    now = timezone.now()
    return render(
        request,
        "events/results.html",
        {"event": event, "results": selectors.event_results(event, now), "now": now},
    )


@login_required
@not_found_as_404
def participants_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Every participant with its catalogue entry, requests, meetings and check-in."""
    event = _organized_event(request, slug)
    return _csv_download(selectors.participant_rows(event), f"{event.slug}-participants.csv")


@login_required
@not_found_as_404
def feedback_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Every answer on how the meetings went, as a spreadsheet for the funders' report."""
    event = _organized_event(request, slug)
    return _csv_download(selectors.feedback_rows(event), f"{event.slug}-feedback.csv")


@login_required
@not_found_as_404
def badges(request: HttpRequest, slug: str) -> HttpResponse:
    """Name badges to print for the event day, each with its participant's check-in QR
    code; ``?participant=<id>`` prints one participant's again."""
    event = _organized_event(request, slug)
    chosen = (
        participant_named(event, request.GET["participant"])
        if "participant" in request.GET
        else None
    )
    badges = selectors.badges_of(event, chosen.pk if chosen else None)
    return render(
        request,
        "events/badges.html",
        {
            "event": event,
            "chosen": chosen,
            "badges": [(b, check_in_qr(request, event, b.participant)) for b in badges],
        },
    )


@login_required
@not_found_as_404
def agendas_print(request: HttpRequest, slug: str) -> HttpResponse:
    """Every participant's agenda, one to a page, with their check-in code: the packet
    the desk hands out (times in the event's zone)."""
    event = _organized_event(request, slug)
    return render(
        request,
        "events/agendas_print.html",
        {
            "event": event,
            "agendas": [
                (participant, meetings, check_in_qr(request, event, participant))
                for participant, meetings in selectors.all_agendas(event)
            ],
            "slot_labels": slot_labels(event),
        },
    )


@login_required
@not_found_as_404
def table_cards(request: HttpRequest, slug: str) -> HttpResponse:
    """One printed card per table: who meets at it, slot by slot, for the table's host
    and the participants looking for their table."""
    event = _organized_event(request, slug)
    return render(
        request,
        "events/table_cards.html",
        {
            "event": event,
            "cards": selectors.table_cards(event),
            "slot_labels": slot_labels(event),
        },
    )


@login_required
@not_found_as_404
def announcements(request: HttpRequest, slug: str) -> HttpResponse:
    """Write to the participants (in the app and by email) and see what was sent."""
    event = _organized_event(request, slug)
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST":
        try:
            values = validated(form)
            sent = services_announcements.announcement_send(
                event=event,
                actor=signed_in_account(request),
                message=values["message"],
                audience=values["audience"],
            )
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Message sent to %(count)s person.",
                    "Message sent to %(count)s people.",
                    sent.recipients,
                )
                % {"count": sent.recipients},
            )
            return redirect("events:announcements", slug=event.slug)
    return render(
        request,
        "events/announcements.html",
        {
            "event": event,
            "form": form,
            "sent": selectors.announcements_of(event),
            "can_send": event.status in (EventStatus.OPEN, EventStatus.PUBLISHED),
        },
    )


def _csv_download(rows: list[list[Any]], filename: str) -> HttpResponse:
    response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _organizer_action(
    request: HttpRequest, slug: str, action: Callable[[Event], str | None], anchor: str = ""
) -> HttpResponse:
    """Run one organizer action and come back to the organizer's page with its message."""
    try:
        event = _organized_event(request, slug)
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    try:
        success = action(event)
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if success:
            messages.success(request, success)
    return redirect(reverse("events:organize", kwargs={"slug": event.slug}) + anchor)


def _form_values(form: Any) -> dict[str, Any]:
    return validated(form)


@login_required
@require_POST
@not_found_as_404
def session_add(request: HttpRequest, slug: str) -> HttpResponse:
    def action(event: Event) -> str:
        values = _form_values(SessionForm(request.POST))
        session = services.event_session_add(
            event=event, actor=signed_in_account(request), values=values
        )
        return _("Session added with %(count)d slots.") % {"count": session.slots.count()}

    return _organizer_action(request, slug, action)


@login_required
@require_POST
@not_found_as_404
def session_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def action(event: Event) -> str:
        session = EventSession.objects.filter(event=event, pk=pk).first()
        if session is None:
            raise NotFound(_("There is no such session."))
        services.event_session_remove(session=session, actor=signed_in_account(request))
        return _("Session removed.")

    return _organizer_action(request, slug, action)


@login_required
@require_POST
@not_found_as_404
def event_status(request: HttpRequest, slug: str) -> HttpResponse:
    def action(event: Event) -> str:
        values = _form_values(StatusForm(request.POST, event=event))
        services.event_set_status(
            event=event, actor=signed_in_account(request), status=values["status"]
        )
        return _("The event's status is saved.")

    return _organizer_action(request, slug, action)


@login_required
@require_POST
@not_found_as_404
def run_start(request: HttpRequest, slug: str) -> HttpResponse:
    def action(event: Event) -> str:
        values = _form_values(RunForm(request.POST))
        services_schedule.schedule_run_start(
            event=event,
            actor=signed_in_account(request),
            time_limit=values["time_limit"],
            seed=values.get("seed") or 0,
            advise_tables=bool(values.get("advise_tables")),
            tables=values.get("tables"),
        )
        return _("The scheduler is running; its progress shows below.")

    return _organizer_action(request, slug, action)


@login_required
@not_found_as_404
def run_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _organized_event(request, slug)
    run = selectors.run_for_event(event, pk)
    template = "events/_run.html" if is_fragment_request(request) else "events/run.html"
    return render(request, template, {"event": event, "run": run})


def _meeting_of(event: Event, pk: int) -> Meeting:
    meeting = Meeting.objects.filter(event=event, pk=pk).select_related("event").first()
    if meeting is None:
        raise NotFound(_("There is no such meeting."))
    return meeting


@login_required
@require_POST
@not_found_as_404
def meeting_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def action(event: Event) -> str:
        meeting = _meeting_of(event, pk)
        values = _form_values(MoveForm(request.POST, event=event))
        services_schedule.meeting_move(
            meeting=meeting,
            actor=signed_in_account(request),
            slot=values.get("slot"),
            table=values.get("table"),
            lock=values.get("lock", False),
        )
        return (
            _("Meeting moved.") if values.get("slot") else _("Meeting taken out of the schedule.")
        )

    return _organizer_action(request, slug, action)


@login_required
@require_POST
@not_found_as_404
def meeting_lock(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def action(event: Event) -> str:
        meeting = _meeting_of(event, pk)
        locked = request.POST.get("locked") == "1"
        services_schedule.meeting_set_lock(
            meeting=meeting, actor=signed_in_account(request), locked=locked
        )
        return _("Meeting locked.") if locked else _("Meeting unlocked.")

    return _organizer_action(request, slug, action)


@login_required
@require_POST
@not_found_as_404
def meeting_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def action(event: Event) -> str:
        meeting = _meeting_of(event, pk)
        services_schedule.meeting_remove(meeting=meeting, actor=signed_in_account(request))
        return _("Meeting removed.")

    return _organizer_action(request, slug, action)


@login_required
@require_POST
@not_found_as_404
def meeting_add(request: HttpRequest, slug: str) -> HttpResponse:
    def action(event: Event) -> str:
        values = _form_values(AddMeetingForm(request.POST, event=event))
        services_schedule.meeting_add(
            event=event,
            actor=signed_in_account(request),
            first=values["first"],
            second=values["second"],
            priority=values["priority"],
            session=values.get("session"),
        )
        return _("Meeting added. Run the scheduler or place it by hand.")

    return _organizer_action(request, slug, action)


@login_required
@require_POST
@not_found_as_404
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    def action(event: Event) -> str:
        services_schedule.event_publish(event=event, actor=signed_in_account(request))
        return _("The agenda is published and every participant has been told.")

    return _organizer_action(request, slug, action)


def _participant_of(event: Event, pk: int) -> Participant:
    participant = (
        Participant.objects.filter(event=event, pk=pk).select_related("event__hub").first()
    )
    if participant is None:
        raise NotFound(_("There is no such participant at this event."))
    return participant


@login_required
@require_POST
@not_found_as_404
def participant_check_in(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def action(event: Event) -> str:
        participant = _participant_of(event, pk)
        present = request.POST.get("present", "1") == "1"
        services_schedule.participant_check_in(
            participant=participant, actor=signed_in_account(request), present=present
        )
        if present:
            return _("%(name)s checked in.") % {"name": participant.display_name}
        return _("Check-in of %(name)s undone.") % {"name": participant.display_name}

    return _organizer_action(request, slug, action)


@login_required
@not_found_as_404
def check_in_by_code(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """An organizer scanned a participant's check-in code with a phone: who it is, their
    meetings and state (GET), and one tap to check them in (POST)."""
    event = selectors.event_for_viewer(viewer_for(request.user), slug=slug)
    if not services.can_organize(request.user, event):
        return forbidden_page(
            request,
            _("This is a participant's check-in code: the organizers scan it at the desk."),
        )
    participant = selectors.participant_by_check_in_code(event, code)
    if request.method == "POST":
        try:
            services_schedule.participant_check_in(
                participant=participant, actor=signed_in_account(request)
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("%(name)s checked in.") % {"name": participant.display_name}
            )
        return redirect("events:check_in_code", slug=event.slug, code=code)
    meetings = selectors.agenda_of(participant)
    return render(
        request,
        "events/check_in_code.html",
        {
            "event": event,
            "participant": participant,
            "meetings": meetings,
            "first_at": meetings[0].slot.starts_at.astimezone(event.zone) if meetings else None,
        },
    )


@login_required
@require_POST
@not_found_as_404
def check_in_scan(request: HttpRequest, slug: str) -> HttpResponse:
    """The check-in desk: a scanner (or a person) types a participant's code or its
    address into the organizer's page, and they are checked in."""

    def action(event: Event) -> str:
        participant = selectors.participant_by_check_in_code(event, request.POST.get("code", ""))
        services_schedule.participant_check_in(
            participant=participant, actor=signed_in_account(request)
        )
        return _("%(name)s checked in.") % {"name": participant.display_name}

    return _organizer_action(request, slug, action, anchor="#day-heading")


@login_required
@require_POST
@not_found_as_404
def participant_no_show(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def action(event: Event) -> str:
        participant = _participant_of(event, pk)
        count = services_schedule.participant_mark_no_show(
            participant=participant, actor=signed_in_account(request)
        )
        return _(
            "%(name)s marked as not showing up; %(count)d freed meetings went to participants on standby."
        ) % {"name": participant.display_name, "count": count}

    return _organizer_action(request, slug, action)
