"""Screening pages: a screener's vote on an assigned application. The manager's screening
board and actions live on the call's manage page (``views_manage``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from puente.accounts.viewer import viewer_for
from puente.core.errors import DomainError
from puente.directory.views import signed_in_account
from puente.landing import selectors, services_screening
from puente.landing.forms import ScreeningVoteForm
from puente.landing.views import _add_error


@login_required
def screening_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Read the assigned application and vote pass, fail or abstain (once)."""
    viewer = viewer_for(request.user)
    vote = selectors.screening_vote_for_screener(viewer, pk)
    application = vote.application
    form = ScreeningVoteForm(request.POST or None)
    if request.method == "POST" and not vote.is_cast and form.is_valid():
        try:
            services_screening.screening_vote_cast(
                actor=signed_in_account(request),
                vote=vote,
                choice=form.cleaned_data["choice"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Screening vote recorded. Thank you."))
            return redirect("landing:reviews")
    answers = [
        (definition, application.answers.get(definition.key))
        for definition in application.call.fields.all()
    ]
    return render(
        request,
        "landing/screening_vote.html",
        {
            "vote": vote,
            "application": application,
            "answers": answers,
            "files": {stored.field_key: stored for stored in application.files.all()},
            "form": form,
            "other_votes": selectors.other_screening_votes_visible(viewer, application),
        },
        status=422 if request.method == "POST" and form.errors else 200,
    )
