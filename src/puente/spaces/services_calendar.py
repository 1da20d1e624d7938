"""Writes to when spaces are open: opening hours, closures, a space taken in or out of use.

Each change recomputes the hours the affected spaces offer in the current and next quarter
(the occupancy KPI's denominator) through the impact app's adapter for spaces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from puente.accounts.models import User
from puente.accounts.viewer import viewer_for
from puente.core.audit import audit_record, snapshot
from puente.core.errors import PermissionDenied, ValidationFailed
from puente.core.models import Hub
from puente.impact.services import activity_sync
from puente.spaces.models import Closure, OpeningHours, Space


def _ensure_manages_hub(actor: User, hub_id: int) -> None:
    if not viewer_for(actor).manages_any([hub_id]):
        raise PermissionDenied(_("Only managers of the space's hub can change when it is open."))


def spaces_hours_offered_sync(*, spaces: Iterable[Space]) -> int:
    """Recompute the hours offered by ``spaces`` in the current and next quarter (also called
    by the admin after it saves hours or closures). Returns the facts recorded."""
    return activity_sync(sources=list(spaces))


def _spaces_touched_by(closure: Closure) -> list[Space]:
    if closure.space_id is not None:
        return list(Space.objects.filter(pk=closure.space_id))
    return list(Space.objects.filter(hub_id=closure.hub_id))


@transaction.atomic
def space_opening_hours_set(
    *, space: Space, actor: User, hours: Sequence[tuple[int, dt.time, dt.time]]
) -> list[OpeningHours]:
    """Replace a space's weekly opening hours with ``hours`` (weekday 0 = Monday, opens,
    closes); a weekday left out is closed."""
    _ensure_manages_hub(actor, space.hub_id)
    for weekday, opens, closes in hours:
        if not 0 <= weekday <= 6:
            raise ValidationFailed(_("Choose a weekday."), code="invalid_weekday", field="hours")
        if closes <= opens:
            raise ValidationFailed(
                _("A space must close after it opens."), code="closes_before_opens", field="hours"
            )
    before = [
        [window.weekday, window.opens.isoformat(), window.closes.isoformat()]
        for window in space.hours.order_by("weekday", "opens")
    ]
    space.hours.all().delete()
    created = OpeningHours.objects.bulk_create(
        [
            OpeningHours(space=space, weekday=weekday, opens=opens, closes=closes)
            for weekday, opens, closes in sorted(hours)
        ]
    )
    audit_record(
        actor=actor,
        action="space.hours_set",
        target=space,
        before={"hours": before},
        after={"hours": [[w, o.isoformat(), c.isoformat()] for w, o, c in sorted(hours)]},
        hub=space.hub,
    )
    spaces_hours_offered_sync(spaces=[space])
    return created


@transaction.atomic
def space_set_active(*, space: Space, actor: User, is_active: bool) -> Space:
    """Take a space out of use (no longer offered: its hours of the current and next quarter
    are retracted) or back into use."""
    _ensure_manages_hub(actor, space.hub_id)
    before = snapshot(space, ["is_active"])
    space.is_active = is_active
    space.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="space.activate" if is_active else "space.deactivate",
        target=space,
        before=before,
        after=snapshot(space, ["is_active"]),
        hub=space.hub,
    )
    spaces_hours_offered_sync(spaces=[space])
    return space


@transaction.atomic
def closure_create(
    *,
    actor: User,
    hub: Hub,
    starts_on: dt.date,
    ends_on: dt.date,
    space: Space | None = None,
    reason_en: str = "",
    reason_es: str = "",
) -> Closure:
    """Close one space, or every space of a hub, from one day to another (inclusive)."""
    _ensure_manages_hub(actor, hub.pk)
    if space is not None and space.hub_id != hub.pk:
        raise ValidationFailed(
            _("The space is not in this hub."), code="space_not_in_hub", field="space"
        )
    if ends_on < starts_on:
        raise ValidationFailed(
            _("A closure must end on or after the day it starts."),
            code="ends_before_starts",
            field="ends_on",
        )
    closure = Closure.objects.create(
        hub=hub,
        space=space,
        starts_on=starts_on,
        ends_on=ends_on,
        reason_en=reason_en.strip()[:200],
        reason_es=reason_es.strip()[:200],
    )
    audit_record(
        actor=actor,
        action="space.closure_create",
        target=closure,
        after=snapshot(closure, ["space_id", "starts_on", "ends_on", "reason_en"]),
        hub=hub,
    )
    spaces_hours_offered_sync(spaces=_spaces_touched_by(closure))
    return closure


@transaction.atomic
def closure_delete(*, closure: Closure, actor: User) -> None:
    """Remove a closure: the days it covered are open again."""
    _ensure_manages_hub(actor, closure.hub_id)
    touched = _spaces_touched_by(closure)
    audit_record(
        actor=actor,
        action="space.closure_delete",
        target=closure,
        before=snapshot(closure, ["space_id", "starts_on", "ends_on", "reason_en"]),
        hub=closure.hub,
    )
    closure.delete()
    spaces_hours_offered_sync(spaces=touched)
