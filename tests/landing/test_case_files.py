"""Landing case files: milestones, evidence documents on checklist items (served only through a
permission check), the timeline of all activity, and pinned query counts of the page."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from puente.accounts.viewer import viewer_for
from puente.core.errors import Conflict, PermissionDenied, ValidationFailed
from puente.directory.models import MembershipRole
from puente.landing import selectors, services, services_cases
from puente.landing.models import Application, CaseFile, EvidenceDocument, Milestone
from tests.factories import UserFactory, make_member
from tests.landing.conftest import LandingWorld

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 certificate"


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def case(landing: LandingWorld) -> CaseFile:
    application = services.application_save(
        actor=landing.applicant,
        call=landing.call,
        organization=landing.company,
        answers={"pitch": "P"},
        uploads={"deck": SimpleUploadedFile("d.pdf", PDF)},
    )
    services.application_submit(actor=landing.applicant, application=application)
    services.application_decide(actor=landing.manager, application=application, decision="admitted")
    return Application.objects.get(pk=application.pk).case_file


def _tax_item(case_file: CaseFile):  # type: ignore[no-untyped-def]
    return case_file.items.get(code="tax_id")


def test_milestones_by_managers_and_company_admins_only(
    landing: LandingWorld, case: CaseFile
) -> None:
    milestone = services_cases.milestone_add(
        actor=landing.applicant,
        case_file=case,
        values={"title_en": "First hire", "title_es": "Primera contratación", "due_on": None},
    )
    plain_member = make_member(landing.company, role=MembershipRole.MEMBER)
    for outsider in (plain_member, landing.manager_other_hub, landing.reviewer_a):
        with pytest.raises(PermissionDenied):
            services_cases.milestone_add(
                actor=outsider, case_file=case, values={"title_en": "x", "title_es": "y"}
            )
    with pytest.raises(ValidationFailed):
        services_cases.milestone_add(
            actor=landing.manager, case_file=case, values={"title_en": "Only English"}
        )
    with pytest.raises(ValidationFailed):
        services_cases.milestone_reach(
            actor=landing.manager,
            milestone=milestone,
            reached_on=timezone.localdate() + dt.timedelta(days=2),
        )
    services_cases.milestone_reach(actor=landing.manager, milestone=milestone)
    milestone.refresh_from_db()
    assert milestone.reached_on == timezone.localdate()
    with pytest.raises(Conflict):
        services_cases.milestone_reach(actor=landing.applicant, milestone=milestone)
    assert Milestone.objects.count() == 1


def test_milestone_pages_add_and_mark_reached_with_bad_input_refused(
    landing: LandingWorld, case: CaseFile
) -> None:
    admin = client_for(landing.applicant)
    missing = admin.post(f"/landing/cases/{case.pk}/milestones/", {"milestone-title_en": "Office"})
    assert missing.status_code == 302
    assert not Milestone.objects.exists()
    admin.post(
        f"/landing/cases/{case.pk}/milestones/",
        {
            "milestone-title_en": "Office opened",
            "milestone-title_es": "Oficina abierta",
            "milestone-due_on": "2026-12-01",
        },
    )
    milestone = Milestone.objects.get()
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es")
    spanish.force_login(landing.manager)
    assert "Oficina abierta" in spanish.get(f"/landing/cases/{case.pk}/").content.decode()
    bad_date = admin.post(
        f"/landing/milestones/{milestone.pk}/reached/", {f"reach{milestone.pk}-reached_on": "31/31"}
    )
    assert bad_date.status_code == 302
    assert Milestone.objects.get().reached_on is None
    assert (
        client_for(landing.stranger)
        .post(f"/landing/milestones/{milestone.pk}/reached/")
        .status_code
        == 404
    )
    assert (
        client_for(landing.stranger).post(f"/landing/cases/{case.pk}/milestones/").status_code
        == 404
    )
    admin.post(f"/landing/milestones/{milestone.pk}/reached/", {})
    # "Today" is the acting user's day (their zone is active), not the server's UTC one.
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(landing.applicant.time_zone))
    assert Milestone.objects.get().reached_on == today
    for tampered in (
        "/landing/milestones/99999/reached/",
        f"/landing/cases/{'9' * 30}/milestones/",
    ):
        assert admin.post(tampered).status_code == 404


def test_evidence_upload_download_and_removal_follow_the_case_file_rules(
    landing: LandingWorld, case: CaseFile, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    item = _tax_item(case)
    member = client_for(landing.applicant)
    response = member.post(
        f"/landing/cases/items/{item.pk}/evidence/",
        {
            f"evidence{item.pk}-documents": [
                SimpleUploadedFile("rut.pdf", PDF),
                SimpleUploadedFile("nit.png", b"\x89PNG data"),
            ]
        },
    )
    assert response.status_code == 302
    documents = list(EvidenceDocument.objects.order_by("id"))
    assert [document.original_name for document in documents] == ["rut.pdf", "nit.png"]
    page = member.get(f"/landing/cases/{case.pk}/").content.decode()
    assert f"/landing/evidence/{documents[0].pk}/" in page
    assert "/media/" not in page

    download = member.get(f"/landing/evidence/{documents[0].pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    staff = UserFactory(is_staff=True)
    expected = {
        "manager": (landing.manager, 200),
        "staff": (staff, 200),
        "manager_other_hub": (landing.manager_other_hub, 404),
        "reviewer": (landing.reviewer_a, 404),
        "other_company": (landing.other_applicant, 404),
        "stranger": (landing.stranger, 404),
    }
    for role, (user, status) in expected.items():
        assert (
            client_for(user).get(f"/landing/evidence/{documents[0].pk}/").status_code == status
        ), role
    assert Client().get(f"/landing/evidence/{documents[0].pk}/").status_code == 302  # sign in first

    # Removal: the uploader or a manager; another member of the company may not.
    colleague = make_member(landing.company, role=MembershipRole.MEMBER)
    assert (
        client_for(colleague).post(f"/landing/evidence/{documents[0].pk}/remove/").status_code
        == 403
    )
    assert (
        client_for(landing.stranger)
        .post(f"/landing/evidence/{documents[0].pk}/remove/")
        .status_code
        == 404
    )
    storage = documents[0].file.storage
    name = documents[0].file.name
    with django_capture_on_commit_callbacks(execute=True):
        member.post(f"/landing/evidence/{documents[0].pk}/remove/")
        client_for(landing.manager).post(f"/landing/evidence/{documents[1].pk}/remove/")
    assert not EvidenceDocument.objects.exists()
    assert not storage.exists(name)


@pytest.mark.parametrize(
    ("uploads", "message"),
    [
        ([("virus.exe", PDF)], "not an accepted type"),
        ([("ok.pdf", PDF), ("notes.txt", b"text")], "not an accepted type"),
        ([("big.pdf", b"x" * (10 * 1024 * 1024 + 1))], "larger than 10 MB"),
        ([("empty.pdf", b"")], "empty"),
        ([], "required"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_half_saved(
    landing: LandingWorld,
    case: CaseFile,
    tmp_path,
    uploads: list[tuple[str, bytes]],
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    item = _tax_item(case)
    response = client_for(landing.applicant).post(
        f"/landing/cases/items/{item.pk}/evidence/",
        {
            f"evidence{item.pk}-documents": [
                SimpleUploadedFile(name, data) for name, data in uploads
            ]
        },
        follow=True,
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EvidenceDocument.objects.exists()
    assert not list((tmp_path / "landing" / "cases").rglob("*.*"))


def test_evidence_service_is_all_or_nothing_even_without_the_form(
    landing: LandingWorld,
    case: CaseFile,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    item = _tax_item(case)
    with pytest.raises(ValidationFailed):
        services_cases.evidence_add(
            actor=landing.applicant,
            item=item,
            uploads=[SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.exe", PDF)],
        )
    with pytest.raises(PermissionDenied):
        services_cases.evidence_add(
            actor=landing.manager_other_hub, item=item, uploads=[SimpleUploadedFile("a.pdf", PDF)]
        )
    assert not EvidenceDocument.objects.exists()
    assert not list((tmp_path / "landing" / "cases").rglob("*.*"))


def test_evidence_on_tampered_or_foreign_items_answers_404(
    landing: LandingWorld, case: CaseFile
) -> None:
    item = _tax_item(case)
    stranger = client_for(landing.other_applicant)
    refused = stranger.post(
        f"/landing/cases/items/{item.pk}/evidence/",
        {f"evidence{item.pk}-documents": SimpleUploadedFile("x.pdf", PDF)},
    )
    assert refused.status_code == 404
    for path in (
        "/landing/cases/items/999999/evidence/",
        "/landing/evidence/999999/",
        "/landing/evidence/999999/remove/",
    ):
        response = (
            client_for(landing.applicant).post(path)
            if "remove" in path or "items" in path
            else client_for(landing.applicant).get(path)
        )
        assert response.status_code == 404, path
    assert not EvidenceDocument.objects.exists()


def test_timeline_lists_all_activity_in_date_order(landing: LandingWorld, case: CaseFile) -> None:
    item = _tax_item(case)
    services.checklist_item_update(
        actor=landing.applicant,
        item=item,
        values={"state": "done", "provider": landing.other_company},
    )
    services_cases.evidence_add(
        actor=landing.applicant, item=item, uploads=[SimpleUploadedFile("rut.pdf", PDF)]
    )
    milestone = services_cases.milestone_add(
        actor=landing.manager,
        case_file=case,
        values={"title_en": "First hire", "title_es": "Primera contratación"},
    )
    services_cases.milestone_reach(actor=landing.applicant, milestone=milestone)
    services.case_stage_set(actor=landing.manager, case_file=case, stage="established")
    case = selectors.case_file_for_viewer(viewer_for(landing.manager), case.pk)
    entries = selectors.case_timeline(case)
    texts = [entry.text for entry in entries]
    kinds = [entry.kind for entry in entries]
    assert kinds[:3] == [
        "landing.application.create",
        "landing.application.submit",
        "landing.application.admitted",
    ]
    assert kinds.index("landing.case.open") < kinds.index("landing.item.update")
    assert (
        kinds.index("landing.item.update")
        < kinds.index("landing.evidence.add")
        < kinds.index("landing.milestone.add")
    )
    assert kinds.index("landing.milestone.reach") < kinds.index("landing.case.stage")
    assert [entry.at for entry in entries] == sorted(entry.at for entry in entries)
    assert any(
        "“Tax identifiers: NIT and RUT” updated" in text and "state Done" in text for text in texts
    )
    assert "Evidence “rut.pdf” added to “Tax identifiers: NIT and RUT”" in texts
    assert "Milestone reached: First hire" in texts
    assert "Stage changed to Established" in texts


def test_case_file_page_query_count_does_not_grow(landing: LandingWorld, case: CaseFile) -> None:
    from puente.introductions.models import Introduction

    client = client_for(landing.applicant)
    url = f"/landing/cases/{case.pk}/"
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    items = list(case.items.all())
    for index, item in enumerate(items):
        services_cases.evidence_add(
            actor=landing.applicant, item=item, uploads=[SimpleUploadedFile(f"e{index}.pdf", PDF)]
        )
        services.checklist_item_update(
            actor=landing.applicant, item=item, values={"state": "in_progress"}
        )
    for index in range(3):
        milestone = services_cases.milestone_add(
            actor=landing.manager,
            case_file=case,
            values={"title_en": f"M{index}", "title_es": f"H{index}"},
        )
        services_cases.milestone_reach(actor=landing.manager, milestone=milestone)
    assert Introduction._meta.get_field("created_at")  # introductions are read in one query
    with CaptureQueriesContext(connection) as second:
        page = client.get(url)
    assert page.status_code == 200
    assert "e0.pdf" in page.content.decode()
    assert len(second) == len(first)
    # 20 measured: 13, plus the provider list rendered in each of the 7 items' forms.
    assert len(first) <= 20


def test_admin_lists_the_new_records(landing: LandingWorld, case: CaseFile) -> None:
    services_cases.milestone_add(
        actor=landing.manager, case_file=case, values={"title_en": "Hire", "title_es": "Contratar"}
    )
    services_cases.evidence_add(
        actor=landing.applicant, item=_tax_item(case), uploads=[SimpleUploadedFile("r.pdf", PDF)]
    )
    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    for path in (
        "/admin/landing/screeningvote/",
        "/admin/landing/evidencedocument/",
        "/admin/landing/call/",
        "/admin/landing/application/",
        f"/admin/landing/casefile/{case.pk}/change/",
    ):
        assert admin.get(path).status_code == 200, path
