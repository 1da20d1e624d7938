"""Background jobs of introductions."""

from __future__ import annotations

from celery import shared_task

from puente.introductions import services


@shared_task
def expire_introductions() -> int:
    """Daily: introductions nobody answered within 30 days expire."""
    return services.introductions_expire_due()
