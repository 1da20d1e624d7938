"""Background jobs shared by every app."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from puente.accounts.models import User
from puente.core.database import refresh_planner_statistics
from puente.core.notify import send_templated_email


@shared_task
def analyze_database() -> str:
    """Refresh the query planner's statistics (daily, and after bulk loads)."""
    return refresh_planner_statistics()


@shared_task
def send_notification_emails(
    user_ids: list[int], template: str, context: dict[str, Any], url: str, topic: str | None = None
) -> int:
    """Email a notification to each user in their language, except to those who turned its
    ``topic`` off (none: always). Context values must be plain data."""
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True):
        if topic is not None and topic in (user.emails_off or []):
            continue
        send_templated_email(
            to=user.email,
            language=user.language,
            template=template,
            context={**context, "user": user, "path": url},
        )
        sent += 1
    return sent
