from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandingConfig(AppConfig):
    name = "puente.landing"
    label = "landing"
    verbose_name = _("Soft-landing programs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from puente.landing import notifications  # noqa: F401 - registers notification kinds
