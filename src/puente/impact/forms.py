"""Input of the impact pages, API and command: which quarter, hub and direction to show."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from puente.core.errors import ValidationFailed
from puente.core.models import Hub
from puente.impact.computation import Quarter
from puente.impact.models import GuideCategory
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
