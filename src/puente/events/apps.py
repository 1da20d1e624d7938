from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "puente.events"
    label = "events"
    verbose_name = _("Brokerage events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from puente.events import notifications  # noqa: F401 - registers notification kinds
