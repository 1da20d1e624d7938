from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "puente.core"
    label = "core"
    verbose_name = _("Network and taxonomy")
    default_auto_field = "django.db.models.BigAutoField"
