"""The notification kinds spaces, events and office hours send (rendered in each reader's language)."""

from django.utils.translation import gettext_lazy as _

from puente.core.notifications import register_kind

register_kind(
    "spaces.booking_requested",
    _("%(user)s asks to book %(space)s on %(when)s: waiting for your approval."),
)
register_kind("spaces.booking_approved", _("Your booking of %(space)s on %(when)s is confirmed."))
register_kind(
    "spaces.booking_rejected", _("Your booking of %(space)s on %(when)s was not approved.")
)
register_kind(
    "spaces.booking_released",
    _("Your booking of %(space)s on %(when)s was released: nobody checked in."),
)
register_kind(
    "spaces.event_promoted", _("A place opened up: you are now registered for %(event)s.")
)
register_kind(
    "spaces.session_booked", _("%(founder)s booked office hours with you on %(when)s: %(topic)s")
)
register_kind(
    "spaces.session_confirmed", _("Your office hours with %(mentor)s on %(when)s are booked.")
)
register_kind("spaces.session_cancelled", _("The office hours session on %(when)s was cancelled."))
