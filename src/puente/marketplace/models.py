"""Offers and requests posted by organizations, and expressions of interest in them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from puente.core.models import Hub, TaxonomyTerm, Visibility
from puente.core.search import FullTextIndex
from puente.directory.models import Organization

OPPORTUNITY_INDEX = FullTextIndex("marketplace_opportunity")
LIFETIME = dt.timedelta(days=365)
REMINDER_BEFORE = dt.timedelta(days=30)
CURRENCIES = [("COP", "COP"), ("USD", "USD"), ("EUR", "EUR")]


class Side(models.TextChoices):
    OFFER = "offer", _("Offer")
    REQUEST = "request", _("Request")


class ProfileType(models.TextChoices):
    """The five profile types of Europe's partnering database, kept for interoperability."""

    BUSINESS_OFFER = "business_offer", _("Business offer")
    BUSINESS_REQUEST = "business_request", _("Business request")
    TECHNOLOGY_OFFER = "technology_offer", _("Technology offer")
    TECHNOLOGY_REQUEST = "technology_request", _("Technology request")
    RESEARCH_REQUEST = "research_request", _("Research partner request")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", _("Expired")
    ARCHIVED = "archived", _("Archived")


class Opportunity(models.Model):
    """Something an organization offers to, or asks of, the network: clients, capital, talent…"""

    external_id = models.CharField(
        _("external id"), max_length=100, unique=True, null=True, blank=True
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="opportunities",
        verbose_name=_("organization"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    hub = models.ForeignKey(
        Hub,
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("hub"),
        help_text=_("The hub where it is posted."),
    )
    side = models.CharField(
        _("offer or request"), max_length=10, choices=Side.choices, db_index=True
    )
    kind = models.ForeignKey(
        TaxonomyTerm,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "connection_kind"},
        verbose_name=_("kind"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=8000)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.CONTENT_LANGUAGES, default="es"
    )
    sectors = models.ManyToManyField(
        TaxonomyTerm,
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": "sector"},
        verbose_name=_("sectors"),
    )
    technologies = models.ManyToManyField(
        TaxonomyTerm,
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": "technology"},
        verbose_name=_("technologies"),
    )
    stages = models.ManyToManyField(
        TaxonomyTerm,
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": "stage"},
        verbose_name=_("stages"),
        help_text=_("Company stages this is for (for example, seed and series A)."),
    )
    target_hubs = models.ManyToManyField(
        Hub,
        blank=True,
        related_name="targeted_opportunities",
        verbose_name=_("target hubs"),
        help_text=_("Where the counterpart should be; empty means any hub."),
    )
    amount_min = models.DecimalField(
        _("minimum amount"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    amount_max = models.DecimalField(
        _("maximum amount"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    profile_type = models.CharField(
        _("partnering profile type"), max_length=24, choices=ProfileType.choices, blank=True
    )
    visibility = models.CharField(
        _("who sees it"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True, db_index=True)
    reminder_sent_at = models.DateTimeField(_("expiry reminder sent"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    text_version = models.CharField(
        max_length=64,
        editable=False,
        default="",
        help_text=_("Hash of the text the stored embedding was computed from."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [
            models.Index(fields=["status", "side", "kind"], name="opp_status_side_kind_idx"),
            models.Index(fields=["status", "-published_at"], name="opp_status_published_idx"),
            # The matching engine's change check reads the latest update every second (an
            # index, not db_index=True: altering the field would rebuild the SQLite table and
            # drop its full-text triggers).
            models.Index(fields=["updated_at"], name="opp_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True)
                | Q(amount_max__isnull=True)
                | Q(amount_min__lte=F("amount_max")),
                name="opp_amount_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True, amount_max__isnull=True) | ~Q(currency=""),
                name="opp_amount_has_currency",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_live(self) -> bool:
        return self.status == Status.PUBLISHED and (
            self.expires_at is None or self.expires_at > timezone.now()
        )

    @property
    def expires_soon(self) -> bool:
        return (
            self.is_live
            and self.expires_at is not None
            and self.expires_at - timezone.now() <= REMINDER_BEFORE
        )


class InterestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WITHDRAWN = "withdrawn", pgettext_lazy("interest", "Withdrawn")


class ExpressionOfInterest(models.Model):
    """A member's "we are interested" in an opportunity, with a short message."""

    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.CASCADE,
        related_name="interests",
        verbose_name=_("opportunity"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="interests",
        verbose_name=_("interested organization"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="interests",
        verbose_name=_("user"),
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=InterestStatus.choices, default=InterestStatus.OPEN
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "organization"],
                condition=Q(status="open"),
                name="interest_one_open_per_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.opportunity}"
