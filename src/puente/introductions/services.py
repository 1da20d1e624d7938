"""Every write to introductions: request, broker, answer, cancel, expire, record outcomes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from puente.accounts.models import EmailTopic, User
from puente.accounts.viewer import viewer_for
from puente.core.audit import audit_record, snapshot
from puente.core.errors import Conflict, PermissionDenied, ValidationFailed
from puente.core.notifications import notify
from puente.directory.models import Organization, OrganizationMembership
from puente.impact.services import activity_sync
from puente.introductions.models import (
    PENDING_LIFETIME,
    Introduction,
    IntroductionOutcome,
    IntroductionStatus,
    OutcomeKind,
)
from puente.marketplace.models import Opportunity

MAX_REQUESTS_PER_DAY = 25
_STATE = ["status", "requester_accepted_at", "target_accepted_at", "declined_at", "decline_reason"]


def _members(organization: Organization) -> list[User]:
    return [
        membership.user
        for membership in OrganizationMembership.objects.filter(
            organization=organization
        ).select_related("user")
    ]


def _path(introduction: Introduction) -> str:
    return reverse("introductions:detail", kwargs={"pk": introduction.pk})


def _open_between(a: Organization, b: Organization) -> Introduction | None:
    return (
        Introduction.objects.filter(
            status__in=[IntroductionStatus.PENDING, IntroductionStatus.ACCEPTED]
        )
        .filter(Q(requester=a, target=b) | Q(requester=b, target=a))
        .first()
    )


def _check_pair(requester: Organization, target: Organization) -> None:
    if requester.pk == target.pk:
        raise ValidationFailed(
            _("An organization cannot be introduced to itself."), code="same_organization"
        )
    existing = _open_between(requester, target)
    if existing is not None:
        raise Conflict(
            _("These organizations already have an open introduction."), code="introduction_exists"
        )


def _create(**fields: Any) -> Introduction:
    try:
        with transaction.atomic():
            return Introduction.objects.create(
                expires_at=timezone.now() + PENDING_LIFETIME, **fields
            )
    except IntegrityError as error:  # a concurrent request for the same pair won the race
        raise Conflict(
            _("These organizations already have an open introduction."), code="introduction_exists"
        ) from error


@transaction.atomic
def introduction_request(
    *,
    actor: User,
    requester: Organization,
    target: Organization,
    message: str = "",
    opportunity: Opportunity | None = None,
    target_opportunity: Opportunity | None = None,
    explanation: list[dict[str, Any]] | None = None,
) -> Introduction:
    """A member asks to be introduced to another organization; their side counts as accepted."""
    viewer = viewer_for(actor)
    if requester.pk not in viewer.organization_ids:
        raise PermissionDenied(_("You can only request introductions for your own organization."))
    if not actor.is_verified:
        raise PermissionDenied(
            _("Confirm your email address before requesting introductions."),
            code="email_not_verified",
        )
    _check_pair(requester, target)
    if opportunity is not None and opportunity.organization_id != requester.pk:
        raise ValidationFailed(
            _("That opportunity belongs to another organization."),
            code="invalid_opportunity",
            field="opportunity",
        )
    if target_opportunity is not None and target_opportunity.organization_id != target.pk:
        raise ValidationFailed(
            _("That opportunity belongs to another organization."),
            code="invalid_opportunity",
            field="target_opportunity",
        )
    since = timezone.now() - dt.timedelta(days=1)
    if (
        Introduction.objects.filter(
            requester=requester, created_at__gte=since, brokered_by__isnull=True
        ).count()
        >= MAX_REQUESTS_PER_DAY
    ):
        raise ValidationFailed(
            _(
                "Your organization has reached today's limit of introduction requests. Try again tomorrow."
            ),
            code="rate_limited",
        )
    now = timezone.now()
    introduction = _create(
        requester=requester,
        target=target,
        requested_by=actor,
        opportunity=opportunity,
        target_opportunity=target_opportunity,
        message=message.strip()[:2000],
        match_explanation=explanation or [],
        requester_accepted_at=now,
        requester_accepted_by=actor,
    )
    activity_sync(sources=[introduction])
    audit_record(
        actor=actor,
        action="introduction.request",
        target=introduction,
        after=snapshot(introduction, ["requester_id", "target_id", *_STATE]),
        hub=requester.hub,
    )
    notify(
        users=_members(target),
        kind="introduction.requested",
        params={"requester": requester.name},
        url=_path(introduction),
        email_template="introductions/email/requested",
        email_topic=EmailTopic.REQUESTS,
        email_context={
            "requester": requester.name,
            "target": target.name,
            "message": introduction.message,
        },
    )
    return introduction


@transaction.atomic
def introduction_broker(
    *, actor: User, first: Organization, second: Organization, message: str = ""
) -> Introduction:
    """A hub manager proposes an introduction; both organizations must accept it."""
    viewer = viewer_for(actor)
    if not viewer.manages_any(first.hub_ids() | second.hub_ids()):
        raise PermissionDenied(
            _("Only managers of one of the organizations' hubs can broker introductions.")
        )
    _check_pair(first, second)
    introduction = _create(
        requester=first, target=second, brokered_by=actor, message=message.strip()[:2000]
    )
    activity_sync(sources=[introduction])
    audit_record(
        actor=actor,
        action="introduction.broker",
        target=introduction,
        after=snapshot(introduction, ["requester_id", "target_id", *_STATE]),
        hub=first.hub,
    )
    for side, other in ((first, second), (second, first)):
        notify(
            users=_members(side),
            kind="introduction.brokered",
            params={"other": other.name},
            url=_path(introduction),
            email_template="introductions/email/brokered",
            email_topic=EmailTopic.REQUESTS,
            email_context={
                "other": other.name,
                "organization": side.name,
                "message": introduction.message,
            },
        )
    return introduction


def _side_for(actor: User, introduction: Introduction) -> str:
    side = introduction.side_of(viewer_for(actor).organization_ids)
    if side is None:
        raise PermissionDenied(
            _("Only members of the organizations involved can answer this introduction.")
        )
    return side


@transaction.atomic
def introduction_respond(
    *, introduction: Introduction, actor: User, accept: bool, reason: str = ""
) -> Introduction:
    """Accept or decline on behalf of the actor's side. When both sides have accepted, contact
    details become visible to each other and both are told."""
    introduction = Introduction.objects.select_for_update().get(pk=introduction.pk)
    side = _side_for(actor, introduction)
    if introduction.status != IntroductionStatus.PENDING:
        raise ValidationFailed(
            _("This introduction is no longer waiting for an answer."), code="not_pending"
        )
    if introduction.expires_at <= timezone.now():
        raise ValidationFailed(_("This introduction expired without an answer."), code="expired")
    before = snapshot(introduction, _STATE)
    now = timezone.now()
    if not accept:
        introduction.status = IntroductionStatus.DECLINED
        introduction.declined_at = now
        introduction.decline_reason = reason.strip()[:500]
        introduction.save()
        audit_record(
            actor=actor,
            action="introduction.decline",
            target=introduction,
            before=before,
            after=snapshot(introduction, _STATE),
            hub=introduction.requester.hub,
        )
        other = introduction.requester if side == "target" else introduction.target
        notify(
            users=_members(other),
            kind="introduction.declined",
            params={
                "other": (introduction.target if side == "target" else introduction.requester).name
            },
            url=_path(introduction),
        )
        return introduction
    if side == "requester":
        if introduction.requester_accepted_at is not None:
            raise ValidationFailed(
                _("Your organization has already accepted."), code="already_accepted"
            )
        introduction.requester_accepted_at, introduction.requester_accepted_by = now, actor
    else:
        if introduction.target_accepted_at is not None:
            raise ValidationFailed(
                _("Your organization has already accepted."), code="already_accepted"
            )
        introduction.target_accepted_at, introduction.target_accepted_by = now, actor
    if introduction.requester_accepted_at and introduction.target_accepted_at:
        introduction.status = IntroductionStatus.ACCEPTED
    introduction.save()
    activity_sync(sources=[introduction])
    audit_record(
        actor=actor,
        action="introduction.accept",
        target=introduction,
        before=before,
        after=snapshot(introduction, _STATE),
        hub=introduction.requester.hub,
    )
    if introduction.status == IntroductionStatus.ACCEPTED:
        for mine, other in (
            (introduction.requester, introduction.target),
            (introduction.target, introduction.requester),
        ):
            notify(
                users=_members(mine),
                kind="introduction.accepted",
                params={"other": other.name},
                url=_path(introduction),
                email_template="introductions/email/accepted",
                email_topic=EmailTopic.REQUESTS,
                email_context={"other": other.name, "organization": mine.name},
            )
    return introduction


@transaction.atomic
def introduction_cancel(*, introduction: Introduction, actor: User) -> Introduction:
    """The requester (or the broker) withdraws an introduction nobody has answered yet."""
    viewer = viewer_for(actor)
    allowed = introduction.requester_id in viewer.organization_ids or (
        introduction.brokered_by_id == actor.pk
    )
    if not allowed:
        raise PermissionDenied(_("Only the side that asked for this introduction can cancel it."))
    if introduction.status != IntroductionStatus.PENDING:
        raise ValidationFailed(
            _("Only introductions waiting for an answer can be cancelled."), code="not_pending"
        )
    before = snapshot(introduction, _STATE)
    introduction.status = IntroductionStatus.CANCELLED
    introduction.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="introduction.cancel",
        target=introduction,
        before=before,
        after=snapshot(introduction, _STATE),
        hub=introduction.requester.hub,
    )
    return introduction


@transaction.atomic
def introductions_expire_due(*, now: dt.datetime | None = None) -> int:
    """Expire introductions that waited too long for an answer (a daily job, safe to repeat)."""
    now = now or timezone.now()
    due = list(
        Introduction.objects.select_for_update().filter(
            status=IntroductionStatus.PENDING, expires_at__lte=now
        )
    )
    for introduction in due:
        before = snapshot(introduction, _STATE)
        introduction.status = IntroductionStatus.EXPIRED
        introduction.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=None,
            action="introduction.expire",
            target=introduction,
            before=before,
            after=snapshot(introduction, _STATE),
        )
    return len(due)


@transaction.atomic
def introduction_record_outcome(
    *,
    introduction: Introduction,
    actor: User,
    kind: str,
    occurred_on: dt.date,
    amount: Decimal | None = None,
    currency: str = "",
    hires: int | None = None,
    note: str = "",
) -> IntroductionOutcome:
    """Record what came of an accepted introduction (met, deal, investment, hire, no fit)."""
    viewer = viewer_for(actor)
    involved = introduction.side_of(viewer.organization_ids) is not None
    if not (
        involved
        or viewer.manages_any(introduction.requester.hub_ids() | introduction.target.hub_ids())
    ):
        raise PermissionDenied(
            _("Only the organizations involved and their hub managers can record outcomes.")
        )
    if introduction.status != IntroductionStatus.ACCEPTED:
        raise ValidationFailed(
            _("Outcomes can be recorded only after both sides accepted the introduction."),
            code="not_accepted",
        )
    if kind not in OutcomeKind.values:
        raise ValidationFailed(_("Unknown outcome."), code="invalid_outcome", field="kind")
    if occurred_on > timezone.localdate() + dt.timedelta(days=1):
        raise ValidationFailed(
            _("The date of an outcome cannot be in the future."),
            code="future_date",
            field="occurred_on",
        )
    if occurred_on < introduction.created_at.date() - dt.timedelta(days=1):
        raise ValidationFailed(
            _("The outcome cannot predate the introduction."),
            code="before_introduction",
            field="occurred_on",
        )
    if kind in (OutcomeKind.INVESTMENT, OutcomeKind.DEAL) and amount is not None and not currency:
        raise ValidationFailed(
            _("Say which currency the amount is in."), code="currency_required", field="currency"
        )
    if kind == OutcomeKind.INVESTMENT and (amount is None or amount <= 0):
        raise ValidationFailed(
            _("Give the amount invested."), code="amount_required", field="amount"
        )
    if kind == OutcomeKind.HIRE and (hires is None or hires < 1):
        raise ValidationFailed(
            _("Give the number of people hired."), code="hires_required", field="hires"
        )
    outcome = IntroductionOutcome.objects.create(
        introduction=introduction,
        kind=kind,
        occurred_on=occurred_on,
        amount=amount if kind in (OutcomeKind.INVESTMENT, OutcomeKind.DEAL) else None,
        currency=currency if amount is not None else "",
        hires=hires if kind == OutcomeKind.HIRE else None,
        note=note.strip()[:500],
        recorded_by=actor,
    )
    activity_sync(sources=[outcome])
    audit_record(
        actor=actor,
        action="introduction.outcome",
        target=outcome,
        after=snapshot(
            outcome,
            ["introduction_id", "kind", "occurred_on", "amount", "currency", "hires", "note"],
        ),
        hub=introduction.requester.hub,
    )
    return outcome
