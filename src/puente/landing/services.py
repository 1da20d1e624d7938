"""Every write to soft-landing programs: programs and calls, applications, reviews,
decisions, case files and follow-up surveys. Each checks permission, runs atomically and
records an audit entry; emails go out after commit through ``notify``."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from puente.accounts.models import User
from puente.accounts.viewer import viewer_for
from puente.core.audit import audit_record, snapshot
from puente.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from puente.core.notifications import notify
from puente.directory.models import Organization, OrganizationMembership
from puente.impact.services import activity_sync
from puente.landing.assignment import plan_assignments
from puente.landing.deadlines import local_to_instant
from puente.landing.models import (
    DECIDED_STATES,
    Application,
    ApplicationFile,
    ApplicationState,
    Call,
    CaseFile,
    CaseStage,
    ChecklistItem,
    ChecklistTemplateItem,
    ConflictOfInterest,
    Criterion,
    FieldKind,
    FormField,
    ItemState,
    Program,
    Review,
    ScreeningOutcome,
    ScreeningVote,
    SurveyRequest,
)
from puente.landing.scoring import Criterion as RubricLine
from puente.landing.scoring import weighted_score


def _require_manager(actor: User, program: Program) -> None:
    if not viewer_for(actor).manages_any([program.hub_id]):
        raise PermissionDenied(_("Only the managers of the program's hub can do this."))


def _members(organization: Organization) -> list[User]:
    return [
        membership.user
        for membership in OrganizationMembership.objects.filter(
            organization=organization
        ).select_related("user")
    ]


# --- programs and calls ------------------------------------------------------------------------


@transaction.atomic
def program_create(*, actor: User, values: dict[str, Any]) -> Program:
    """A hub manager opens a soft-landing program of their hub."""
    hub = values["hub"]
    if not viewer_for(actor).manages_any([hub.pk]):
        raise PermissionDenied(_("Only the managers of the program's hub can do this."))
    if Program.objects.filter(slug=values["slug"]).exists():
        raise ValidationFailed(
            _("Another program already uses this address name."), code="slug_taken", field="slug"
        )
    program = Program.objects.create(**values)
    audit_record(
        actor=actor,
        action="landing.program.create",
        target=program,
        after=snapshot(program),
        hub=hub,
    )
    return program


@transaction.atomic
def call_create(*, actor: User, program: Program, values: dict[str, Any]) -> Call:
    """Open a call; the wall-clock times given are read in the program hub's time zone."""
    _require_manager(actor, program)
    fields = dict(values)
    zone_name = program.hub.time_zone
    fields["opens_at"] = local_to_instant(fields.pop("opens_local").replace(tzinfo=None), zone_name)
    fields["closes_at"] = local_to_instant(
        fields.pop("closes_local").replace(tzinfo=None), zone_name
    )
    call = Call.objects.create(program=program, **fields)
    audit_record(
        actor=actor,
        action="landing.call.create",
        target=call,
        after=snapshot(call),
        hub=program.hub,
    )
    return call


@transaction.atomic
def form_field_add(*, actor: User, call: Call, values: dict[str, Any]) -> FormField:
    """Add a typed question to the call's form (before anyone submitted)."""
    _require_manager(actor, call.program)
    if call.applications.exclude(state=ApplicationState.DRAFT).exists():
        raise ValidationFailed(
            _("The form cannot change once applications were submitted."), code="form_locked"
        )
    if call.fields.filter(key=values["key"]).exists():
        raise ValidationFailed(
            _("Another question of this form uses this key."), code="key_taken", field="key"
        )
    definition = FormField.objects.create(call=call, **values)
    audit_record(
        actor=actor,
        action="landing.field.add",
        target=definition,
        after=snapshot(definition),
        hub=call.program.hub,
    )
    return definition


@transaction.atomic
def criterion_add(*, actor: User, call: Call, values: dict[str, Any]) -> Criterion:
    """Add a weighted line to the call's rubric (before any review was submitted)."""
    _require_manager(actor, call.program)
    if Review.objects.filter(application__call=call, submitted_at__isnull=False).exists():
        raise ValidationFailed(
            _("The rubric cannot change once reviews were submitted."), code="rubric_locked"
        )
    criterion = Criterion.objects.create(call=call, **values)
    audit_record(
        actor=actor,
        action="landing.criterion.add",
        target=criterion,
        after=snapshot(criterion),
        hub=call.program.hub,
    )
    return criterion


@transaction.atomic
def reviewer_add(*, actor: User, call: Call, reviewer: User) -> None:
    _require_manager(actor, call.program)
    call.reviewers.add(reviewer)
    audit_record(
        actor=actor,
        action="landing.reviewer.add",
        target=call,
        after={"reviewer": reviewer.pk},
        hub=call.program.hub,
    )


# --- applications ------------------------------------------------------------------------------


def _check_open(call: Call, at: dt.datetime) -> None:
    if at < call.opens_at:
        raise ValidationFailed(_("This call is not open yet."), code="call_not_open")
    if not call.is_open(at):
        raise ValidationFailed(
            _("This call closed, so applications can no longer be saved or submitted."),
            code="call_closed",
        )


def _store_files(
    application: Application, uploads: dict[str, UploadedFile], written: list[str]
) -> None:
    for key, upload in uploads.items():
        previous = ApplicationFile.objects.filter(application=application, field_key=key).first()
        stored = ApplicationFile(
            application=application,
            field_key=key,
            original_name=(upload.name or "file")[:200],
            size=upload.size or 0,
        )
        stored.file.save(upload.name or "file", upload, save=False)
        written.append(stored.file.name or "")
        if previous is not None:
            previous.delete()
            transaction.on_commit(
                functools.partial(previous.file.storage.delete, previous.file.name or "")
            )
        stored.save()


def application_save(
    *,
    actor: User,
    call: Call,
    organization: Organization,
    answers: dict[str, Any],
    uploads: dict[str, UploadedFile] | None = None,
    language: str = "es",
) -> Application:
    """Save the organization's draft application (created on first save) while the call is open.

    All or nothing: when anything fails, no answer is kept and no uploaded file stays on disk.
    """
    written: list[str] = []
    try:
        with transaction.atomic():
            return _application_save(
                actor=actor,
                call=call,
                organization=organization,
                answers=answers,
                uploads=uploads or {},
                language=language,
                written=written,
            )
    except BaseException:
        for name in written:
            if name:
                ApplicationFile._meta.get_field("file").storage.delete(name)
        raise


def _application_save(
    *,
    actor: User,
    call: Call,
    organization: Organization,
    answers: dict[str, Any],
    uploads: dict[str, UploadedFile],
    language: str,
    written: list[str],
) -> Application:
    if organization.pk not in viewer_for(actor).organization_ids:
        raise PermissionDenied(_("You can only apply for your own organization."))
    _check_open(call, timezone.now())
    application, created = Application.objects.select_for_update().get_or_create(
        call=call, organization=organization, defaults={"applicant": actor, "language": language}
    )
    if not application.is_draft:
        raise Conflict(
            _("This application was already submitted; it can no longer change."),
            code="already_submitted",
        )
    before = snapshot(application, ["answers"])
    application.answers = {**application.answers, **answers}
    application.language = language
    application.save()
    _store_files(application, uploads, written)
    audit_record(
        actor=actor,
        action="landing.application.create" if created else "landing.application.save",
        target=application,
        before=None if created else before,
        after=snapshot(application, ["answers"]),
        hub=call.program.hub,
    )
    return application


def missing_answers(application: Application) -> list[dict[str, str]]:
    """Required questions without an answer (or file), as API error items."""
    files = set(application.files.values_list("field_key", flat=True))
    missing = []
    for definition in application.call.fields.all():
        if not definition.required:
            continue
        present = (
            definition.key in files
            if definition.kind == FieldKind.FILE
            else application.answers.get(definition.key) not in (None, "")
        )
        if not present:
            missing.append(
                {
                    "field": definition.key,
                    "code": "required",
                    "message": _("“%(label)s” is required.") % {"label": definition.label},
                }
            )
    return missing


@transaction.atomic
def application_submit(*, actor: User, application: Application) -> Application:
    """Submit once, before the call closes, with every required answer: final and timestamped."""
    application = (
        Application.objects.select_for_update()
        .select_related("call", "call__program", "call__program__hub", "organization")
        .get(pk=application.pk)
    )
    if application.organization_id not in viewer_for(actor).organization_ids:
        raise PermissionDenied(_("You can only apply for your own organization."))
    if not application.is_draft:
        raise Conflict(
            _("This application was already submitted; it can no longer change."),
            code="already_submitted",
        )
    now = timezone.now()
    _check_open(application.call, now)
    missing = missing_answers(application)
    if missing:
        raise ValidationFailed(
            _("Some required answers are missing: %(first)s") % {"first": missing[0]["message"]},
            code="incomplete",
            errors=missing,
        )
    before = snapshot(application, ["state", "submitted_at"])
    application.state = ApplicationState.SUBMITTED
    application.submitted_at = now
    application.save(update_fields=["state", "submitted_at", "updated_at"])
    audit_record(
        actor=actor,
        action="landing.application.submit",
        target=application,
        before=before,
        after=snapshot(application, ["state", "submitted_at"]),
        hub=application.call.program.hub,
    )
    notify(
        users=_members(application.organization),
        kind="landing.submitted",
        params={"call": application.call.title},
        url=reverse("landing:application", kwargs={"pk": application.pk}),
        email_template="landing/email/submitted",
        email_context={
            "call_en": application.call.title_en,
            "call_es": application.call.title_es,
            "organization": application.organization.name,
        },
    )
    return application


# --- review --------------------------------------------------------------------------------------


@transaction.atomic
def conflict_declare(*, actor: User, application: Application, reason: str) -> ConflictOfInterest:
    """A reviewer of the call declares a conflict: they are never (or no longer) assigned to it."""
    if not application.call.reviewers.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("Only the call's reviewers declare conflicts of interest."))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(
            _("Say briefly why you cannot review it."), code="required", field="reason"
        )
    try:
        with transaction.atomic():
            conflict = ConflictOfInterest.objects.create(
                reviewer=actor, application=application, reason=reason[:500]
            )
    except IntegrityError as error:
        raise Conflict(
            _("You already declared a conflict with this application."), code="conflict_exists"
        ) from error
    Review.objects.filter(
        application=application, reviewer=actor, submitted_at__isnull=True
    ).delete()
    ScreeningVote.objects.filter(
        application=application, screener=actor, voted_at__isnull=True
    ).delete()
    audit_record(
        actor=actor,
        action="landing.conflict.declare",
        target=conflict,
        after=snapshot(conflict),
        hub=application.call.program.hub,
    )
    return conflict


@transaction.atomic
def assignments_auto(*, actor: User, call: Call) -> list[Review]:
    """Assign every submitted application to the call's reviewers: conflicts excluded, load balanced."""
    call = Call.objects.select_related("program__hub").get(pk=call.pk)
    _require_manager(actor, call.program)
    if call.screening_is_running:
        raise ValidationFailed(
            _("Close the screening round first: only applications that pass it are scored."),
            code="screening_running",
        )
    submitted = call.applications.filter(state=ApplicationState.SUBMITTED)
    if call.has_screening:
        submitted = submitted.filter(screening_outcome=ScreeningOutcome.PASSED)
    applications = list(submitted.values_list("pk", flat=True))
    reviewers = list(call.reviewers.values_list("pk", flat=True))
    if not reviewers:
        raise ValidationFailed(_("Add reviewers to the call first."), code="no_reviewers")
    plan = plan_assignments(
        applications=applications,
        reviewers=reviewers,
        per_application=call.reviewers_per_application,
        conflicts=ConflictOfInterest.objects.filter(application__call=call).values_list(
            "application_id", "reviewer_id"
        ),
        existing=Review.objects.filter(application__call=call).values_list(
            "application_id", "reviewer_id"
        ),
    )
    created = Review.objects.bulk_create(
        [
            Review(application_id=application, reviewer_id=reviewer, assigned_by=actor)
            for application, reviewer in plan.pairs
        ]
    )
    audit_record(
        actor=actor,
        action="landing.assign.auto",
        target=call,
        after={"pairs": plan.pairs, "short": plan.short},
        hub=call.program.hub,
    )
    notify_assignments(call=call, load=plan.load(), kind="landing.assigned")
    return created


def notify_assignments(*, call: Call, load: dict[int, int], kind: str) -> None:
    """Tell each reviewer (or screener) how many applications of the call they were given."""
    reviewers = User.objects.in_bulk(list(load))
    for reviewer_id, count in load.items():
        notify(
            users=[reviewers[reviewer_id]],
            kind=kind,
            params={"count": count, "call": call.title},
            url=reverse("landing:reviews"),
        )


@transaction.atomic
def assignment_create(*, actor: User, application: Application, reviewer: User) -> Review:
    """Assign one reviewer by hand; a declared conflict still forbids it."""
    _require_manager(actor, application.call.program)
    if application.awaits_screening or application.call.screening_is_running:
        raise ValidationFailed(
            _("Close the screening round first: only applications that pass it are scored."),
            code="screening_running",
        )
    if application.screening_outcome == ScreeningOutcome.SCREENED_OUT:
        raise ValidationFailed(
            _("This application was screened out; it is not scored."), code="screened_out"
        )
    if not application.call.reviewers.filter(pk=reviewer.pk).exists():
        raise ValidationFailed(
            _("That person is not a reviewer of this call."), code="not_reviewer", field="reviewer"
        )
    if ConflictOfInterest.objects.filter(application=application, reviewer=reviewer).exists():
        raise ValidationFailed(
            _("That reviewer declared a conflict of interest with this application."),
            code="conflicted",
            field="reviewer",
        )
    review, created = Review.objects.get_or_create(
        application=application, reviewer=reviewer, defaults={"assigned_by": actor}
    )
    if not created:
        raise Conflict(_("That reviewer is already assigned."), code="already_assigned")
    audit_record(
        actor=actor,
        action="landing.assign",
        target=review,
        after=snapshot(review, ["application_id", "reviewer_id"]),
        hub=application.call.program.hub,
    )
    return review


@transaction.atomic
def review_submit(
    *, actor: User, review: Review, marks: dict[int, int], comment: str = "", abstain: bool = False
) -> Review:
    """Submit the reviewer's marks (every criterion) or their abstention, once."""
    review = (
        Review.objects.select_for_update()
        .select_related("application", "application__call", "application__call__program__hub")
        .get(pk=review.pk)
    )
    if review.reviewer_id != actor.pk:
        raise NotFound(_("There is no such review."))
    if review.is_submitted:
        raise Conflict(_("You already submitted this review."), code="already_submitted")
    if review.application.state in DECIDED_STATES:
        raise ValidationFailed(
            _("A decision was already made on this application."), code="decided"
        )
    criteria = list(review.application.call.criteria.all())
    marks = {
        key: value
        for key, value in marks.items()
        if isinstance(value, int) and not isinstance(value, bool)
    }
    if abstain:
        review.abstained = True
        review.marks = {}
        review.weighted_score = None
    else:
        rubric = [
            RubricLine(
                id=criterion.pk, weight=float(criterion.weight), scale_max=criterion.scale_max
            )
            for criterion in criteria
        ]
        try:
            value = weighted_score(rubric, marks)
        except ValueError as error:
            missing = [
                {
                    "field": f"criterion_{criterion.pk}",
                    "code": "required",
                    "message": _("Mark “%(name)s” from 1 to %(top)s.")
                    % {"name": criterion.name, "top": criterion.scale_max},
                }
                for criterion in criteria
                if not 1 <= marks.get(criterion.pk, 0) <= criterion.scale_max
            ]
            raise ValidationFailed(
                _("Mark every criterion, or abstain."), code="incomplete", errors=missing
            ) from error
        review.marks = {
            str(key): marks[key] for key in sorted(marks) if key in {c.pk for c in criteria}
        }
        review.weighted_score = Decimal(str(round(value, 3)))
    review.comment = comment.strip()[:3000]
    review.submitted_at = timezone.now()
    review.save()
    audit_record(
        actor=actor,
        action="landing.review.submit",
        target=review,
        after=snapshot(review, ["marks", "weighted_score", "abstained"]),
        hub=review.application.call.program.hub,
    )
    return review


# --- decisions and case files ----------------------------------------------------------------


@transaction.atomic
def application_decide(
    *, actor: User, application: Application, decision: str, feedback: str = ""
) -> Application:
    """Admit, waitlist or reject; the organization is told in its members' languages. Admission
    opens the landing case file with the destination hub's checklist."""
    application = (
        Application.objects.select_for_update()
        .select_related(
            "call",
            "call__program",
            "call__program__hub",
            "call__program__destination_hub",
            "organization",
        )
        .get(pk=application.pk)
    )
    program = application.call.program
    _require_manager(actor, program)
    if decision not in {state.value for state in DECIDED_STATES}:
        raise ValidationFailed(
            _("Choose admit, waitlist or reject."), code="invalid", field="decision"
        )
    if application.is_draft:
        raise ValidationFailed(
            _("Only submitted applications can be decided."), code="not_submitted"
        )
    if application.state == ApplicationState.ADMITTED:
        raise Conflict(_("This application was already admitted."), code="already_admitted")
    if decision != ApplicationState.REJECTED and (
        application.awaits_screening
        or application.screening_outcome == ScreeningOutcome.SCREENED_OUT
    ):
        raise ValidationFailed(
            _("Only applications that passed screening can be admitted or waitlisted."),
            code="not_screened",
            field="decision",
        )
    before = snapshot(application, ["state", "feedback"])
    application.state = decision
    application.feedback = feedback.strip()[:3000]
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.save()
    audit_record(
        actor=actor,
        action=f"landing.application.{decision}",
        target=application,
        before=before,
        after=snapshot(application, ["state", "feedback"]),
        hub=program.hub,
    )
    if decision == ApplicationState.ADMITTED:
        activity_sync(sources=[_case_file_open(actor=actor, application=application)])
    notify(
        users=_members(application.organization),
        kind=f"landing.{decision}",
        params={"organization": application.organization.name, "program": program.name},
        url=reverse("landing:application", kwargs={"pk": application.pk}),
        email_template=f"landing/email/{decision}",
        email_context={
            "organization": application.organization.name,
            "program_en": program.name_en,
            "program_es": program.name_es,
            "feedback": application.feedback,
        },
    )
    return application


def _case_file_open(*, actor: User, application: Application) -> CaseFile:
    hub = application.call.program.destination_hub
    case_file = CaseFile.objects.create(application=application, hub=hub)
    today = timezone.localdate()
    templates = ChecklistTemplateItem.objects.filter(hub=hub).order_by("sort_order", "id")
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(
                case_file=case_file,
                code=item.code,
                title_en=item.title_en,
                title_es=item.title_es,
                due_on=today + dt.timedelta(days=item.due_after_days),
                sort_order=item.sort_order,
            )
            for item in templates
        ]
    )
    audit_record(
        actor=actor,
        action="landing.case.open",
        target=case_file,
        after={"hub": hub.slug, "items": [item.code for item in templates]},
        hub=hub,
    )
    return case_file


def can_work_on_case(actor: User, case_file: CaseFile) -> bool:
    viewer = viewer_for(actor)
    return (
        viewer.manages_any([case_file.hub_id, case_file.application.call.program.hub_id])
        or case_file.application.organization_id in viewer.organization_ids
    )


@transaction.atomic
def checklist_item_update(
    *, actor: User, item: ChecklistItem, values: dict[str, Any]
) -> ChecklistItem:
    """Record progress on a step: state, provider from the directory, due date, notes."""
    item = (
        ChecklistItem.objects.select_for_update()
        .select_related(
            "case_file", "case_file__application", "case_file__application__call__program"
        )
        .get(pk=item.pk)
    )
    if not can_work_on_case(actor, item.case_file):
        raise PermissionDenied(_("Only the company and the hub managers work on this case file."))
    fields = ["state", "provider_id", "due_on", "notes", "completed_at"]
    before = snapshot(item, fields)
    for name in ("state", "provider", "due_on", "notes"):
        if name in values:
            setattr(item, name, values[name])
    if item.state == ItemState.DONE and item.completed_at is None:
        item.completed_at = timezone.now()
    elif item.state != ItemState.DONE:
        item.completed_at = None
    item.save()
    audit_record(
        actor=actor,
        action="landing.item.update",
        target=item,
        before=before,
        after=snapshot(item, fields),
        hub=item.case_file.hub,
    )
    return item


@transaction.atomic
def case_stage_set(*, actor: User, case_file: CaseFile, stage: str) -> CaseFile:
    if not viewer_for(actor).manages_any(
        [case_file.hub_id, case_file.application.call.program.hub_id]
    ):
        raise PermissionDenied(_("Only the hub managers move a case file between stages."))
    if stage not in CaseStage.values:
        raise ValidationFailed(_("Unknown stage."), code="invalid", field="stage")
    before = snapshot(case_file, ["stage"])
    case_file.stage = stage
    case_file.save(update_fields=["stage"])
    audit_record(
        actor=actor,
        action="landing.case.stage",
        target=case_file,
        before=before,
        after=snapshot(case_file, ["stage"]),
        hub=case_file.hub,
    )
    return case_file


# --- follow-up surveys -------------------------------------------------------------------------


@transaction.atomic
def surveys_send(*, actor: User, call: Call, period_label: str) -> list[SurveyRequest]:
    """Ask every decided applicant, admitted or not (the comparison group), for their outcomes."""
    _require_manager(actor, call.program)
    period_label = period_label.strip()[:40]
    if not period_label:
        raise ValidationFailed(
            _("Name the period, e.g. 2026-H1."), code="required", field="period_label"
        )
    sent = []
    for application in call.applications.filter(state__in=DECIDED_STATES).select_related(
        "organization"
    ):
        survey, created = SurveyRequest.objects.get_or_create(
            application=application, period_label=period_label
        )
        if not created:
            continue
        sent.append(survey)
        notify(
            users=_members(application.organization),
            kind="landing.survey",
            params={"organization": application.organization.name, "period": period_label},
            url=reverse("landing:survey", kwargs={"pk": survey.pk}),
            email_template="landing/email/survey",
            email_context={"organization": application.organization.name, "period": period_label},
        )
    audit_record(
        actor=actor,
        action="landing.surveys.send",
        target=call,
        after={"period": period_label, "sent": len(sent)},
        hub=call.program.hub,
    )
    return sent


@transaction.atomic
def surveys_remind(
    *, now: dt.datetime | None = None, after: dt.timedelta = dt.timedelta(days=14)
) -> int:
    """Remind unanswered surveys sent (or last reminded) longer than ``after`` ago. Safe to run twice."""
    now = now or timezone.now()
    reminded = 0
    for survey in SurveyRequest.objects.filter(answered_at__isnull=True).select_related(
        "application__organization"
    ):
        last = survey.reminded_at or survey.sent_at
        if now - last < after:
            continue
        survey.reminded_at = now
        survey.save(update_fields=["reminded_at"])
        notify(
            users=_members(survey.application.organization),
            kind="landing.survey",
            params={
                "organization": survey.application.organization.name,
                "period": survey.period_label,
            },
            url=reverse("landing:survey", kwargs={"pk": survey.pk}),
        )
        reminded += 1
    return reminded


@transaction.atomic
def survey_answer(*, actor: User, survey: SurveyRequest, values: dict[str, Any]) -> SurveyRequest:
    """The organization answers its follow-up survey (once); the date is stored."""
    survey = (
        SurveyRequest.objects.select_for_update()
        .select_related("application", "application__call__program__hub")
        .get(pk=survey.pk)
    )
    if survey.application.organization_id not in viewer_for(actor).organization_ids:
        raise PermissionDenied(_("Only the organization answers its survey."))
    if survey.answered_at is not None:
        raise Conflict(_("This survey was already answered."), code="already_answered")
    for name in (
        "currency",
        "revenue",
        "full_time_employees",
        "investment_raised",
        "jobs_created_host_city",
    ):
        setattr(survey, name, values[name])
    survey.answered_at = timezone.now()
    survey.save()
    activity_sync(sources=[survey])
    audit_record(
        actor=actor,
        action="landing.survey.answer",
        target=survey,
        after=snapshot(
            survey,
            [
                "currency",
                "revenue",
                "full_time_employees",
                "investment_raised",
                "jobs_created_host_city",
            ],
        ),
        hub=survey.application.call.program.hub,
    )
    return survey
