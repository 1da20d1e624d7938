"""The screening round before scoring: the consensus rule, votes, conflicts, the manager's
decisions and closing (screened-out applications rejected), permissions and bad input."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from puente.accounts.viewer import viewer_for
from puente.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from puente.landing import selectors, services, services_screening
from puente.landing.models import (
    Application,
    ApplicationState,
    Call,
    Review,
    ScreeningOutcome,
    ScreeningVote,
)
from puente.landing.screening import (
    FAIL,
    NEEDS_DECISION,
    PASS,
    PENDING,
    screening_consensus,
)
from tests.landing.conftest import LandingWorld

PDF = b"%PDF-1.4 deck"


@pytest.mark.parametrize(
    ("votes", "closing", "expected"),
    [
        (["pass", "pass"], False, PASS),
        (["pass", "abstain"], False, PASS),
        (["fail", "fail", "abstain"], False, FAIL),
        (["pass", "fail"], False, NEEDS_DECISION),
        (["abstain", "abstain"], False, NEEDS_DECISION),
        (["pass", ""], False, PENDING),
        (["fail", ""], False, PENDING),
        ([], False, PENDING),
        # Closing leaves out the votes not cast.
        (["pass", ""], True, PASS),
        (["fail", "", ""], True, FAIL),
        (["", ""], True, NEEDS_DECISION),
        ([], True, NEEDS_DECISION),
        (["pass", "fail", ""], True, NEEDS_DECISION),
    ],
)
def test_consensus_rule(votes: list[str], closing: bool, expected: str) -> None:
    assert screening_consensus(votes, closing=closing) == expected


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _submit(world: LandingWorld, organization, user) -> Application:  # type: ignore[no-untyped-def]
    application = services.application_save(
        actor=user,
        call=world.call,
        organization=organization,
        answers={"pitch": "P"},
        uploads={"deck": SimpleUploadedFile("d.pdf", PDF)},
    )
    return services.application_submit(actor=user, application=application)


@pytest.fixture
def screening(landing: LandingWorld) -> tuple[LandingWorld, Application, Application]:
    landing.call.has_screening = True
    landing.call.save()
    first = _submit(landing, landing.company, landing.applicant)
    second = _submit(landing, landing.other_company, landing.other_applicant)
    return landing, first, second


def _close_call(world: LandingWorld) -> None:
    """The call stops taking applications (screening closes only then)."""
    Call.objects.filter(pk=world.call.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))


def _vote(world: LandingWorld, application: Application, screener, choice: str) -> None:  # type: ignore[no-untyped-def]
    vote = ScreeningVote.objects.get(application=application, screener=screener)
    services_screening.screening_vote_cast(actor=screener, vote=vote, choice=choice, note="n")


@pytest.mark.django_db
def test_screening_moves_applications_and_screened_out_ones_are_rejected(
    screening, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    world, first, second = screening
    # Scoring waits for screening.
    with pytest.raises(ValidationFailed) as refused:
        services.assignments_auto(actor=world.manager, call=world.call)
    assert refused.value.code == "screening_running"
    board = selectors.pipeline(viewer_for(world.manager))
    assert {application.pk for application in board["screening"]} == {first.pk, second.pk}

    votes = services_screening.screening_assign_auto(actor=world.manager, call=world.call)
    assert len(votes) == 4
    _vote(world, first, world.reviewer_a, "pass")
    _vote(world, first, world.reviewer_b, "abstain")
    _vote(world, second, world.reviewer_a, "fail")
    _vote(world, second, world.reviewer_b, "fail")
    rows = {row.application.pk: row.consensus for row in selectors.screening_board(world.call)}
    assert rows == {first.pk: PASS, second.pk: FAIL}

    with pytest.raises(ValidationFailed) as still_open:
        services_screening.screening_close(actor=world.manager, call=world.call)
    assert still_open.value.code == "call_still_open"
    _close_call(world)
    with django_capture_on_commit_callbacks(execute=True):
        closed = services_screening.screening_close(actor=world.manager, call=world.call)
    assert (closed.passed, closed.screened_out) == (1, 1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.screening_outcome == ScreeningOutcome.PASSED
    assert first.state == ApplicationState.SUBMITTED
    assert second.screening_outcome == ScreeningOutcome.SCREENED_OUT
    assert second.state == ApplicationState.REJECTED  # the rejection path, with its email
    assert any("Brickell" in message.body for message in mail.outbox)

    # Only the passing application is scored and ranked.
    services.assignments_auto(actor=world.manager, call=world.call)
    assert set(Review.objects.values_list("application_id", flat=True)) == {first.pk}
    assert [row.application.pk for row in selectors.call_ranking(world.call)] == [first.pk]
    board = selectors.pipeline(viewer_for(world.manager))
    assert [application.pk for application in board["review"]] == [first.pk]
    assert [application.pk for application in board["rejected"]] == [second.pk]
    with pytest.raises(ValidationFailed):
        services.application_decide(actor=world.manager, application=second, decision="admitted")


@pytest.mark.django_db
def test_split_vote_needs_the_managers_decision_before_closing(screening) -> None:  # type: ignore[no-untyped-def]
    world, first, second = screening
    services_screening.screening_assign_auto(actor=world.manager, call=world.call)
    _vote(world, first, world.reviewer_a, "pass")
    _vote(world, first, world.reviewer_b, "fail")
    _vote(world, second, world.reviewer_a, "pass")  # reviewer_b never votes on it
    _close_call(world)
    with pytest.raises(ValidationFailed) as refused:
        services_screening.screening_close(actor=world.manager, call=world.call)
    assert refused.value.code == "needs_decision"
    assert "Coral Pay" in refused.value.message
    assert world.call.applications.exclude(screening_outcome="").count() == 0  # nothing saved

    with pytest.raises(ValidationFailed):
        services_screening.screening_decide(actor=world.manager, application=first, outcome="maybe")
    with pytest.raises(PermissionDenied):
        services_screening.screening_decide(
            actor=world.manager_other_hub, application=first, outcome="passed"
        )
    services_screening.screening_decide(actor=world.manager, application=first, outcome="passed")
    closed = services_screening.screening_close(actor=world.manager, call=world.call)
    assert (closed.passed, closed.screened_out) == (2, 0)
    # The uncast vote is dropped; voting after closing is refused.
    assert not ScreeningVote.objects.filter(voted_at__isnull=True).exists()
    with pytest.raises(Conflict):
        services_screening.screening_close(actor=world.manager, call=world.call)
    with pytest.raises(Conflict):
        services_screening.screening_assign_auto(actor=world.manager, call=world.call)


@pytest.mark.django_db
def test_votes_are_once_by_the_assigned_screener_with_a_valid_choice(screening) -> None:  # type: ignore[no-untyped-def]
    world, first, _second = screening
    services_screening.screening_assign_auto(actor=world.manager, call=world.call)
    vote = ScreeningVote.objects.get(application=first, screener=world.reviewer_a)
    with pytest.raises(NotFound):
        services_screening.screening_vote_cast(actor=world.reviewer_b, vote=vote, choice="pass")
    with pytest.raises(ValidationFailed):
        services_screening.screening_vote_cast(actor=world.reviewer_a, vote=vote, choice="yes")
    services_screening.screening_vote_cast(actor=world.reviewer_a, vote=vote, choice="pass")
    with pytest.raises(Conflict):
        services_screening.screening_vote_cast(actor=world.reviewer_a, vote=vote, choice="fail")
    vote.refresh_from_db()
    assert vote.choice == "pass"


@pytest.mark.django_db
def test_declared_conflicts_are_respected_in_screening(screening) -> None:  # type: ignore[no-untyped-def]
    world, first, second = screening
    services.conflict_declare(actor=world.reviewer_b, application=second, reason="advisor")
    services_screening.screening_assign_auto(actor=world.manager, call=world.call)
    assert not ScreeningVote.objects.filter(application=second, screener=world.reviewer_b).exists()
    assert ScreeningVote.objects.filter(application=second, screener=world.reviewer_a).exists()
    # A conflict declared after assignment removes the vote not yet cast.
    services.conflict_declare(actor=world.reviewer_a, application=first, reason="investor")
    assert not ScreeningVote.objects.filter(application=first, screener=world.reviewer_a).exists()


@pytest.mark.django_db
def test_screening_setting_is_the_managers_and_locks_once_assigned(screening) -> None:  # type: ignore[no-untyped-def]
    world, _first, _second = screening
    with pytest.raises(PermissionDenied):
        services_screening.call_screening_set(
            actor=world.manager_other_hub, call=world.call, enabled=False
        )
    services_screening.call_screening_set(actor=world.manager, call=world.call, enabled=False)
    services_screening.call_screening_set(actor=world.manager, call=world.call, enabled=True)
    services_screening.screening_assign_auto(actor=world.manager, call=world.call)
    with pytest.raises(ValidationFailed) as refused:
        services_screening.call_screening_set(actor=world.manager, call=world.call, enabled=False)
    assert refused.value.code == "screening_locked"


@pytest.mark.django_db
def test_a_screener_sees_only_assigned_applications_and_others_votes_after_voting(
    screening,
) -> None:  # type: ignore[no-untyped-def]
    world, first, second = screening
    services.conflict_declare(actor=world.reviewer_b, application=second, reason="advisor")
    services_screening.screening_assign_auto(actor=world.manager, call=world.call)
    screener = client_for(world.reviewer_b)
    assert screener.get(f"/landing/applications/{first.pk}/").status_code == 200
    assert screener.get(f"/landing/applications/{second.pk}/").status_code == 404
    others = ScreeningVote.objects.get(application=second, screener=world.reviewer_a)
    assert screener.get(f"/landing/screening/{others.pk}/").status_code == 404
    assert client_for(world.stranger).get(f"/landing/screening/{others.pk}/").status_code == 404

    _vote(world, first, world.reviewer_a, "fail")
    mine = ScreeningVote.objects.get(application=first, screener=world.reviewer_b)
    page = screener.get(f"/landing/screening/{mine.pk}/").content.decode()
    assert "Reviewer A" not in page  # hidden until voting
    inbox = screener.get("/landing/reviews/").content.decode()
    assert "Coral Pay" in inbox
    assert "Brickell" not in inbox

    bad = screener.post(f"/landing/screening/{mine.pk}/", {"choice": "maybe"})
    assert bad.status_code == 422
    assert ScreeningVote.objects.get(pk=mine.pk).voted_at is None
    done = screener.post(f"/landing/screening/{mine.pk}/", {"choice": "pass", "note": "Fits"})
    assert done.status_code == 302
    page = screener.get(f"/landing/screening/{mine.pk}/").content.decode()
    assert "Reviewer A" in page

    world.call.hide_scores_until_submitted = False
    world.call.save()
    assert selectors.other_screening_votes_visible(viewer_for(world.reviewer_a), first)


@pytest.mark.django_db
def test_manager_screening_board_and_actions_on_the_manage_page(screening) -> None:  # type: ignore[no-untyped-def]
    world, first, second = screening
    manager = client_for(world.manager)
    url = f"/landing/calls/{world.call.pk}/manage/"
    manager.post(url, {"action": "screening_assign"})
    assert ScreeningVote.objects.count() == 4
    _vote(world, first, world.reviewer_a, "pass")
    _vote(world, first, world.reviewer_b, "fail")
    detail = manager.get(f"/landing/applications/{first.pk}/").content.decode()
    assert 'id="screening-votes"' in detail
    assert "Reviewer B" in detail
    applicant_view = client_for(world.applicant).get(f"/landing/applications/{first.pk}/")
    assert 'id="screening-votes"' not in applicant_view.content.decode()
    page = manager.get(url).content.decode()
    assert 'data-consensus="needs_decision"' in page
    assert "Needs decision" in page
    _close_call(world)
    closing = manager.post(url, {"action": "screening_close"}, follow=True).content.decode()
    assert "Decide the screening of these applications first" in closing
    for tampered in ("999999", "x", "9" * 40):
        manager.post(
            url, {"action": "screening_decide", "application": tampered, "outcome": "passed"}
        )
    manager.post(url, {"action": "screening_decide", "application": first.pk, "outcome": "bogus"})
    assert not Application.objects.exclude(screening_outcome="").exists()
    manager.post(url, {"action": "screening_decide", "application": first.pk, "outcome": "passed"})
    manager.post(
        url, {"action": "screening_decide", "application": second.pk, "outcome": "screened_out"}
    )
    done = manager.post(url, {"action": "screening_close"}, follow=True).content.decode()
    assert "1 passed" in done
    assert Application.objects.get(pk=second.pk).state == ApplicationState.REJECTED
    assert client_for(world.manager_other_hub).post(
        url, {"action": "screening_close"}
    ).status_code in (403, 404)
    board = manager.get("/landing/pipeline/").content.decode()
    assert "Screening" in board


@pytest.mark.django_db
def test_new_calls_from_the_form_have_screening_on(landing: LandingWorld) -> None:
    response = client_for(landing.manager).get("/landing/programs/landing-medellin/calls/new/")
    assert re.search(r'<input[^>]*name="has_screening"[^>]*checked', response.content.decode())


@pytest.mark.django_db
def test_screening_pages_query_counts_do_not_grow_with_applications(screening) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OrganizationFactory, make_member

    world, first, _second = screening
    services_screening.screening_assign_auto(actor=world.manager, call=world.call)
    _vote(world, first, world.reviewer_a, "pass")
    manager, screener = client_for(world.manager), client_for(world.reviewer_b)
    vote = ScreeningVote.objects.get(application=first, screener=world.reviewer_b)
    pages = [
        (manager, f"/landing/calls/{world.call.pk}/manage/"),
        (manager, "/landing/pipeline/"),
        (screener, "/landing/reviews/"),
        (screener, f"/landing/screening/{vote.pk}/"),
    ]
    counts = {}
    for client, page in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        counts[page] = len(queries)
    for index in range(4):
        organization = OrganizationFactory(name=f"Extra {index}")
        _submit(world, organization, make_member(organization))
    services_screening.screening_assign_auto(actor=world.manager, call=world.call)
    for application in Application.objects.exclude(pk=first.pk):
        _vote(world, application, world.reviewer_a, "fail")
    for client, page in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        assert len(queries) == counts[page], page
    assert counts[pages[0][1]] <= 15  # 13 measured
    assert counts[pages[3][1]] <= 11  # 9 measured
