"""The notification kinds soft-landing programs send (rendered in each reader's language)."""

from django.utils.translation import gettext_lazy as _

from puente.core.notifications import register_kind

register_kind("landing.submitted", _("Your application to %(call)s was received."))
register_kind("landing.assigned", _("You have %(count)s applications to review in %(call)s."))
register_kind("landing.admitted", _("%(organization)s was admitted to %(program)s."))
register_kind("landing.waitlisted", _("%(organization)s is on the waiting list of %(program)s."))
register_kind("landing.rejected", _("%(organization)s was not admitted to %(program)s this time."))
register_kind(
    "landing.survey",
    _("Tell us how %(organization)s is doing: a short follow-up survey for %(period)s."),
)
register_kind(
    "landing.screening_assigned",
    _("You have %(count)s applications to screen in %(call)s."),
)
