"""Case-file pages besides the checklist: milestones, and evidence documents on checklist items
(uploaded, downloaded through a permission check, removed). Rules live in ``services_cases``
and ``selectors``; every id outside what the reader may see answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from puente.accounts.viewer import viewer_for
from puente.core.errors import DomainError, PermissionDenied
from puente.core.forms import validated
from puente.directory.views import forbidden_page, signed_in_account
from puente.landing import selectors, services_cases
from puente.landing.forms import EvidenceForm, MilestoneForm, MilestoneReachForm
from puente.landing.models import EvidenceDocument


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    case_file = selectors.case_file_for_viewer(viewer_for(request.user), pk)
    try:
        milestone = services_cases.milestone_add(
            actor=signed_in_account(request),
            case_file=case_file,
            values=validated(MilestoneForm(request.POST, prefix="milestone")),
        )
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Milestone “%(title)s” added.") % {"title": milestone.title})
    return redirect("landing:case", pk=case_file.pk)


@login_required
@require_POST
def milestone_reach(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.milestone_for_viewer(viewer_for(request.user), pk)
    try:
        values = validated(MilestoneReachForm(request.POST, prefix=f"reach{milestone.pk}"))
        services_cases.milestone_reach(
            actor=signed_in_account(request), milestone=milestone, reached_on=values["reached_on"]
        )
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Milestone “%(title)s” reached.") % {"title": milestone.title})
    return redirect("landing:case", pk=milestone.case_file_id)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.checklist_item_for_viewer(viewer_for(request.user), pk)
    form = EvidenceForm(request.POST, request.FILES, prefix=f"evidence{item.pk}")
    try:
        stored = services_cases.evidence_add(
            actor=signed_in_account(request), item=item, uploads=validated(form)["documents"]
        )
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s document added to “%(item)s”.",
                "%(count)s documents added to “%(item)s”.",
                len(stored),
            )
            % {"count": len(stored), "item": item.title},
        )
    return redirect("landing:case", pk=item.case_file_id)


def _document_for(request: HttpRequest, pk: int) -> EvidenceDocument:
    return selectors.evidence_for_viewer(viewer_for(request.user), pk)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """The document, as an attachment, for those who may see the case file (never a media URL)."""
    document = _document_for(request, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("evidence file") from error
    return FileResponse(handle, as_attachment=True, filename=document.original_name)


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_for(request, pk)
    try:
        services_cases.evidence_remove(actor=signed_in_account(request), document=document)
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    else:
        messages.success(request, _("“%(name)s” removed.") % {"name": document.original_name})
    return redirect("landing:case", pk=document.item.case_file_id)
