"""Matching pages: one search over organizations, people and opportunities, and feedback."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from puente.accounts.viewer import viewer_for
from puente.core.errors import DomainError
from puente.core.models import Hub
from puente.directory.views import _clean, _values, safe_next_url, signed_in_account
from puente.matching import selectors, services
from puente.matching.forms import FeedbackForm
from puente.matching.items import ITEM_TYPES
from puente.matching.models import ItemType

RESULTS = 20


def search(request: HttpRequest) -> HttpResponse:
    """Free text in any language; results of every kind ranked together, each with its reasons."""
    viewer = viewer_for(request.user)
    query = _clean(request.GET.get("q", ""), selectors.MAX_QUERY_CHARACTERS)
    types = [value for value in _values(request.GET, "type") if value in ITEM_TYPES]
    hubs = list(Hub.objects.filter(is_active=True))
    chosen_hubs = [
        slug for slug in _values(request.GET, "hub") if slug in {hub.slug for hub in hubs}
    ]
    results = (
        selectors.search(viewer, query, types=types, hubs=chosen_hubs, limit=RESULTS)
        if query
        else []
    )
    context = {
        "q": query,
        "results": results,
        "types": types,
        "type_choices": ItemType.choices,
        "hubs": hubs,
        "chosen_hubs": chosen_hubs,
    }
    return render(request, "matching/search.html", context)


@login_required
@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    """ "Not relevant" or "already met": the item disappears from the user's matches for good."""
    form = FeedbackForm(request.POST)
    htmx = bool(getattr(request, "htmx", False))
    if not form.is_valid():
        if htmx:
            return HttpResponse(_("This feedback could not be saved."), status=400)
        return redirect(safe_next_url(request, "/"))
    data = form.cleaned_data
    try:
        services.match_feedback_record(
            user=signed_in_account(request),
            item_type=data["item_type"],
            item_id=data["item_id"],
            kind=data["kind"],
        )
    except DomainError as error:
        return HttpResponse(error.message, status=400)
    if htmx:
        message = (
            _("Hidden: marked as not relevant.")
            if data["kind"] == "not_relevant"
            else _("Hidden: you have already met them.")
        )
        return render(
            request,
            "matching/_feedback_done.html",
            {"message": message, "item_type": data["item_type"], "item_id": data["item_id"]},
        )
    return redirect(safe_next_url(request, "/"))
