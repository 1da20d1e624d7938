"""Every match says why: the engine's factors written as sentences in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from puente.core.models import Hub, TaxonomyTerm
from puente.matching.engine import Factor, RankedItem


@dataclass(frozen=True)
class Reason:
    """One factor of a match: its code, sentence, signed contribution and raw parameters."""

    code: str
    text: str
    contribution: float
    params: Mapping[str, Any]

    @property
    def is_negative(self) -> bool:
        return self.contribution < 0


class _Labels:
    """Taxonomy and hub labels in the active language, read once per explanation batch."""

    def __init__(self) -> None:
        self._terms = {
            (term.vocabulary, term.code): term.label for term in TaxonomyTerm.objects.all()
        }
        self._codes = {term_code: label for (_vocabulary, term_code), label in self._terms.items()}
        self._hubs = {hub.slug: hub.name for hub in Hub.objects.all()}

    def term(self, vocabulary: str, code: str) -> str:
        return self._terms.get((vocabulary, code)) or self._codes.get(code, code)

    def terms(self, vocabulary: str, codes: Iterable[str]) -> str:
        return ", ".join(self.term(vocabulary, code) for code in codes)

    def hub(self, slug: str) -> str:
        return self._hubs.get(slug, slug)


def _amount(value: Any) -> str:
    return "…" if value is None else number_format(value, decimal_pos=0, force_grouping=True)


def _sentence(factor: Factor, labels: _Labels) -> str:
    p = factor.params
    code = factor.code
    if code == "semantic_similarity":
        percent = round(100 * max(0.0, float(p.get("similarity", 0.0))))
        if p.get("cross_language"):
            return _("Close in meaning, across languages (%(percent)s%% similar)") % {
                "percent": percent
            }
        return _("Close in meaning (%(percent)s%% similar)") % {"percent": percent}
    if code == "text_match":
        terms = ", ".join(p.get("terms") or [])
        return (
            _("Shares the words: %(terms)s") % {"terms": terms}
            if terms
            else _("Shares words with your text")
        )
    if code == "similar_neighbours":
        return _("Close to other strong matches")
    if code == "complementary_kind":
        kind = labels.term("connection_kind", p.get("kind", ""))
        if p.get("they") == "offer":
            return _("They offer the %(kind)s you are looking for") % {"kind": kind.lower()}
        return _("They are looking for the %(kind)s you offer") % {"kind": kind.lower()}
    if code == "same_need":
        kind = labels.term("connection_kind", p.get("kind", ""))
        return _("You both look for %(kind)s") % {"kind": kind.lower()}
    if code == "shared_sectors":
        return _("Same sector: %(sectors)s") % {
            "sectors": labels.terms("sector", p.get("sectors", []))
        }
    if code == "shared_technologies":
        return _("Same technology: %(technologies)s") % {
            "technologies": labels.terms("technology", p.get("technologies", []))
        }
    if code in ("stage_fit", "stage_mismatch"):
        stage = labels.term("stage", p.get("stage", ""))
        accepted = labels.terms("stage", p.get("accepted", []))
        if code == "stage_fit":
            if p.get("criterion") == "theirs":
                return _("Your stage (%(stage)s) is one they work with") % {"stage": stage}
            return _("Their stage (%(stage)s) is one you work with") % {"stage": stage}
        return _("Stage %(stage)s is outside the stages wanted (%(accepted)s)") % {
            "stage": stage,
            "accepted": accepted,
        }
    if code in ("amount_fit", "amount_out_of_range"):
        values = {
            "currency": p.get("currency", ""),
            "requested": f"{_amount(p.get('requested_min'))}–{_amount(p.get('requested_max'))}",
            "offered": f"{_amount(p.get('offered_min'))}–{_amount(p.get('offered_max'))}",
        }
        if code == "amount_fit":
            return (
                _("The amounts fit: %(requested)s requested, %(offered)s offered (%(currency)s)")
                % values
            )
        return (
            _(
                "The amounts do not overlap: %(requested)s requested, %(offered)s offered (%(currency)s)"
            )
            % values
        )
    if code == "reaches_target_hub":
        return _("In %(hub)s, a hub you want to reach") % {"hub": labels.hub(p.get("to", ""))}
    if code == "wants_your_hub":
        return _("They want to reach %(hub)s") % {"hub": labels.hub(p.get("from", ""))}
    if code == "cross_hub":
        return _("Across the bridge: %(origin)s and %(destination)s") % {
            "origin": labels.hub(p.get("from", "")),
            "destination": labels.hub(p.get("to", "")),
        }
    if code in ("organization_type_fit", "organization_type_mismatch"):
        kind = labels.term("organization_type", p.get("organization_type", ""))
        if code == "organization_type_fit":
            return _("A %(type)s, the kind of organization the request looks for") % {
                "type": kind.lower()
            }
        return _("A %(type)s, not the kind of organization the request looks for") % {
            "type": kind.lower()
        }
    if code == "similar_to_not_relevant":
        return _("Ranked lower: it resembles something you marked as not relevant")
    if code == "already_met":
        return _("Ranked lower: you have already met them")
    return code


def explain(results: Iterable[RankedItem]) -> dict[Any, list[Reason]]:
    """Sentences for every factor of every result, in the active language."""
    labels = _Labels()
    return {
        result.id: [
            Reason(
                code=factor.code,
                text=_sentence(factor, labels),
                contribution=round(factor.contribution, 4),
                params=dict(factor.params),
            )
            for factor in result.factors
        ]
        for result in results
    }


def stored_factors(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    """Reasons as plain data to keep with a record (codes and parameters, no sentences), so
    each reader later sees them in their own language."""
    return [
        {"code": reason.code, "contribution": reason.contribution, "params": dict(reason.params)}
        for reason in reasons
    ]


def reasons_from_stored(factors: Iterable[Mapping[str, Any]]) -> list[Reason]:
    """Sentences, in the active language, for factors kept by :func:`stored_factors`."""
    labels = _Labels()
    reasons = []
    for data in factors:
        if not isinstance(data, Mapping) or not isinstance(data.get("code"), str):
            continue
        params = data.get("params") if isinstance(data.get("params"), Mapping) else {}
        try:
            contribution = float(data.get("contribution", 0.0))
        except (TypeError, ValueError):
            contribution = 0.0
        factor = Factor(code=data["code"], contribution=contribution, params=dict(params or {}))
        reasons.append(
            Reason(
                code=factor.code,
                text=_sentence(factor, labels),
                contribution=round(contribution, 4),
                params=dict(factor.params),
            )
        )
    return reasons
