"""In-app notifications (and their emails), rendered in each recipient's own language.

Apps register the kinds they send with a translatable message whose placeholders are filled
from the notification's params when it is displayed, so a reader who switches language sees
every notification in the new language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from puente.core.models import Notification

_KINDS: dict[str, Promise] = {}


def register_kind(kind: str, message: Promise) -> None:
    """Register a notification kind with its (lazy, translatable) message: a
    ``gettext_lazy`` string, or an ``ngettext_lazy`` one whose number is a key of the
    notification's parameters (``ngettext_lazy(one, many, "count")``)."""
    _KINDS[kind] = message


def render_notification(kind: str, params: dict[str, Any]) -> str:
    message = _KINDS.get(kind)
    if message is None:
        return _("You have a new notification.")
    try:
        return str(message % params)
    except (KeyError, TypeError, ValueError):
        return str(message)


@transaction.atomic
def notify(
    *,
    users: Iterable[Any],
    kind: str,
    params: dict[str, Any],
    url: str = "",
    email_template: str | None = None,
    email_context: dict[str, Any] | None = None,
    email_topic: str | None = None,
) -> list[Notification]:
    """Create an in-app notification for each user and, with ``email_template``, email them
    after the transaction commits, each in their own language. With ``email_topic`` (an
    ``accounts.models.EmailTopic``), users who turned that topic off get no email; without
    one the email is essential and always goes out."""
    recipients = [user for user in users if user is not None and user.is_active]
    notifications = Notification.objects.bulk_create(
        [Notification(user=user, kind=kind, params=params, url=url[:300]) for user in recipients]
    )
    if email_template:
        user_ids = [user.pk for user in recipients]
        context = dict(email_context or {})
        transaction.on_commit(
            lambda: _send_emails(user_ids, email_template, context, url, email_topic)
        )
    return notifications


def _send_emails(
    user_ids: list[int], template: str, context: dict[str, Any], url: str, topic: str | None
) -> None:
    from puente.core.tasks import send_notification_emails

    send_notification_emails.delay(user_ids, template, context, url, topic)


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


@transaction.atomic
def notifications_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications as read (all of them when ``ids`` is None)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
