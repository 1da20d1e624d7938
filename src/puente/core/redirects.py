"""Where to go after a form: a posted ``next`` address, but only a path on this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

MAX_NEXT_LENGTH = 2000


def local_path(request: HttpRequest, target: str) -> bool:
    """True when ``target`` is a path on this site (``/…``), never another host or a name.

    A bare word such as ``-1`` is refused too: Django's ``redirect`` would try it as a URL
    pattern name and fail.
    """
    return (
        target.startswith("/")
        and len(target) <= MAX_NEXT_LENGTH
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )


def next_path(request: HttpRequest, fallback: str, *, from_query: bool = False) -> str:
    """The posted ``next`` (or, with ``from_query``, the query's) when it is a local path."""
    target = request.POST.get("next") or (request.GET.get("next") if from_query else "") or ""
    return target if local_path(request, target) else fallback
