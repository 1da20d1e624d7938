"""Hubs, the shared taxonomy and the audit log: what every other app refers to."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from puente.core.i18n import localized


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known IANA time zone."), params={"value": value}
        )


class Visibility(models.TextChoices):
    """Who may see a group of fields. From most open to most closed."""

    PUBLIC = "public", _("Public: anyone, also without an account")
    PARTNER_HUBS = "partner_hubs", _("Partner hubs: members of this hub and of its partner hubs")
    MEMBERS = "members", _("Members: signed-in members of this hub")
    PRIVATE = "private", _("Private: the organization itself and its hub managers")


class Hub(models.Model):
    """A city's innovation ecosystem taking part in the network (e.g. Medellín, Miami)."""

    slug = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)
    city = models.CharField(_("city"), max_length=120)
    country = models.CharField(
        _("country code"), max_length=2, help_text=_("ISO 3166-1 alpha-2, e.g. CO or US.")
    )
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    currency = models.CharField(
        _("currency"), max_length=3, help_text=_("ISO 4217 code, e.g. COP or USD.")
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        help_text=_("Language codes, the first is the hub's main language."),
    )
    agency_name = models.CharField(_("operating agency"), max_length=200, blank=True)
    tagline_en = models.CharField(_("tagline (English)"), max_length=240, blank=True)
    tagline_es = models.CharField(_("tagline (Spanish)"), max_length=240, blank=True)
    color = models.CharField(_("accent color"), max_length=7, default="#0f766e")
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("hub")
        verbose_name_plural = _("hubs")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def tagline(self) -> str:
        return localized(self, "tagline")

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def main_language(self) -> str:
        return self.languages[0] if self.languages else settings.LANGUAGE_CODE

    def clean(self) -> None:
        ui_languages = {code for code, _name in settings.CONTENT_LANGUAGES}
        unknown = [code for code in self.languages or [] if code not in ui_languages]
        if unknown:
            raise ValidationError(
                {
                    "languages": _("Unknown language codes: %(codes)s")
                    % {"codes": ", ".join(unknown)}
                }
            )


class HubPartnershipQuerySet(models.QuerySet["HubPartnership"]):
    def involving(self, hub_ids: list[int] | set[int]) -> HubPartnershipQuerySet:
        return self.filter(Q(hub_a_id__in=hub_ids) | Q(hub_b_id__in=hub_ids))


class HubPartnership(models.Model):
    """A cooperation agreement joining two hubs; members of partner hubs see 'partner hubs' fields."""

    hub_a = models.ForeignKey(
        Hub, on_delete=models.CASCADE, related_name="+", verbose_name=_("hub")
    )
    hub_b = models.ForeignKey(
        Hub, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner hub")
    )
    agreement_en = models.CharField(_("agreement (English)"), max_length=240, blank=True)
    agreement_es = models.CharField(_("agreement (Spanish)"), max_length=240, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)

    objects = HubPartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("hub partnership")
        verbose_name_plural = _("hub partnerships")
        constraints = [
            models.UniqueConstraint(fields=["hub_a", "hub_b"], name="hub_partnership_unique_pair"),
            models.CheckConstraint(
                condition=~Q(hub_a=models.F("hub_b")), name="hub_partnership_distinct_hubs"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hub_a} ↔ {self.hub_b}"

    @property
    def agreement(self) -> str:
        return localized(self, "agreement")


class Vocabulary(models.TextChoices):
    """The shared taxonomy's vocabularies."""

    SECTOR = "sector", _("Sector")
    TECHNOLOGY = "technology", _("Technology")
    MARKET = "market", _("Market")
    STAGE = "stage", _("Company stage")
    ORGANIZATION_TYPE = "organization_type", _("Organization type")
    CONNECTION_KIND = "connection_kind", _("Connection kind")


class TaxonomyTermQuerySet(models.QuerySet["TaxonomyTerm"]):
    def of(self, vocabulary: str) -> TaxonomyTermQuerySet:
        return self.filter(vocabulary=vocabulary, is_active=True)


class TaxonomyTerm(models.Model):
    """One term of the bilingual taxonomy shared by all hubs, addressed by a stable code."""

    vocabulary = models.CharField(
        _("vocabulary"), max_length=32, choices=Vocabulary.choices, db_index=True
    )
    code = models.SlugField(_("code"), max_length=60)
    label_en = models.CharField(_("label (English)"), max_length=120)
    label_es = models.CharField(_("label (Spanish)"), max_length=120)
    description_en = models.CharField(_("description (English)"), max_length=400, blank=True)
    description_es = models.CharField(_("description (Spanish)"), max_length=400, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TaxonomyTermQuerySet.as_manager()

    class Meta:
        ordering = ["vocabulary", "sort_order", "code"]
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="taxonomy_term_unique_code")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label")

    @property
    def description(self) -> str:
        return localized(self, "description")


class AuditEntry(models.Model):
    """One change made through a service: who, what, when, and the values before and after."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("target type"), max_length=80)
    target_id = models.CharField(_("target id"), max_length=64)
    target_repr = models.CharField(_("target"), max_length=240)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    hub = models.ForeignKey(
        Hub,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hub"),
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    @property
    def changed_fields(self) -> dict[str, tuple[Any, Any]]:
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return {
            key: (before.get(key), after.get(key))
            for key in keys
            if before.get(key) != after.get(key)
        }


class Notification(models.Model):
    """An in-app message to one user. Its text is rendered in the reader's language from a
    registered ``kind`` and its ``params`` (see ``core.notifications``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    params = models.JSONField(_("details"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"

    @property
    def text(self) -> str:
        from puente.core.notifications import render_notification

        return render_notification(self.kind, self.params)
