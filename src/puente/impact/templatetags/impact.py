"""Template helpers of the impact pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def kpi_number(value: Decimal | int | float | None) -> str:
    """A KPI value in the reader's number format; a dash when there is none."""
    if value is None:
        return "\u2013"
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return formats.number_format(int(number), use_l10n=True, force_grouping=True)
    return formats.number_format(number, decimal_pos=1, use_l10n=True, force_grouping=True)


@register.filter
def svg(markup: str) -> SafeString:
    """Charts are built server-side with every text escaped (see ``impact.charts``)."""
    return mark_safe(markup)
