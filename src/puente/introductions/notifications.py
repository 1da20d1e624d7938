"""The notification kinds introductions send (rendered in each reader's language)."""

from django.utils.translation import gettext_lazy as _

from puente.core.notifications import register_kind

register_kind(
    "introduction.requested", _("%(requester)s would like to be introduced to your organization.")
)
register_kind("introduction.brokered", _("The hub team proposes to introduce you to %(other)s."))
register_kind("introduction.accepted", _("Introduction accepted: you can now contact %(other)s."))
register_kind("introduction.declined", _("%(other)s declined the introduction."))
