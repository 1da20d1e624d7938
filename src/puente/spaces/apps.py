from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    name = "puente.spaces"
    label = "spaces"
    verbose_name = _("Spaces, events and office hours")

    def ready(self) -> None:
        from puente.spaces import notifications  # noqa: F401 - registers notification kinds
