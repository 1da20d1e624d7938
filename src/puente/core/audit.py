"""Audit trail: every write through a service records who changed what, and how."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from puente.core.models import AuditEntry, Hub


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        items = [_plain(item) for item in value]
        return sorted(items, key=str) if isinstance(value, set) else items
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The values of a model's concrete fields (and any many-to-many fields named) as JSON data."""
    opts = instance._meta
    names = list(fields) if fields is not None else [f.attname for f in opts.concrete_fields]
    data: dict[str, Any] = {}
    for name in names:
        field: models.Field[Any, Any] | None = None
        try:
            found = opts.get_field(name)
        except FieldDoesNotExist:  # attnames like hub_id are not field names
            found = None
        if isinstance(found, models.Field):
            field = found
        if field is not None and field.many_to_many:
            if instance.pk is None:
                data[name] = []
            else:
                data[name] = sorted(getattr(instance, name).values_list("pk", flat=True))
            continue
        data[name] = _plain(getattr(instance, name if field is None else field.attname, None))
    return data


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    hub: Hub | None = None,
) -> AuditEntry:
    """Write one audit entry. Call it inside the service's transaction."""
    if before is not None and after is not None:
        changed = {key for key in set(before) | set(after) if before.get(key) != after.get(key)}
        before = {key: before.get(key) for key in sorted(changed)}
        after = {key: after.get(key) for key in sorted(changed)}
    actor_id = (
        getattr(actor, "pk", None)
        if actor is not None and getattr(actor, "is_authenticated", False)
        else None
    )
    return AuditEntry.objects.create(
        actor_id=actor_id,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:240],
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        hub=hub,
    )
