"""The record that a database was filled by ``puente demo`` (so a second run does not seed twice)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoSeed(models.Model):
    """One run of the demo seeder: with which seed and size, and what it created."""

    seed = models.PositiveIntegerField(_("seed"))
    size = models.CharField(_("size"), max_length=10)
    counts = models.JSONField(_("records created"), default=dict)
    created_at = models.DateTimeField(_("seeded"), auto_now_add=True)

    class Meta:
        verbose_name = _("demo seed")
        verbose_name_plural = _("demo seeds")

    def __str__(self) -> str:
        return f"{self.size} demo, seed {self.seed}"
