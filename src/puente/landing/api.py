"""API of soft-landing programs: programs and calls (public), own applications (drafts and
submission), assigned reviews, the managers' ranking and case files.

Each endpoint parses input, calls one selector or service and answers with a schema; the same
404 answers for a missing object and one the caller may not see.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from puente.accounts.viewer import viewer_for
from puente.api.auth import caller, caller_or_anonymous, required_auth
from puente.api.schemas import ERRORS, READ_ERRORS, InputSchema, ObjectId
from puente.core.errors import PermissionDenied, ValidationFailed
from puente.core.forms import validated
from puente.core.i18n import active_language
from puente.core.ids import MAX_ID
from puente.directory.models import Organization
from puente.landing import selectors, services, services_cases, services_screening
from puente.landing.forms import ApplicationForm
from puente.landing.models import (
    Application,
    Call,
    CaseFile,
    FieldKind,
    Milestone,
    Program,
    Review,
    ScreeningVote,
)

router = Router(tags=["landing"])


class ProgramOut(Schema):
    id: int
    slug: str
    name: str
    summary: str
    hub: str = Field(..., description="Slug of the hub running the program.")
    destination_hub: str = Field(..., description="Slug of the hub where companies land.")
    direction: str
    services: list[str]
    capacity: int


class ProgramPage(Schema):
    items: list[ProgramOut]
    count: int


class FormFieldOut(Schema):
    key: str
    kind: str
    label: str
    help: str
    required: bool
    max_length: int
    choices: list[dict[str, str]]
    allowed_extensions: list[str]
    max_file_mb: int


class CriterionOut(Schema):
    id: int
    name: str
    weight: float
    scale_max: int


class CallOut(Schema):
    id: int
    program_id: int
    title: str
    eligibility: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    time_zone: str = Field(..., description="The hub's zone, in which the dates were set.")
    is_open: bool
    fields: list[FormFieldOut]
    criteria: list[CriterionOut]


class ApplicationOut(Schema):
    id: int
    call_id: int
    organization_id: int
    organization_name: str
    state: str
    answers: dict[str, Any]
    files: list[str] = Field(..., description="Keys of the file questions with an upload.")
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    feedback: str
    screening_outcome: str = Field(
        ..., description='"" (no screening, or not decided yet), "passed" or "screened_out".'
    )
    case_file_id: int | None


class ApplicationPage(Schema):
    items: list[ApplicationOut]
    count: int


class ApplicationIn(InputSchema):
    organization: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Id of your organization; optional when you belong to exactly one.",
    )
    answers: dict[str, str | int | float | list[str] | None] = Field(
        default_factory=dict,
        max_length=100,
        description="Answers by question key; taxonomy questions take a list of term codes (file questions: upload in the web app).",
    )


class ReviewOut(Schema):
    id: int
    application_id: int
    organization_name: str
    call_id: int
    submitted_at: dt.datetime | None
    abstained: bool
    weighted_score: float | None
    marks: dict[str, int]


class ReviewPage(Schema):
    items: list[ReviewOut]
    count: int


class ReviewIn(InputSchema):
    marks: dict[int, int] = Field(
        default_factory=dict, description="Criterion id → level (1 to the criterion's top)."
    )
    comment: str = Field("", max_length=3000)
    abstain: bool = False


class ScreeningVoteOut(Schema):
    id: int
    application_id: int
    organization_name: str
    call_id: int
    choice: str = Field(..., description='"" until voted, then "pass", "fail" or "abstain".')
    note: str
    voted_at: dt.datetime | None


class ScreeningVotePage(Schema):
    items: list[ScreeningVoteOut]
    count: int


class ScreeningVoteIn(InputSchema):
    choice: Literal["pass", "fail", "abstain"]
    note: str = Field("", max_length=2000)


class RankingRowOut(Schema):
    rank: int
    application_id: int
    organization_name: str
    state: str
    reviews: int
    raw_score: float | None
    normalized_score: float | None = Field(..., description="Mean of the per-reviewer z-scores.")
    tie: str = Field(..., description='"" (no tie), "raw" (broken by raw score) or "tie".')


class RankingOut(Schema):
    items: list[RankingRowOut]


class EvidenceOut(Schema):
    id: int
    name: str
    size: int
    uploaded_at: dt.datetime
    download_url: str = Field(..., description="Web address of the permission-checked download.")


class MilestoneOut(Schema):
    id: int
    title: str
    title_en: str
    title_es: str
    due_on: dt.date | None
    reached_on: dt.date | None
    note: str


class MilestoneIn(InputSchema):
    title_en: str = Field(..., min_length=1, max_length=200)
    title_es: str = Field(..., min_length=1, max_length=200)
    due_on: dt.date | None = None
    note: str = Field("", max_length=2000)


class MilestoneReachedIn(InputSchema):
    reached_on: dt.date | None = Field(None, description="Today when left out.")


class ChecklistItemOut(Schema):
    id: int
    code: str
    title: str
    state: str
    due_on: dt.date | None
    provider_id: int | None
    provider_name: str | None
    notes: str
    completed_at: dt.datetime | None
    evidence: list[EvidenceOut]


class CaseFileOut(Schema):
    id: int
    application_id: int
    organization_name: str
    hub: str
    stage: str
    opened_at: dt.datetime
    items: list[ChecklistItemOut]
    milestones: list[MilestoneOut]


def _program_out(program: Program) -> ProgramOut:
    return ProgramOut(
        id=program.pk,
        slug=program.slug,
        name=program.name,
        summary=program.summary,
        hub=program.hub.slug,
        destination_hub=program.destination_hub.slug,
        direction=program.direction,
        services=list(program.services),
        capacity=program.capacity,
    )


def _call_out(call: Call) -> CallOut:
    return CallOut(
        id=call.pk,
        program_id=call.program_id,
        title=call.title,
        eligibility=call.eligibility,
        opens_at=call.opens_at,
        closes_at=call.closes_at,
        time_zone=call.program.hub.time_zone,
        is_open=call.is_open(),
        fields=[
            FormFieldOut(
                key=field.key,
                kind=field.kind,
                label=field.label,
                help=field.help,
                required=field.required,
                max_length=field.max_length,
                choices=[
                    {"value": value, "label": label} for value, label in field.choice_options()
                ],
                allowed_extensions=list(field.allowed_extensions),
                max_file_mb=field.max_file_mb,
            )
            for field in call.fields.all()
        ],
        criteria=[
            CriterionOut(id=c.pk, name=c.name, weight=float(c.weight), scale_max=c.scale_max)
            for c in call.criteria.all()
        ],
    )


def _application_out(application: Application) -> ApplicationOut:
    case_file = getattr(application, "case_file", None) if application.state == "admitted" else None
    return ApplicationOut(
        id=application.pk,
        call_id=application.call_id,
        organization_id=application.organization_id,
        organization_name=application.organization.name,
        state=application.state,
        answers=dict(application.answers),
        files=sorted(stored.field_key for stored in application.files.all()),
        submitted_at=application.submitted_at,
        decided_at=application.decided_at,
        feedback=application.feedback,
        screening_outcome=application.screening_outcome,
        case_file_id=case_file.pk if case_file is not None else None,
    )


def _review_out(review: Review) -> ReviewOut:
    return ReviewOut(
        id=review.pk,
        application_id=review.application_id,
        organization_name=review.application.organization.name,
        call_id=review.application.call_id,
        submitted_at=review.submitted_at,
        abstained=review.abstained,
        weighted_score=float(review.weighted_score) if review.weighted_score is not None else None,
        marks={str(key): int(value) for key, value in (review.marks or {}).items()},
    )


@router.get(
    "/landing/programs", response={200: ProgramPage, **READ_ERRORS}, summary="Soft-landing programs"
)
def list_programs(request: HttpRequest) -> ProgramPage:
    programs = list(selectors.programs_visible_to(viewer_for(caller_or_anonymous(request))))
    return ProgramPage(items=[_program_out(program) for program in programs], count=len(programs))


@router.get(
    "/landing/programs/{program_id}",
    response={200: ProgramOut, **READ_ERRORS},
    summary="One program",
)
def get_program(request: HttpRequest, program_id: ObjectId) -> ProgramOut:
    return _program_out(
        selectors.program_for_viewer(viewer_for(caller_or_anonymous(request)), pk=program_id)
    )


@router.get(
    "/landing/calls/{call_id}",
    response={200: CallOut, **READ_ERRORS},
    summary="A call with its form and rubric",
)
def get_call(request: HttpRequest, call_id: ObjectId) -> CallOut:
    return _call_out(selectors.call_for_viewer(viewer_for(caller_or_anonymous(request)), call_id))


@router.get(
    "/landing/calls/{call_id}/ranking",
    response={200: RankingOut, **ERRORS},
    auth=required_auth,
    summary="Normalised ranking of a call (its hub's managers)",
)
def get_ranking(request: HttpRequest, call_id: ObjectId) -> RankingOut:
    viewer = viewer_for(caller(request))
    call = selectors.call_for_viewer(viewer, call_id)
    if not selectors.manages_program(viewer, call.program):
        raise PermissionDenied(_("Only the managers of the program's hub can do this."))
    return RankingOut(
        items=[
            RankingRowOut(
                rank=row.place.rank,
                application_id=row.application.pk,
                organization_name=row.application.organization.name,
                state=row.application.state,
                reviews=row.place.reviews,
                raw_score=row.place.raw,
                normalized_score=row.place.normalized,
                tie=row.place.tie_note,
            )
            for row in selectors.call_ranking(call)
        ]
    )


@router.get(
    "/landing/applications",
    response={200: ApplicationPage, **ERRORS},
    auth=required_auth,
    summary="Applications you may see (own, assigned, managed)",
)
def list_applications(request: HttpRequest) -> ApplicationPage:
    viewer = viewer_for(caller(request))
    items = list(
        selectors.applications_visible_to(viewer)
        .select_related("organization", "case_file")
        .prefetch_related("files")
        .order_by("-created_at", "-id")[:100]
    )
    return ApplicationPage(items=[_application_out(item) for item in items], count=len(items))


@router.post(
    "/landing/calls/{call_id}/applications",
    response={200: ApplicationOut, **ERRORS},
    auth=required_auth,
    summary="Save your organization's draft application",
)
def save_application(
    request: HttpRequest, call_id: ObjectId, payload: ApplicationIn
) -> ApplicationOut:
    user = caller(request)
    viewer = viewer_for(user)
    call = selectors.call_for_viewer(viewer, call_id)
    mine = Organization.objects.filter(pk__in=viewer.organization_ids)
    if payload.organization is None and len(viewer.organization_ids) > 1:
        raise ValidationFailed(
            _("Say which of your organizations applies."), code="required", field="organization"
        )
    organization = (
        mine.filter(pk=payload.organization).first()
        if payload.organization is not None
        else mine.first()
    )
    if organization is None:
        raise PermissionDenied(_("You can only apply for your own organization."))
    definitions = [field for field in call.fields.all() if field.kind != FieldKind.FILE]
    unknown = sorted(set(payload.answers) - {field.key for field in definitions})
    if unknown:
        raise ValidationFailed(
            _("Unknown questions: %(keys)s") % {"keys": ", ".join(unknown)[:200]},
            code="unknown_field",
            errors=[
                {"field": key[:60], "code": "unknown_field", "message": _("Unknown question.")}
                for key in unknown[:20]
            ],
        )
    form = ApplicationForm(
        {
            key: value if isinstance(value, list) else ("" if value is None else str(value))
            for key, value in payload.answers.items()
        },
        fields=definitions,
        final=False,
        currency=call.program.destination_hub.currency,
    )
    validated(form)
    application = services.application_save(
        actor=user,
        call=call,
        organization=organization,
        answers=form.answers(),
        language=active_language(),
    )
    return _application_out(selectors.application_for_viewer(viewer, application.pk))


@router.get(
    "/landing/applications/{application_id}",
    response={200: ApplicationOut, **ERRORS},
    auth=required_auth,
    summary="One application",
)
def get_application(request: HttpRequest, application_id: ObjectId) -> ApplicationOut:
    return _application_out(
        selectors.application_for_viewer(viewer_for(caller(request)), application_id)
    )


@router.post(
    "/landing/applications/{application_id}/submission",
    response={200: ApplicationOut, **ERRORS},
    auth=required_auth,
    summary="Submit your application (final)",
)
def submit_application(request: HttpRequest, application_id: ObjectId) -> ApplicationOut:
    user = caller(request)
    viewer = viewer_for(user)
    application = selectors.application_for_viewer(viewer, application_id)
    services.application_submit(actor=user, application=application)
    return _application_out(selectors.application_for_viewer(viewer, application_id))


@router.get(
    "/landing/reviews",
    response={200: ReviewPage, **ERRORS},
    auth=required_auth,
    summary="Reviews assigned to you",
)
def list_reviews(request: HttpRequest) -> ReviewPage:
    reviews = selectors.reviews_assigned_to(viewer_for(caller(request)))
    return ReviewPage(items=[_review_out(review) for review in reviews], count=len(reviews))


@router.post(
    "/landing/reviews/{review_id}",
    response={200: ReviewOut, **ERRORS},
    auth=required_auth,
    summary="Submit your review (marks or abstention)",
)
def submit_review(request: HttpRequest, review_id: ObjectId, payload: ReviewIn) -> ReviewOut:
    user = caller(request)
    review = selectors.review_for_reviewer(viewer_for(user), review_id)
    return _review_out(
        services.review_submit(
            actor=user,
            review=review,
            marks=payload.marks,
            comment=payload.comment,
            abstain=payload.abstain,
        )
    )


@router.get(
    "/landing/case-files/{case_file_id}",
    response={200: CaseFileOut, **ERRORS},
    auth=required_auth,
    summary="A landing case file with its checklist",
)
def get_case_file(request: HttpRequest, case_file_id: ObjectId) -> CaseFileOut:
    case_file: CaseFile = selectors.case_file_for_viewer(viewer_for(caller(request)), case_file_id)
    return CaseFileOut(
        id=case_file.pk,
        application_id=case_file.application_id,
        organization_name=case_file.application.organization.name,
        hub=case_file.hub.slug,
        stage=case_file.stage,
        opened_at=case_file.opened_at,
        items=[
            ChecklistItemOut(
                id=item.pk,
                code=item.code,
                title=item.title,
                state=item.state,
                due_on=item.due_on,
                provider_id=item.provider_id,
                provider_name=item.provider.name if item.provider else None,
                notes=item.notes,
                completed_at=item.completed_at,
                evidence=[
                    EvidenceOut(
                        id=document.pk,
                        name=document.original_name,
                        size=document.size,
                        uploaded_at=document.uploaded_at,
                        download_url=reverse("landing:evidence", kwargs={"pk": document.pk}),
                    )
                    for document in item.evidence.all()
                ],
            )
            for item in case_file.items.all()
        ],
        milestones=[_milestone_out(milestone) for milestone in case_file.milestones.all()],
    )


def _milestone_out(milestone: Milestone) -> MilestoneOut:
    return MilestoneOut(
        id=milestone.pk,
        title=milestone.title,
        title_en=milestone.title_en,
        title_es=milestone.title_es,
        due_on=milestone.due_on,
        reached_on=milestone.reached_on,
        note=milestone.note,
    )


@router.post(
    "/landing/case-files/{case_file_id}/milestones",
    response={201: MilestoneOut, **ERRORS},
    auth=required_auth,
    summary="Add a milestone to a case file (hub managers, the company's admins)",
)
def add_milestone(
    request: HttpRequest, case_file_id: ObjectId, payload: MilestoneIn
) -> Status[MilestoneOut]:
    user = caller(request)
    case_file = selectors.case_file_for_viewer(viewer_for(user), case_file_id)
    milestone = services_cases.milestone_add(
        actor=user, case_file=case_file, values=payload.model_dump()
    )
    return Status(201, _milestone_out(milestone))


@router.post(
    "/landing/milestones/{milestone_id}/reached",
    response={200: MilestoneOut, **ERRORS},
    auth=required_auth,
    summary="Mark a milestone reached (hub managers, the company's admins)",
)
def reach_milestone(
    request: HttpRequest, milestone_id: ObjectId, payload: MilestoneReachedIn
) -> MilestoneOut:
    user = caller(request)
    milestone = selectors.milestone_for_viewer(viewer_for(user), milestone_id)
    return _milestone_out(
        services_cases.milestone_reach(
            actor=user, milestone=milestone, reached_on=payload.reached_on
        )
    )


def _screening_vote_out(vote: ScreeningVote) -> ScreeningVoteOut:
    return ScreeningVoteOut(
        id=vote.pk,
        application_id=vote.application_id,
        organization_name=vote.application.organization.name,
        call_id=vote.application.call_id,
        choice=vote.choice,
        note=vote.note,
        voted_at=vote.voted_at,
    )


@router.get(
    "/landing/screening-votes",
    response={200: ScreeningVotePage, **ERRORS},
    auth=required_auth,
    summary="Applications assigned to you for screening",
)
def list_screening_votes(request: HttpRequest) -> ScreeningVotePage:
    votes = selectors.screening_votes_assigned_to(viewer_for(caller(request)))
    return ScreeningVotePage(items=[_screening_vote_out(vote) for vote in votes], count=len(votes))


@router.post(
    "/landing/screening-votes/{vote_id}",
    response={200: ScreeningVoteOut, **ERRORS},
    auth=required_auth,
    summary="Vote pass, fail or abstain on an application assigned to you for screening",
)
def cast_screening_vote(
    request: HttpRequest, vote_id: ObjectId, payload: ScreeningVoteIn
) -> ScreeningVoteOut:
    user = caller(request)
    vote = selectors.screening_vote_for_screener(viewer_for(user), vote_id)
    services_screening.screening_vote_cast(
        actor=user, vote=vote, choice=payload.choice, note=payload.note
    )
    return _screening_vote_out(selectors.screening_vote_for_screener(viewer_for(user), vote_id))
