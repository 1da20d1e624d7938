"""Soft-landing pages: who sees what, bad input answered with clear errors (never a 500),
and pinned query counts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from puente.landing import services
from puente.landing.models import Application, ApplicationFile, ApplicationState, Review
from tests.landing.conftest import LandingWorld

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 deck"


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def apply_url(world: LandingWorld) -> str:
    return f"/landing/calls/{world.call.pk}/apply/"


def test_program_page_is_public_and_bilingual(landing: LandingWorld) -> None:
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/landing/programs/landing-medellin/")
    assert english.status_code == 200
    assert "Landing Medellín" in english.content.decode()
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es").get("/landing/programs/landing-medellin/")
    assert "Aterriza en Medellín" in spanish.content.decode()
    assert "Postular" in spanish.content.decode()


def test_someone_without_an_organization_is_told_how_to_apply_instead_of_a_dead_end(
    landing: LandingWorld,
) -> None:
    """The Apply button leads to a 403 for an account with no organization, so the page
    says what applying needs and where to get it; members and visitors get the button."""
    program = "/landing/programs/landing-medellin/"
    html = client_for(landing.stranger).get(program).content.decode()
    assert apply_url(landing) not in html
    assert "Applications are made on behalf of an organization." in html
    assert "/directory/me/organizations/" in html
    assert client_for(landing.stranger).get(apply_url(landing)).status_code == 403
    assert apply_url(landing) in client_for(landing.applicant).get(program).content.decode()
    assert apply_url(landing) in Client().get(program).content.decode()


def test_apply_submit_with_file_then_double_submission_is_refused(landing: LandingWorld) -> None:
    client = client_for(landing.applicant)
    response = client.post(
        apply_url(landing),
        {
            "organization": landing.company.pk,
            "pitch": "Payments",
            "deck": SimpleUploadedFile("deck.pdf", PDF),
            "submit": "1",
        },
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.state == ApplicationState.SUBMITTED
    again = client.post(
        apply_url(landing), {"organization": landing.company.pk, "pitch": "Changed", "submit": "1"}
    )
    assert again.status_code == 302  # sent to the submitted application, nothing changed
    assert Application.objects.get().answers["pitch"] == "Payments"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (("deck.exe", PDF), "not an accepted type"),
        (("deck.pdf", b"x" * (1024 * 1024 + 1)), "larger than 1 MB"),
    ],
)
def test_wrong_type_or_oversized_file_is_refused_and_nothing_saved(
    landing: LandingWorld, upload: tuple[str, bytes], message: str
) -> None:
    name, data = upload
    response = client_for(landing.applicant).post(
        apply_url(landing),
        {
            "organization": landing.company.pk,
            "pitch": "P",
            "deck": SimpleUploadedFile(name, data),
            "submit": "1",
        },
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Application.objects.exists()
    assert not ApplicationFile.objects.exists()


def test_incomplete_submission_is_refused_but_a_draft_is_kept_when_saving(
    landing: LandingWorld,
) -> None:
    client = client_for(landing.applicant)
    response = client.post(
        apply_url(landing), {"organization": landing.company.pk, "pitch": "", "submit": "1"}
    )
    assert response.status_code == 422
    assert "This field is required" in response.content.decode()
    assert not Application.objects.exists()
    saved = client.post(
        apply_url(landing), {"organization": landing.company.pk, "pitch": "Half", "save": "1"}
    )
    assert saved.status_code == 302
    assert Application.objects.get().state == ApplicationState.DRAFT


def test_oversized_text_is_refused(landing: LandingWorld) -> None:
    response = client_for(landing.applicant).post(
        apply_url(landing), {"organization": landing.company.pk, "pitch": "x" * 501, "save": "1"}
    )
    assert response.status_code == 422
    assert not Application.objects.exists()


def test_tampered_organization_id_cannot_apply_for_someone_else(landing: LandingWorld) -> None:
    response = client_for(landing.applicant).post(
        apply_url(landing), {"organization": landing.other_company.pk, "pitch": "P", "save": "1"}
    )
    # Not a member of the other company: the form falls back to none of theirs.
    assert response.status_code == 403
    # Nor does an id that names no row (once a server error, or read as another id).
    for bad in ("²", "٣", "abc", "9" * 30, f"{landing.company.pk}²"):
        response = client_for(landing.applicant).post(
            apply_url(landing), {"organization": bad, "pitch": "P", "save": "1"}
        )
        assert response.status_code == 403, bad
    assert not Application.objects.exists()


def _two_submitted(world: LandingWorld) -> tuple[Application, Application]:
    first = services.application_save(
        actor=world.applicant,
        call=world.call,
        organization=world.company,
        answers={"pitch": "A"},
        uploads={"deck": SimpleUploadedFile("a.pdf", PDF)},
    )
    services.application_submit(actor=world.applicant, application=first)
    second = services.application_save(
        actor=world.other_applicant,
        call=world.call,
        organization=world.other_company,
        answers={"pitch": "B"},
        uploads={"deck": SimpleUploadedFile("b.pdf", PDF)},
    )
    services.application_submit(actor=world.other_applicant, application=second)
    return first, second


def test_application_pages_follow_the_permission_matrix(landing: LandingWorld) -> None:
    first, second = _two_submitted(landing)
    services.conflict_declare(actor=landing.reviewer_b, application=second, reason="advisor")
    services.assignments_auto(actor=landing.manager, call=landing.call)
    expected = {
        "applicant": (landing.applicant, {first.pk: 200, second.pk: 404}),
        "reviewer_b": (landing.reviewer_b, {first.pk: 200, second.pk: 404}),
        "reviewer_a": (landing.reviewer_a, {first.pk: 200, second.pk: 200}),
        "manager": (landing.manager, {first.pk: 200, second.pk: 200}),
        "manager_other_hub": (landing.manager_other_hub, {first.pk: 404, second.pk: 404}),
        "stranger": (landing.stranger, {first.pk: 404, second.pk: 404}),
    }
    for role, (user, statuses) in expected.items():
        client = client_for(user)
        for pk, status in statuses.items():
            assert client.get(f"/landing/applications/{pk}/").status_code == status, (role, pk)
    review = Review.objects.filter(reviewer=landing.reviewer_a).first()
    assert review is not None
    assert client_for(landing.reviewer_b).get(f"/landing/reviews/{review.pk}/").status_code == 404
    assert (
        client_for(landing.manager_other_hub)
        .get(f"/landing/calls/{landing.call.pk}/manage/")
        .status_code
        == 403
    )
    assert (
        client_for(landing.manager_other_hub)
        .post(f"/landing/applications/{first.pk}/decide/", {"decision": "admitted"})
        .status_code
        == 404
    )
    assert Application.objects.get(pk=first.pk).state == ApplicationState.SUBMITTED


@pytest.mark.parametrize(
    "path",
    [
        "/landing/applications/999999999/",
        "/landing/reviews/abc/",
        "/landing/cases/0/",
        "/landing/surveys/99999/",
        "/landing/calls/99999/apply/",
    ],
)
def test_unknown_or_malformed_ids_answer_404(landing: LandingWorld, path: str) -> None:
    assert client_for(landing.manager).get(path).status_code == 404


def test_bad_decision_input_is_refused_without_a_500(landing: LandingWorld) -> None:
    first, _second = _two_submitted(landing)
    response = client_for(landing.manager).post(
        f"/landing/applications/{first.pk}/decide/", {"decision": "hired"}
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=first.pk).state == ApplicationState.SUBMITTED


def test_review_and_conflict_pages(landing: LandingWorld) -> None:
    first, second = _two_submitted(landing)
    client_b = client_for(landing.reviewer_b)
    assert (
        client_b.post(
            f"/landing/calls/{landing.call.pk}/conflicts/",
            {"application": second.pk, "reason": "I advise them"},
        ).status_code
        == 302
    )
    assert (
        client_b.post(
            f"/landing/calls/{landing.call.pk}/conflicts/", {"application": "x", "reason": "r"}
        ).status_code
        == 200
    )
    assert (
        client_for(landing.stranger).get(f"/landing/calls/{landing.call.pk}/conflicts/").status_code
        == 403
    )
    services.assignments_auto(actor=landing.manager, call=landing.call)
    review = Review.objects.get(application=first, reviewer=landing.reviewer_b)
    criteria = list(landing.call.criteria.all())
    incomplete = client_b.post(
        f"/landing/reviews/{review.pk}/", {f"criterion_{criteria[0].pk}": "4"}
    )
    assert incomplete.status_code == 422
    done = client_b.post(
        f"/landing/reviews/{review.pk}/",
        {f"criterion_{criteria[0].pk}": "4", f"criterion_{criteria[1].pk}": "2"},
    )
    assert done.status_code == 302
    review.refresh_from_db()
    assert float(review.weighted_score) == pytest.approx((2 * 4 + 1 * 2) / 3, abs=1e-3)


def test_csv_export_quotes_formulas(landing: LandingWorld) -> None:
    services.application_save(
        actor=landing.applicant,
        call=landing.call,
        organization=landing.company,
        answers={"pitch": "=HYPERLINK(1)"},
        uploads={"deck": SimpleUploadedFile("a.pdf", PDF)},
    )
    application = Application.objects.get()
    services.application_submit(actor=landing.applicant, application=application)
    response = client_for(landing.manager).get(f"/landing/calls/{landing.call.pk}/export.csv")
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())  # Excel needs it for accents
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("rank,organization,")
    assert "normalized_score" in body.splitlines()[0]
    assert "'=HYPERLINK(1)" in body
    assert (
        client_for(landing.applicant)
        .get(f"/landing/calls/{landing.call.pk}/export.csv")
        .status_code
        == 403
    )


def test_manage_page_and_pipeline_query_counts_do_not_grow_with_applications(
    landing: LandingWorld,
) -> None:
    _two_submitted(landing)
    services.assignments_auto(actor=landing.manager, call=landing.call)
    client = client_for(landing.manager)
    pages = [f"/landing/calls/{landing.call.pk}/manage/", "/landing/pipeline/", "/landing/"]
    counts = {}
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        counts[page] = len(queries)
    from tests.factories import OrganizationFactory, make_member

    for index in range(4):
        organization = OrganizationFactory(name=f"Extra {index}")
        member = make_member(organization)
        application = services.application_save(
            actor=member,
            call=landing.call,
            organization=organization,
            answers={"pitch": "x"},
            uploads={"deck": SimpleUploadedFile("x.pdf", PDF)},
        )
        services.application_submit(actor=member, application=application)
    services.assignments_auto(actor=landing.manager, call=landing.call)
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        assert len(queries) == counts[page], page
    assert counts[pages[0]] <= 15  # 12 measured
    assert counts[pages[1]] <= 10  # 7 measured


def test_manual_assignment_respects_conflicts_and_case_stage_moves(landing: LandingWorld) -> None:
    first, second = _two_submitted(landing)
    services.conflict_declare(actor=landing.reviewer_b, application=second, reason="advisor")
    manager = client_for(landing.manager)
    page = manager.get(f"/landing/applications/{second.pk}/").content.decode()
    assert "Reviewer A" in page
    assert f'value="{landing.reviewer_b.pk}">Reviewer B' not in page
    refused = manager.post(
        f"/landing/applications/{second.pk}/assign/", {"reviewer": landing.reviewer_b.pk}
    )
    assert refused.status_code == 302
    assert not Review.objects.filter(application=second, reviewer=landing.reviewer_b).exists()
    manager.post(f"/landing/applications/{second.pk}/assign/", {"reviewer": landing.reviewer_a.pk})
    assert Review.objects.filter(application=second, reviewer=landing.reviewer_a).exists()
    assert (
        manager.post(
            f"/landing/applications/{second.pk}/assign/", {"reviewer": "9" * 40}
        ).status_code
        == 302
    )

    services.application_decide(actor=landing.manager, application=first, decision="admitted")
    case_file = Application.objects.get(pk=first.pk).case_file
    assert (
        client_for(landing.applicant)
        .post(f"/landing/cases/{case_file.pk}/stage/", {"stage": "established"})
        .status_code
        == 403
    )
    manager.post(f"/landing/cases/{case_file.pk}/stage/", {"stage": "established"})
    case_file.refresh_from_db()
    assert case_file.stage == "established"
    board = manager.get("/landing/pipeline/").content.decode()
    assert "Coral Pay" in board


def test_taxonomy_question_takes_term_codes_and_refuses_unknown_ones(landing: LandingWorld) -> None:
    from puente.landing.models import FieldKind, FormField

    FormField.objects.create(
        call=landing.call,
        key="sectors",
        kind=FieldKind.TERMS,
        vocabulary="sector",
        label_en="Sectors",
        label_es="Sectores",
        required=False,
        sort_order=4,
    )
    client = client_for(landing.applicant)
    page = client.get(apply_url(landing)).content.decode()
    assert 'value="fintech"' in page
    refused = client.post(
        apply_url(landing),
        {"organization": landing.company.pk, "pitch": "P", "sectors": ["nope"], "save": "1"},
    )
    assert refused.status_code == 422
    assert not Application.objects.exists()
    saved = client.post(
        apply_url(landing),
        {
            "organization": landing.company.pk,
            "pitch": "P",
            "sectors": ["fintech", "software"],
            "save": "1",
        },
    )
    assert saved.status_code == 302
    assert Application.objects.get().answers["sectors"] == ["fintech", "software"]


def test_reviewer_lists_sort_names_as_readers_expect(landing: LandingWorld) -> None:
    """Accounts have no stored sort key; the database's binary order would put "Zoe"
    before "ana" and "Óscar" after everyone."""
    from puente.landing import selectors
    from tests.factories import UserFactory

    extra = [UserFactory(full_name=name) for name in ("Óscar Ruiz", "ana Gómez", "Zoe Park")]
    landing.call.reviewers.add(*extra)
    first, _second = _two_submitted(landing)

    expected = ["ana Gómez", "Óscar Ruiz", "Reviewer A", "Reviewer B", "Zoe Park"]
    assert [user.full_name for user in selectors.call_reviewers(landing.call)] == expected
    services.conflict_declare(actor=extra[2], application=first, reason="advisor")
    assignable = [user.full_name for user in selectors.reviewers_assignable(first)]
    assert assignable == ["ana Gómez", "Óscar Ruiz", "Reviewer A", "Reviewer B"]

    html = client_for(landing.manager).get(f"/landing/calls/{landing.call.pk}/manage/")
    text = html.content.decode()
    positions = [text.index(name) for name in expected]
    assert positions == sorted(positions)
