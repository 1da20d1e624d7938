"""The soft-landing API: the journey through JSON, and bad input answered with clear errors."""

from __future__ import annotations

import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from puente.landing import services, services_cases, services_screening
from puente.landing.models import (
    Application,
    ApplicationState,
    Call,
    Milestone,
    Review,
    ScreeningVote,
)
from tests.api.conftest import ApiClient, token_for
from tests.landing.conftest import LandingWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client: Client) -> ApiClient:
    return ApiClient(client)


@pytest.fixture
def tokens(landing: LandingWorld) -> dict[str, str]:
    return {
        name: token_for(getattr(landing, name))[1]
        for name in ("applicant", "other_applicant", "reviewer_a", "manager", "manager_other_hub")
    }


def test_call_form_is_served_in_the_callers_language(api: ApiClient, landing: LandingWorld) -> None:
    english = api.get(f"/landing/calls/{landing.call.pk}", language="en")
    assert english.status == 200
    assert [field["label"] for field in english.data["fields"]] == [
        "Why Medellín?",
        "Employees",
        "Pitch deck",
    ]
    assert english.data["time_zone"] == "America/Bogota"
    spanish = api.get(f"/landing/calls/{landing.call.pk}", language="es")
    assert spanish.data["fields"][0]["label"] == "¿Por qué Medellín?"


def test_draft_through_the_api_then_incomplete_submission_is_refused(
    api: ApiClient, landing: LandingWorld, tokens: dict[str, str]
) -> None:
    saved = api.post(
        f"/landing/calls/{landing.call.pk}/applications",
        {"answers": {"pitch": "Payments", "employees": 12}},
        token=tokens["applicant"],
    )
    assert saved.status == 200, saved.data
    assert saved.data["state"] == "draft"
    assert saved.data["answers"] == {"pitch": "Payments", "employees": "12"}
    refused = api.post(
        f"/landing/applications/{saved.data['id']}/submission", token=tokens["applicant"]
    )
    assert refused.status == 422
    assert refused.data["code"] == "incomplete"
    assert refused.data["errors"][0]["field"] == "deck"
    assert Application.objects.get().state == ApplicationState.DRAFT


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"answers": {"pitch": "x" * 501}}, "invalid"),
        ({"answers": {"employees": "many"}}, "invalid"),
        ({"answers": {"nope": "x"}}, "unknown_field"),
        ({"answers": {"pitch": "ok"}, "extra": 1}, "invalid"),
        ({"organization": 2**63, "answers": {}}, "invalid"),
    ],
)
def test_bad_application_input_is_refused_and_nothing_saved(
    api: ApiClient,
    landing: LandingWorld,
    tokens: dict[str, str],
    body: dict[str, object],
    code: str,
) -> None:
    response = api.post(
        f"/landing/calls/{landing.call.pk}/applications", body, token=tokens["applicant"]
    )
    assert response.status in (400, 422), response.data
    assert response.data["code"] in (code, "invalid", "extra_forbidden")
    assert not Application.objects.exists()


def test_tampered_organization_id_is_refused(
    api: ApiClient, landing: LandingWorld, tokens: dict[str, str]
) -> None:
    response = api.post(
        f"/landing/calls/{landing.call.pk}/applications",
        {"organization": landing.other_company.pk, "answers": {"pitch": "x"}},
        token=tokens["applicant"],
    )
    assert response.status == 403
    assert not Application.objects.exists()


def test_reviews_ranking_and_visibility_through_the_api(
    api: ApiClient, landing: LandingWorld, tokens: dict[str, str]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = services.application_save(
        actor=landing.applicant,
        call=landing.call,
        organization=landing.company,
        answers={"pitch": "P"},
        uploads={"deck": SimpleUploadedFile("d.pdf", b"%PDF")},
    )
    services.application_submit(actor=landing.applicant, application=application)
    services.assignments_auto(actor=landing.manager, call=landing.call)
    review = Review.objects.get(reviewer=landing.reviewer_a)
    assert api.get("/landing/reviews", token=tokens["reviewer_a"]).data["count"] == 1
    assert (
        api.get(f"/landing/applications/{application.pk}", token=tokens["other_applicant"]).status
        == 404
    )
    criteria = list(landing.call.criteria.all())
    incomplete = api.post(
        f"/landing/reviews/{review.pk}",
        {"marks": {str(criteria[0].pk): 4}},
        token=tokens["reviewer_a"],
    )
    assert incomplete.status == 422
    assert len(incomplete.data["errors"]) == 1
    done = api.post(
        f"/landing/reviews/{review.pk}",
        {"marks": {str(criteria[0].pk): 4, str(criteria[1].pk): 1}},
        token=tokens["reviewer_a"],
    )
    assert done.status == 200, done.data
    assert done.data["weighted_score"] == pytest.approx(3.0)
    again = api.post(
        f"/landing/reviews/{review.pk}", {"marks": {}, "abstain": True}, token=tokens["reviewer_a"]
    )
    assert again.status == 409
    ranking = api.get(f"/landing/calls/{landing.call.pk}/ranking", token=tokens["manager"])
    assert ranking.status == 200
    assert ranking.data["items"][0]["raw_score"] == pytest.approx(3.0)
    assert (
        api.get(
            f"/landing/calls/{landing.call.pk}/ranking", token=tokens["manager_other_hub"]
        ).status
        == 403
    )


@pytest.mark.parametrize(
    "path",
    [
        "/landing/applications/0",
        "/landing/applications/abc",
        f"/landing/applications/{2**64}",
        "/landing/case-files/99999",
        "/landing/calls/-1",
    ],
)
def test_malformed_or_unknown_ids_never_500(
    api: ApiClient, landing: LandingWorld, tokens: dict[str, str], path: str
) -> None:
    response = api.get(path, token=tokens["manager"])
    assert response.status in (404, 422)
    assert response.data["code"]


def test_screening_votes_and_milestones_through_the_api_with_bad_input_refused(
    api: ApiClient, landing: LandingWorld, tokens: dict[str, str]
) -> None:
    landing.call.has_screening = True
    landing.call.save()
    application = services.application_save(
        actor=landing.applicant,
        call=landing.call,
        organization=landing.company,
        answers={"pitch": "P"},
        uploads={"deck": SimpleUploadedFile("d.pdf", b"%PDF-1.4")},
    )
    services.application_submit(actor=landing.applicant, application=application)
    services_screening.screening_assign_auto(actor=landing.manager, call=landing.call)
    inbox = api.get("/landing/screening-votes", token=tokens["reviewer_a"])
    assert inbox.status == 200
    assert inbox.data["count"] == 1
    vote_id = inbox.data["items"][0]["id"]
    assert inbox.data["items"][0]["choice"] == ""
    bad = api.post(
        f"/landing/screening-votes/{vote_id}", {"choice": "maybe"}, token=tokens["reviewer_a"]
    )
    assert bad.status == 422
    assert ScreeningVote.objects.get(pk=vote_id).voted_at is None
    foreign = api.post(
        f"/landing/screening-votes/{vote_id}", {"choice": "pass"}, token=tokens["manager"]
    )
    assert foreign.status == 404
    cast = api.post(
        f"/landing/screening-votes/{vote_id}",
        {"choice": "pass", "note": "Eligible"},
        token=tokens["reviewer_a"],
    )
    assert cast.status == 200
    assert cast.data["choice"] == "pass"
    again = api.post(
        f"/landing/screening-votes/{vote_id}", {"choice": "fail"}, token=tokens["reviewer_a"]
    )
    assert again.status == 409

    services_screening.screening_decide(
        actor=landing.manager, application=application, outcome="passed"
    )
    application = Application.objects.get(pk=application.pk)
    assert (
        api.get(f"/landing/applications/{application.pk}", token=tokens["applicant"]).data[
            "screening_outcome"
        ]
        == "passed"
    )
    Call.objects.filter(pk=landing.call.pk).update(closes_at=timezone.now())
    services_screening.screening_close(actor=landing.manager, call=landing.call)
    services.application_decide(actor=landing.manager, application=application, decision="admitted")
    case_id = Application.objects.get(pk=application.pk).case_file.pk
    missing = api.post(
        f"/landing/case-files/{case_id}/milestones",
        {"title_en": "Office"},
        token=tokens["applicant"],
    )
    assert missing.status == 422
    blank = api.post(
        f"/landing/case-files/{case_id}/milestones",
        {"title_en": "Office", "title_es": "   "},
        token=tokens["applicant"],
    )
    assert blank.status == 422
    assert not Milestone.objects.exists()
    created = api.post(
        f"/landing/case-files/{case_id}/milestones",
        {"title_en": "Office", "title_es": "Oficina", "due_on": "2026-12-31"},
        token=tokens["applicant"],
    )
    assert created.status == 201, created.data
    future = api.post(
        f"/landing/milestones/{created.data['id']}/reached",
        {"reached_on": "2999-01-01"},
        token=tokens["manager"],
    )
    assert future.status == 422
    reached = api.post(
        f"/landing/milestones/{created.data['id']}/reached", {}, token=tokens["manager"]
    )
    assert reached.status == 200
    # "Today" is the acting manager's day (their zone is active), not the server's UTC one.
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(landing.manager.time_zone))
    assert reached.data["reached_on"] == today.isoformat()
    services_cases.evidence_add(
        actor=landing.applicant,
        item=Application.objects.get(pk=application.pk).case_file.items.first(),
        uploads=[SimpleUploadedFile("rut.pdf", b"%PDF-1.4 RUT")],
    )
    case = api.get(f"/landing/case-files/{case_id}", token=tokens["applicant"])
    assert case.data["milestones"][0]["title"] == "Office"
    evidence = [doc for item in case.data["items"] for doc in item["evidence"]]
    assert evidence[0]["name"] == "rut.pdf"
    assert evidence[0]["download_url"].startswith("/landing/evidence/")
    assert (
        api.get(f"/landing/case-files/{case_id}", token=tokens["manager_other_hub"]).status == 404
    )
