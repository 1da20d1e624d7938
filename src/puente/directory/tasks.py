"""Background jobs of the directory: notifications about claims."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse

from puente.accounts.models import HubRole
from puente.core.notify import send_templated_email
from puente.directory.models import OrganizationClaim


@shared_task
def notify_claim_submitted(claim_id: int) -> int:
    """Tell the managers of the organization's hub that a claim waits for them."""
    claim = (
        OrganizationClaim.objects.select_related("organization", "user").filter(pk=claim_id).first()
    )
    if claim is None:
        return 0
    managers = HubRole.objects.filter(hub_id=claim.organization.hub_id).select_related("user")
    for role in managers:
        send_templated_email(
            to=role.user.email,
            language=role.user.language,
            template="directory/email/claim_submitted",
            context={"claim": claim, "manager": role.user, "path": reverse("directory:claims")},
        )
    return len(managers)


@shared_task
def notify_claim_decided(claim_id: int) -> bool:
    """Tell the claimant whether they now manage the organization."""
    claim = (
        OrganizationClaim.objects.select_related("organization", "user").filter(pk=claim_id).first()
    )
    if claim is None:
        return False
    send_templated_email(
        to=claim.user.email,
        language=claim.user.language,
        template="directory/email/claim_decided",
        context={
            "claim": claim,
            "path": reverse("directory:organization", kwargs={"slug": claim.organization.slug}),
        },
    )
    return True
