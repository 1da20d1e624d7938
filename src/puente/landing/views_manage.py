"""Manager pages of soft-landing programs: programs and calls, the form builder and rubric,
reviewers and assignment, the normalised ranking, decisions, surveys, the pipeline board, CSV.

Permissions are checked by the services; a manager of another hub gets the 403 page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from puente.accounts.models import User
from puente.accounts.viewer import viewer_for
from puente.core.errors import DomainError, PermissionDenied, ValidationFailed
from puente.core.forms import validated
from puente.core.ids import parse_id
from puente.core.spreadsheets import csv_bytes, safe_cell
from puente.directory.views import forbidden_page, signed_in_account
from puente.landing import selectors, services, services_screening
from puente.landing.forms import (
    CallForm,
    CriterionForm,
    DecisionForm,
    FormFieldForm,
    ProgramForm,
    ScreeningDecisionForm,
)
from puente.landing.models import ScreeningOutcome
from puente.landing.views import _add_error


@login_required
def program_create(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not viewer.is_manager:
        return forbidden_page(request, _("Only hub managers create landing programs."))
    form = ProgramForm(request.POST or None)
    if request.method == "POST":
        try:
            program = services.program_create(
                actor=signed_in_account(request), values=validated(form)
            )
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            if not form.errors:
                _add_error(form, error)
        else:
            messages.success(request, _("Program created. Now open a call."))
            return redirect("landing:call_create", slug=program.slug)
    return render(
        request, "landing/program_form.html", {"form": form}, status=422 if form.errors else 200
    )


@login_required
def call_create(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    program = selectors.program_for_viewer(viewer, slug=slug)
    if not selectors.manages_program(viewer, program):
        return forbidden_page(request, _("Only the managers of the program's hub can do this."))
    form = CallForm(request.POST or None)
    if request.method == "POST":
        try:
            call = services.call_create(
                actor=signed_in_account(request), program=program, values=validated(form)
            )
        except DomainError as error:
            if not form.errors:
                _add_error(form, error)
        else:
            messages.success(request, _("Call created. Build its application form and rubric."))
            return redirect("landing:call_manage", pk=call.pk)
    return render(
        request,
        "landing/call_form.html",
        {"form": form, "program": program},
        status=422 if form.errors else 200,
    )


def _call_action(request: HttpRequest, call: Any) -> tuple[str, Any]:
    """Run the posted action; returns (success message, form with errors or None)."""
    actor = signed_in_account(request)
    action = request.POST.get("action", "")
    if action == "field":
        field_form = FormFieldForm(request.POST, prefix="field")
        services.form_field_add(actor=actor, call=call, values=validated(field_form))
        return _("Question added to the form."), None
    if action == "criterion":
        criterion_form = CriterionForm(request.POST, prefix="criterion")
        services.criterion_add(actor=actor, call=call, values=validated(criterion_form))
        return _("Criterion added to the rubric."), None
    if action == "reviewer":
        email = request.POST.get("email", "").strip()[:254]
        reviewer = User.objects.filter(email__iexact=email, is_active=True).first()
        if reviewer is None:
            raise ValidationFailed(
                _("No account uses that email address."), code="unknown_user", field="email"
            )
        services.reviewer_add(actor=actor, call=call, reviewer=reviewer)
        return _("%(name)s can now review this call.") % {
            "name": reviewer.full_name or reviewer.email
        }, None
    if action == "assign":
        created = services.assignments_auto(actor=actor, call=call)
        return ngettext(
            "%(count)s assignment made.", "%(count)s assignments made.", len(created)
        ) % {"count": len(created)}, None
    if action == "screening_toggle":
        updated = services_screening.call_screening_set(
            actor=actor, call=call, enabled=request.POST.get("enabled") == "1"
        )
        return (
            _("Screening round turned on.")
            if updated.has_screening
            else _("Screening round turned off.")
        ), None
    if action == "screening_assign":
        votes = services_screening.screening_assign_auto(actor=actor, call=call)
        return ngettext(
            "%(count)s screening assignment made.",
            "%(count)s screening assignments made.",
            len(votes),
        ) % {"count": len(votes)}, None
    if action == "screening_decide":
        wanted = parse_id(request.POST.get("application"))
        application = call.applications.filter(pk=wanted).first() if wanted else None
        if application is None:
            raise ValidationFailed(_("Choose an application of this call."), code="not_found")
        outcome = validated(ScreeningDecisionForm(request.POST))["outcome"]
        services_screening.screening_decide(actor=actor, application=application, outcome=outcome)
        return _("Screening of %(name)s decided.") % {"name": application.organization.name}, None
    if action == "screening_close":
        closed = services_screening.screening_close(actor=actor, call=call)
        return _("Screening closed: %(passed)s passed and go to scoring, %(out)s screened out.") % {
            "passed": closed.passed,
            "out": closed.screened_out,
        }, None
    if action == "surveys":
        sent = services.surveys_send(
            actor=actor, call=call, period_label=request.POST.get("period_label", "")
        )
        return ngettext(
            "%(count)s follow-up survey sent.", "%(count)s follow-up surveys sent.", len(sent)
        ) % {"count": len(sent)}, None
    raise ValidationFailed(_("Unknown action."), code="invalid")


@login_required
def call_manage(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    call = selectors.call_for_viewer(viewer, pk)
    if not selectors.manages_program(viewer, call.program):
        return forbidden_page(request, _("Only the managers of the program's hub can do this."))
    if request.method == "POST":
        try:
            message, _form = _call_action(request, call)
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, message)
        return redirect("landing:call_manage", pk=call.pk)
    return render(
        request,
        "landing/call_manage.html",
        {
            "call": call,
            "program": call.program,
            "field_form": FormFieldForm(
                prefix="field", initial={"choices": [], "allowed_extensions": []}
            ),
            "criterion_form": CriterionForm(prefix="criterion", initial={"anchors": []}),
            "reviewers": selectors.call_reviewers(call),
            "ranking": selectors.call_ranking(call),
            "screening": selectors.screening_board(call) if call.has_screening else [],
            "screening_outcomes": ScreeningOutcome.choices,
            "drafts": call.applications.filter(state="draft").count(),
        },
    )


@login_required
def call_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Applications of the call with their raw and normalised scores, as CSV."""
    viewer = viewer_for(request.user)
    call = selectors.call_for_viewer(viewer, pk)
    if not selectors.manages_program(viewer, call.program):
        return forbidden_page(request, _("Only the managers of the program's hub can do this."))
    fields = list(call.fields.all())
    rows: list[list[Any]] = [
        [
            "rank",
            "organization",
            "hub",
            "state",
            "submitted_at",
            "reviews",
            "raw_score",
            "normalized_score",
            *[field.key for field in fields],
        ]
    ]
    for row in selectors.call_ranking(call):
        application = row.application
        rows.append(
            [
                row.place.rank,
                safe_cell(application.organization.name),
                application.organization.hub.slug,
                application.state,
                application.submitted_at.isoformat() if application.submitted_at else "",
                row.place.reviews,
                "" if row.place.raw is None else f"{row.place.raw:.3f}",
                "" if row.place.normalized is None else f"{row.place.normalized:.3f}",
                *[safe_cell(str(application.answers.get(field.key, ""))) for field in fields],
            ]
        )
    # With a byte-order mark, as every other spreadsheet download: Excel shows the accents.
    response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="call-{call.pk}-applications.csv"'
    return response


@login_required
@require_POST
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    application = selectors.application_for_viewer(viewer, pk)
    form = DecisionForm(request.POST)
    try:
        values = validated(form)
        services.application_decide(
            actor=signed_in_account(request),
            application=application,
            decision=values["decision"],
            feedback=values["feedback"],
        )
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Decision recorded; the applicant is notified."))
    return redirect("landing:application", pk=application.pk)


@login_required
@require_POST
def application_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign one reviewer by hand (a declared conflict still forbids it)."""
    viewer = viewer_for(request.user)
    application = selectors.application_for_viewer(viewer, pk)
    wanted = parse_id(request.POST.get("reviewer"))
    reviewer = application.call.reviewers.filter(pk=wanted).first() if wanted else None
    try:
        if reviewer is None:
            raise ValidationFailed(
                _("That person is not a reviewer of this call."), code="not_reviewer"
            )
        services.assignment_create(
            actor=signed_in_account(request), application=application, reviewer=reviewer
        )
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s is assigned.") % {"name": reviewer.full_name or reviewer.email}
        )
    return redirect("landing:application", pk=application.pk)


@login_required
@require_POST
def case_stage(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    case_file = selectors.case_file_for_viewer(viewer, pk)
    try:
        services.case_stage_set(
            actor=signed_in_account(request),
            case_file=case_file,
            stage=request.POST.get("stage", "")[:20],
        )
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Stage updated."))
    return redirect("landing:case", pk=case_file.pk)


@login_required
def pipeline(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not viewer.is_manager:
        return forbidden_page(request, _("The pipeline board is for hub managers."))
    board = selectors.pipeline(viewer)
    return render(request, "landing/pipeline.html", {"board": board, "stages": _stage_labels()})


def _stage_labels() -> list[tuple[str, str]]:
    return [
        ("applied", _("Applied")),
        ("screening", _("Screening")),
        ("review", _("In review")),
        ("admitted", _("Admitted")),
        ("waitlisted", _("Waitlisted")),
        ("rejected", _("Not admitted")),
        ("landing", _("Landing")),
        ("established", _("Established")),
        ("exited", _("Exited")),
    ]
