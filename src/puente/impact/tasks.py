"""Background jobs of the impact app: each calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from puente.impact.services import activity_refresh, activity_sync_existing


@shared_task(name="impact.sync_activity")
def sync_activity() -> int:
    """Record the facts that existing records stand for and that have none yet, then recompute
    the calendar-bound ones (spaces' hours offered in the current and next quarter)."""
    return activity_sync_existing() + activity_refresh()
