"""Account forms: sign-up with consent, sign-in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from puente.accounts.models import ConsentPurpose
from puente.core.models import Hub
from puente.core.timezones import is_time_zone


class SignUpForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), max_length=128, help_text=_("At least 10 characters; not only numbers, not a common password."))
    home_hub = forms.ModelChoiceField(label=_("Your hub"), queryset=Hub.objects.none(), to_field_name="slug", empty_label=None)
    language = forms.ChoiceField(label=_("Language for emails and the site"), choices=settings.LANGUAGES)
    time_zone = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    consent_account = forms.BooleanField(label=ConsentPurpose.ACCOUNT.label, required=True, error_messages={"required": _("You must accept the privacy policy to create an account.")})
    consent_cross_border = forms.BooleanField(label=ConsentPurpose.CROSS_BORDER.label, required=False)
    consent_matching = forms.BooleanField(label=ConsentPurpose.MATCHING.label, required=False)
    consent_newsletter = forms.BooleanField(label=ConsentPurpose.NEWSLETTER.label, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_hub"].queryset = Hub.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["home_hub"].label_from_instance = lambda hub: hub.name  # type: ignore[attr-defined]

    def clean_time_zone(self) -> str:
        value = self.cleaned_data.get("time_zone") or ""
        return value if is_time_zone(value) else ""

    def consents(self) -> list[str]:
        return [purpose for purpose in ConsentPurpose.values if self.cleaned_data.get(f"consent_{purpose}")]


class SignInForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
    password = forms.CharField(label=_("Password"), max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
