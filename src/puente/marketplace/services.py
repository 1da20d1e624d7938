"""Every write to the marketplace: opportunities through their lifecycle, and interest in them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from puente.accounts.models import User
from puente.accounts.viewer import viewer_for
from puente.core.audit import audit_record, snapshot
from puente.core.errors import PermissionDenied, ValidationFailed
from puente.core.models import TaxonomyTerm
from puente.core.text import search_document
from puente.directory.models import Organization
from puente.marketplace.models import (
    LIFETIME,
    ExpressionOfInterest,
    InterestStatus,
    Opportunity,
    Status,
)

OPPORTUNITY_FIELDS = (
    "side",
    "kind",
    "title",
    "description",
    "language",
    "hub",
    "amount_min",
    "amount_max",
    "currency",
    "deadline",
    "profile_type",
    "visibility",
    "external_id",
)
OPPORTUNITY_M2M = ("target_hubs", "sectors", "technologies", "stages")
_AUDITED = [
    *(f"{name}_id" if name in ("kind", "hub") else name for name in OPPORTUNITY_FIELDS),
    *OPPORTUNITY_M2M,
    "status",
    "organization_id",
    "expires_at",
]


def text_version(title: str, description: str) -> str:
    """Identifies the text an embedding was computed from; changes when the words change."""
    return hashlib.sha256(f"{title.strip()}\n{description.strip()}".encode()).hexdigest()


def opportunity_search_text(opportunity: Opportunity, terms: Iterable[TaxonomyTerm]) -> str:
    labels = [f"{term.label_en} {term.label_es}" for term in terms]
    return search_document(
        opportunity.title, opportunity.description, opportunity.organization.name, *labels
    )


def can_manage_opportunities(actor: User | None, organization: Organization) -> bool:
    """Members of the organization, managers of its hubs and staff post and edit its opportunities."""
    if actor is None:
        return True
    viewer = viewer_for(actor)
    return organization.pk in viewer.organization_ids or viewer.manages_any(organization.hub_ids())


def _ensure_can_manage(actor: User | None, organization: Organization) -> None:
    if not can_manage_opportunities(actor, organization):
        raise PermissionDenied(_("Only members of the organization can manage its opportunities."))


def _reindex(opportunity: Opportunity) -> None:
    terms = [opportunity.kind, *opportunity.sectors.all(), *opportunity.technologies.all()]
    opportunity.search_text = opportunity_search_text(opportunity, terms)
    version = text_version(opportunity.title, opportunity.description)
    changed = version != opportunity.text_version
    opportunity.text_version = version
    Opportunity.objects.filter(pk=opportunity.pk).update(
        search_text=opportunity.search_text, text_version=version
    )
    if changed:
        _schedule_embedding(opportunity.pk)


def _schedule_embedding(opportunity_id: int) -> None:
    from puente.matching.indexing import schedule_embedding

    schedule_embedding("opportunity", opportunity_id)


def _assign(opportunity: Opportunity, values: Mapping[str, Any]) -> None:
    for name in OPPORTUNITY_FIELDS:
        if name in values:
            value = values[name]
            if value is None and name in ("currency", "profile_type"):
                value = ""
            setattr(opportunity, name, value)


@transaction.atomic
def opportunity_create(
    *,
    organization: Organization,
    actor: User | None,
    values: Mapping[str, Any],
    publish: bool = False,
) -> Opportunity:
    """Create a draft (or, with ``publish``, a published) opportunity for an organization."""
    _ensure_can_manage(actor, organization)
    opportunity = Opportunity(
        organization=organization,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _assign(opportunity, values)
    opportunity.save()
    for name in OPPORTUNITY_M2M:
        if name in values:
            getattr(opportunity, name).set(values[name] or [])
    audit_record(
        actor=actor,
        action="opportunity.create",
        target=opportunity,
        after=snapshot(opportunity, _AUDITED),
        hub=opportunity.hub,
    )
    _reindex(opportunity)
    if publish:
        opportunity_publish(opportunity=opportunity, actor=actor)
    return opportunity


@transaction.atomic
def opportunity_update(
    *, opportunity: Opportunity, actor: User | None, values: Mapping[str, Any]
) -> Opportunity:
    """Change an opportunity; only fields present in ``values`` change."""
    _ensure_can_manage(actor, opportunity.organization)
    if opportunity.status == Status.ARCHIVED:
        raise ValidationFailed(
            _("Archived opportunities cannot be edited; publish a new one."), code="archived"
        )
    before = snapshot(opportunity, _AUDITED)
    _assign(opportunity, values)
    opportunity.save()
    for name in OPPORTUNITY_M2M:
        if name in values:
            getattr(opportunity, name).set(values[name] or [])
    _reindex(opportunity)
    audit_record(
        actor=actor,
        action="opportunity.update",
        target=opportunity,
        before=before,
        after=snapshot(opportunity, _AUDITED),
        hub=opportunity.hub,
    )
    return opportunity


def _set_status(
    opportunity: Opportunity, actor: User | None, action: str, **changes: Any
) -> Opportunity:
    before = snapshot(opportunity, ["status", "published_at", "expires_at", "archived_at"])
    for name, value in changes.items():
        setattr(opportunity, name, value)
    opportunity.save(update_fields=[*changes, "updated_at"])
    audit_record(
        actor=actor,
        action=action,
        target=opportunity,
        before=before,
        after=snapshot(opportunity, ["status", "published_at", "expires_at", "archived_at"]),
        hub=opportunity.hub,
    )
    return opportunity


@transaction.atomic
def opportunity_publish(*, opportunity: Opportunity, actor: User | None) -> Opportunity:
    """Publish a draft (or re-publish an expired one): visible for 365 days from now."""
    _ensure_can_manage(actor, opportunity.organization)
    if opportunity.status == Status.PUBLISHED:
        raise ValidationFailed(
            _("This opportunity is already published."), code="already_published"
        )
    if opportunity.status == Status.ARCHIVED:
        raise ValidationFailed(
            _("Archived opportunities cannot be published again; create a new one."),
            code="archived",
        )
    now = timezone.now()
    return _set_status(
        opportunity,
        actor,
        "opportunity.publish",
        status=Status.PUBLISHED,
        published_at=now,
        expires_at=now + LIFETIME,
        reminder_sent_at=None,
    )


@transaction.atomic
def opportunity_renew(*, opportunity: Opportunity, actor: User | None) -> Opportunity:
    """Keep a published (or expired) opportunity for another 365 days from today."""
    _ensure_can_manage(actor, opportunity.organization)
    if opportunity.status not in (Status.PUBLISHED, Status.EXPIRED):
        raise ValidationFailed(
            _("Only published or expired opportunities can be renewed."), code="not_renewable"
        )
    now = timezone.now()
    return _set_status(
        opportunity,
        actor,
        "opportunity.renew",
        status=Status.PUBLISHED,
        expires_at=now + LIFETIME,
        reminder_sent_at=None,
    )


@transaction.atomic
def opportunity_archive(*, opportunity: Opportunity, actor: User | None) -> Opportunity:
    """Take an opportunity off the marketplace for good (it stays in the organization's history)."""
    _ensure_can_manage(actor, opportunity.organization)
    if opportunity.status == Status.ARCHIVED:
        return opportunity
    return _set_status(
        opportunity,
        actor,
        "opportunity.archive",
        status=Status.ARCHIVED,
        archived_at=timezone.now(),
    )


@transaction.atomic
def opportunities_expire_due(*, now: Any = None) -> int:
    """Mark published opportunities past their expiry date as expired (a daily job)."""
    now = now or timezone.now()
    due = list(
        Opportunity.objects.select_for_update().filter(status=Status.PUBLISHED, expires_at__lte=now)
    )
    for opportunity in due:
        _set_status(opportunity, None, "opportunity.expire", status=Status.EXPIRED)
    return len(due)


def opportunities_due_for_reminder(*, now: Any = None) -> list[int]:
    from puente.marketplace.models import REMINDER_BEFORE

    now = now or timezone.now()
    return list(
        Opportunity.objects.filter(
            status=Status.PUBLISHED,
            reminder_sent_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=now + REMINDER_BEFORE,
        ).values_list("pk", flat=True)
    )


@transaction.atomic
def opportunity_mark_reminded(*, opportunity_id: int) -> bool:
    """Record that the owners were reminded; False when someone else already did (safe to run twice)."""
    updated = Opportunity.objects.filter(pk=opportunity_id, reminder_sent_at__isnull=True).update(
        reminder_sent_at=timezone.now()
    )
    return bool(updated)


@transaction.atomic
def interest_express(
    *, opportunity: Opportunity, organization: Organization, actor: User, message: str = ""
) -> ExpressionOfInterest:
    """An organization says it is interested in a published opportunity of another organization."""
    viewer = viewer_for(actor)
    if organization.pk not in viewer.organization_ids:
        raise PermissionDenied(
            _("You can only express interest on behalf of your own organization.")
        )
    if not opportunity.is_live:
        raise ValidationFailed(_("This opportunity is not open any more."), code="not_live")
    if opportunity.organization_id == organization.pk:
        raise ValidationFailed(
            _("This is your own organization's opportunity."), code="own_opportunity"
        )
    if ExpressionOfInterest.objects.filter(
        opportunity=opportunity, organization=organization, status=InterestStatus.OPEN
    ).exists():
        raise ValidationFailed(
            _("Your organization has already expressed interest."), code="already_interested"
        )
    interest = ExpressionOfInterest.objects.create(
        opportunity=opportunity,
        organization=organization,
        user=actor,
        message=message.strip()[:2000],
    )
    audit_record(
        actor=actor,
        action="opportunity.interest",
        target=interest,
        after=snapshot(interest, ["opportunity_id", "organization_id", "message"]),
        hub=opportunity.hub,
    )
    transaction.on_commit(lambda: _notify_interest(interest.pk))
    return interest


def _notify_interest(interest_id: int) -> None:
    from puente.marketplace.tasks import notify_interest

    notify_interest.delay(interest_id)


@transaction.atomic
def interest_withdraw(*, interest: ExpressionOfInterest, actor: User) -> ExpressionOfInterest:
    if (
        interest.user_id != actor.pk
        and interest.organization_id not in viewer_for(actor).admin_organization_ids
    ):
        raise PermissionDenied(_("You cannot withdraw this expression of interest."))
    if interest.status == InterestStatus.WITHDRAWN:
        return interest
    interest.status = InterestStatus.WITHDRAWN
    interest.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="opportunity.interest.withdraw",
        target=interest,
        after={"status": interest.status},
    )
    return interest
