"""Double opt-in introductions between organizations, and what came of them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from puente.directory.models import Organization
from puente.marketplace.models import CURRENCIES, Opportunity

PENDING_LIFETIME = dt.timedelta(days=30)


class IntroductionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for answers")
    ACCEPTED = "accepted", _("Accepted by both sides")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired without an answer")
    CANCELLED = "cancelled", _("Cancelled")


class Introduction(models.Model):
    """Two organizations introduced to each other. Contact details are revealed to each side only
    once both have accepted; a hub manager may broker it, but both must still accept."""

    requester = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="introductions_requested",
        verbose_name=_("requesting organization"),
    )
    target = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="introductions_received",
        verbose_name=_("introduced organization"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    brokered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("brokered by"),
    )
    opportunity = models.ForeignKey(
        Opportunity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("the requester's opportunity"),
    )
    target_opportunity = models.ForeignKey(
        Opportunity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("the matched opportunity"),
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    match_explanation = models.JSONField(_("why they were matched"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=IntroductionStatus.choices,
        default=IntroductionStatus.PENDING,
        db_index=True,
    )
    requester_accepted_at = models.DateTimeField(_("requester accepted"), null=True, blank=True)
    requester_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted for the requester by"),
    )
    target_accepted_at = models.DateTimeField(_("introduced side accepted"), null=True, blank=True)
    target_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted for the introduced side by"),
    )
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=500, blank=True)
    expires_at = models.DateTimeField(_("answer by"), db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=models.F("target")), name="introduction_distinct_sides"
            ),
            models.UniqueConstraint(
                fields=["requester", "target"],
                condition=Q(status__in=["pending", "accepted"]),
                name="introduction_one_open_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} ↔ {self.target}"

    @property
    def is_accepted(self) -> bool:
        return self.status == IntroductionStatus.ACCEPTED

    def side_of(self, organization_ids: frozenset[int] | set[int]) -> str | None:
        """``"requester"``, ``"target"`` or None: which side a set of organizations is on."""
        if self.requester_id in organization_ids:
            return "requester"
        if self.target_id in organization_ids:
            return "target"
        return None


class OutcomeKind(models.TextChoices):
    MET = "met", _("We met")
    FOLLOW_UP = "follow_up", _("Follow-up planned")
    DEAL = "deal", _("Deal signed")
    INVESTMENT = "investment", _("Investment made")
    HIRE = "hire", _("Hire made")
    NO_FIT = "no_fit", _("No fit")


class IntroductionOutcome(models.Model):
    """One recorded result of an accepted introduction; these feed the agreement's KPIs."""

    introduction = models.ForeignKey(
        Introduction,
        on_delete=models.CASCADE,
        related_name="outcomes",
        verbose_name=_("introduction"),
    )
    kind = models.CharField(_("outcome"), max_length=12, choices=OutcomeKind.choices, db_index=True)
    occurred_on = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, blank=True)
    hires = models.PositiveSmallIntegerField(_("people hired"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = _("introduction outcome")
        verbose_name_plural = _("introduction outcomes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="investment") | (Q(amount__isnull=False) & ~Q(currency="")),
                name="outcome_investment_has_amount",
            ),
            models.CheckConstraint(
                condition=~Q(kind="hire") | Q(hires__gte=1), name="outcome_hire_has_count"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.introduction} — {self.get_kind_display()}"
