"""Stored sentence embeddings of searchable items, users' feedback on matches, and which
matches were shown (for the impact KPIs)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemType(models.TextChoices):
    OPPORTUNITY = "opportunity", _("Opportunity")
    ORGANIZATION = "organization", _("Organization")
    PERSON = "person", _("Person")


class Embedding(models.Model):
    """The embedding of one version of an item's text. Computed once per text version by a
    background job; never per request."""

    item_type = models.CharField(_("item type"), max_length=20, choices=ItemType.choices)
    item_id = models.BigIntegerField(_("item id"))
    text_version = models.CharField(_("text version"), max_length=64)
    language = models.CharField(_("language"), max_length=8)
    vector = models.BinaryField(_("vector"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("embedding")
        verbose_name_plural = _("embeddings")
        constraints = [
            models.UniqueConstraint(fields=["item_type", "item_id"], name="embedding_one_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_type}:{self.item_id}"


class FeedbackKind(models.TextChoices):
    NOT_RELEVANT = "not_relevant", _("Not relevant")
    ALREADY_MET = "already_met", _("Already met")
    DISMISSED = "dismissed", _("Hidden")


class MatchFeedback(models.Model):
    """A user's verdict on a suggested item: it never comes back, and similar items rank lower."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="match_feedback",
        verbose_name=_("user"),
    )
    item_type = models.CharField(_("item type"), max_length=20, choices=ItemType.choices)
    item_id = models.BigIntegerField(_("item id"))
    kind = models.CharField(_("feedback"), max_length=20, choices=FeedbackKind.choices)
    created_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        verbose_name = _("match feedback")
        verbose_name_plural = _("match feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item_type", "item_id"], name="feedback_one_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.item_type}:{self.item_id}"


class MatchImpression(models.Model):
    """The first time a matched item was shown to an organization (or to a user who does not
    act for the subject's organization): the "matches shown" KPI counts these, once per pair."""

    organization = models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("shown to organization"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("shown to user"),
    )
    item_type = models.CharField(_("item type"), max_length=20, choices=ItemType.choices)
    item_id = models.BigIntegerField(_("item id"))
    subject_organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organization matched for"),
    )
    matched_organization = models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("matched organization"),
    )
    shown_at = models.DateTimeField(_("first shown"))

    class Meta:
        verbose_name = _("match shown")
        verbose_name_plural = _("matches shown")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "item_type", "item_id"],
                condition=models.Q(organization__isnull=False),
                name="impression_once_per_organization",
            ),
            models.UniqueConstraint(
                fields=["user", "item_type", "item_id"],
                condition=models.Q(organization__isnull=True),
                name="impression_once_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(organization__isnull=False) | models.Q(user__isnull=False),
                name="impression_shown_to_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_type}:{self.item_id} {self.shown_at:%Y-%m-%d}"
