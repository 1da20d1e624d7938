"""Impact: the activity fact table behind the agreement's KPIs, targets, exchange rates,
innovation indicators and the bilingual knowledge library."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from puente.core.i18n import localized
from puente.core.models import Hub, TaxonomyTerm
from puente.core.search import FullTextIndex
from puente.directory.models import Organization, Person

GUIDE_INDEX = FullTextIndex("impact_guide")
GUIDE_STALE_AFTER = dt.timedelta(days=365)


class ActivityKind(models.TextChoices):
    """What one activity record counts. Apps write these through ``record_activity``."""

    ORGANIZATION_ACTIVE = "organization_active", _("Organization active")
    PERSON_ACTIVE = "person_active", _("Person active")
    MATCH_SHOWN = "match_shown", _("Match shown")
    INTRODUCTION_REQUESTED = "introduction_requested", _("Introduction requested")
    INTRODUCTION_ACCEPTED = "introduction_accepted", _("Introduction accepted")
    MEETING_HELD = "meeting_held", _("Meeting held")
    COMPANY_LANDED = "company_landed", _("Company landed")
    JOBS_CREATED = "jobs_created", _("Jobs created")
    INVESTMENT = "investment", _("Investment mobilized")
    EVENT_HELD = "event_held", _("Event held")
    EVENT_ATTENDANCE = "event_attendance", _("Event attendance")
    MENTORING_HOURS = "mentoring_hours", _("Mentoring hours")
    SPACE_BOOKING = "space_booking", _("Space booking")
    SPACE_HOURS_OFFERED = "space_hours_offered", _("Space hours offered")
    PROGRAM_PARTICIPATION = "program_participation", _("Program participation")


def quarter_code(day: dt.date) -> int:
    """20263 for any day of July to September 2026: sortable and indexable."""
    return day.year * 10 + (day.month - 1) // 3 + 1


class ActivityRecord(models.Model):
    """One fact of recorded activity (a meeting, a landing, an investment…) that KPIs count.

    ``local_date`` and ``quarter`` are the day and calendar quarter in the time zone of ``hub``,
    fixed when the record is written, so quarter filters are plain indexed comparisons.
    """

    kind = models.CharField(_("kind"), max_length=32, choices=ActivityKind.choices)
    occurred_at = models.DateTimeField(_("when"))
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+", verbose_name=_("hub"))
    local_date = models.DateField(_("date in the hub"))
    quarter = models.PositiveIntegerField(_("quarter"))
    origin_hub = models.ForeignKey(
        Hub,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from hub"),
    )
    destination_hub = models.ForeignKey(
        Hub,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to hub"),
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organization"),
    )
    partner_organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("other organization"),
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("person"),
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=18, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    source_type = models.CharField(_("source"), max_length=60, blank=True)
    source_id = models.CharField(_("source id"), max_length=64, blank=True)
    evidence = models.CharField(
        _("evidence"),
        max_length=500,
        blank=True,
        help_text=_("For figures entered by hand: where the number comes from."),
    )
    # Database defaults: rows written in bulk by raw SQL (imports, benchmarks) leave them out.
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True, db_default="")
    evidence_file = models.FileField(
        _("evidence file"),
        upload_to="impact/evidence/%Y/%m/",
        max_length=300,
        blank=True,
        db_default="",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("activity record")
        verbose_name_plural = _("activity records")
        # The dashboard's grouped queries read only these indexes (covering), never the rows.
        indexes = [
            models.Index(
                # In GROUP BY order, so SQLite reads it in order and never the table.
                fields=[
                    "quarter",
                    "kind",
                    "currency",
                    "hub",
                    "origin_hub",
                    "destination_hub",
                    "quantity",
                ],
                name="activity_grouped_idx",
            ),
            models.Index(
                fields=["quarter", "organization", "hub", "origin_hub", "destination_hub"],
                name="activity_orgs_idx",
            ),
            models.Index(
                fields=["quarter", "person", "hub", "origin_hub", "destination_hub"],
                name="activity_people_idx",
            ),
            models.Index(fields=["quarter", "kind", "occurred_at"], name="activity_records_idx"),
            # The network page's ties (selectors.tie_rows), in every scope: read in DISTINCT
            # order from this index alone (8 quarters of a million records: 1.3 s -> 0.09 s).
            models.Index(
                fields=[
                    "quarter",
                    "organization",
                    "partner_organization",
                    "kind",
                    "hub",
                    "origin_hub",
                    "destination_hub",
                ],
                condition=Q(partner_organization__isnull=False),
                name="activity_ties_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id"],
                condition=~Q(source_id=""),
                name="activity_one_per_source",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="activity_quantity_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(kind="investment") | ~Q(currency=""),
                name="activity_investment_has_currency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.local_date}"


class KpiTarget(models.Model):
    """The target of one KPI for one quarter, for one hub (or the joint network) and direction."""

    kpi = models.CharField(_("indicator"), max_length=40)
    hub = models.ForeignKey(
        Hub,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("hub"),
        help_text=_("Empty: the whole network."),
    )
    origin_hub = models.ForeignKey(
        Hub,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("from hub"),
    )
    destination_hub = models.ForeignKey(
        Hub,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("to hub"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    value = models.DecimalField(
        pgettext_lazy("kpi", "target"),
        max_digits=18,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("set by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["kpi", "year", "quarter"]
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        indexes = [models.Index(fields=["year", "quarter", "kpi"], name="kpi_target_period_idx")]

    def __str__(self) -> str:
        return f"{self.kpi} {self.year}-Q{self.quarter}: {self.value}"

    @property
    def quarter_code(self) -> int:
        return self.year * 10 + self.quarter


class ExchangeRate(models.Model):
    """How many units of ``currency`` one unit of the reporting currency buys on a date."""

    currency = models.CharField(_("currency"), max_length=3)
    rate = models.DecimalField(
        _("units per reporting-currency unit"),
        max_digits=20,
        decimal_places=6,
        validators=[MinValueValidator(0)],
    )
    valid_on = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["currency", "-valid_on"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "valid_on"], name="exchange_rate_one_per_day"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.rate} ({self.valid_on})"


class Indicator(models.Model):
    """A published innovation indicator (e.g. R&D expenditure as % of GDP)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    description_en = models.CharField(_("description (English)"), max_length=500, blank=True)
    description_es = models.CharField(_("description (Spanish)"), max_length=500, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("innovation indicator")
        verbose_name_plural = _("innovation indicators")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")


class IndicatorValue(models.Model):
    """One published figure (or public target) of an indicator for a country or city and year."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    area = models.CharField(
        _("country or city"),
        max_length=120,
        help_text=_("Its English name as published, e.g. Colombia, United States, Medellín."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    is_target = models.BooleanField(_("public target"), default=False)
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source address"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        ordering = ["indicator", "area", "year"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "year", "is_target"], name="indicator_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.area} {self.year}: {self.value}"


class GuideCategory(models.TextChoices):
    LEGAL = "legal", _("Legal and company setup")
    TAX = "tax", _("Tax")
    VISAS = "visas", _("Visas and immigration")
    BANKING = "banking", _("Banking and payments")
    MARKET = "market", _("Market information")
    INDUSTRY = "industry", _("Industry context")
    OPERATIONS = "operations", _("Operations")


class Guide(models.Model):
    """A bilingual guide of the knowledge library (how to open a bank account in Miami…)."""

    slug = models.SlugField(_("address name"), max_length=140, unique=True)
    hub = models.ForeignKey(
        Hub,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hub"),
        help_text=_("The hub the guide is about; empty for every hub."),
    )
    category = models.CharField(_("category"), max_length=20, choices=GuideCategory.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    summary_en = models.CharField(_("summary (English)"), max_length=400, blank=True)
    summary_es = models.CharField(_("summary (Spanish)"), max_length=400, blank=True)
    body_en = models.TextField(_("text (English)"), max_length=20000, blank=True)
    body_es = models.TextField(_("text (Spanish)"), max_length=20000, blank=True)
    tags = models.ManyToManyField(
        TaxonomyTerm, blank=True, related_name="+", verbose_name=_("tags")
    )
    authors = models.CharField(_("authors"), max_length=300, blank=True)
    reviewed_on = models.DateField(_("last reviewed"))
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["title_en", "id"]
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    @property
    def body(self) -> str:
        return localized(self, "body")

    @property
    def is_stale(self) -> bool:
        """Not reviewed in the last 12 months."""
        return self.reviewed_on < timezone.localdate() - GUIDE_STALE_AFTER


class GuideAttachment(models.Model):
    """A file attached to a guide (a form, a checklist, a slide deck)."""

    guide = models.ForeignKey(
        Guide, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("guide")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="guides/", max_length=300)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.CONTENT_LANGUAGES, default="es"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("guide attachment")
        verbose_name_plural = _("guide attachments")

    def __str__(self) -> str:
        return self.title
