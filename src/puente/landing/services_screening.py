"""Writes of the screening round that comes before scoring: turning it on or off, assigning
screeners, their pass/fail votes, the manager's decisions on split votes, and closing the round
(screened-out applications then take the rejection path). The consensus rule itself is the
pure function ``landing.screening.screening_consensus``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from puente.accounts.models import User
from puente.core.audit import audit_record, snapshot
from puente.core.errors import Conflict, NotFound, ValidationFailed
from puente.landing.assignment import plan_assignments
from puente.landing.models import (
    Application,
    ApplicationState,
    Call,
    ConflictOfInterest,
    Review,
    ScreeningChoice,
    ScreeningOutcome,
    ScreeningVote,
)
from puente.landing.screening import FAIL, PASS, screening_consensus
from puente.landing.services import _require_manager, application_decide, notify_assignments


def _require_running(call: Call) -> None:
    if not call.has_screening:
        raise ValidationFailed(_("This call has no screening round."), code="no_screening")
    if call.screening_closed_at is not None:
        raise Conflict(_("The screening round of this call is closed."), code="screening_closed")


@transaction.atomic
def call_screening_set(*, actor: User, call: Call, enabled: bool) -> Call:
    """Turn the screening round on or off, before any screener or reviewer was assigned."""
    call = Call.objects.select_for_update().select_related("program__hub").get(pk=call.pk)
    _require_manager(actor, call.program)
    if (
        ScreeningVote.objects.filter(application__call=call).exists()
        or Review.objects.filter(application__call=call).exists()
        or call.screening_closed_at is not None
    ):
        raise ValidationFailed(
            _("Screening can only be turned on or off before anyone is assigned."),
            code="screening_locked",
        )
    before = snapshot(call, ["has_screening"])
    call.has_screening = enabled
    call.save(update_fields=["has_screening"])
    audit_record(
        actor=actor,
        action="landing.screening.set",
        target=call,
        before=before,
        after=snapshot(call, ["has_screening"]),
        hub=call.program.hub,
    )
    return call


@transaction.atomic
def screening_assign_auto(*, actor: User, call: Call) -> list[ScreeningVote]:
    """Give every submitted application awaiting screening its screeners, chosen from the call's
    reviewers: declared conflicts excluded, load balanced (the same planner as scoring)."""
    call = Call.objects.select_for_update().select_related("program__hub").get(pk=call.pk)
    _require_manager(actor, call.program)
    _require_running(call)
    reviewers = list(call.reviewers.values_list("pk", flat=True))
    if not reviewers:
        raise ValidationFailed(_("Add reviewers to the call first."), code="no_reviewers")
    applications = list(
        call.applications.filter(
            state=ApplicationState.SUBMITTED, screening_outcome=""
        ).values_list("pk", flat=True)
    )
    plan = plan_assignments(
        applications=applications,
        reviewers=reviewers,
        per_application=call.screeners_per_application,
        conflicts=ConflictOfInterest.objects.filter(application__call=call).values_list(
            "application_id", "reviewer_id"
        ),
        existing=ScreeningVote.objects.filter(application__call=call).values_list(
            "application_id", "screener_id"
        ),
    )
    created = ScreeningVote.objects.bulk_create(
        [
            ScreeningVote(application_id=application, screener_id=screener, assigned_by=actor)
            for application, screener in plan.pairs
        ]
    )
    audit_record(
        actor=actor,
        action="landing.screening.assign",
        target=call,
        after={"pairs": plan.pairs, "short": plan.short},
        hub=call.program.hub,
    )
    notify_assignments(call=call, load=plan.load(), kind="landing.screening_assigned")
    return created


@transaction.atomic
def screening_vote_cast(
    *, actor: User, vote: ScreeningVote, choice: str, note: str = ""
) -> ScreeningVote:
    """The assigned screener votes pass, fail or abstain, once, while the round is open."""
    vote = (
        ScreeningVote.objects.select_for_update()
        .select_related("application", "application__call", "application__call__program__hub")
        .get(pk=vote.pk)
    )
    if vote.screener_id != actor.pk:
        raise NotFound(_("There is no such screening vote."))
    if vote.is_cast:
        raise Conflict(_("You already voted on this application."), code="already_voted")
    application = vote.application
    _require_running(application.call)
    if application.state != ApplicationState.SUBMITTED or application.screening_outcome:
        raise ValidationFailed(
            _("The screening of this application is already decided."), code="decided"
        )
    if choice not in ScreeningChoice.values:
        raise ValidationFailed(_("Choose pass, fail or abstain."), code="invalid", field="choice")
    vote.choice = choice
    vote.note = note.strip()[:2000]
    vote.voted_at = timezone.now()
    vote.save(update_fields=["choice", "note", "voted_at"])
    audit_record(
        actor=actor,
        action="landing.screening.vote",
        target=vote,
        after=snapshot(vote, ["choice"]),
        hub=application.call.program.hub,
    )
    return vote


@transaction.atomic
def screening_decide(*, actor: User, application: Application, outcome: str) -> Application:
    """The manager settles an application's screening (typically a split vote) before closing."""
    application = (
        Application.objects.select_for_update()
        .select_related("call", "call__program__hub")
        .get(pk=application.pk)
    )
    _require_manager(actor, application.call.program)
    _require_running(application.call)
    if outcome not in ScreeningOutcome.values:
        raise ValidationFailed(_("Choose passed or screened out."), code="invalid", field="outcome")
    if application.state != ApplicationState.SUBMITTED:
        raise ValidationFailed(
            _("Only submitted applications awaiting a decision can be screened."),
            code="not_screenable",
        )
    before = snapshot(application, ["screening_outcome"])
    application.screening_outcome = outcome
    application.save(update_fields=["screening_outcome", "updated_at"])
    audit_record(
        actor=actor,
        action="landing.screening.decide",
        target=application,
        before=before,
        after=snapshot(application, ["screening_outcome"]),
        hub=application.call.program.hub,
    )
    return application


@dataclass(frozen=True)
class ScreeningClosed:
    """What closing the round did."""

    passed: int
    screened_out: int


@transaction.atomic
def screening_close(*, actor: User, call: Call) -> ScreeningClosed:
    """Close the round: each application without a manager decision takes its votes' consensus
        (votes not cast are left out); split votes must be decided first. Applications that pass go
        to scoring; the ones screened out are rejected and told so like any rejection. Only after the
    call closed, so that no application can arrive unscreened."""
    call = Call.objects.select_for_update().select_related("program__hub").get(pk=call.pk)
    _require_manager(actor, call.program)
    _require_running(call)
    if timezone.now() < call.closes_at:
        # Applications may still arrive; they must not reach scoring unscreened.
        raise ValidationFailed(
            _("Screening can be closed once the call has closed to applications."),
            code="call_still_open",
        )
    awaiting = list(
        call.applications.filter(state=ApplicationState.SUBMITTED)
        .select_related("organization")
        .prefetch_related("screening_votes")
        .order_by("organization__sort_name", "id")
    )
    outcomes: dict[int, str] = {}
    undecided: list[str] = []
    for application in awaiting:
        if application.screening_outcome:
            outcomes[application.pk] = application.screening_outcome
            continue
        consensus = screening_consensus(
            [vote.choice for vote in application.screening_votes.all()], closing=True
        )
        if consensus == PASS:
            outcomes[application.pk] = ScreeningOutcome.PASSED
        elif consensus == FAIL:
            outcomes[application.pk] = ScreeningOutcome.SCREENED_OUT
        else:
            undecided.append(application.organization.name)
    if undecided:
        raise ValidationFailed(
            _("Decide the screening of these applications first: %(names)s")
            % {"names": ", ".join(undecided)[:400]},
            code="needs_decision",
        )
    for application in awaiting:
        if application.screening_outcome != outcomes[application.pk]:
            application.screening_outcome = outcomes[application.pk]
            application.save(update_fields=["screening_outcome", "updated_at"])
    call.screening_closed_at = timezone.now()
    call.save(update_fields=["screening_closed_at"])
    screened_out = [
        application
        for application in awaiting
        if outcomes[application.pk] == ScreeningOutcome.SCREENED_OUT
    ]
    audit_record(
        actor=actor,
        action="landing.screening.close",
        target=call,
        after={
            "passed": len(awaiting) - len(screened_out),
            "screened_out": [application.pk for application in screened_out],
        },
        hub=call.program.hub,
    )
    # Uncast votes are moot once the round is closed.
    ScreeningVote.objects.filter(application__call=call, voted_at__isnull=True).delete()
    for application in screened_out:
        application_decide(actor=actor, application=application, decision="rejected")
    return ScreeningClosed(passed=len(awaiting) - len(screened_out), screened_out=len(screened_out))
