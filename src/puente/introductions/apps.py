from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntroductionsConfig(AppConfig):
    name = "puente.introductions"
    label = "introductions"
    verbose_name = _("Introductions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from puente.introductions import notifications  # noqa: F401 - registers notification kinds
