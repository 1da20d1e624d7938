"""Reads of soft-landing programs with their rules.

Who sees an application: the managers of the program's hub (all of them), the members of the
applying organization (their own), and reviewers (only the applications assigned to them). The
same 404 answers for a missing row and a forbidden one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from puente.accounts.models import User
from puente.accounts.viewer import Viewer
from puente.core.models import AuditEntry
from puente.core.text import sort_key
from puente.landing.models import (
    Application,
    ApplicationState,
    Call,
    CaseFile,
    CaseStage,
    ChecklistItem,
    EvidenceDocument,
    ItemState,
    Milestone,
    Program,
    Review,
    ScreeningVote,
    SurveyRequest,
)
from puente.landing.scoring import Ranked, Score, rank
from puente.landing.screening import screening_consensus

if TYPE_CHECKING:
    from puente.introductions.models import Introduction


M = TypeVar("M", bound=Model)


def manages_program(viewer: Viewer, program: Program) -> bool:
    return viewer.manages_any([program.hub_id])


def programs_visible_to(viewer: Viewer) -> QuerySet[Program]:
    """Published programs for everyone; unpublished ones for their hub's managers."""
    queryset = Program.objects.select_related("hub", "destination_hub")
    if viewer.is_staff:
        return queryset
    return queryset.filter(Q(is_published=True) | Q(hub_id__in=viewer.managed_hub_ids))


def program_for_viewer(
    viewer: Viewer, *, slug: str | None = None, pk: int | None = None
) -> Program:
    lookup = {"slug": slug} if slug is not None else {"pk": pk}
    program = programs_visible_to(viewer).filter(**lookup).first()
    if program is None:
        raise Http404("program")
    return program


def calls_visible_to(viewer: Viewer) -> QuerySet[Call]:
    return Call.objects.filter(program__in=programs_visible_to(viewer)).select_related(
        "program", "program__hub", "program__destination_hub"
    )


def call_for_viewer(viewer: Viewer, pk: int) -> Call:
    call = calls_visible_to(viewer).prefetch_related("fields", "criteria").filter(pk=pk).first()
    if call is None:
        raise Http404("call")
    return call


def applications_visible_to(viewer: Viewer) -> QuerySet[Application]:
    """Own organizations' applications, assigned ones (reviewers), all of managed hubs."""
    if viewer.is_staff:
        return Application.objects.all()
    condition = Q(pk__in=[])
    if viewer.managed_hub_ids:
        condition |= Q(call__program__hub_id__in=viewer.managed_hub_ids)
    if viewer.organization_ids:
        condition |= Q(organization_id__in=viewer.organization_ids)
    if viewer.user_id is not None:
        condition |= Q(
            pk__in=Review.objects.filter(reviewer_id=viewer.user_id).values("application_id")
        )
        condition |= Q(
            pk__in=ScreeningVote.objects.filter(screener_id=viewer.user_id).values("application_id")
        )
    return Application.objects.filter(condition)


def application_for_viewer(viewer: Viewer, pk: int) -> Application:
    application = (
        applications_visible_to(viewer)
        .select_related(
            "call",
            "call__program",
            "call__program__hub",
            "call__program__destination_hub",
            "organization",
            "organization__hub",
            "applicant",
            "decided_by",
        )
        .prefetch_related("files", "call__fields", "call__criteria")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404("application")
    return application


def my_applications(viewer: Viewer) -> list[Application]:
    if not viewer.organization_ids:
        return []
    return list(
        Application.objects.filter(organization_id__in=viewer.organization_ids)
        .select_related("call", "call__program", "call__program__hub", "organization")
        .order_by("-created_at", "-id")
    )


def reviews_assigned_to(viewer: Viewer) -> list[Review]:
    if viewer.user_id is None:
        return []
    return list(
        Review.objects.filter(reviewer_id=viewer.user_id)
        .select_related(
            "application",
            "application__organization",
            "application__call",
            "application__call__program",
            "application__call__program__hub",
        )
        .order_by("submitted_at", "assigned_at", "id")
    )


def review_for_reviewer(viewer: Viewer, pk: int) -> Review:
    review = (
        Review.objects.filter(pk=pk, reviewer_id=viewer.user_id)
        .select_related(
            "application",
            "application__organization",
            "application__call",
            "application__call__program",
            "application__call__program__hub",
        )
        .prefetch_related(
            "application__call__criteria", "application__call__fields", "application__files"
        )
        .first()
    )
    if review is None:
        raise Http404("review")
    return review


def call_reviewers(call: Call) -> list[User]:
    """The call's reviewers in the order readers expect (accents and case ignored)."""
    return _by_name(call.reviewers.all())


def reviewers_assignable(application: Application) -> list[User]:
    """The call's reviewers not yet assigned to ``application`` and without a declared
    conflict with it, by name."""
    return _by_name(
        application.call.reviewers.exclude(
            pk__in=application.reviews.values("reviewer_id")
        ).exclude(pk__in=application.conflicts.values("reviewer_id"))
    )


def _by_name(users: Iterable[User]) -> list[User]:
    """User accounts sorted by full name as readers expect; accounts have no stored sort
    key, and these lists (a call's reviewers) are short."""
    return sorted(users, key=lambda user: (sort_key(user.full_name), user.pk))


def other_reviews_visible(viewer: Viewer, application: Application) -> list[Review]:
    """Other reviewers' submitted reviews, for managers always; for a reviewer of the
    application once they submitted theirs (or always, when the call allows it)."""
    reviews = list(
        application.reviews.filter(submitted_at__isnull=False).select_related("reviewer")
    )
    if manages_program(viewer, application.call.program):
        return reviews
    mine = next(
        (review for review in application.reviews.all() if review.reviewer_id == viewer.user_id),
        None,
    )
    if mine is None:
        return []
    if application.call.hide_scores_until_submitted and not mine.is_submitted:
        return []
    return [review for review in reviews if review.reviewer_id != viewer.user_id]


_VOTE_RELATED = (
    "application",
    "application__organization",
    "application__call",
    "application__call__program",
    "application__call__program__hub",
)


def screening_votes_assigned_to(viewer: Viewer) -> list[ScreeningVote]:
    """The screener's inbox: votes to cast first, then the ones cast."""
    if viewer.user_id is None:
        return []
    return list(
        ScreeningVote.objects.filter(screener_id=viewer.user_id)
        .select_related(*_VOTE_RELATED)
        .order_by("voted_at", "assigned_at", "id")
    )


def screening_vote_for_screener(viewer: Viewer, pk: int) -> ScreeningVote:
    """The screener's own vote (assignment), or 404 for anyone else's or a missing one."""
    vote = (
        ScreeningVote.objects.filter(pk=pk, screener_id=viewer.user_id)
        .select_related(*_VOTE_RELATED)
        .prefetch_related("application__call__fields", "application__files")
        .first()
    )
    if vote is None:
        raise Http404("screening vote")
    return vote


def other_screening_votes_visible(viewer: Viewer, application: Application) -> list[ScreeningVote]:
    """Cast votes of the other screeners: managers always; an assigned screener once they voted
    (or before, when the call does not hide scores); nobody else."""
    votes = list(application.screening_votes.select_related("screener").order_by("id"))
    if manages_program(viewer, application.call.program):
        return [vote for vote in votes if vote.is_cast]
    mine = next((vote for vote in votes if vote.screener_id == viewer.user_id), None)
    if mine is None:
        return []
    if application.call.hide_scores_until_submitted and not mine.is_cast:
        return []
    return [vote for vote in votes if vote.is_cast and vote.screener_id != viewer.user_id]


@dataclass(frozen=True)
class ScreeningRow:
    """One application in the manager's screening board: its votes and their consensus."""

    application: Application
    votes: list[ScreeningVote]
    consensus: str

    @property
    def passes(self) -> int:
        return sum(1 for vote in self.votes if vote.choice == "pass")

    @property
    def fails(self) -> int:
        return sum(1 for vote in self.votes if vote.choice == "fail")

    @property
    def abstentions(self) -> int:
        return sum(1 for vote in self.votes if vote.choice == "abstain")

    @property
    def pending(self) -> int:
        return sum(1 for vote in self.votes if not vote.choice)


def screening_board(call: Call) -> list[ScreeningRow]:
    """Every submitted application of a screening call with its votes and the consensus so far."""
    applications = call.applications.exclude(state=ApplicationState.DRAFT).filter(
        Q(state=ApplicationState.SUBMITTED) | ~Q(screening_outcome="")
    )
    return [
        ScreeningRow(
            application=application,
            votes=list(application.screening_votes.all()),
            consensus=screening_consensus(
                [vote.choice for vote in application.screening_votes.all()]
            ),
        )
        for application in applications.select_related("organization")
        .prefetch_related(
            Prefetch(
                "screening_votes",
                queryset=ScreeningVote.objects.select_related("screener").order_by("id"),
            )
        )
        .order_by("organization__sort_name", "id")
    ]


@dataclass(frozen=True)
class RankingRow:
    """One application in the manager's ranking, with raw and normalised scores."""

    application: Application
    place: Ranked
    reviews: list[Review]


def call_ranking(call: Call) -> list[RankingRow]:
    """Submitted applications of a call ranked by per-reviewer normalised scores."""
    applications = list(
        call.applications.exclude(state=ApplicationState.DRAFT)
        .filter(Q(screening_outcome="passed") | Q(call__has_screening=False))
        .select_related("organization", "organization__hub")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer").order_by("id"))
        )
    )
    scores = [
        Score(
            application=application.pk,
            reviewer=review.reviewer_id,
            value=float(review.weighted_score),
        )
        for application in applications
        for review in application.reviews.all()
        if review.is_submitted and not review.abstained and review.weighted_score is not None
    ]
    by_id = {application.pk: application for application in applications}
    return [
        RankingRow(
            application=by_id[place.application],
            place=place,
            reviews=list(by_id[place.application].reviews.all()),
        )
        for place in rank(by_id, scores)
    ]


def case_files_visible_to(viewer: Viewer) -> QuerySet[CaseFile]:
    """Case files of managed hubs (running the program or receiving the company) and the company's own."""
    if viewer.is_staff:
        return CaseFile.objects.all()
    condition = Q(pk__in=[])
    if viewer.managed_hub_ids:
        condition |= Q(hub_id__in=viewer.managed_hub_ids) | Q(
            application__call__program__hub_id__in=viewer.managed_hub_ids
        )
    if viewer.organization_ids:
        condition |= Q(application__organization_id__in=viewer.organization_ids)
    return CaseFile.objects.filter(condition)


def case_file_for_viewer(viewer: Viewer, pk: int) -> CaseFile:
    case_file = (
        case_files_visible_to(viewer)
        .select_related(
            "hub",
            "application",
            "application__organization",
            "application__call",
            "application__call__program",
        )
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ChecklistItem.objects.select_related("provider", "owner").prefetch_related(
                    Prefetch(
                        "evidence",
                        queryset=EvidenceDocument.objects.select_related("uploaded_by"),
                    )
                ),
            ),
            "milestones",
        )
        .filter(pk=pk)
        .first()
    )
    if case_file is None:
        raise Http404("case file")
    return case_file


def _in_visible_case_file(
    viewer: Viewer, rows: QuerySet[M], pk: int, case_file_path: str, missing: str
) -> M:
    """The row ``pk`` of ``rows`` when its case file (reached by ``case_file_path``) is one the
    viewer may see; otherwise the same 404 as a missing row."""
    row = rows.filter(pk=pk, **{f"{case_file_path}__in": case_files_visible_to(viewer)}).first()
    if row is None:
        raise Http404(missing)
    return row


def milestone_for_viewer(viewer: Viewer, pk: int) -> Milestone:
    """A milestone of a case file the viewer may see, or the same 404 as a missing one."""
    rows = Milestone.objects.select_related("case_file")
    return _in_visible_case_file(viewer, rows, pk, "case_file", "milestone")


def checklist_item_for_viewer(viewer: Viewer, pk: int) -> ChecklistItem:
    """A checklist item of a case file the viewer may see, or the same 404 as a missing one."""
    rows = ChecklistItem.objects.select_related("case_file")
    return _in_visible_case_file(viewer, rows, pk, "case_file", "checklist item")


def evidence_for_viewer(viewer: Viewer, pk: int) -> EvidenceDocument:
    """An evidence document of a case file the viewer may see, or the same 404 as a missing one."""
    rows = EvidenceDocument.objects.select_related("item", "item__case_file")
    return _in_visible_case_file(viewer, rows, pk, "item__case_file", "evidence")


@dataclass(frozen=True)
class TimelineEntry:
    """One dated line of a case file's timeline, already phrased for the reader."""

    at: dt.datetime
    kind: str
    text: str
    actor: str


def case_timeline(
    case_file: CaseFile, introductions: list[Introduction] | None = None
) -> list[TimelineEntry]:
    """All activity on a case in date order (oldest first): the audit log of the application, the
    case file, its checklist items (with evidence) and milestones, plus the introductions made
    for the company. Reads the prefetched items and milestones; two queries besides."""
    items = {str(item.pk): item for item in case_file.items.all()}
    milestones = {str(milestone.pk): milestone for milestone in case_file.milestones.all()}
    condition = (
        Q(target_type="landing.casefile", target_id=str(case_file.pk))
        | Q(target_type="landing.checklistitem", target_id__in=list(items))
        | Q(target_type="landing.milestone", target_id__in=list(milestones))
        | Q(target_type="landing.application", target_id=str(case_file.application_id))
    )
    entries = [
        TimelineEntry(
            at=entry.at,
            kind=entry.action,
            text=_describe(entry, items, milestones),
            actor=entry.actor.full_name if entry.actor is not None else "Puente",
        )
        for entry in AuditEntry.objects.filter(condition)
        .select_related("actor")
        .order_by("-at", "-id")[:200]
    ]
    if introductions is None:
        introductions = case_introductions(case_file)
    for introduction in introductions:
        entries.append(
            TimelineEntry(
                at=introduction.created_at,
                kind="introduction",
                text=_("Introduction: %(requester)s ↔ %(target)s (%(status)s)")
                % {
                    "requester": introduction.requester.name,
                    "target": introduction.target.name,
                    "status": introduction.get_status_display(),
                },
                actor="",
            )
        )
    return sorted(entries, key=lambda entry: entry.at)


def _describe(
    entry: AuditEntry, items: dict[str, ChecklistItem], milestones: dict[str, Milestone]
) -> str:
    """The audit entry in the reader's words (the item or milestone named in their language)."""
    after = entry.after if isinstance(entry.after, dict) else {}
    item = items.get(entry.target_id) if entry.target_type == "landing.checklistitem" else None
    milestone = (
        milestones.get(entry.target_id) if entry.target_type == "landing.milestone" else None
    )
    simple = {
        "landing.application.create": _("Application started"),
        "landing.application.save": _("Application draft saved"),
        "landing.application.submit": _("Application submitted"),
        "landing.application.admitted": _("Decision: admitted"),
        "landing.application.waitlisted": _("Decision: waitlisted"),
        "landing.application.rejected": _("Decision: not admitted"),
        "landing.screening.decide": _("Screening decided by the manager"),
        "landing.case.open": _("Case file opened with the destination hub's checklist"),
    }
    if entry.action in simple:
        return str(simple[entry.action])
    if entry.action == "landing.case.stage":
        stage = str(after.get("stage", ""))
        return _("Stage changed to %(stage)s") % {
            "stage": dict(CaseStage.choices).get(stage, stage)
        }
    if entry.action == "landing.item.update" and item is not None:
        changes = ", ".join(_item_change(name, value) for name, value in sorted(after.items()))
        return _("Checklist item “%(item)s” updated: %(changes)s") % {
            "item": item.title,
            "changes": changes or "—",
        }
    if entry.action == "landing.evidence.add" and item is not None:
        return _("Evidence “%(file)s” added to “%(item)s”") % {
            "file": after.get("file", ""),
            "item": item.title,
        }
    if entry.action == "landing.evidence.remove" and item is not None:
        return _("Evidence “%(file)s” removed from “%(item)s”") % {
            "file": after.get("file", ""),
            "item": item.title,
        }
    if entry.action == "landing.milestone.add" and milestone is not None:
        return _("Milestone added: %(title)s") % {"title": milestone.title}
    if entry.action == "landing.milestone.reach" and milestone is not None:
        return _("Milestone reached: %(title)s") % {"title": milestone.title}
    return _("Change recorded: %(action)s") % {"action": entry.action}


def _item_change(name: str, value: object) -> str:
    if name == "state":
        return _("state %(state)s") % {"state": dict(ItemState.choices).get(str(value), str(value))}
    if name == "provider_id":
        return _("provider set") if value else _("provider removed")
    if name == "due_on":
        return _("due %(date)s") % {"date": value or "—"}
    if name == "notes":
        return _("notes edited")
    if name == "completed_at":
        return _("completed") if value else _("reopened")
    return name


def case_introductions(case_file: CaseFile) -> list[Introduction]:
    """Introductions made for the company (from the introductions app)."""
    from puente.introductions.models import Introduction

    organization_id = case_file.application.organization_id
    return list(
        Introduction.objects.filter(Q(requester_id=organization_id) | Q(target_id=organization_id))
        .select_related("requester", "target")
        .order_by("-created_at")[:20]
    )


PIPELINE_STAGES = (
    "applied",
    "screening",
    "review",
    "admitted",
    "waitlisted",
    "rejected",
    "landing",
    "established",
    "exited",
)


def pipeline(viewer: Viewer) -> dict[str, list[Application]]:
    """The managers' board: every non-draft application of their hubs' programs by stage."""
    board: dict[str, list[Application]] = {stage: [] for stage in PIPELINE_STAGES}
    queryset = (
        applications_visible_to(viewer).filter(call__program__hub_id__in=viewer.managed_hub_ids)
        if not viewer.is_staff
        else Application.objects.all()
    )
    rows = (
        queryset.exclude(state=ApplicationState.DRAFT)
        .select_related("organization", "call", "call__program", "case_file")
        .prefetch_related("reviews")
        .order_by("organization__sort_name", "id")
    )
    for application in rows:
        board[_stage_of(application)].append(application)
    return board


def _stage_of(application: Application) -> str:
    if application.state == ApplicationState.ADMITTED:
        case_file = getattr(application, "case_file", None)
        return case_file.stage if case_file is not None else "admitted"
    if application.state == ApplicationState.SUBMITTED:
        if application.call.has_screening:
            return "screening" if not application.screening_outcome else "review"
        return (
            "review"
            if any(review.is_submitted for review in application.reviews.all())
            else "applied"
        )
    return str(application.state)


def surveys_for_viewer(viewer: Viewer) -> list[SurveyRequest]:
    if not viewer.organization_ids:
        return []
    return list(
        SurveyRequest.objects.filter(application__organization_id__in=viewer.organization_ids)
        .select_related(
            "application",
            "application__organization",
            "application__call",
            "application__call__program",
        )
        .order_by("answered_at", "-sent_at")
    )


def survey_for_viewer(viewer: Viewer, pk: int) -> SurveyRequest:
    survey = (
        SurveyRequest.objects.filter(pk=pk, application__in=applications_visible_to(viewer))
        .select_related("application", "application__organization", "application__call__program")
        .first()
    )
    if survey is None:
        raise Http404("survey")
    return survey
