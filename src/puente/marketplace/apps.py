from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "puente.marketplace"
    label = "marketplace"
    verbose_name = _("Opportunities")
    default_auto_field = "django.db.models.BigAutoField"
