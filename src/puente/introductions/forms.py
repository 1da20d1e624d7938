"""Input of introductions, shared by the web pages and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from puente.directory.models import Organization
from puente.directory.widgets import OrganizationPicker
from puente.introductions.models import OutcomeKind
from puente.marketplace.forms import MAX_AMOUNT
from puente.marketplace.models import CURRENCIES


class IntroductionRequestForm(forms.Form):
    """Ask to be introduced: on behalf of which organization, with a short message."""

    requester = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organization.objects.none(), empty_label=None
    )
    message = forms.CharField(
        label=_("Message to them"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Say who you are and what you would like to talk about. They see it before accepting."
        ),
    )

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["requester"].queryset = organizations  # type: ignore[attr-defined]


class BrokerForm(forms.Form):
    """A hub manager proposes to introduce two organizations to each other."""

    first = forms.ModelChoiceField(
        label=_("First organization"),
        queryset=Organization.objects.none(),
        widget=OrganizationPicker,
    )
    second = forms.ModelChoiceField(
        label=_("Second organization"),
        queryset=Organization.objects.none(),
        widget=OrganizationPicker,
    )
    message = forms.CharField(
        label=_("Why they should meet"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["first"].queryset = organizations  # type: ignore[attr-defined]
            self.fields["second"].queryset = organizations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") is not None and data.get("first") == data.get("second"):
            self.add_error("second", _("Choose two different organizations."))
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, shown to them)"), max_length=500, required=False
    )


class OutcomeForm(forms.Form):
    """What came of an accepted introduction."""

    kind = forms.ChoiceField(label=_("What happened"), choices=OutcomeKind.choices)
    occurred_on = forms.DateField(
        label=_("When"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    amount = forms.DecimalField(
        label=_("Amount (deals and investments)"),
        required=False,
        min_value=0,
        max_value=MAX_AMOUNT,
        max_digits=16,
        decimal_places=2,
    )
    currency = forms.ChoiceField(
        label=_("Currency"), choices=[("", "—"), *CURRENCIES], required=False
    )
    hires = forms.IntegerField(
        label=_("People hired"), required=False, min_value=1, max_value=10000
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"occurred_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_occurred_on(self) -> dt.date:
        return self.cleaned_data["occurred_on"]
