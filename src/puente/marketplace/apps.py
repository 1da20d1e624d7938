from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "puente.marketplace"
    label = "marketplace"
    verbose_name = _("Opportunities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from puente.directory.importing import register_importer
        from puente.marketplace.importing import opportunities_import

        register_importer("opportunities", opportunities_import)
