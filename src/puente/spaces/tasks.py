"""Background jobs of spaces: releasing no-show bookings and reminding event attendees."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse

from puente.core.notify import send_templated_email
from puente.spaces import services, services_community
from puente.spaces.models import CommunityEvent, RegistrationStatus


@shared_task
def release_unchecked_bookings() -> int:
    """Every 5 minutes: free confirmed bookings nobody checked in to within 15 minutes."""
    return services.bookings_release_unchecked()


@shared_task
def remind_event_attendees() -> int:
    """Hourly: remind registered people of events starting within 24 hours (once per event)."""
    sent = 0
    for event_id in services_community.events_due_for_reminder():
        if not services_community.event_mark_reminded(event_id=event_id):
            continue
        event = CommunityEvent.objects.select_related("hub").get(pk=event_id)
        path = reverse("spaces:event", kwargs={"slug": event.slug})
        for registration in event.registrations.filter(
            status=RegistrationStatus.REGISTERED, user__is_active=True
        ).select_related("user"):
            user = registration.user
            context = {
                "event_title_en": event.title_en,
                "event_title_es": event.title_es,
                "starts": event.starts_at.astimezone(event.hub.zone),
                "zone": event.hub.time_zone,
                "user": user,
                "path": path,
            }
            send_templated_email(
                to=user.email,
                language=user.language,
                template="spaces/email/event_reminder",
                context=context,
            )
            sent += 1
    return sent
