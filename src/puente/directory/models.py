"""The ecosystem directory: organizations, people, their ties and who may manage them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from puente.core.models import Hub, TaxonomyTerm, Visibility
from puente.core.search import FullTextIndex
from puente.core.text import sort_key

STALE_AFTER = dt.timedelta(days=365)

ORGANIZATION_INDEX = FullTextIndex("directory_organization")
PERSON_INDEX = FullTextIndex("directory_person")

CONTACT_VISIBILITY_CHOICES = [
    choice for choice in Visibility.choices if choice[0] != Visibility.PUBLIC
]


def stale_cutoff() -> dt.datetime:
    return timezone.now() - STALE_AFTER


#: Sizes of the ``sort_name`` columns (the keys are cut to them).
ORGANIZATION_SORT_LENGTH = 200
PERSON_SORT_LENGTH = 150


def _sort_name_too(update_fields: Iterable[str] | None, source: str) -> Iterable[str] | None:
    """``save``'s ``update_fields``, with ``sort_name`` added when ``source`` is among them."""
    if update_fields is None:
        return None
    fields = set(update_fields)
    return fields | {"sort_name"} if source in fields else fields


class OrganizationType(models.TextChoices):
    """Codes of the ``organization_type`` vocabulary that the product's rules depend on."""

    STARTUP = "startup", _("Startup")
    SCALEUP = "scaleup", _("Scaleup")
    CORPORATE = "corporate", _("Corporate")
    INVESTOR = "investor", _("Investor")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    UNIVERSITY = "university", _("University / research center")
    GOVERNMENT = "government", _("Government / agency")
    INNOVATION_CENTER = "innovation_center", _("Innovation center")


class CompanySize(models.TextChoices):
    MICRO = "1-10", _("1–10 people")
    SMALL = "11-50", _("11–50 people")
    MEDIUM = "51-200", _("51–200 people")
    LARGE = "201-1000", _("201–1,000 people")
    ENTERPRISE = "1000+", _("More than 1,000 people")


class VerificationStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Not verified")
    VERIFIED = "verified", _("Verified by the hub")


class Organization(models.Model):
    """A startup, company, investor, university, agency… of one of the hubs."""

    external_id = models.CharField(
        _("external id"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Identifier in the source this record was imported from."),
    )
    slug = models.SlugField(_("address name"), max_length=140, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # What lists sort by: the name with accents and case folded (``sort_key``), kept by
    # ``save`` and by the bulk writers.
    sort_name = models.CharField(max_length=ORGANIZATION_SORT_LENGTH, editable=False, default="")
    type = models.ForeignKey(
        TaxonomyTerm,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "organization_type"},
        verbose_name=_("type"),
    )
    hub = models.ForeignKey(
        Hub, on_delete=models.PROTECT, related_name="organizations", verbose_name=_("home hub")
    )
    other_hubs = models.ManyToManyField(
        Hub, blank=True, related_name="present_organizations", verbose_name=_("also present in")
    )
    tagline = models.CharField(_("one-line pitch"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    description_language = models.CharField(
        _("description language"), max_length=8, choices=settings.CONTENT_LANGUAGES, default="es"
    )
    description_translation = models.TextField(
        _("description, translated"), max_length=5000, blank=True
    )
    description_translation_language = models.CharField(
        _("translation language"), max_length=8, choices=settings.CONTENT_LANGUAGES, blank=True
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
    markets = models.ManyToManyField(
        TaxonomyTerm,
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": "market"},
        verbose_name=_("markets served"),
    )
    target_hubs = models.ManyToManyField(
        Hub,
        blank=True,
        related_name="interested_organizations",
        verbose_name=_("hubs it wants to reach"),
    )
    stage = models.ForeignKey(
        TaxonomyTerm,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "stage"},
        verbose_name=_("stage"),
    )
    size = models.CharField(_("size"), max_length=10, choices=CompanySize.choices, blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=240, blank=True)
    email = models.EmailField(_("contact email"), max_length=254, blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    profile_visibility = models.CharField(
        _("who sees the profile"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    details_visibility = models.CharField(
        _("who sees size, founding year and address"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    contact_visibility = models.CharField(
        _("who sees contact details"),
        max_length=20,
        choices=CONTACT_VISIBILITY_CHOICES,
        default=Visibility.MEMBERS,
    )
    verification_status = models.CharField(
        _("verification"),
        max_length=20,
        choices=VerificationStatus.choices,
        default=VerificationStatus.UNVERIFIED,
        db_index=True,
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    last_confirmed_at = models.DateTimeField(
        _("last confirmed"),
        default=timezone.now,
        db_index=True,
        help_text=_(
            "When someone responsible last confirmed the profile is current; stale after 12 months."
        ),
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["sort_name", "id"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [
            models.Index(fields=["hub", "type"], name="org_hub_type_idx"),
            models.Index(fields=["type", "sort_name"], name="org_type_sort_idx"),
            models.Index(
                fields=["profile_visibility", "sort_name"], name="org_visibility_sort_idx"
            ),
            # The directory index re-reads the name order after a write (index-only scan).
            models.Index(fields=["sort_name", "id"], name="org_sort_id_idx"),
            # The matching engine's change check reads the latest update every second.
            models.Index(fields=["updated_at"], name="org_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(contact_visibility=Visibility.PUBLIC), name="org_contact_never_public"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, **kwargs: Any) -> None:
        self.set_sort_name()
        kwargs["update_fields"] = _sort_name_too(kwargs.get("update_fields"), "name")
        super().save(**kwargs)

    def set_sort_name(self) -> None:
        """Keep ``sort_name`` with the name (``save`` does; bulk writers call it)."""
        self.sort_name = sort_key(self.name, ORGANIZATION_SORT_LENGTH)

    @property
    def is_stale(self) -> bool:
        return self.last_confirmed_at < stale_cutoff()

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED

    def hub_ids(self) -> set[int]:
        """Every hub the organization belongs to (home hub and presences)."""
        return {self.hub_id, *(hub.pk for hub in self.other_hubs.all())}


class Person(models.Model):
    """Someone in the ecosystem: founder, investor, mentor, researcher, agency staff."""

    external_id = models.CharField(
        _("external id"), max_length=100, unique=True, null=True, blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("account"),
    )
    slug = models.SlugField(_("address name"), max_length=140, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    sort_name = models.CharField(  # see Organization
        max_length=PERSON_SORT_LENGTH, editable=False, default=""
    )
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    bio = models.TextField(_("biography"), max_length=4000, blank=True)
    bio_language = models.CharField(
        _("biography language"), max_length=8, choices=settings.CONTENT_LANGUAGES, default="es"
    )
    hub = models.ForeignKey(
        Hub, on_delete=models.PROTECT, related_name="people", verbose_name=_("hub")
    )
    expertise = models.ManyToManyField(
        TaxonomyTerm,
        blank=True,
        related_name="+",
        verbose_name=_("expertise"),
        help_text=_("Sectors and technologies the person knows well."),
    )
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    is_mentor = models.BooleanField(_("mentor"), default=False, db_index=True)
    email = models.EmailField(_("contact email"), max_length=254, blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    linkedin = models.URLField(_("LinkedIn profile"), max_length=300, blank=True)
    profile_visibility = models.CharField(
        _("who sees the profile"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    contact_visibility = models.CharField(
        _("who sees contact details"),
        max_length=20,
        choices=CONTACT_VISIBILITY_CHOICES,
        default=Visibility.MEMBERS,
    )
    last_confirmed_at = models.DateTimeField(_("last confirmed"), default=timezone.now)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["sort_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            # The matching engine's change check reads the latest update every second.
            models.Index(fields=["updated_at"], name="person_updated_idx"),
            models.Index(fields=["sort_name", "id"], name="person_sort_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(contact_visibility=Visibility.PUBLIC),
                name="person_contact_never_public",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, **kwargs: Any) -> None:
        self.set_sort_name()
        kwargs["update_fields"] = _sort_name_too(kwargs.get("update_fields"), "full_name")
        super().save(**kwargs)

    def set_sort_name(self) -> None:
        """Keep ``sort_name`` with the full name (``save`` does; bulk writers call it)."""
        self.sort_name = sort_key(self.full_name, PERSON_SORT_LENGTH)

    @property
    def is_stale(self) -> bool:
        return self.last_confirmed_at < stale_cutoff()


class Position(models.Model):
    """A person's role in an organization (founder, CEO, partner, researcher…)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="positions", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name=_("organization"),
    )
    title = models.CharField(pgettext_lazy("position", "role"), max_length=120)
    is_primary = models.BooleanField(_("main role"), default=True)

    class Meta:
        ordering = ["-is_primary", "id"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "title"], name="position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.title}, {self.organization}"


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Organization admin")
    MEMBER = "member", _("Member")


class OrganizationMembership(models.Model):
    """A user's right to act for an organization: admins edit its profile and manage members."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("organization membership")
        verbose_name_plural = _("organization memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organization})"


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("claim", "Withdrawn")


class OrganizationClaim(models.Model):
    """A user's request to manage an organization's profile, decided by a manager of its hub."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="claims",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="claims",
        verbose_name=_("organization"),
    )
    role_title = models.CharField(_("your role there"), max_length=120)
    message = models.TextField(_("message to the hub"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ClaimStatus.choices,
        default=ClaimStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("organization claim")
        verbose_name_plural = _("organization claims")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=Q(status="pending"),
                name="claim_one_pending_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organization} ({self.get_status_display()})"
