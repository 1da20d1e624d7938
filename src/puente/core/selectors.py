"""Reads of the network's reference data."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from puente.core.models import Hub, HubPartnership, TaxonomyTerm


@dataclass(frozen=True)
class HubWithPartners:
    hub: Hub
    partner_slugs: list[str]


def hubs_with_partners() -> list[HubWithPartners]:
    """Active hubs, each with the slugs of its partner hubs (two queries in all)."""
    hubs = list(Hub.objects.filter(is_active=True))
    by_id = {hub.pk: hub for hub in hubs}
    partners: dict[int, list[str]] = {hub.pk: [] for hub in hubs}
    for hub_a, hub_b in HubPartnership.objects.values_list("hub_a_id", "hub_b_id"):
        if hub_a in by_id and hub_b in by_id:
            partners[hub_a].append(by_id[hub_b].slug)
            partners[hub_b].append(by_id[hub_a].slug)
    return [HubWithPartners(hub=hub, partner_slugs=sorted(partners[hub.pk])) for hub in hubs]


def hub_with_partners(slug: str) -> HubWithPartners:
    for item in hubs_with_partners():
        if item.hub.slug == slug:
            return item
    raise Http404("hub")


def taxonomy_terms(*, vocabulary: str | None = None) -> list[TaxonomyTerm]:
    terms = TaxonomyTerm.objects.filter(is_active=True).select_related("parent")
    if vocabulary:
        terms = terms.filter(vocabulary=vocabulary)
    return list(terms)
