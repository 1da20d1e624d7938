"""The notifications page: every in-app notification of the signed-in user, and marking them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from puente.core.notifications import notifications_for, notifications_mark_read, unread_count

PAGE_SIZE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(notifications_for(request.user).order_by("-created_at", "-id"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "core/notifications.html",
        {
            "page_obj": page,
            "notifications": list(page.object_list),
            "page": page.number,
            "pages": paginator.num_pages,
        },
    )


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and follow its link."""
    notifications_mark_read(user=request.user, ids=[pk])
    notification = notifications_for(request.user).filter(pk=pk).first()
    target = notification.url if notification is not None else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("core:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=request.user)
    return redirect("core:notifications")


def notification_count(request: HttpRequest) -> HttpResponse:
    """The unread count of the bell in the header (loaded after the page, so pages stay lean)."""
    return render(request, "core/_notification_count.html", {"unread": unread_count(request.user)})
