"""Applications, review, decisions, case files and surveys through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from puente.accounts.viewer import viewer_for
from puente.core.errors import Conflict, PermissionDenied, ValidationFailed
from puente.landing import selectors, services
from puente.landing.models import (
    Application,
    ApplicationFile,
    ApplicationState,
    ItemState,
    Review,
    SurveyRequest,
)
from tests.factories import OrganizationFactory, hub, term
from tests.landing.conftest import LandingWorld

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 pitch deck"


def submitted(world: LandingWorld, organization=None, user=None) -> Application:  # type: ignore[no-untyped-def]
    application = services.application_save(
        actor=user or world.applicant,
        call=world.call,
        organization=organization or world.company,
        answers={"pitch": "We bring payments to Colombian shops."},
        uploads={"deck": SimpleUploadedFile("deck.pdf", PDF)},
        language="en",
    )
    return services.application_submit(actor=user or world.applicant, application=application)


def test_draft_then_submit_is_final_and_timestamped(
    landing: LandingWorld, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    draft = services.application_save(
        actor=landing.applicant,
        call=landing.call,
        organization=landing.company,
        answers={"pitch": "Hola"},
        language="en",
    )
    assert draft.state == ApplicationState.DRAFT
    assert draft.submitted_at is None
    with pytest.raises(ValidationFailed) as error:
        services.application_submit(actor=landing.applicant, application=draft)
    assert error.value.code == "incomplete"
    assert [item["field"] for item in error.value.errors] == ["deck"]
    assert Application.objects.get(pk=draft.pk).state == ApplicationState.DRAFT

    services.application_save(
        actor=landing.applicant,
        call=landing.call,
        organization=landing.company,
        answers={},
        uploads={"deck": SimpleUploadedFile("deck.pdf", PDF)},
    )
    with django_capture_on_commit_callbacks(execute=True):
        done = services.application_submit(actor=landing.applicant, application=draft)
    assert done.state == ApplicationState.SUBMITTED
    assert done.submitted_at is not None
    assert len(mail.outbox) == 1
    assert (
        mail.outbox[0].subject == "Your application was received"
    )  # in the applicant's language (en)


def test_double_submission_and_late_changes_are_refused(landing: LandingWorld) -> None:
    application = submitted(landing)
    with pytest.raises(Conflict):
        services.application_submit(actor=landing.applicant, application=application)
    with pytest.raises(Conflict):
        services.application_save(
            actor=landing.applicant,
            call=landing.call,
            organization=landing.company,
            answers={"pitch": "changed"},
        )
    assert Application.objects.get(pk=application.pk).answers["pitch"].startswith("We bring")


def test_late_submission_is_refused_with_a_clear_message(landing: LandingWorld) -> None:
    draft = services.application_save(
        actor=landing.applicant,
        call=landing.call,
        organization=landing.company,
        answers={"pitch": "x"},
        uploads={"deck": SimpleUploadedFile("d.pdf", PDF)},
    )
    landing.call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    landing.call.save()
    with translation.override("en"), pytest.raises(ValidationFailed) as error:
        services.application_submit(actor=landing.applicant, application=draft)
    assert error.value.code == "call_closed"
    assert "closed" in error.value.message
    assert Application.objects.get(pk=draft.pk).state == ApplicationState.DRAFT


def test_only_members_apply_for_their_organization(landing: LandingWorld) -> None:
    with pytest.raises(PermissionDenied):
        services.application_save(
            actor=landing.other_applicant,
            call=landing.call,
            organization=landing.company,
            answers={},
        )
    assert not Application.objects.exists()


def test_a_failed_save_leaves_no_file_behind(landing: LandingWorld, tmp_path) -> None:  # type: ignore[no-untyped-def]
    submitted(landing)
    files_before = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    with pytest.raises(Conflict):
        services.application_save(
            actor=landing.applicant,
            call=landing.call,
            organization=landing.company,
            answers={},
            uploads={"deck": SimpleUploadedFile("new.pdf", PDF)},
        )
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == files_before
    assert ApplicationFile.objects.get().original_name == "deck.pdf"


def test_conflicted_reviewer_is_not_assigned_and_load_is_balanced(landing: LandingWorld) -> None:
    first = submitted(landing)
    second = submitted(landing, organization=landing.other_company, user=landing.other_applicant)
    services.conflict_declare(
        actor=landing.reviewer_b, application=second, reason="I advise Brickell Health"
    )
    services.assignments_auto(actor=landing.manager, call=landing.call)
    pairs = sorted(Review.objects.values_list("application_id", "reviewer_id"))
    assert pairs == sorted(
        [
            (first.pk, landing.reviewer_a.pk),
            (first.pk, landing.reviewer_b.pk),
            (second.pk, landing.reviewer_a.pk),
        ]
    )
    with pytest.raises(ValidationFailed):
        services.assignment_create(
            actor=landing.manager, application=second, reviewer=landing.reviewer_b
        )


def test_only_call_reviewers_declare_conflicts(landing: LandingWorld) -> None:
    application = submitted(landing)
    with pytest.raises(PermissionDenied):
        services.conflict_declare(
            actor=landing.outsider_reviewer, application=application, reason="x"
        )


def test_reviews_normalised_ranking_decision_case_file_and_survey(
    landing: LandingWorld, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    first = submitted(landing)
    second = submitted(landing, organization=landing.other_company, user=landing.other_applicant)
    services.assignments_auto(actor=landing.manager, call=landing.call)
    criteria = list(landing.call.criteria.all())
    team, fit = criteria[0].pk, criteria[1].pk
    # Reviewer A (harsh): first 3/3 -> 3.0, second 1/1 -> 1.0. Reviewer B (lenient): 5/5 -> 5.0, 4/4 -> 4.0
    for reviewer, app, mark in [
        (landing.reviewer_a, first, 3),
        (landing.reviewer_a, second, 1),
        (landing.reviewer_b, first, 5),
        (landing.reviewer_b, second, 4),
    ]:
        review = Review.objects.get(application=app, reviewer=reviewer)
        services.review_submit(actor=reviewer, review=review, marks={team: mark, fit: mark})
    with pytest.raises(Conflict):
        services.review_submit(
            actor=landing.reviewer_a,
            review=Review.objects.get(application=first, reviewer=landing.reviewer_a),
            marks={team: 1, fit: 1},
        )
    ranking = selectors.call_ranking(landing.call)
    assert [row.application.pk for row in ranking] == [first.pk, second.pk]
    assert ranking[0].place.raw == pytest.approx(4.0)
    assert ranking[0].place.normalized == pytest.approx(1.0)
    assert ranking[1].place.normalized == pytest.approx(-1.0)

    with pytest.raises(PermissionDenied):
        services.application_decide(
            actor=landing.manager_other_hub, application=first, decision="admitted"
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            actor=landing.manager, application=first, decision="admitted", feedback="Welcome!"
        )
    services.application_decide(actor=landing.manager, application=second, decision="rejected")
    assert any("admitted" in message.subject for message in mail.outbox)
    case_file = Application.objects.get(pk=first.pk).case_file
    assert [item.code for item in case_file.items.all()][:2] == ["legal_entity", "tax_id"]
    tax = case_file.items.get(code="tax_id")
    assert "NIT" in tax.title_en

    provider = OrganizationFactory(
        name="Bufete Legal", hub=hub("medellin"), type=term("organization_type", "service_provider")
    )
    with pytest.raises(PermissionDenied):
        services.checklist_item_update(
            actor=landing.other_applicant, item=tax, values={"state": ItemState.DONE}
        )
    services.checklist_item_update(
        actor=landing.applicant,
        item=tax,
        values={"state": ItemState.DONE, "provider": provider, "notes": "NIT 901.234.567"},
    )
    tax.refresh_from_db()
    assert tax.completed_at is not None
    assert tax.provider == provider
    assert any(entry.kind == "landing.item.update" for entry in selectors.case_timeline(case_file))

    sent = services.surveys_send(actor=landing.manager, call=landing.call, period_label="2026-H2")
    assert {survey.application_id for survey in sent} == {
        first.pk,
        second.pk,
    }  # admitted and rejected
    assert (
        services.surveys_send(actor=landing.manager, call=landing.call, period_label="2026-H2")
        == []
    )
    survey = SurveyRequest.objects.get(application=second)
    values = {
        "currency": "USD",
        "revenue": 1000,
        "full_time_employees": 4,
        "investment_raised": 0,
        "jobs_created_host_city": 0,
    }
    with pytest.raises(PermissionDenied):
        services.survey_answer(actor=landing.applicant, survey=survey, values=values)
    services.survey_answer(actor=landing.other_applicant, survey=survey, values=values)
    with pytest.raises(Conflict):
        services.survey_answer(actor=landing.other_applicant, survey=survey, values=values)
    assert (
        services.surveys_remind(now=timezone.now() + dt.timedelta(days=15)) == 1
    )  # only the unanswered one


def test_abstention_counts_in_no_score(landing: LandingWorld) -> None:
    application = submitted(landing)
    services.assignments_auto(actor=landing.manager, call=landing.call)
    review = Review.objects.get(application=application, reviewer=landing.reviewer_a)
    services.review_submit(actor=landing.reviewer_a, review=review, marks={}, abstain=True)
    ranking = selectors.call_ranking(landing.call)
    assert ranking[0].place.reviews == 0


def test_incomplete_review_is_refused_and_nothing_saved(landing: LandingWorld) -> None:
    application = submitted(landing)
    services.assignments_auto(actor=landing.manager, call=landing.call)
    review = Review.objects.get(application=application, reviewer=landing.reviewer_a)
    team = landing.call.criteria.first()
    assert team is not None
    with pytest.raises(ValidationFailed) as error:
        services.review_submit(actor=landing.reviewer_a, review=review, marks={team.pk: 9})
    assert len(error.value.errors) == 2
    assert Review.objects.get(pk=review.pk).submitted_at is None


def test_permission_matrix_of_applications(landing: LandingWorld) -> None:
    first = submitted(landing)
    second = submitted(landing, organization=landing.other_company, user=landing.other_applicant)
    services.conflict_declare(actor=landing.reviewer_b, application=second, reason="advisor")
    services.assignments_auto(actor=landing.manager, call=landing.call)

    def visible(user) -> set[int]:  # type: ignore[no-untyped-def]
        return set(selectors.applications_visible_to(viewer_for(user)).values_list("pk", flat=True))

    assert visible(landing.applicant) == {first.pk}  # only their own
    assert visible(landing.other_applicant) == {second.pk}
    assert visible(landing.reviewer_a) == {first.pk, second.pk}  # both assigned
    assert visible(landing.reviewer_b) == {first.pk}  # never the one not assigned
    assert visible(landing.outsider_reviewer) == set()
    assert visible(landing.manager) == {first.pk, second.pk}  # the program's hub
    assert visible(landing.manager_other_hub) == set()
    assert visible(landing.stranger) == set()


def test_decision_emails_go_out_in_each_recipients_language(
    landing: LandingWorld, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_member

    make_member(landing.company, language="es", email="socia@coralpay.example")
    application = submitted(landing)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            actor=landing.manager,
            application=application,
            decision="admitted",
            feedback="Bienvenidos",
        )
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["socia@coralpay.example"] == "Coral Pay fue admitida en Aterriza en Medellín"
    assert subjects[landing.applicant.email] == "Coral Pay is admitted to Landing Medellín"
    spanish = next(message for message in mail.outbox if message.to == ["socia@coralpay.example"])
    assert "expediente de aterrizaje" in spanish.body
