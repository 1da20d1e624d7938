"""Opportunities for tests, posted through the same form and service as the web app."""

from __future__ import annotations

from typing import Any

from puente.marketplace import services
from puente.marketplace.forms import OpportunityForm
from puente.marketplace.models import Opportunity


def post_opportunity(organization: Any, *, publish: bool = True, **values: Any) -> Opportunity:
    data = {
        "side": "offer",
        "kind": "capital",
        "language": "en",
        "hub": organization.hub.slug,
        "visibility": "public",
        "title": "Seed capital for agritech",
        "description": "We invest seed capital in agritech startups from Latin America.",
        **values,
    }
    form = OpportunityForm(data)
    assert form.is_valid(), form.errors
    return services.opportunity_create(
        organization=organization, actor=None, values=form.cleaned_data, publish=publish
    )
