"""The notification kinds brokerage events send (rendered in each reader's language)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from puente.core.notifications import register_kind

register_kind("events.meeting_requested", _("%(requester)s asks you for a meeting at %(event)s."))
register_kind(
    "events.meeting_accepted", _("%(target)s accepted your meeting request at %(event)s.")
)
register_kind(
    "events.meeting_declined", _("%(target)s declined your meeting request at %(event)s.")
)
register_kind("events.agenda_published", _("Your agenda for %(event)s is published."))
register_kind(
    "events.meeting_replaced",
    _("%(absent)s is absent from %(event)s: at %(time)s you meet %(other)s instead."),
)
register_kind(
    "events.standby_meeting",
    _("From standby at %(event)s: you meet %(other)s at %(time)s, see your agenda."),
)
register_kind(
    "events.participant_withdrew",
    _("%(name)s withdrew from %(event)s: your meeting with them is cancelled."),
)
register_kind(
    "events.agenda_reminder",
    _("%(event)s: your first meeting is at %(time)s (%(zone)s), %(count)s in all."),
)
register_kind(
    "events.agenda_changed",
    ngettext_lazy(
        "Your agenda for %(event)s changed: %(count)s meeting moved, added or cancelled.",
        "Your agenda for %(event)s changed: %(count)s meetings moved, added or cancelled.",
        "count",
    ),
)
register_kind(
    "events.feedback_request",
    _("How did your meetings at %(event)s go? Tell the organizers from your agenda."),
)
register_kind("events.announcement", _("The organizers of %(event)s: %(message)s"))
register_kind(
    "events.requests_waiting",
    ngettext_lazy(
        "%(count)s meeting request at %(event)s waits for your answer; it expires at %(time)s "
        "(%(zone)s).",
        "%(count)s meeting requests at %(event)s wait for your answer; the first expires at "
        "%(time)s (%(zone)s).",
        "count",
    ),
)
