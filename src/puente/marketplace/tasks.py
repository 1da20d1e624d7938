"""Background jobs of the marketplace: expiry, reminders and interest notifications."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse

from puente.core.notify import send_templated_email
from puente.directory.models import OrganizationMembership
from puente.marketplace import services
from puente.marketplace.models import ExpressionOfInterest, Opportunity


def _members(organization_id: int) -> list:
    return [
        membership.user
        for membership in OrganizationMembership.objects.filter(
            organization_id=organization_id
        ).select_related("user")
        if membership.user.is_active
    ]


@shared_task
def expire_opportunities() -> int:
    """Daily: expire opportunities 365 days after publication unless renewed."""
    return services.opportunities_expire_due()


@shared_task
def remind_expiring_opportunities() -> int:
    """Daily: remind owners 30 days before an opportunity expires (once per publication)."""
    sent = 0
    for opportunity_id in services.opportunities_due_for_reminder():
        if not services.opportunity_mark_reminded(opportunity_id=opportunity_id):
            continue
        opportunity = Opportunity.objects.select_related("organization").get(pk=opportunity_id)
        path = reverse("marketplace:detail", kwargs={"pk": opportunity.pk})
        for user in _members(opportunity.organization_id):
            send_templated_email(
                to=user.email,
                language=user.language,
                template="marketplace/email/expiring",
                context={"opportunity": opportunity, "user": user, "path": path},
            )
            sent += 1
    return sent


@shared_task
def notify_interest(interest_id: int) -> int:
    """Tell the opportunity's organization that someone is interested."""
    interest = (
        ExpressionOfInterest.objects.select_related("opportunity", "organization", "user")
        .filter(pk=interest_id)
        .first()
    )
    if interest is None:
        return 0
    path = reverse("marketplace:detail", kwargs={"pk": interest.opportunity_id})
    recipients = _members(interest.opportunity.organization_id)
    for user in recipients:
        send_templated_email(
            to=user.email,
            language=user.language,
            template="marketplace/email/interest",
            context={"interest": interest, "user": user, "path": path},
        )
    return len(recipients)
