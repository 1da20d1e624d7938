"""Template helpers: bilingual labels, times in two zones, money, language and visibility badges."""

from __future__ import annotations

import colorsys
import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from puente.core.i18n import active_language, language_name, localized
from puente.core.timezones import zone

register = template.Library()

CURRENCY_DECIMALS = {"COP": 0, "USD": 2, "EUR": 2}


@register.filter
def label(obj: Any, field: str = "label") -> str:
    """The active-language value of a bilingual field: ``{{ term|label }}``, ``{{ hub|label:"name" }}``."""
    if obj is None:
        return ""
    return localized(obj, field)


@register.filter
def lang_name(code: str) -> str:
    return language_name(code)


@register.simple_tag
def lang_badge(code: str) -> SafeString:
    """A small badge naming the language a text is written in, when it differs from the UI's."""
    if not code or code == active_language():
        return SafeString("")
    return format_html(
        '<span class="badge badge-lang" lang="{}" title="{}">{}</span>',
        code,
        _("Written in %(language)s") % {"language": language_name(code)},
        code.upper(),
    )


@register.filter
def short_day(value: dt.date | None) -> str:
    """Weekday, day and short month in the active language: "Mon 21 Dec", "lun 21 dic"."""
    if value is None:
        return ""
    # Translators: a Django date format; Spanish writes month abbreviations in lowercase (b).
    return formats.date_format(value, pgettext("date format", "D j M"))


@register.filter
def short_date(value: dt.date | None) -> str:
    """Day, short month and year in the active language: "21 Dec 2026", "21 dic 2026"."""
    if value is None:
        return ""
    # Translators: a Django date format; Spanish writes month abbreviations in lowercase (b).
    return formats.date_format(value, pgettext("date format", "j M Y"))


@register.simple_tag(takes_context=True)
def dual_time(
    context: dict[str, Any], moment: dt.datetime | None, hub_zone: str, fmt: str = ""
) -> SafeString:
    """A moment in the viewer's zone, with the hub's local time beside it when the zones differ."""
    if moment is None:
        return SafeString("")
    # Translators: a Django date format; Spanish writes month abbreviations in lowercase (b).
    fmt = fmt or pgettext("date format", "D j M Y, H:i")
    viewer_zone = context.get("viewer_time_zone") or timezone.get_current_timezone_name()
    mine = moment.astimezone(zone(viewer_zone))
    local = moment.astimezone(zone(hub_zone))
    mine_text = formats.date_format(mine, fmt)
    if mine.utcoffset() == local.utcoffset() and viewer_zone == hub_zone:
        return format_html(
            '<time datetime="{}">{} <span class="tz">{}</span></time>',
            moment.isoformat(),
            mine_text,
            viewer_zone,
        )
    return format_html(
        '<time datetime="{}">{} <span class="tz">{}</span></time> <span class="tz-local">· {} <span class="tz">{}</span></span>',
        moment.isoformat(),
        mine_text,
        viewer_zone,
        formats.date_format(local, "H:i" if mine.date() == local.date() else fmt),
        hub_zone,
    )


@register.filter
def money(amount: Decimal | int | float | None, currency: str = "") -> str:
    """``1234567`` with ``COP`` -> ``COP 1,234,567`` (separators follow the active language)."""
    if amount is None:
        return ""
    decimals = CURRENCY_DECIMALS.get(currency.upper(), 2)
    number = formats.number_format(
        Decimal(amount), decimal_pos=decimals, use_l10n=True, force_grouping=True
    )
    return f"{currency.upper()} {number}".strip()


@register.filter
def initials(name: str) -> str:
    parts = [part for part in (name or "").replace("-", " ").split() if part[:1].isalnum()]
    return "".join(part[0] for part in parts[:2]).upper() or "·"


@register.filter
def hue(text: str) -> int:
    """A stable colour hue for an avatar, derived from a name."""
    return sum(ord(ch) for ch in text or "") * 37 % 360


def _luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG relative luminance of an sRGB colour with channels in 0..1."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@register.filter
def avatar_color(text: str) -> str:
    """A stable avatar background for a name, dark enough for its white initials.

    The hue comes from the name; the lightness starts at 38% and drops until white text
    reaches a contrast of 4.6:1 (WCAG AA asks 4.5:1): yellows and greens need a darker
    shade than blues at the same lightness.
    """
    return _shade(hue(text))


@functools.lru_cache(maxsize=360)
def _shade(degrees: int) -> str:
    for lightness in range(38, 10, -1):
        rgb = colorsys.hls_to_rgb(degrees / 360, lightness / 100, 0.42)
        if 1.05 / (_luminance(rgb) + 0.05) >= 4.6:
            break
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "") if mapping else ""
