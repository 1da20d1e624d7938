"""Values every page template needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from puente.accounts.viewer import viewer_for
from puente.core.models import Hub


def puente(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "hubs": SimpleLazyObject(lambda: list(Hub.objects.filter(is_active=True))),
        "viewer": viewer_for(user),
        "viewer_time_zone": getattr(request, "viewer_time_zone", "UTC"),
        "ui_languages": settings.LANGUAGES,
        "privacy_policy_version": settings.PRIVACY_POLICY_VERSION,
    }
