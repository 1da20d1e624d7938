"""Background jobs of soft-landing programs: reminders of unanswered follow-up surveys."""

from __future__ import annotations

from celery import shared_task

from puente.landing.services import surveys_remind


@shared_task
def remind_unanswered_surveys() -> int:
    """Remind organizations whose follow-up survey waits for answers (safe to run twice)."""
    return surveys_remind()
