"""Input of the impact pages, API and command: which quarter, hub and direction to show; the
managers' forms for targets, manual figures and guides."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from puente.core.errors import ValidationFailed
from puente.core.forms import IdMultipleChoiceField
from puente.core.models import Hub, TaxonomyTerm
from puente.directory.models import Organization
from puente.impact.computation import Quarter
from puente.impact.kpis import KPI_CHOICES
from puente.impact.models import Guide, GuideCategory
from puente.impact.selectors import Direction, Scope, directions

RECENT_QUARTERS = 12


def current_quarter() -> Quarter:
    return Quarter.of_date(timezone.now().date())


def recent_quarters() -> list[Quarter]:
    return current_quarter().trailing(RECENT_QUARTERS)[::-1]


@dataclass(frozen=True)
class Filters:
    quarter: Quarter
    scope: Scope
    directions: list[Direction]
    hubs: list[Hub]


def parse_filters(data: Mapping[str, str], *, strict: bool = False) -> Filters:
    """Quarter ("2026-Q3"), hub (slug, empty = all hubs) and direction ("medellin-miami").

    Unknown values fall back to the defaults on pages; with ``strict`` (API, command) they
    raise ``ValidationFailed`` naming the field.
    """
    hubs = list(Hub.objects.filter(is_active=True))
    ways = directions()
    quarter = current_quarter()
    text = (data.get("quarter") or data.get("period") or "").strip()
    if text:
        try:
            quarter = Quarter.parse(text)
        except ValueError as error:
            if strict:
                raise ValidationFailed(
                    _("Give the quarter as YYYY-QN, e.g. 2026-Q3."),
                    code="invalid_quarter",
                    field="quarter",
                ) from error
    hub = None
    slug = (data.get("hub") or "").strip()
    if slug:
        hub = next((item for item in hubs if item.slug == slug), None)
        if hub is None and strict:
            raise ValidationFailed(_("Unknown hub."), code="invalid_hub", field="hub")
    direction = None
    code = (data.get("direction") or "").strip()
    if code:
        direction = next((way for way in ways if way.code == code), None)
        if direction is None and strict:
            raise ValidationFailed(
                _("Unknown direction."), code="invalid_direction", field="direction"
            )
    return Filters(quarter, Scope(hub=hub, direction=direction), ways, hubs)


class GuideSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the library"), required=False, max_length=200)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *GuideCategory.choices],
    )
    hub = forms.SlugField(label=_("Hub"), required=False, max_length=40)


# --- managers' forms: targets, manual figures, guides ------------------------------------------
class QuarterField(forms.CharField):
    """A quarter typed as 2026-Q3."""

    default_error_messages = {"invalid": _("Give the quarter as YYYY-QN, e.g. 2026-Q3.")}

    def clean(self, value: Any) -> Quarter | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return Quarter.parse(text)
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


def _hub_choices(hubs: Iterable[Hub], empty: Any) -> list[tuple[str, Any]]:
    return [("", empty), *((hub.slug, hub.name) for hub in hubs)]


class _ScopedForm(forms.Form):
    """A form whose hub and direction choices come from the hubs the manager may act for."""

    def __init__(self, *args: Any, hubs: list[Hub], ways: list[Direction], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hubs = {hub.slug: hub for hub in hubs}
        self.ways = {way.code: way for way in ways}
        if "direction" in self.fields:
            self.fields["direction"].choices = [  # type: ignore[attr-defined]
                ("", _("Both directions")),
                *((way.code, way.label) for way in ways),
            ]

    def clean_hub(self) -> Hub | None:
        slug = self.cleaned_data.get("hub") or ""
        return self.hubs.get(slug)

    def clean_direction(self) -> Direction | None:
        code = self.cleaned_data.get("direction") or ""
        return self.ways.get(code)


class TargetForm(_ScopedForm):
    kpi = forms.ChoiceField(label=_("Indicator"), choices=KPI_CHOICES)
    quarter = QuarterField(label=_("Quarter"), max_length=10, help_text=_("e.g. 2026-Q3"))
    hub = forms.ChoiceField(label=_("Hub"), required=False)
    direction = forms.ChoiceField(label=_("Direction"), required=False)
    value = forms.DecimalField(
        label=pgettext_lazy("kpi", "Target"), min_value=0, max_digits=18, decimal_places=2
    )

    def __init__(self, *args: Any, joint: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        empty = _("The whole network") if joint else _("Choose a hub")
        self.fields["hub"].choices = _hub_choices(self.hubs.values(), empty)  # type: ignore[attr-defined]
        self.fields["hub"].required = not joint


EVIDENCE_EXTENSIONS = ["pdf", "png", "jpg", "jpeg", "xlsx", "csv", "docx", "eml", "txt"]
EVIDENCE_MAX_MB = 10


class ManualFigureForm(_ScopedForm):
    kind = forms.ChoiceField(label=_("Figure"))
    occurred_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    hub = forms.ChoiceField(label=_("Hub"))
    quantity = forms.DecimalField(
        label=_("Quantity or amount"), min_value=0, max_digits=18, decimal_places=2
    )
    currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=3,
        help_text=_("For investment: COP, USD…"),
    )
    organization = forms.SlugField(
        label=_("Organization (address name)"),
        required=False,
        max_length=140,
        help_text=_("The last part of the organization's address in the directory."),
    )
    direction = forms.ChoiceField(label=_("Direction"), required=False)
    evidence = forms.CharField(
        label=_("Note on the evidence"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where the figure comes from: who reported it, when, how it was checked."),
    )
    evidence_url = forms.URLField(
        label=_("Link to the evidence"), required=False, max_length=500, assume_scheme="https"
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
        help_text=_("PDF, image, spreadsheet or document, at most 10 MB."),
    )

    def __init__(self, *args: Any, kinds: Iterable[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds)  # type: ignore[attr-defined]
        self.fields["hub"].choices = _hub_choices(self.hubs.values(), _("Choose a hub"))  # type: ignore[attr-defined]

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").strip().upper()

    def clean_organization(self) -> Organization | None:
        slug = self.cleaned_data.get("organization") or ""
        if not slug:
            return None
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise forms.ValidationError(_("No organization has this address name."))
        return organization

    def clean_evidence_file(self) -> Any:
        upload = self.cleaned_data.get("evidence_file")
        if upload and upload.size > EVIDENCE_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(_("The evidence file can be at most 10 MB."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        missing = not data.get("evidence_url") and not data.get("evidence_file")
        if missing and "evidence_url" not in self.errors and "evidence_file" not in self.errors:
            self.add_error("evidence_url", _("Give a link to the evidence or attach the file."))
        return data


class GuideForm(forms.ModelForm):
    hub = forms.ModelChoiceField(
        label=_("Hub"),
        queryset=Hub.objects.none(),
        required=False,
        empty_label=_("Every hub"),
    )
    tags = IdMultipleChoiceField(
        label=_("Tags"),
        queryset=TaxonomyTerm.objects.filter(is_active=True).order_by("vocabulary", "label_en"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    attachment_title = forms.CharField(label=_("Attachment title"), required=False, max_length=200)
    attachment_file = forms.FileField(label=_("Attach a file"), required=False)
    attachment_language = forms.ChoiceField(
        label=_("Attachment language"), choices=settings.CONTENT_LANGUAGES, initial="es"
    )

    class Meta:
        model = Guide
        fields = [
            "slug",
            "hub",
            "category",
            "title_en",
            "title_es",
            "summary_en",
            "summary_es",
            "body_en",
            "body_es",
            "authors",
            "reviewed_on",
            "tags",
        ]
        widgets = {
            "reviewed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body_en": forms.Textarea(attrs={"rows": 10}),
            "body_es": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args: Any, hubs: Iterable[Hub], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = Hub.objects.filter(  # type: ignore[attr-defined]
            pk__in=[hub.pk for hub in hubs]
        )

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug == "new":  # /impact/library/new/ is the form for a new guide
            raise forms.ValidationError(_("Choose another address name."))
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("attachment_file") and not (data.get("attachment_title") or "").strip():
            self.add_error("attachment_title", _("Give the attachment a title."))
        return data

    def guide_values(self) -> dict[str, Any]:
        """The guide's own fields, for ``guide_save``."""
        names = [name for name in self.Meta.fields if name != "tags"]
        return {name: self.cleaned_data[name] for name in names}
