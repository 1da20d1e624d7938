"""Forms shared by the web app and the API: programs, calls and their form builder, the
application form built from a call's typed fields, reviews, decisions, checklist items, surveys."""

from __future__ import annotations

import os
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from puente.core.forms import CodeChoiceField
from puente.core.models import Hub, TaxonomyTerm
from puente.directory.models import Organization
from puente.directory.widgets import OrganizationPicker
from puente.landing.models import (
    CURRENCIES,
    EVIDENCE_EXTENSIONS,
    EVIDENCE_MAX_MB,
    Criterion,
    Direction,
    FieldKind,
    FormField,
    ItemState,
    ScreeningChoice,
    ScreeningOutcome,
    Service,
)

#: Extensions a call may allow for uploads (what reviewers can open safely).
KNOWN_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "txt", "csv", "xlsx", "docx", "pptx")
#: Upload size ceiling regardless of a field's own limit.
MAX_UPLOAD_MB = 20


class ProgramForm(forms.Form):
    hub = CodeChoiceField(
        queryset=Hub.objects.filter(is_active=True), to_field_name="slug", label=_("Run by hub")
    )
    destination_hub = CodeChoiceField(
        queryset=Hub.objects.filter(is_active=True),
        to_field_name="slug",
        label=_("Destination hub"),
        help_text=_("Where admitted companies land; its checklist is used."),
    )
    direction = forms.ChoiceField(choices=Direction.choices, label=_("Direction"))
    slug = forms.SlugField(max_length=80, label=_("Address name"))
    name_en = forms.CharField(max_length=160, label=_("Name (English)"))
    name_es = forms.CharField(max_length=160, label=_("Name (Spanish)"))
    summary_en = forms.CharField(
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Summary (English)"),
    )
    summary_es = forms.CharField(
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Summary (Spanish)"),
    )
    services = forms.MultipleChoiceField(
        choices=Service.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Services offered"),
    )
    capacity = forms.IntegerField(
        min_value=1, max_value=1000, initial=10, label=_("Companies per call")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hub, destination, direction = (
            data.get("hub"),
            data.get("destination_hub"),
            data.get("direction"),
        )
        if hub and destination and direction:
            if direction == Direction.INBOUND and hub != destination:
                self.add_error(
                    "destination_hub", _("An arriving program lands companies in its own hub.")
                )
            if direction == Direction.OUTBOUND and hub == destination:
                self.add_error(
                    "destination_hub", _("A departing program lands companies in another hub.")
                )
        return data


class CallForm(forms.Form):
    """A call; opening and closing are wall-clock times in the program's hub time zone."""

    title_en = forms.CharField(max_length=160, label=_("Title (English)"))
    title_es = forms.CharField(max_length=160, label=_("Title (Spanish)"))
    eligibility_en = forms.CharField(
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Eligibility (English)"),
    )
    eligibility_es = forms.CharField(
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Eligibility (Spanish)"),
    )
    opens_local = forms.DateTimeField(
        label=_("Opens (hub time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    closes_local = forms.DateTimeField(
        label=_("Closes (hub time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reviewers_per_application = forms.IntegerField(
        min_value=1, max_value=10, initial=2, label=_("Reviewers per application")
    )
    hide_scores_until_submitted = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Reviewers see others' scores only after submitting theirs"),
    )
    has_screening = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Screening round before scoring"),
        help_text=_("Screeners vote pass or fail first; only applications that pass are scored."),
    )
    screeners_per_application = forms.IntegerField(
        min_value=1,
        max_value=10,
        initial=2,
        required=False,
        label=_("Screeners per application"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_local"), data.get("closes_local")
        # Compare wall-clock readings: both are in the same hub zone.
        if opens and closes and closes.replace(tzinfo=None) <= opens.replace(tzinfo=None):
            self.add_error("closes_local", _("The call must close after it opens."))
        if data.get("screeners_per_application") is None:
            data["screeners_per_application"] = 2
        return data


class FormFieldForm(forms.ModelForm):
    """One question of the application form, labelled in both languages."""

    class Meta:
        model = FormField
        fields = [
            "key",
            "kind",
            "label_en",
            "label_es",
            "help_en",
            "help_es",
            "required",
            "max_length",
            "choices",
            "allowed_extensions",
            "vocabulary",
            "max_file_mb",
            "sort_order",
        ]

    def clean_choices(self) -> list[dict[str, str]]:
        value = self.cleaned_data.get("choices") or []
        if not isinstance(value, list) or not all(
            isinstance(item, dict) and str(item.get("value", "")).strip() for item in value
        ):
            raise ValidationError(
                _('Choices are a list of {"value", "label_en", "label_es"}.'),
                code="invalid_choices",
            )
        return [
            {
                "value": str(item["value"]).strip()[:60],
                "label_en": str(item.get("label_en", ""))[:200],
                "label_es": str(item.get("label_es", ""))[:200],
            }
            for item in value
        ]

    def clean_allowed_extensions(self) -> list[str]:
        value = self.cleaned_data.get("allowed_extensions") or []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValidationError(
                _('Allowed file types are a list such as ["pdf"].'), code="invalid_extensions"
            )
        cleaned = [item.strip().lower().lstrip(".") for item in value if item.strip()]
        unknown = [item for item in cleaned if item not in KNOWN_EXTENSIONS]
        if unknown:
            raise ValidationError(
                _("Unsupported file types: %(types)s") % {"types": ", ".join(unknown)},
                code="invalid_extensions",
            )
        return cleaned

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == FieldKind.CHOICE and not data.get("choices"):
            self.add_error("choices", _("A choice field needs at least one choice."))
        if kind == FieldKind.TERMS and not data.get("vocabulary"):
            self.add_error("vocabulary", _("A taxonomy question needs its vocabulary."))
        if kind == FieldKind.FILE and not data.get("allowed_extensions"):
            self.add_error("allowed_extensions", _("A file field needs the allowed file types."))
        return data


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name_en", "name_es", "weight", "scale_max", "anchors", "sort_order"]

    def clean_anchors(self) -> list[dict[str, str]]:
        value = self.cleaned_data.get("anchors") or []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise ValidationError(
                _('Anchors are a list of {"en", "es"} texts, one per level.'),
                code="invalid_anchors",
            )
        return [
            {"en": str(item.get("en", ""))[:300], "es": str(item.get("es", ""))[:300]}
            for item in value
        ]


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


class UploadField(forms.FileField):
    """A file limited to some extensions and a size, with the reason in the user's language."""

    def __init__(self, *, extensions: Iterable[str], max_mb: int, **kwargs: Any) -> None:
        self.extensions = [item.lower() for item in extensions]
        self.max_bytes = min(max_mb, MAX_UPLOAD_MB) * 1024 * 1024
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            if _extension(value.name or "") not in self.extensions:
                raise ValidationError(
                    _("“%(name)s” is not an accepted type; upload one of: %(types)s.")
                    % {"name": (value.name or "")[:80], "types": ", ".join(self.extensions)},
                    code="file_type",
                )
            if value.size is None or value.size > self.max_bytes:
                raise ValidationError(
                    _("The file is larger than %(mb)s MB.")
                    % {"mb": self.max_bytes // (1024 * 1024)},
                    code="file_too_large",
                )
            if value.size == 0:
                raise ValidationError(_("The file is empty."), code="file_empty")
        return value


def answer_field(definition: FormField, *, final: bool, currency: str) -> forms.Field:
    """The Django form field for one question. Drafts (``final`` False) may leave it empty."""
    common: dict[str, Any] = {
        "label": definition.label,
        "help_text": definition.help,
        "required": final and definition.required,
    }
    if definition.kind == FieldKind.LONG_TEXT:
        return forms.CharField(
            max_length=definition.max_length, widget=forms.Textarea(attrs={"rows": 5}), **common
        )
    if definition.kind == FieldKind.NUMBER:
        return forms.DecimalField(max_digits=16, decimal_places=2, **common)
    if definition.kind == FieldKind.MONEY:
        common["label"] = f"{definition.label} ({currency})"
        return forms.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal(0), **common)
    if definition.kind == FieldKind.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *definition.choice_options()], **common)
    if definition.kind == FieldKind.TERMS:
        terms = TaxonomyTerm.objects.of(definition.vocabulary).order_by("sort_order", "code")
        return forms.MultipleChoiceField(
            choices=[(term.code, term.label) for term in terms],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if definition.kind == FieldKind.FILE:
        help_text = _("Accepted: %(types)s, up to %(mb)s MB.") % {
            "types": ", ".join(definition.allowed_extensions),
            "mb": definition.max_file_mb,
        }
        common["help_text"] = f"{definition.help} {help_text}".strip()
        return UploadField(
            extensions=definition.allowed_extensions, max_mb=definition.max_file_mb, **common
        )
    return forms.CharField(max_length=definition.max_length, **common)


class ApplicationForm(forms.Form):
    """The call's application form, built from its typed fields."""

    def __init__(
        self,
        *args: Any,
        fields: Iterable[FormField],
        final: bool,
        currency: str,
        existing_files: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.definitions = {definition.key: definition for definition in fields}
        existing = set(existing_files)
        for key, definition in self.definitions.items():
            field = answer_field(definition, final=final, currency=currency)
            if definition.kind == FieldKind.FILE and key in existing:
                field.required = False  # already uploaded; a new file replaces it
            self.fields[key] = field

    def answers(self) -> dict[str, Any]:
        """Cleaned answers as JSON data (numbers as strings), files left out."""
        result: dict[str, Any] = {}
        for key, definition in self.definitions.items():
            if definition.kind == FieldKind.FILE:
                continue
            value = self.cleaned_data.get(key)
            if value in (None, "", []):
                continue
            result[key] = str(value) if isinstance(value, Decimal) else value
        return result

    def uploads(self) -> dict[str, UploadedFile]:
        return {
            key: value
            for key, value in self.cleaned_data.items()
            if isinstance(value, UploadedFile)
        }


def review_form_class(criteria: Iterable[Criterion], language: str) -> type[forms.Form]:
    """A form with one radio group per criterion (levels with their anchors), a comment and abstain."""
    attributes: dict[str, Any] = {}
    for criterion in criteria:
        choices = [
            (str(level), f"{level} — {anchor}" if anchor else str(level))
            for level, anchor in criterion.levels(language)
        ]
        attributes[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
            choices=choices,
            coerce=int,
            required=False,
            widget=forms.RadioSelect,
            label=f"{criterion.name} (x{criterion.weight.normalize()})",
        )
    attributes["comment"] = forms.CharField(
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Comment"),
    )
    attributes["abstain"] = forms.BooleanField(
        required=False, label=_("I abstain from scoring this application")
    )
    return type("ReviewForm", (forms.Form,), attributes)


class ConflictForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        label=_("Why you cannot review it"),
        help_text=_("e.g. I advise this company, or I invested in a competitor."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("admitted", _("Admit")),
            ("waitlisted", _("Waitlist")),
            ("rejected", _("Reject")),
        ],
        label=_("Decision"),
    )
    feedback = forms.CharField(
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Feedback to the applicant"),
    )


class ChecklistItemForm(forms.Form):
    state = forms.ChoiceField(choices=ItemState.choices, label=_("State"))
    provider = forms.ModelChoiceField(
        queryset=Organization.objects.all(),
        widget=OrganizationPicker,
        required=False,
        label=_("Provider"),
        help_text=_("An organization of the directory: law firm, bank, accountant…"),
    )
    due_on = forms.DateField(
        required=False, label=_("Due"), widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Notes")
    )


class SurveyForm(forms.Form):
    currency = forms.ChoiceField(choices=CURRENCIES, label=_("Currency"))
    revenue = forms.DecimalField(
        max_digits=16, decimal_places=2, min_value=Decimal(0), label=_("Revenue in the period")
    )
    full_time_employees = forms.IntegerField(
        min_value=0, max_value=1_000_000, label=_("Full-time employees")
    )
    investment_raised = forms.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=Decimal(0),
        label=_("Investment raised in the period"),
    )
    jobs_created_host_city = forms.IntegerField(
        min_value=0, max_value=1_000_000, label=_("Jobs created in the host city")
    )


class ScreeningVoteForm(forms.Form):
    choice = forms.ChoiceField(
        choices=ScreeningChoice.choices,
        widget=forms.RadioSelect,
        label=pgettext_lazy("screening", "Your vote"),
    )
    note = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Note"),
        help_text=_("Why it passes or fails the call's eligibility; managers read it."),
    )


class ScreeningDecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=ScreeningOutcome.choices, label=_("Screening decision"))


class MilestoneForm(forms.Form):
    title_en = forms.CharField(max_length=200, label=_("Title (English)"))
    title_es = forms.CharField(max_length=200, label=_("Title (Spanish)"))
    due_on = forms.DateField(
        required=False, label=_("Due"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Note")
    )


class MilestoneReachForm(forms.Form):
    reached_on = forms.DateField(
        required=False,
        label=_("Reached on"),
        help_text=_("Today when left empty."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleUploadField(UploadField):
    """Several files at once, each checked like ``UploadField``; cleans to a list."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        given = data if isinstance(data, (list, tuple)) else [data]
        files = [item for item in given if item]
        if not files:
            super().clean(None, initial)  # "required" when required
            return []
        cleaned = []
        for item in files:
            cleaned.append(super().clean(item, initial))
        return cleaned


class EvidenceForm(forms.Form):
    documents = MultipleUploadField(
        extensions=EVIDENCE_EXTENSIONS,
        max_mb=EVIDENCE_MAX_MB,
        label=_("Evidence documents"),
        help_text=_("PDF, PNG, JPEG or Word (docx), up to 10 MB each."),
    )
