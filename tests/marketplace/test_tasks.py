"""Daily jobs: expiry reminders by email in each owner's language, then expiry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from puente.marketplace import tasks
from puente.marketplace.models import Opportunity, Status
from tests.factories import OrganizationFactory, make_member
from tests.marketplace.helpers import post_opportunity

pytestmark = pytest.mark.django_db


def test_owners_are_reminded_once_in_their_language_then_it_expires(mailoutbox: list[Any]) -> None:
    organization = OrganizationFactory(name="Cafetal")
    spanish = make_member(organization, language="es")
    english = make_member(organization, language="en")
    opportunity = post_opportunity(organization, title="Capital semilla agritech")
    Opportunity.objects.filter(pk=opportunity.pk).update(
        expires_at=timezone.now() + dt.timedelta(days=10)
    )
    assert tasks.remind_expiring_opportunities() == 2
    subjects = {message.to[0]: message.subject for message in mailoutbox}
    assert subjects[spanish.email] == "«Capital semilla agritech» vence en 30 días"
    assert subjects[english.email] == "“Capital semilla agritech” expires in 30 days"
    assert f"/opportunities/{opportunity.pk}/" in mailoutbox[0].body
    assert tasks.remind_expiring_opportunities() == 0
    Opportunity.objects.filter(pk=opportunity.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert tasks.expire_opportunities() == 1
    assert Opportunity.objects.get(pk=opportunity.pk).status == Status.EXPIRED
