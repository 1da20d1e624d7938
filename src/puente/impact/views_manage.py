"""Hub managers' pages of the impact app: targets per KPI and quarter, figures entered by hand
with their evidence, and editing the knowledge library's guides."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from puente.accounts.viewer import viewer_for
from puente.core.errors import DomainError, PermissionDenied
from puente.directory.views import forbidden_page, signed_in_account
from puente.impact import selectors, services
from puente.impact.forms import (
    GuideForm,
    ManualFigureForm,
    TargetForm,
    current_quarter,
    parse_filters,
)
from puente.impact.kpis import KPI_BY_CODE
from puente.impact.models import ActivityKind, Guide
from puente.impact.services import MANUAL_KINDS, AttachmentUpload


def _add_error(form: Any, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _status(form: Any) -> int:
    return 422 if form.errors else 200


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not viewer.is_manager:
        return forbidden_page(request, _("Targets are set by hub managers."))
    quarter = parse_filters(request.GET).quarter
    form = TargetForm(
        request.POST or None,
        hubs=selectors.hubs_managed_by(viewer),
        ways=selectors.directions(),
        joint=viewer.is_staff,
        initial={"quarter": str(quarter)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        direction = data["direction"]
        try:
            services.kpi_target_set(
                actor=signed_in_account(request),
                kpi=data["kpi"],
                year=data["quarter"].year,
                quarter=data["quarter"].number,
                value=data["value"],
                hub=data["hub"],
                origin_hub=direction.origin if direction else None,
                destination_hub=direction.destination if direction else None,
            )
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Target saved."))
            query = urlencode({"quarter": str(data["quarter"])})
            return redirect(f"{reverse('impact:targets')}?{query}")
    rows = [
        (target, KPI_BY_CODE.get(target.kpi))
        for target in selectors.kpi_targets_for(viewer, quarter=quarter)
    ]
    return render(
        request,
        "impact/targets.html",
        {"form": form, "rows": rows, "quarter": quarter},
        status=_status(form),
    )


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not viewer.is_manager:
        return forbidden_page(request, _("Figures are entered by hub managers."))
    form = ManualFigureForm(
        request.POST or None,
        request.FILES or None,
        hubs=selectors.hubs_managed_by(viewer),
        ways=selectors.directions(),
        kinds=[(str(kind), ActivityKind(kind).label) for kind in MANUAL_KINDS],
        initial={"occurred_on": current_quarter().first_day},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        direction = data["direction"]
        try:
            services.activity_record_manual(
                actor=signed_in_account(request),
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                hub=data["hub"],
                quantity=data["quantity"],
                evidence=data["evidence"],
                organization=data["organization"],
                origin_hub=direction.origin if direction else None,
                destination_hub=direction.destination if direction else None,
                currency=data["currency"],
                evidence_url=data["evidence_url"],
                evidence_file=data["evidence_file"],
            )
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Figure recorded with its evidence."))
            return redirect("impact:figures")
    return render(
        request,
        "impact/figures.html",
        {"form": form, "records": selectors.manual_figures_for(viewer)},
        status=_status(form),
    )


@login_required
def figure_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file of a figure, for the managers of its hub only."""
    record = selectors.manual_figure_for(viewer_for(request.user), pk)
    if not record.evidence_file:
        raise Http404("evidence")
    name = (record.evidence_file.name or "evidence").rsplit("/", 1)[-1]
    return FileResponse(record.evidence_file.open("rb"), as_attachment=True, filename=name)


@login_required
def guide_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    viewer = viewer_for(request.user)
    guide: Guide | None = selectors.guide_by_slug(slug) if slug else None
    allowed = viewer.manages_any([guide.hub_id]) if guide and guide.hub_id else viewer.is_manager
    if not allowed:
        return forbidden_page(request, _("Only managers of the guide's hub can edit it."))
    form = GuideForm(
        request.POST or None,
        request.FILES or None,
        # The form changes its instance while validating; the service gets the stored guide.
        instance=copy.copy(guide),
        hubs=selectors.hubs_managed_by(viewer),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        uploads = []
        if data["attachment_file"]:
            uploads.append(
                AttachmentUpload(
                    data["attachment_title"], data["attachment_file"], data["attachment_language"]
                )
            )
        try:
            saved = services.guide_save(
                actor=signed_in_account(request),
                guide=guide,
                tags=data["tags"],
                attachments=uploads,
                **form.guide_values(),
            )
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Guide saved."))
            return redirect("impact:guide", slug=saved.slug)
    return render(
        request, "impact/guide_form.html", {"form": form, "guide": guide}, status=_status(form)
    )
