"""Background jobs of brokerage events."""

from __future__ import annotations

from celery import shared_task

from puente.events import services, services_changes, services_feedback, services_schedule


@shared_task
def run_scheduler(run_id: int) -> str:
    """Place an event's meetings for one queued scheduler run (safe to run twice)."""
    run = services_schedule.schedule_run_execute(run_id=run_id)
    return run.status if run is not None else "missing"


@shared_task
def expire_meeting_requests() -> int:
    """Hourly: meeting requests nobody answered in time expire (they never held a slot)."""
    return services.meeting_requests_expire_due()


@shared_task
def remind_pending_requests() -> int:
    """Hourly: the asked side of a request about to expire is reminded to answer, once."""
    return services.request_reminders_send()


@shared_task
def remind_participants() -> int:
    """Hourly: each participant is reminded, once, a day before their first meeting."""
    return services_schedule.agenda_reminders_send()


@shared_task
def ask_for_feedback() -> int:
    """Hourly: each participant is asked, once, how their meetings went, after the last."""
    return services_feedback.feedback_requests_send()


@shared_task
def email_agenda_changes() -> int:
    """Every 5 minutes: agenda changes the organizers have stopped making are emailed."""
    return services_changes.agenda_change_emails_send()
