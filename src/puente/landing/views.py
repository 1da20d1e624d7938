"""Soft-landing pages for everyone: program pages, applying, reviewing, case files, surveys.

Views parse input, call one selector or service and render; rules live in ``selectors``
(who sees what) and ``services`` (who may change what). Manager pages: ``views_manage``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from puente.accounts.viewer import viewer_for
from puente.core.errors import DomainError, PermissionDenied
from puente.core.forms import validated
from puente.core.i18n import active_language
from puente.core.ids import parse_id
from puente.directory.models import Organization
from puente.directory.selectors import own_organizations
from puente.directory.views import forbidden_page, signed_in_account
from puente.landing import selectors, services, services_cases
from puente.landing.forms import (
    ApplicationForm,
    ChecklistItemForm,
    ConflictForm,
    EvidenceForm,
    MilestoneForm,
    MilestoneReachForm,
    SurveyForm,
    review_form_class,
)
from puente.landing.models import Application, ApplicationState, CaseStage, FieldKind


def _add_error(form: Any, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
    for item in error.errors:
        if item.get("field") in form.fields and item["field"] != field:
            form.add_error(item["field"], item["message"])


def program_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    programs = list(selectors.programs_visible_to(viewer).prefetch_related("calls"))
    now = timezone.now()
    rows = [
        (program, [call for call in program.calls.all() if call.is_open(now)])
        for program in programs
    ]
    return render(
        request, "landing/program_list.html", {"rows": rows, "can_create": viewer.is_manager}
    )


def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    program = selectors.program_for_viewer(viewer, slug=slug)
    calls = list(program.calls.order_by("-opens_at"))
    return render(
        request,
        "landing/program_detail.html",
        {
            "program": program,
            "calls": calls,
            "now": timezone.now(),
            "manages": selectors.manages_program(viewer, program),
            # Applications are made for an organization; visitors are asked to sign in.
            "can_apply": not viewer.is_authenticated or bool(viewer.organization_ids),
        },
    )


def _applying_organization(request: HttpRequest) -> Organization | None:
    viewer = viewer_for(request.user)
    raw = request.POST.get("organization") or request.GET.get("organization")
    organizations = own_organizations(viewer)
    if raw:
        wanted = parse_id(raw)
        return organizations.filter(pk=wanted).first() if wanted else None
    return organizations.first()


@login_required
def call_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill in the call's form: save a draft as often as needed, then submit once."""
    viewer = viewer_for(request.user)
    call = selectors.call_for_viewer(viewer, pk)
    organization = _applying_organization(request)
    if organization is None:
        return forbidden_page(
            request,
            _(
                "Apply on behalf of an organization: join or claim your organization in the directory first."
            ),
        )
    application = (
        Application.objects.filter(call=call, organization=organization)
        .prefetch_related("files")
        .first()
    )
    if application is not None and not application.is_draft:
        return redirect("landing:application", pk=application.pk)
    existing_files = [stored.field_key for stored in application.files.all()] if application else []
    final = request.method == "POST" and "submit" in request.POST
    fields = list(call.fields.all())
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        fields=fields,
        final=final,
        currency=call.program.destination_hub.currency,
        existing_files=existing_files,
        initial=application.answers if application else None,
    )
    if request.method == "POST":
        try:
            validated(form)
            saved = services.application_save(
                actor=signed_in_account(request),
                call=call,
                organization=organization,
                answers=form.answers(),
                uploads=form.uploads(),
                language=active_language(),
            )
            if final:
                services.application_submit(actor=signed_in_account(request), application=saved)
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            if not form.errors:
                _add_error(form, error)
        else:
            if final:
                messages.success(
                    request,
                    _(
                        "Your application was submitted. We will write to you when the review is done."
                    ),
                )
                return redirect("landing:application", pk=saved.pk)
            messages.success(
                request, _("Draft saved. You can come back and finish it before the call closes.")
            )
            return redirect(f"{request.path}?organization={organization.pk}")
    files = {stored.field_key: stored for stored in application.files.all()} if application else {}
    return render(
        request,
        "landing/apply.html",
        {
            "call": call,
            "program": call.program,
            "form": form,
            "organization": organization,
            "application": application,
            "files": files,
            "is_open": call.is_open(),
            "file_kind": FieldKind.FILE,
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    return render(
        request,
        "landing/my_applications.html",
        {
            "applications": selectors.my_applications(viewer),
            "surveys": selectors.surveys_for_viewer(viewer),
        },
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    application = selectors.application_for_viewer(viewer, pk)
    manages = selectors.manages_program(viewer, application.call.program)
    is_own = application.organization_id in viewer.organization_ids
    answers = [
        (definition, application.answers.get(definition.key))
        for definition in application.call.fields.all()
    ]
    files = {stored.field_key: stored for stored in application.files.all()}
    my_review = application.reviews.filter(reviewer_id=viewer.user_id).first()
    return render(
        request,
        "landing/application_detail.html",
        {
            "application": application,
            "call": application.call,
            "answers": answers,
            "files": files,
            "manages": manages,
            "is_own": is_own,
            "my_review": my_review,
            "assignable": selectors.reviewers_assignable(application) if manages else [],
            "other_reviews": selectors.other_reviews_visible(viewer, application),
            "screening_votes": selectors.other_screening_votes_visible(viewer, application)
            if application.call.has_screening
            else [],
            "case_file": getattr(application, "case_file", None)
            if application.state == ApplicationState.ADMITTED
            else None,
        },
    )


@login_required
def review_inbox(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    calls = list(
        signed_in_account(request)
        .landing_calls_to_review.select_related("program")
        .order_by("-opens_at")
    )
    return render(
        request,
        "landing/review_inbox.html",
        {
            "reviews": selectors.reviews_assigned_to(viewer),
            "screening_votes": selectors.screening_votes_assigned_to(viewer),
            "calls": calls,
        },
    )


@login_required
def call_conflicts(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer of the call sees who applied (names only) and declares conflicts."""
    user = signed_in_account(request)
    call = selectors.call_for_viewer(viewer_for(user), pk)
    if not call.reviewers.filter(pk=user.pk).exists():
        return forbidden_page(
            request, _("Only the call's reviewers declare conflicts of interest.")
        )
    form = ConflictForm(request.POST or None)
    if request.method == "POST":
        wanted = parse_id(request.POST.get("application")) or 0
        application = (
            call.applications.exclude(state=ApplicationState.DRAFT).filter(pk=wanted).first()
        )
        if application is None:
            form.add_error(None, _("Choose an application of this call."))
        else:
            try:
                services.conflict_declare(
                    actor=user, application=application, reason=validated(form)["reason"]
                )
            except DomainError as error:
                if not form.errors:
                    _add_error(form, error)
            else:
                messages.success(
                    request,
                    _("Conflict declared: you will not be assigned to %(name)s.")
                    % {"name": application.organization.name},
                )
                return redirect("landing:conflicts", pk=call.pk)
    applications = list(
        call.applications.exclude(state=ApplicationState.DRAFT)
        .select_related("organization")
        .order_by("organization__sort_name")
    )
    declared = set(call.applications.filter(conflicts__reviewer=user).values_list("pk", flat=True))
    return render(
        request,
        "landing/conflicts.html",
        {"call": call, "applications": applications, "declared": declared, "form": form},
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    review = selectors.review_for_reviewer(viewer, pk)
    application = review.application
    criteria = list(application.call.criteria.all())
    form = review_form_class(criteria, active_language())(request.POST or None)
    if request.method == "POST" and not review.is_submitted and form.is_valid():
        marks = {
            criterion.pk: form.cleaned_data.get(f"criterion_{criterion.pk}")
            for criterion in criteria
        }
        try:
            services.review_submit(
                actor=signed_in_account(request),
                review=review,
                marks={key: value for key, value in marks.items() if value not in (None, "")},
                comment=form.cleaned_data["comment"],
                abstain=form.cleaned_data["abstain"],
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Review submitted. Thank you."))
            return redirect("landing:reviews")
    answers = [
        (definition, application.answers.get(definition.key))
        for definition in application.call.fields.all()
    ]
    return render(
        request,
        "landing/review_detail.html",
        {
            "review": review,
            "application": application,
            "answers": answers,
            "files": {stored.field_key: stored for stored in application.files.all()},
            "form": form,
            "other_reviews": selectors.other_reviews_visible(viewer, application),
        },
        status=422 if request.method == "POST" and form.errors else 200,
    )


@login_required
def case_file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    case_file = selectors.case_file_for_viewer(viewer, pk)
    user = signed_in_account(request)
    can_work = services.can_work_on_case(user, case_file)
    manages = services_cases.manages_case(user, case_file)
    introductions = selectors.case_introductions(case_file)
    items = [
        (
            item,
            [
                (document, manages or document.uploaded_by_id == user.pk)
                for document in item.evidence.all()
            ],
            EvidenceForm(prefix=f"evidence{item.pk}"),
            ChecklistItemForm(
                initial={
                    "state": item.state,
                    "provider": item.provider_id,
                    "due_on": item.due_on,
                    "notes": item.notes,
                },
                prefix=f"item{item.pk}",
            ),
        )
        for item in case_file.items.all()
    ]
    return render(
        request,
        "landing/case_file.html",
        {
            "case_file": case_file,
            "application": case_file.application,
            "items": items,
            "can_work": can_work,
            "can_move": viewer.manages_any(
                [case_file.hub_id, case_file.application.call.program.hub_id]
            ),
            "stages": CaseStage.choices,
            "milestones": [
                (milestone, MilestoneReachForm(prefix=f"reach{milestone.pk}"))
                for milestone in case_file.milestones.all()
            ],
            "milestone_form": MilestoneForm(prefix="milestone"),
            "can_edit_milestones": services_cases.can_edit_milestones(user, case_file),
            "timeline": selectors.case_timeline(case_file, introductions),
            "introductions": introductions,
        },
    )


@login_required
@require_POST
def checklist_item_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.checklist_item_for_viewer(viewer_for(request.user), pk)
    form = ChecklistItemForm(request.POST, prefix=f"item{item.pk}")
    try:
        services.checklist_item_update(
            actor=signed_in_account(request), item=item, values=validated(form)
        )
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(item)s” is updated.") % {"item": item.title})
    return redirect("landing:case", pk=item.case_file_id)


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    survey = selectors.survey_for_viewer(viewer, pk)
    form = SurveyForm(request.POST or None)
    if request.method == "POST":
        try:
            services.survey_answer(
                actor=signed_in_account(request), survey=survey, values=validated(form)
            )
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            if not form.errors:
                _add_error(form, error)
        else:
            messages.success(request, _("Thank you: your answers are recorded."))
            return redirect("landing:my_applications")
    return render(
        request,
        "landing/survey.html",
        {"survey": survey, "form": form},
        status=422 if form.errors else 200,
    )
