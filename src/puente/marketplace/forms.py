"""Validation of opportunities, shared by the web form, the API and the importer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from puente.core.forms import CodeChoiceField, CodeMultipleChoiceField, bilingual_term_queryset
from puente.core.models import Hub, Visibility, Vocabulary
from puente.directory.models import Organization
from puente.marketplace.models import CURRENCIES, Opportunity, ProfileType, Side

MAX_AMOUNT = Decimal("99999999999999")


class OpportunityForm(forms.Form):
    """An offer or a request. ``organization`` is resolved by the caller (web, API, importer)."""

    side = forms.ChoiceField(label=_("Offer or request"), choices=Side.choices)
    kind = CodeChoiceField(
        label=_("Kind"), queryset=bilingual_term_queryset(Vocabulary.CONNECTION_KIND)
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=8000, widget=forms.Textarea(attrs={"rows": 8})
    )
    language = forms.ChoiceField(
        label=_("Language of the text"), choices=settings.CONTENT_LANGUAGES
    )
    hub = CodeChoiceField(label=_("Hub"), queryset=Hub.objects.none(), to_field_name="slug")
    target_hubs = CodeMultipleChoiceField(
        label=_("Looking for counterparts in"),
        queryset=Hub.objects.none(),
        to_field_name="slug",
        required=False,
        help_text=_("Leave empty for any hub."),
    )
    sectors = CodeMultipleChoiceField(
        label=_("Sectors"), queryset=bilingual_term_queryset(Vocabulary.SECTOR), required=False
    )
    technologies = CodeMultipleChoiceField(
        label=_("Technologies"),
        queryset=bilingual_term_queryset(Vocabulary.TECHNOLOGY),
        required=False,
    )
    stages = CodeMultipleChoiceField(
        label=_("Company stages"),
        queryset=bilingual_term_queryset(Vocabulary.STAGE),
        required=False,
    )
    amount_min = forms.DecimalField(
        label=_("Minimum amount"),
        required=False,
        min_value=0,
        max_value=MAX_AMOUNT,
        max_digits=16,
        decimal_places=2,
    )
    amount_max = forms.DecimalField(
        label=_("Maximum amount"),
        required=False,
        min_value=0,
        max_value=MAX_AMOUNT,
        max_digits=16,
        decimal_places=2,
    )
    currency = forms.ChoiceField(
        label=_("Currency"), choices=[("", "—"), *CURRENCIES], required=False
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    profile_type = forms.ChoiceField(
        label=_("Partnering profile type"),
        choices=[("", "—"), *ProfileType.choices],
        required=False,
    )
    visibility = forms.ChoiceField(
        label=_("Who sees it"), choices=Visibility.choices, initial=Visibility.PUBLIC
    )
    external_id = forms.CharField(label=_("External id"), max_length=100, required=False)

    def __init__(self, *args: Any, instance: Opportunity | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance = instance
        for name in ("hub", "target_hubs"):
            self.fields[name].queryset = Hub.objects.filter(is_active=True)  # type: ignore[attr-defined]

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if len(title) < 5:
            raise forms.ValidationError(_("Write a title of at least 5 characters."))
        return title

    def clean_description(self) -> str:
        description = self.cleaned_data["description"].strip()
        if len(description) < 20:
            raise forms.ValidationError(
                _("Describe it in at least 20 characters so others can judge the fit.")
            )
        return description

    def clean_deadline(self) -> dt.date | None:
        deadline = self.cleaned_data.get("deadline")
        if (
            deadline is not None
            and deadline < dt.date.today()
            and (self.instance is None or self.instance.deadline != deadline)
        ):
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return deadline

    def clean_external_id(self) -> str | None:
        value = (self.cleaned_data.get("external_id") or "").strip()
        if not value:
            return self.instance.external_id if self.instance is not None else None
        taken = Opportunity.objects.filter(external_id=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another opportunity already has this external id."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high, currency = data.get("amount_min"), data.get("amount_max"), data.get("currency")
        if (low is not None or high is not None) and not currency:
            self.add_error("currency", _("Say which currency the amounts are in."))
        if low is not None and high is not None and low > high:
            self.add_error(
                "amount_max", _("The maximum amount must not be lower than the minimum.")
            )
        return data


class InterestForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organization.objects.none(), empty_label=None
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


def opportunity_initial(opportunity: Opportunity) -> dict[str, Any]:
    return {
        "side": opportunity.side,
        "kind": opportunity.kind.code,
        "title": opportunity.title,
        "description": opportunity.description,
        "language": opportunity.language,
        "hub": opportunity.hub.slug,
        "target_hubs": [hub.slug for hub in opportunity.target_hubs.all()],
        "sectors": [term.code for term in opportunity.sectors.all()],
        "technologies": [term.code for term in opportunity.technologies.all()],
        "stages": [term.code for term in opportunity.stages.all()],
        "amount_min": opportunity.amount_min,
        "amount_max": opportunity.amount_max,
        "currency": opportunity.currency,
        "deadline": opportunity.deadline,
        "profile_type": opportunity.profile_type,
        "visibility": opportunity.visibility,
        "external_id": opportunity.external_id or "",
    }
