"""Hand-built activity for the impact tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from puente.core.models import Hub, HubPartnership
from puente.impact.models import ActivityRecord
from puente.impact.services import record_activity
from tests.factories import hub

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    """A UTC moment from 'YYYY-MM-DD HH:MM'."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def fact(kind: str, when: str, hub_slug: str = "medellin", **kwargs: Any) -> ActivityRecord:
    if "quantity" in kwargs:
        kwargs["quantity"] = Decimal(str(kwargs["quantity"]))
    return record_activity(kind=kind, occurred_at=at(when), hub=hub(hub_slug), **kwargs)


def partnership() -> tuple[Hub, Hub]:
    medellin, miami = hub("medellin"), hub("miami")
    if not HubPartnership.objects.filter(
        hub_a__in=[medellin, miami], hub_b__in=[medellin, miami]
    ).exists():
        HubPartnership.objects.create(hub_a=medellin, hub_b=miami)
    return medellin, miami
