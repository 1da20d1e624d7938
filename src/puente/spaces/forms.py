"""Forms of the spaces pages: a booking (with repetition), a decision, office hours, a session."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from puente.core.models import Hub
from puente.core.timezones import common_time_zones

REPEAT_RULES = {"": "", "daily": "FREQ=DAILY", "weekly": "FREQ=WEEKLY", "monthly": "FREQ=MONTHLY"}


class BookingForm(forms.Form):
    """A booking on the space's wall clock; repeating builds an RFC 5545 rule."""

    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    attendees = forms.IntegerField(label=_("People"), min_value=1, max_value=10000, initial=1)
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)
    repeat = forms.ChoiceField(
        label=_("Repeat"),
        required=False,
        choices=[
            ("", _("Does not repeat")),
            ("daily", _("Every day")),
            ("weekly", _("Every week")),
            ("monthly", _("Every month")),
        ],
    )
    repeat_count = forms.IntegerField(
        label=_("Number of times"), min_value=2, max_value=100, required=False, initial=4
    )
    exceptions = forms.CharField(
        label=_("Leave out these days"),
        required=False,
        max_length=1000,
        help_text=_("Dates as YYYY-MM-DD, separated by commas."),
    )

    def __init__(self, *args: Any, time_zone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if time_zone:
            self.fields["start_time"].help_text = _("Local time of the space (%(zone)s).") % {
                "zone": time_zone
            }

    def clean_exceptions(self) -> list[dt.date]:
        raw = self.cleaned_data.get("exceptions") or ""
        days = []
        for part in raw.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                days.append(dt.date.fromisoformat(part))
            except ValueError as error:
                raise forms.ValidationError(
                    _("“%(value)s” is not a date as YYYY-MM-DD."), params={"value": part[:20]}
                ) from error
        return days

    @property
    def rule(self) -> str:
        repeat = self.cleaned_data.get("repeat") or ""
        if not repeat:
            return ""
        return f"{REPEAT_RULES[repeat]};COUNT={self.cleaned_data.get('repeat_count') or 2}"

    def local_interval(self) -> tuple[dt.datetime, dt.datetime]:
        day = self.cleaned_data["day"]
        return dt.datetime.combine(day, self.cleaned_data["start_time"]), dt.datetime.combine(
            day, self.cleaned_data["end_time"]
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note to the member"), max_length=500, required=False)


class OfficeHoursForm(forms.Form):
    """A mentor's weekly availability."""

    WEEKDAYS = [
        ("MO", _("Monday")),
        ("TU", _("Tuesday")),
        ("WE", _("Wednesday")),
        ("TH", _("Thursday")),
        ("FR", _("Friday")),
    ]

    hub = forms.ModelChoiceField(
        label=_("Hub"), queryset=Hub.objects.filter(is_active=True), to_field_name="slug"
    )
    weekday = forms.ChoiceField(label=_("Every"), choices=WEEKDAYS)
    first_day = forms.DateField(
        label=_("Starting on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    starts = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    time_zone = forms.ChoiceField(label=_("Time zone"))
    slot_minutes = forms.IntegerField(
        label=_("Slot length (minutes)"), min_value=10, max_value=240, initial=30
    )
    weekly_cap = forms.IntegerField(
        label=_("Most sessions per week"), min_value=1, max_value=50, initial=4
    )
    location = forms.CharField(label=_("Place or video link"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone_field: Any = self.fields["time_zone"]
        zone_field.choices = [(name, name) for name in common_time_zones()]

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "hub": data["hub"],
            "time_zone": data["time_zone"],
            "rule": f"FREQ=WEEKLY;BYDAY={data['weekday']}",
            "first_day": data["first_day"],
            "starts": data["starts"],
            "ends": data["ends"],
            "slot_minutes": data["slot_minutes"],
            "weekly_cap": data["weekly_cap"],
            "location": data["location"],
        }


class SessionBookingForm(forms.Form):
    slot = forms.DateTimeField(label=_("Slot"), widget=forms.HiddenInput)
    topic = forms.CharField(label=_("What would you like to talk about?"), max_length=300)


class SessionRecordForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", "—"), ("completed", _("Held")), ("no_show", _("No-show"))],
    )
    notes = forms.CharField(
        label=_("Private notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *[(str(value), str(value)) for value in range(1, 6)]],
    )
    feedback = forms.CharField(label=_("Feedback"), required=False, max_length=500)
