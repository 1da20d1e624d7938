"""Validation of brokerage-event input, shared by the web pages and the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from puente.core.forms import CodeChoiceField, CodeMultipleChoiceField, IdMultipleChoiceField
from puente.core.models import Hub, Visibility
from puente.core.timezones import common_time_zones
from puente.directory.models import Organization
from puente.events.models import (
    MAX_TABLES,
    Audience,
    Event,
    EventFormat,
    EventSession,
    EventStatus,
    MeetingOutcome,
    Participant,
    Slot,
)
from puente.marketplace.models import Opportunity

PRIORITY_CHOICES = [
    (1, _("Normal")),
    (2, _("High")),
    (3, _("Essential")),
]


class DateInput(forms.DateInput):
    """A date picker: browsers read only ISO dates, whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    """A date-and-time picker (ISO ``YYYY-MM-DDTHH:MM``, whatever the page's language)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class RoomLinksField(forms.CharField):
    """Links typed one per line, read as a list of web addresses (table 1 first)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list):
            return [str(item) for item in value]
        lines = [line.strip() for line in str(value or "").splitlines()]
        return [line for line in lines if line]

    def validate(self, value: Any) -> None:
        if len(value) > MAX_TABLES:
            raise forms.ValidationError(
                _("At most %(max)d links, one per table.") % {"max": MAX_TABLES}
            )
        check = forms.URLField(max_length=300, assume_scheme="https")
        for number, link in enumerate(value, start=1):
            try:
                check.clean(link)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("Line %(line)d is not a web address: %(link)s")
                    % {"line": number, "link": link[:80]}
                ) from None

    def clean(self, value: Any) -> list[str]:
        links = self.to_python(value)
        self.validate(links)
        check = forms.URLField(max_length=300, assume_scheme="https")
        return [check.clean(link) for link in links]

    def prepare_value(self, value: Any) -> str:
        return "\n".join(value) if isinstance(value, list) else str(value or "")


class EventForm(forms.Form):
    """An event's settings. The hubs offered are those the author manages."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    language = forms.ChoiceField(
        label=_("Language of the description"), choices=settings.CONTENT_LANGUAGES
    )
    hub = CodeChoiceField(
        label=_("Organizing hub"), queryset=Hub.objects.none(), to_field_name="slug"
    )
    other_hubs = CodeMultipleChoiceField(
        label=_("Joint with hubs"),
        queryset=Hub.objects.none(),
        to_field_name="slug",
        required=False,
    )
    time_zone = forms.ChoiceField(label=_("Time zone of the event"))
    format = forms.ChoiceField(label=_("Format"), choices=EventFormat.choices)
    venue = forms.CharField(label=_("Venue"), max_length=240, required=False)
    online_url = forms.URLField(
        label=_("Video link"), max_length=300, required=False, assume_scheme="https"
    )
    room_links = RoomLinksField(
        label=_("Video room links, one per table"),
        required=False,
        help_text=_(
            "Optional: one link per line, for table 1, 2, ... (Zoom, Meet or Teams rooms). "
            "Tables without one use the video link followed by the room number."
        ),
    )
    start_date = forms.DateField(label=_("First day"), widget=DateInput)
    end_date = forms.DateField(label=_("Last day"), widget=DateInput)
    slot_minutes = forms.IntegerField(
        label=_("Meeting length (minutes)"), min_value=5, max_value=240, initial=20
    )
    changeover_minutes = forms.IntegerField(
        label=_("Minutes between meetings"), min_value=0, max_value=60, initial=5
    )
    tables = forms.IntegerField(
        label=_("Tables (or video rooms) per slot"), min_value=1, max_value=MAX_TABLES, initial=10
    )
    registration_closes_at = forms.DateTimeField(
        label=_("Registration closes"), required=False, widget=DateTimeInput
    )
    requests_close_at = forms.DateTimeField(
        label=_("Meeting requests close"), required=False, widget=DateTimeInput
    )
    request_expiry_hours = forms.IntegerField(
        label=_("Hours to answer a request"), min_value=1, max_value=24 * 60, initial=72
    )
    max_requests_per_participant = forms.IntegerField(
        label=_("Meeting requests each participant may send"),
        min_value=1,
        max_value=200,
        initial=15,
    )
    max_meetings_per_participant = forms.IntegerField(
        label=_("Meetings each participant may hold"), min_value=1, max_value=200, initial=12
    )
    fairness = forms.IntegerField(
        label=_("Fairness bound on breaks"),
        min_value=0,
        max_value=50,
        initial=2,
        help_text=_(
            "Any two participants' numbers of breaks differ by at most this much, when possible."
        ),
    )
    visibility = forms.ChoiceField(label=_("Who sees the event"), choices=Visibility.choices)

    def __init__(self, *args: Any, hubs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        managed = hubs if hubs is not None else Hub.objects.filter(is_active=True)
        self.fields["hub"].queryset = managed  # type: ignore[attr-defined]
        self.fields["other_hubs"].queryset = Hub.objects.filter(is_active=True)  # type: ignore[attr-defined]
        zones = common_time_zones()
        self.fields["time_zone"].choices = [(z, z) for z in zones]  # type: ignore[attr-defined]


def event_initial(event: Event) -> dict[str, Any]:
    """An event's values as the form shows them."""
    data: dict[str, Any] = {
        name: getattr(event, name)
        for name in EventForm.base_fields
        if name not in ("hub", "other_hubs")
    }
    data["hub"] = event.hub.slug
    data["other_hubs"] = [hub.slug for hub in event.other_hubs.all()]
    return data


class SessionForm(forms.Form):
    """A session of slots: its day, start and end, and an optional pause."""

    name = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("For example: Morning, Afternoon.")
    )
    date = forms.DateField(label=_("Day"), widget=DateInput)
    start_time = forms.TimeField(label=_("Starts"), widget=TimeInput)
    end_time = forms.TimeField(label=_("Ends"), widget=TimeInput)
    break_start = forms.TimeField(label=_("Pause starts"), required=False, widget=TimeInput)
    break_minutes = forms.IntegerField(
        label=_("Pause length (minutes)"), min_value=0, max_value=240, required=False
    )


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


def _opportunity_with_organization(opportunity: Opportunity) -> str:
    return f"{opportunity.title} ({opportunity.organization.name})"


class RegistrationForm(forms.Form):
    """Registering for an event: for which organization, the catalogue entry, availability."""

    organization = forms.TypedChoiceField(
        label=_("Take part as"), coerce=int, empty_value=None, required=False
    )
    attendees = forms.CharField(
        label=_("Who will attend"),
        max_length=300,
        required=False,
        help_text=_(
            "Names and roles, e.g. Ana Gómez (CEO), Luis Ríos (sales). Shown to the other "
            "participants and the organizers, for the meetings and the check-in desk."
        ),
    )
    offer = forms.CharField(
        label=_("What you offer"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    seek = forms.CharField(
        label=_("What you seek"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.ChoiceField(
        label=_("Language of your profile"), choices=settings.CONTENT_LANGUAGES
    )
    standby = forms.BooleanField(
        label=_("On standby: I am happy to take meetings freed by participants who do not show up"),
        required=False,
    )
    unavailable_slots = IdMultipleChoiceField(
        label=_("Slots you cannot attend"),
        queryset=Slot.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opportunities = IdMultipleChoiceField(
        label=_("Your opportunities in the marketplace"),
        help_text=_(
            "Link your organization's published offers and requests: other participants see "
            "them, and the matching engine suggests meetings from them."
        ),
        queryset=Opportunity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        event: Event,
        organizations: list[Organization],
        slot_label: Any = str,
        with_organization: bool = True,
        opportunities: QuerySet[Opportunity] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organizations = {o.pk: o for o in organizations}
        choices: list[tuple[Any, str]] = [(o.pk, str(o.name)) for o in organizations]
        choices.append(("", str(_("Myself, without an organization"))))
        field = self.fields["organization"]
        if with_organization:
            field.choices = choices  # type: ignore[attr-defined]
            field.initial = organizations[0].pk if organizations else ""
        else:
            del self.fields["organization"]
        slots = self.fields["unavailable_slots"]
        slots.queryset = Slot.objects.filter(event=event).order_by("starts_at")  # type: ignore[attr-defined]
        slots.label_from_instance = slot_label  # type: ignore[attr-defined]
        # Only the live opportunities of the participating organization(s) can be linked;
        # someone taking part on their own has none to link.
        owners = (
            set(opportunities.values_list("organization_id", flat=True))
            if opportunities is not None
            else set()
        )
        if not owners:
            del self.fields["opportunities"]
        else:
            linked = self.fields["opportunities"]
            linked.queryset = opportunities  # type: ignore[attr-defined]
            if len(owners) > 1:
                linked.label_from_instance = _opportunity_with_organization  # type: ignore[attr-defined]

    def clean_organization(self) -> Organization | None:
        pk = self.cleaned_data.get("organization")
        if pk is None:
            return None
        return self.organizations.get(pk)


class MeetingRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say why you would like to meet."),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=PRIORITY_CHOICES, coerce=int, initial=1
    )


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("1", _("Accept")), ("0", _("Decline"))],
        coerce=lambda value: value == "1",
    )
    message = forms.CharField(label=_("Reply"), max_length=500, required=False)


class FeedbackForm(forms.Form):
    """One side's word on a meeting: did it take place, how useful, what comes next."""

    held = forms.TypedChoiceField(
        label=_("Did the meeting take place?"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    rating = forms.TypedChoiceField(
        label=_("How useful was it?"),
        choices=[("", _("No answer"))] + [(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("From 1 (not useful) to 5 (very useful)."),
    )
    outcome = forms.ChoiceField(
        label=_("What comes next?"),
        choices=[("", _("No answer")), *MeetingOutcome.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the organizers"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the organizers read it."),
    )


class MoveForm(forms.Form):
    """Placing a meeting by hand: a slot (empty takes it out) and an optional table."""

    slot = forms.ModelChoiceField(label=_("Slot"), queryset=Slot.objects.none(), required=False)
    table = forms.IntegerField(label=_("Table"), min_value=1, max_value=MAX_TABLES, required=False)
    lock = forms.BooleanField(label=_("Lock"), required=False, initial=True)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = Slot.objects.filter(event=event)  # type: ignore[attr-defined]


class AddMeetingForm(forms.Form):
    first = forms.ModelChoiceField(label=_("Participant"), queryset=Participant.objects.none())
    second = forms.ModelChoiceField(
        label=_("Other participant"), queryset=Participant.objects.none()
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=PRIORITY_CHOICES, coerce=int, initial=1
    )
    session = forms.ModelChoiceField(
        label=_("Required session"), queryset=EventSession.objects.none(), required=False
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        participants = Participant.objects.filter(event=event, status="registered").select_related(
            "organization", "user"
        )
        for name in ("first", "second"):
            self.fields[name].queryset = participants  # type: ignore[attr-defined]
            self.fields[name].label_from_instance = lambda p: p.display_name  # type: ignore[attr-defined]
        self.fields["session"].queryset = EventSession.objects.filter(event=event)  # type: ignore[attr-defined]


class RunForm(forms.Form):
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"), min_value=1, max_value=600, initial=20
    )
    seed = forms.IntegerField(
        label=_("Seed"), min_value=0, max_value=2**31 - 1, initial=0, required=False
    )
    tables = forms.IntegerField(
        min_value=1, max_value=MAX_TABLES, required=False, widget=forms.HiddenInput
    )
    advise_tables = forms.BooleanField(
        label=_("If the schedule is not proven optimal, check whether more tables would help"),
        help_text=_("Takes up to the time limit again, after the schedule is saved."),
        required=False,
        initial=True,
    )


#: The statuses an organizer sets by hand (publishing the agenda is its own action).
MANUAL_STATUSES = [
    ("draft", _("Draft")),
    ("open", pgettext_lazy("event", "Open")),
    ("cancelled", pgettext_lazy("event", "Cancelled")),
]


class StatusForm(forms.Form):
    """The event's status as the organizer sets it by hand. A published event also offers
    "Agenda published", selected, so saving the form as it is keeps the agenda published."""

    status = forms.ChoiceField(label=_("Status"), choices=MANUAL_STATUSES)

    def __init__(self, data: Any = None, *, event: Event) -> None:
        super().__init__(data, initial={"status": event.status})
        if event.status == EventStatus.PUBLISHED:
            field = self.fields["status"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(EventStatus.PUBLISHED.value, _("Agenda published")), *MANUAL_STATUSES]


class MeetingFilterForm(forms.Form):
    """The organizer's filters of the meeting list (a GET form: bad values are ignored)."""

    q = forms.CharField(label=_("Participant"), max_length=100, required=False)
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("all", _("All meetings")),
            ("unplaced", _("Not placed")),
            ("placed", _("Placed")),
            ("locked", pgettext_lazy("meetings", "Locked")),
        ],
    )
    slot = SlotChoiceField(
        label=_("Slot"), queryset=Slot.objects.none(), required=False, empty_label=_("All slots")
    )

    def __init__(
        self,
        *args: Any,
        slots: list[Slot],
        slot_label: Callable[[Slot], str] = str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["slot"]
        field.queryset = Slot.objects.filter(  # type: ignore[attr-defined]
            pk__in=[slot.pk for slot in slots]
        ).order_by("starts_at", "id")
        field.label_from_instance = slot_label  # type: ignore[attr-defined]


class CatalogueFilterForm(forms.Form):
    """Finding counterparts in an event's catalogue (a GET form: bad values are ignored):
    words to look for, the hub and type of organization, and whether to hide those the
    viewer already has a request with."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    hub = forms.ChoiceField(label=_("Hub"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    open = forms.BooleanField(label=_("Only those I can still ask"), required=False)

    def __init__(self, *args: Any, participants: list[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizations = [p.organization for p in participants if p.organization is not None]
        hubs = {o.hub.slug: o.hub.name for o in organizations}
        types = {o.type.code: o.type.label for o in organizations}
        for name, choices, everything in (
            ("hub", hubs, _("Every hub")),
            ("type", types, _("Every type")),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", everything), *sorted(choices.items(), key=_by_label)]


def _by_label(choice: tuple[str, str]) -> str:
    return str(choice[1]).casefold()


class AnnouncementForm(forms.Form):
    """The organizers' message to the participants."""

    audience = forms.ChoiceField(label=_("To"), choices=Audience.choices, initial=Audience.EVERYONE)
    message = forms.CharField(
        label=_("Message"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Sent in the app and by email to everyone who speaks for each participant; "
            "messages to every participant or to those on standby also stay on the event's page."
        ),
    )


class EventCopyForm(forms.Form):
    """The next edition of an event: its title and first day."""

    title = forms.CharField(label=_("Title"), max_length=200)
    start_date = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Sessions, registration and request windows move with it, at the same times of day."
        ),
    )
