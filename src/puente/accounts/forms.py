"""Account forms: sign-up with consent, sign-in, passwords, profile settings, consents, tokens."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from puente.accounts.models import REQUIRED_CONSENTS, ConsentPurpose, EmailTopic, User
from puente.core.models import Hub
from puente.core.timezones import common_time_zones, is_time_zone, zone

PASSWORD_HELP = _("At least 10 characters; not only numbers, not a common password.")


def _password_field(label: Any, *, autocomplete: str, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=128,
        strip=False,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


def _hub_field(*, required: bool, help_text: Any = "") -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label=_("Your hub"),
        help_text=help_text,
        queryset=Hub.objects.filter(is_active=True),
        to_field_name="slug",
        required=required,
        empty_label=None if required else _("No home hub"),
        error_messages={"invalid_choice": _("Choose one of the hubs in the list.")},
    )
    field.label_from_instance = lambda hub: hub.name  # type: ignore[method-assign,assignment]
    return field


class SignUpForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    password = _password_field(_("Password"), autocomplete="new-password", help_text=PASSWORD_HELP)
    home_hub = _hub_field(required=True)
    language = forms.ChoiceField(
        label=_("Language for emails and the site"), choices=settings.LANGUAGES
    )
    time_zone = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    consent_account = forms.BooleanField(
        label=ConsentPurpose.ACCOUNT.label,
        required=True,
        error_messages={"required": _("You must accept the privacy policy to create an account.")},
    )
    consent_cross_border = forms.BooleanField(
        label=ConsentPurpose.CROSS_BORDER.label, required=False
    )
    consent_matching = forms.BooleanField(label=ConsentPurpose.MATCHING.label, required=False)
    consent_newsletter = forms.BooleanField(label=ConsentPurpose.NEWSLETTER.label, required=False)

    def clean_time_zone(self) -> str:
        value = self.cleaned_data.get("time_zone") or ""
        return value if is_time_zone(value) else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password:
            # Checked here too, so every problem is reported at once, not one per attempt.
            candidate = User(email=data.get("email") or "", full_name=data.get("full_name") or "")
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return data

    def consents(self) -> list[str]:
        return [
            purpose
            for purpose in ConsentPurpose.values
            if self.cleaned_data.get(f"consent_{purpose}")
        ]


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("The address you signed up with."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class NewPasswordForm(forms.Form):
    """A new password typed twice and checked against the password rules for this user."""

    new_password = _password_field(
        _("New password"), autocomplete="new-password", help_text=PASSWORD_HELP
    )
    new_password_confirm = _password_field(_("New password again"), autocomplete="new-password")

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_password(self) -> str:
        password: str = self.cleaned_data["new_password"]
        password_validation.validate_password(password, self.user)
        return password

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("new_password"), data.get("new_password_confirm")
        if first and second and first != second:
            self.add_error(
                "new_password_confirm",
                ValidationError(_("The two passwords do not match."), code="password_mismatch"),
            )
        return data


class ChangePasswordForm(NewPasswordForm):
    current_password = _password_field(_("Current password"), autocomplete="current-password")

    field_order = ["current_password", "new_password", "new_password_confirm"]


def _offset_label(name: str, now: dt.datetime) -> str:
    offset = now.astimezone(zone(name)).utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "\u2212"  # a true minus sign, as typeset
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def time_zone_choices(now: dt.datetime | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The pickable zones grouped by region, each labelled with its current UTC offset."""
    now = now or timezone.now()
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name in common_time_zones():
        region, _sep, place = name.partition("/")
        label = (place or region).replace("_", " ")
        groups[region if place else "UTC"].append((name, f"{label} ({_offset_label(name, now)})"))
    return list(groups.items())


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Language for emails and the site"), choices=settings.LANGUAGES
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Times are shown in this zone, with the hub's local time beside them."),
    )
    home_hub = _hub_field(
        required=False,
        help_text=_(
            "The hub whose members-only profiles you can see once your address is confirmed."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        time_zone = self.fields["time_zone"]
        assert isinstance(time_zone, forms.ChoiceField)
        time_zone.choices = time_zone_choices()
        time_zone.error_messages["invalid_choice"] = _("Choose a time zone from the list.")

    @classmethod
    def for_user(cls, user: User, data: Any = None) -> ProfileForm:
        initial = {
            "full_name": user.full_name,
            "language": user.language,
            "time_zone": user.time_zone,
            "home_hub": user.home_hub.slug if user.home_hub else None,
        }
        return cls(data, initial=initial)


class ConsentChangeForm(forms.Form):
    """Grant or withdraw one optional purpose."""

    purpose = forms.ChoiceField(
        choices=[
            (purpose.value, purpose.label)
            for purpose in ConsentPurpose
            if purpose not in REQUIRED_CONSENTS
        ]
    )
    granted = forms.TypedChoiceField(
        choices=[("1", _("Grant")), ("0", _("Withdraw"))], coerce=lambda value: value == "1"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purpose"].error_messages["invalid_choice"] = _(
            "This purpose cannot be changed here."
        )
        self.fields["granted"].error_messages["invalid_choice"] = _(
            "Choose to grant or to withdraw."
        )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("Where you will use it, e.g. “CRM sync” or “my laptop”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class EmailTopicsForm(forms.Form):
    """Which kinds of notification also come by email (ticked) or only in the app."""

    topics = forms.MultipleChoiceField(
        label=_("Email me about"),
        choices=EmailTopic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
