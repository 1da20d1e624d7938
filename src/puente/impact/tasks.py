"""Background jobs of the impact app: each calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from puente.impact.services import activity_sync_existing


@shared_task(name="impact.sync_activity")
def sync_activity() -> int:
    """Record facts for organizations, introductions and outcomes that have none yet."""
    return activity_sync_existing()
