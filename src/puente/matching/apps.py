from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "puente.matching"
    label = "matching"
    verbose_name = _("Matchmaking")
    default_auto_field = "django.db.models.BigAutoField"
