"""Input checks shared by the routers that the forms do not make: codes in list filters, and
partial updates that change nothing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from puente.core.errors import ValidationFailed
from puente.core.models import Hub, TaxonomyTerm


def refuse_unknown_codes(
    *, hubs: Iterable[str] = (), terms: dict[str, tuple[str, Iterable[str]]] | None = None
) -> None:
    """Refuse filter values that name no hub or no taxonomy term (one query per kind asked).

    ``terms`` maps a filter name to (vocabulary or vocabularies joined by "|", codes).
    """
    errors: list[dict[str, str]] = []
    hubs = list(dict.fromkeys(hubs))
    if hubs:
        known_hubs = set(
            Hub.objects.filter(is_active=True, slug__in=hubs).values_list("slug", flat=True)
        )
        for slug in hubs:
            if slug not in known_hubs:
                errors.append(
                    {
                        "field": "hub",
                        "code": "unknown_code",
                        "message": _("Unknown hub “%(code)s”: GET /api/v1/hubs lists the hubs.")
                        % {"code": slug[:60]},
                    }
                )
    wanted = {
        name: (vocabularies.split("|"), list(dict.fromkeys(codes)))
        for name, (vocabularies, codes) in (terms or {}).items()
        if codes
    }
    if wanted:
        condition = Q()
        for vocabularies, codes in wanted.values():
            condition |= Q(vocabulary__in=vocabularies, code__in=codes)
        known = set(
            TaxonomyTerm.objects.filter(condition, is_active=True).values_list("vocabulary", "code")
        )
        for name, (vocabularies, codes) in wanted.items():
            for code in codes:
                if not any((vocabulary, code) in known for vocabulary in vocabularies):
                    message = _(
                        "Unknown code “%(code)s”: GET /api/v1/taxonomy?vocabulary=%(vocabulary)s lists the codes."
                    ) % {"code": code[:60], "vocabulary": vocabularies[0]}
                    errors.append({"field": name, "code": "unknown_code", "message": message})
    if errors:
        raise ValidationFailed(
            _("Some values are not valid: %(first)s") % {"first": errors[0]["message"]},
            code="invalid",
            errors=errors,
        )


def require_change(sent: dict[str, Any]) -> None:
    """Refuse a partial update (PATCH) that sends no field at all."""
    if not sent:
        raise ValidationFailed(_("Send at least one field to change."), code="empty_patch")
