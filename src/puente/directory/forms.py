"""Validation of directory input, shared by the web forms, the API and the importer.

Relations are addressed by stable codes (taxonomy codes, hub slugs), so the same form
validates a browser form, a JSON body and a CSV row, with the same translated messages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.utils.translation import gettext_lazy as _

from puente.core.forms import CodeChoiceField, CodeMultipleChoiceField, bilingual_term_queryset
from puente.core.models import Hub, Visibility, Vocabulary
from puente.directory.models import CONTACT_VISIBILITY_CHOICES, CompanySize, Organization, Person

phone_validator = RegexValidator(
    r"^\+?[0-9 ().\-]{6,40}$",
    _("Enter a phone number with digits, spaces and an optional leading +."),
)

BLANK_CHOICE = [("", "—")]


def _hubs() -> Any:
    return Hub.objects.filter(is_active=True)


class OrganizationForm(forms.Form):
    """An organization's profile. ``instance`` is the organization being edited, if any."""

    name = forms.CharField(label=_("Name"), max_length=200)
    type = CodeChoiceField(
        label=_("Type"), queryset=bilingual_term_queryset(Vocabulary.ORGANIZATION_TYPE)
    )
    hub = CodeChoiceField(label=_("Home hub"), queryset=Hub.objects.none(), to_field_name="slug")
    other_hubs = CodeMultipleChoiceField(
        label=_("Also present in"),
        queryset=Hub.objects.none(),
        to_field_name="slug",
        required=False,
    )
    tagline = forms.CharField(label=_("One-line pitch"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    description_language = forms.ChoiceField(
        label=_("Description language"), choices=settings.CONTENT_LANGUAGES
    )
    description_translation = forms.CharField(
        label=_("Description in the other language"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    description_translation_language = forms.ChoiceField(
        label=_("Language of the translation"),
        choices=BLANK_CHOICE + list(settings.CONTENT_LANGUAGES),
        required=False,
    )
    sectors = CodeMultipleChoiceField(
        label=_("Sectors"), queryset=bilingual_term_queryset(Vocabulary.SECTOR), required=False
    )
    technologies = CodeMultipleChoiceField(
        label=_("Technologies"),
        queryset=bilingual_term_queryset(Vocabulary.TECHNOLOGY),
        required=False,
    )
    markets = CodeMultipleChoiceField(
        label=_("Markets served"),
        queryset=bilingual_term_queryset(Vocabulary.MARKET),
        required=False,
    )
    target_hubs = CodeMultipleChoiceField(
        label=_("Hubs it wants to reach"),
        queryset=Hub.objects.none(),
        to_field_name="slug",
        required=False,
    )
    stage = CodeChoiceField(
        label=_("Stage"), queryset=bilingual_term_queryset(Vocabulary.STAGE), required=False
    )
    size = forms.ChoiceField(
        label=_("Size"), choices=BLANK_CHOICE + list(CompanySize.choices), required=False
    )
    founded_year = forms.IntegerField(label=_("Founded (year)"), min_value=1800, required=False)
    website = forms.URLField(
        label=_("Website"), max_length=300, required=False, assume_scheme="https"
    )
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    address = forms.CharField(label=_("Address"), max_length=240, required=False)
    email = forms.EmailField(label=_("Contact email"), max_length=254, required=False)
    phone = forms.CharField(
        label=_("Contact phone"), max_length=40, required=False, validators=[phone_validator]
    )
    profile_visibility = forms.ChoiceField(
        label=_("Who sees the profile"), choices=Visibility.choices, initial=Visibility.PUBLIC
    )
    details_visibility = forms.ChoiceField(
        label=_("Who sees size, founding year and address"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
    )
    contact_visibility = forms.ChoiceField(
        label=_("Who sees contact details"),
        choices=CONTACT_VISIBILITY_CHOICES,
        initial=Visibility.MEMBERS,
        help_text=_("Contact details are never public."),
    )
    external_id = forms.CharField(
        label=_("External id"),
        max_length=100,
        required=False,
        help_text=_("Identifier in the system this record comes from."),
    )

    def __init__(self, *args: Any, instance: Organization | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance = instance
        for name in ("hub", "other_hubs", "target_hubs"):
            self.fields[name].queryset = _hubs()  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the organization's name."))
        return name

    def clean_founded_year(self) -> int | None:
        year = self.cleaned_data.get("founded_year")
        if year is not None and year > dt.date.today().year:
            raise forms.ValidationError(_("The founding year cannot be in the future."))
        return year

    def clean_external_id(self) -> str | None:
        value = (self.cleaned_data.get("external_id") or "").strip()
        if not value:
            return self.instance.external_id if self.instance is not None else None
        taken = Organization.objects.filter(external_id=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another organization already has this external id."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        translation, translation_language = (
            data.get("description_translation"),
            data.get("description_translation_language"),
        )
        if translation and not translation_language:
            self.add_error(
                "description_translation_language", _("Say which language the translation is in.")
            )
        if (
            translation
            and translation_language
            and translation_language == data.get("description_language")
        ):
            self.add_error(
                "description_translation_language",
                _("The translation must be in a different language from the description."),
            )
        hub = data.get("hub")
        if hub is not None and data.get("other_hubs"):
            data["other_hubs"] = [other for other in data["other_hubs"] if other.pk != hub.pk]
        return data


class PersonForm(forms.Form):
    """A person's directory profile."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    headline = forms.CharField(
        label=_("Headline"),
        max_length=200,
        required=False,
        help_text=_("For example: “Founder of a fintech, angel investor”."),
    )
    bio = forms.CharField(
        label=_("Biography"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    bio_language = forms.ChoiceField(
        label=_("Biography language"), choices=settings.CONTENT_LANGUAGES
    )
    hub = CodeChoiceField(label=_("Hub"), queryset=Hub.objects.none(), to_field_name="slug")
    expertise = CodeMultipleChoiceField(
        label=_("Expertise"),
        queryset=bilingual_term_queryset(Vocabulary.SECTOR, Vocabulary.TECHNOLOGY),
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), choices=settings.CONTENT_LANGUAGES, required=False
    )
    is_mentor = forms.BooleanField(label=_("I offer mentoring"), required=False)
    email = forms.EmailField(label=_("Contact email"), max_length=254, required=False)
    phone = forms.CharField(
        label=_("Contact phone"), max_length=40, required=False, validators=[phone_validator]
    )
    linkedin = forms.URLField(
        label=_("LinkedIn profile"), max_length=300, required=False, assume_scheme="https"
    )
    profile_visibility = forms.ChoiceField(
        label=_("Who sees the profile"), choices=Visibility.choices, initial=Visibility.PUBLIC
    )
    contact_visibility = forms.ChoiceField(
        label=_("Who sees contact details"),
        choices=CONTACT_VISIBILITY_CHOICES,
        initial=Visibility.MEMBERS,
        help_text=_("Contact details are never public."),
    )
    external_id = forms.CharField(label=_("External id"), max_length=100, required=False)

    def __init__(self, *args: Any, instance: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["hub"].queryset = _hubs()  # type: ignore[attr-defined]

    def clean_full_name(self) -> str:
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the person's name."))
        return name

    def clean_external_id(self) -> str | None:
        value = (self.cleaned_data.get("external_id") or "").strip()
        if not value:
            return self.instance.external_id if self.instance is not None else None
        taken = Person.objects.filter(external_id=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another person already has this external id."))
        return value


def organization_initial(organization: Organization) -> dict[str, Any]:
    """The form data that reproduces an organization as it is (for edits and partial updates)."""
    return {
        "name": organization.name,
        "type": organization.type.code,
        "hub": organization.hub.slug,
        "other_hubs": [hub.slug for hub in organization.other_hubs.all()],
        "tagline": organization.tagline,
        "description": organization.description,
        "description_language": organization.description_language,
        "description_translation": organization.description_translation,
        "description_translation_language": organization.description_translation_language,
        "sectors": [term.code for term in organization.sectors.all()],
        "technologies": [term.code for term in organization.technologies.all()],
        "markets": [term.code for term in organization.markets.all()],
        "target_hubs": [hub.slug for hub in organization.target_hubs.all()],
        "stage": organization.stage.code if organization.stage else "",
        "size": organization.size,
        "founded_year": organization.founded_year,
        "website": organization.website,
        "city": organization.city,
        "address": organization.address,
        "email": organization.email,
        "phone": organization.phone,
        "profile_visibility": organization.profile_visibility,
        "details_visibility": organization.details_visibility,
        "contact_visibility": organization.contact_visibility,
        "external_id": organization.external_id or "",
    }


def person_initial(person: Person) -> dict[str, Any]:
    return {
        "full_name": person.full_name,
        "headline": person.headline,
        "bio": person.bio,
        "bio_language": person.bio_language,
        "hub": person.hub.slug,
        "expertise": [term.code for term in person.expertise.all()],
        "languages": list(person.languages or []),
        "is_mentor": person.is_mentor,
        "email": person.email,
        "phone": person.phone,
        "linkedin": person.linkedin,
        "profile_visibility": person.profile_visibility,
        "contact_visibility": person.contact_visibility,
        "external_id": person.external_id or "",
    }


class ClaimForm(forms.Form):
    """A signed-in member asks the hub to let them manage an organization's profile."""

    role_title = forms.CharField(label=_("Your role in the organization"), max_length=120)
    message = forms.CharField(
        label=_("Message to the hub team"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "How can the hub confirm you represent it? For example, your work email domain."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_friendly_messages(self)


def use_friendly_messages(form: forms.BaseForm) -> None:
    """Speak to the person filling in a web form directly (tú in Spanish), more helpfully than
    Django's generic messages, which its Spanish catalog words formally."""
    for field in form.fields.values():
        messages: dict[str, Any] = {}
        if isinstance(field, forms.URLField):
            messages["invalid"] = _("Enter a complete web address, such as https://example.org.")
        elif isinstance(field, forms.EmailField):
            messages["invalid"] = _("Enter a valid email address, such as name@example.org.")
        elif isinstance(field, forms.IntegerField):
            messages["invalid"] = _("Enter a whole number.")
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            messages["invalid_choice"] = _(
                "“%(value)s” is not one of the options; choose one from the list."
            )
        field.error_messages = {**field.error_messages, **messages}
        field.validators = [_friendly_validator(validator) for validator in field.validators]


def _friendly_validator(validator: Any) -> Any:
    # Validators are shared between form instances, so replace them rather than edit them.
    if isinstance(validator, MaxLengthValidator):
        return MaxLengthValidator(
            validator.limit_value,
            message=_("Keep it to %(limit_value)d characters or fewer (it has %(show_value)d)."),
        )
    if isinstance(validator, MinValueValidator):
        return MinValueValidator(validator.limit_value, message=_("Enter %(limit_value)s or more."))
    if isinstance(validator, MaxValueValidator):
        return MaxValueValidator(validator.limit_value, message=_("Enter %(limit_value)s or less."))
    return validator
