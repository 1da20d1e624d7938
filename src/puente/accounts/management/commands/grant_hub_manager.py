"""puente grant_hub_manager EMAIL HUB_SLUG — appoint a user as manager of a hub."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email, validate_slug
from django.utils.translation import gettext as _

from puente.accounts.models import HubRole, User
from puente.accounts.services import hub_role_grant
from puente.core.errors import DomainError
from puente.core.models import Hub


class Command(BaseCommand):
    help = "Appoint the user with this email address as a manager of the hub with this code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The user's email address.")
        parser.add_argument("hub_slug", help="The hub's code, e.g. medellin or miami.")

    def handle(self, *args: Any, email: str, hub_slug: str, **options: Any) -> None:
        email, hub_slug = email.strip(), hub_slug.strip().lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(
                _("“%(email)s” is not a valid email address.") % {"email": email[:254]}
            ) from error
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(_("No account has the email address %(email)s.") % {"email": email})
        known = ", ".join(Hub.objects.order_by("slug").values_list("slug", flat=True))
        try:
            validate_slug(hub_slug)
        except ValidationError as error:
            raise CommandError(
                _("No hub has the code “%(slug)s”. Known hubs: %(hubs)s.")
                % {"slug": hub_slug[:40], "hubs": known}
            ) from error
        hub = Hub.objects.filter(slug=hub_slug).first()
        if hub is None:
            raise CommandError(
                _("No hub has the code “%(slug)s”. Known hubs: %(hubs)s.")
                % {"slug": hub_slug[:40], "hubs": known}
            )
        already = HubRole.objects.filter(user=user, hub=hub, role=HubRole.Role.MANAGER).exists()
        try:
            hub_role_grant(user=user, hub=hub, actor=None)
        except DomainError as error:
            raise CommandError(error.message) from error
        if already:
            self.stdout.write(
                _("%(email)s already manages %(hub)s; nothing changed.")
                % {"email": user.email, "hub": hub.name}
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(email)s is now a manager of %(hub)s.")
                    % {"email": user.email, "hub": hub.name}
                )
            )
