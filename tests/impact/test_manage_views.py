"""Managers' pages: targets, figures entered by hand with evidence, and editing guides."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from puente.impact.computation import Quarter
from puente.impact.models import ActivityRecord, Guide, KpiTarget
from puente.impact.selectors import Scope, build_dashboard
from puente.impact.services import guide_save
from tests.factories import OrganizationFactory, UserFactory, hub, make_manager, term
from tests.impact.conftest import partnership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def signed_in(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


# --- targets ---------------------------------------------------------------------------------
def test_a_hub_manager_sets_a_target_for_their_hub_and_the_dashboard_shows_progress() -> None:
    partnership()
    client = signed_in(make_manager("medellin"))
    response = client.post(
        "/impact/targets/",
        {"kpi": "companies_landed", "quarter": "2026-Q3", "hub": "medellin", "value": "4"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/impact/targets/?quarter=2026-Q3"
    target = KpiTarget.objects.get()
    assert (target.kpi, target.hub, target.value) == ("companies_landed", hub("medellin"), 4)
    page = client.get("/impact/targets/", {"quarter": "2026-Q3"}).content.decode()
    assert "Companies landed" in page
    board = build_dashboard(quarter=Quarter(2026, 3), scope=Scope(hub=hub("medellin")))
    assert board.row("companies_landed").value.target == 4


@pytest.mark.parametrize(
    "data",
    [
        {"kpi": "nope", "quarter": "2026-Q3", "hub": "medellin", "value": "4"},
        {"kpi": "companies_landed", "quarter": "2026-Q9", "hub": "medellin", "value": "4"},
        {"kpi": "companies_landed", "quarter": "1999-Q1", "hub": "medellin", "value": "4"},
        {"kpi": "companies_landed", "quarter": "2026-Q3", "hub": "medellin", "value": "-1"},
        {"kpi": "companies_landed", "quarter": "2026-Q3", "hub": "medellin", "value": "abc"},
        {"kpi": "companies_landed", "quarter": "2026-Q3", "hub": "miami", "value": "4"},
        {"kpi": "companies_landed", "quarter": "2026-Q3", "hub": "", "value": "4"},
        {"kpi": "companies_landed", "quarter": "2026-Q3", "hub": "medellin", "value": "1e30"},
        {"kpi": "jobs_created", "quarter": "2026-Q3", "hub": "medellin", "direction": "x-y"},
    ],
)
def test_bad_target_input_is_refused_and_changes_nothing(data: dict[str, str]) -> None:
    partnership()
    response = signed_in(make_manager("medellin"), "es").post("/impact/targets/", data)
    assert response.status_code == 422
    assert 'class="errorlist' in response.content.decode()
    assert not KpiTarget.objects.exists()


def test_joint_targets_need_staff_and_members_cannot_open_the_page() -> None:
    medellin, miami = partnership()
    staff = signed_in(UserFactory(is_staff=True))
    response = staff.post(
        "/impact/targets/",
        {
            "kpi": "meetings_held",
            "quarter": "2026-Q4",
            "hub": "",
            "direction": "medellin-miami",
            "value": "30",
        },
    )
    assert response.status_code == 302
    target = KpiTarget.objects.get()
    assert (target.hub, target.origin_hub, target.destination_hub) == (None, medellin, miami)
    assert signed_in(UserFactory()).get("/impact/targets/").status_code == 403
    assert Client().get("/impact/targets/").status_code == 302  # to sign in


def test_the_targets_page_has_a_pinned_query_count(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    partnership()
    staff = UserFactory(is_staff=True)
    for number, code in enumerate(["companies_landed", "jobs_created", "meetings_held"]):
        KpiTarget.objects.create(
            kpi=code, year=2026, quarter=3, hub=hub("medellin"), value=number, set_by=staff
        )
    client = signed_in(staff)
    client.get("/impact/targets/", {"quarter": "2026-Q3"})
    with django_assert_num_queries(10):
        response = client.get("/impact/targets/", {"quarter": "2026-Q3"})
    assert response.content.decode().count('<th scope="row">') == 3  # one row per target


# --- figures entered by hand -----------------------------------------------------------------
def test_a_figure_with_a_link_is_recorded_audited_and_counted() -> None:
    partnership()
    manager = make_manager("medellin")
    coral = OrganizationFactory(name="Coral Pay", hub=hub("miami"))
    response = signed_in(manager).post(
        "/impact/figures/",
        {
            "kind": "company_landed",
            "occurred_on": "2026-09-30",
            "hub": "medellin",
            "quantity": "1",
            "organization": coral.slug,
            "evidence": "Email of the company's CEO confirming the office opened.",
            "evidence_url": "https://example.org/acta.pdf",
        },
    )
    assert response.status_code == 302
    record = ActivityRecord.objects.get()
    assert (record.kind, record.organization, record.recorded_by) == (
        "company_landed",
        coral,
        manager,
    )
    assert record.evidence_url == "https://example.org/acta.pdf"
    assert (record.origin_hub, record.destination_hub) == (hub("miami"), hub("medellin"))
    board = build_dashboard(quarter=Quarter(2026, 3), scope=Scope(hub=hub("medellin")))
    assert board.row("companies_landed").value.value == 1


def test_a_figure_with_a_file_is_served_only_to_the_managers_of_its_hub() -> None:
    manager = make_manager("medellin")
    response = signed_in(manager).post(
        "/impact/figures/",
        {
            "kind": "investment",
            "occurred_on": "2026-08-01",
            "hub": "medellin",
            "quantity": "250000",
            "currency": "usd",
            "evidence": "Signed term sheet.",
            "evidence_file": SimpleUploadedFile("term-sheet.pdf", b"%PDF-1.4 term sheet"),
        },
    )
    assert response.status_code == 302
    record = ActivityRecord.objects.get()
    assert (record.currency, record.quantity) == ("USD", Decimal("250000"))
    url = f"/impact/figures/{record.pk}/evidence"
    download = signed_in(manager).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 term sheet"  # type: ignore[attr-defined]
    assert signed_in(make_manager("miami")).get(url).status_code == 404
    assert signed_in(UserFactory()).get(url).status_code == 404
    listing = signed_in(manager).get("/impact/figures/").content.decode()
    assert "Signed term sheet." in listing
    assert url in listing


@pytest.mark.parametrize(
    "change",
    [
        {"evidence_url": ""},  # neither link nor file
        {"evidence": ""},  # the note is required
        {"kind": "matches_shown"},  # computed, not entered
        {"hub": "miami"},  # not their hub
        {"quantity": "-3"},
        {"quantity": "many"},
        {"occurred_on": "2026-02-30"},
        {"organization": "nobody-here"},
        {"evidence_url": "javascript:alert(1)"},
        {"kind": "investment", "currency": ""},  # an investment needs its currency
        {"kind": "investment", "currency": "U$"},
        {"direction": "medellin-nowhere"},
    ],
)
def test_bad_figure_input_is_refused_and_changes_nothing(change: dict[str, str]) -> None:
    partnership()
    data = {
        "kind": "jobs_created",
        "occurred_on": "2026-08-01",
        "hub": "medellin",
        "quantity": "3",
        "evidence": "Payroll report",
        "evidence_url": "https://example.org/payroll",
        **change,
    }
    response = signed_in(make_manager("medellin"), "es").post("/impact/figures/", data)
    assert response.status_code == 422
    assert not ActivityRecord.objects.exists()


def test_an_evidence_file_of_the_wrong_type_is_refused() -> None:
    response = signed_in(make_manager("medellin")).post(
        "/impact/figures/",
        {
            "kind": "jobs_created",
            "occurred_on": "2026-08-01",
            "hub": "medellin",
            "quantity": "3",
            "evidence": "Payroll",
            "evidence_file": SimpleUploadedFile("payroll.exe", b"MZ"),
        },
    )
    assert response.status_code == 422
    assert not ActivityRecord.objects.exists()


def test_the_figures_page_has_a_pinned_query_count(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    manager = make_manager("medellin")
    client = signed_in(manager)
    for day in (1, 2, 3):
        client.post(
            "/impact/figures/",
            {
                "kind": "jobs_created",
                "occurred_on": f"2026-08-0{day}",
                "hub": "medellin",
                "quantity": "3",
                "evidence": "Payroll",
                "evidence_url": "https://example.org/payroll",
            },
        )
    assert ActivityRecord.objects.count() == 3
    client.get("/impact/figures/")
    with django_assert_num_queries(8):
        client.get("/impact/figures/")


# --- guides ----------------------------------------------------------------------------------
GUIDE = {
    "slug": "abrir-cuenta-miami",
    "hub": "",
    "category": "banking",
    "title_en": "Open a bank account in Miami",
    "title_es": "Abrir una cuenta bancaria en Miami",
    "summary_en": "What the bank asks for.",
    "summary_es": "Lo que pide el banco.",
    "body_en": "Bring the EIN letter and the articles of organization.",
    "body_es": "Lleva la carta del EIN y los estatutos.",
    "authors": "Equipo Puente",
    "reviewed_on": "2026-06-01",
    "attachment_language": "en",
}


def test_a_manager_creates_a_bilingual_guide_with_tags_and_an_attachment() -> None:
    manager = make_manager("miami")
    fintech = term("sector", "fintech")
    data = {
        **GUIDE,
        "hub": hub("miami").pk,
        "tags": [fintech.pk],
        "attachment_title": "Checklist",
        "attachment_file": SimpleUploadedFile("checklist.pdf", b"%PDF-1.4 list"),
    }
    response = signed_in(manager).post("/impact/library/new/", data)
    assert response.status_code == 302
    assert response["Location"] == "/impact/library/abrir-cuenta-miami/"
    guide = Guide.objects.get()
    assert list(guide.tags.all()) == [fintech]
    assert [a.title for a in guide.attachments.all()] == ["Checklist"]
    assert "ein" in guide.search_text
    page = signed_in(manager).get(response["Location"]).content.decode()
    assert 'id="guide-edit"' in page
    assert 'id="guide-create"' in signed_in(manager).get("/impact/library/").content.decode()


def test_only_managers_of_the_guides_hub_edit_it() -> None:
    guide = guide_save(
        actor=None,
        slug="sas",
        category="legal",
        title_en="Set up an S.A.S.",
        title_es="Constituir una S.A.S.",
        reviewed_on=dt.date(2026, 1, 1),
        hub=hub("medellin"),
    )
    url = "/impact/library/sas/edit/"
    assert signed_in(make_manager("miami")).get(url).status_code == 403
    assert signed_in(UserFactory()).get("/impact/library/new/").status_code == 403
    assert (
        'id="guide-edit"'
        not in signed_in(make_manager("miami")).get("/impact/library/sas/").content.decode()
    )
    response = signed_in(make_manager("medellin")).post(
        url,
        {
            **GUIDE,
            "slug": "sas",
            "category": "legal",
            "hub": hub("medellin").pk,
            "title_en": "Set up an S.A.S. in Colombia",
            "title_es": "Constituir una S.A.S. en Colombia",
        },
    )
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.title_en == "Set up an S.A.S. in Colombia"


@pytest.mark.parametrize(
    "change",
    [
        {"title_es": ""},
        {"category": "astrology"},
        {"slug": "no spaces allowed"},
        {"slug": "new"},  # the address of the form itself
        {"reviewed_on": "yesterday"},
        {"hub": "999999"},
        {"tags": ["999999"]},
        {"tags": [str(2**63)]},  # more than SQLite's INTEGER holds: used to answer 500
        {"tags": ["1", str(-(2**63) - 1)]},
        {"attachment_file": "x"},  # a file without a title
        {"attachment_language": "xx"},
    ],
)
def test_bad_guide_input_is_refused_and_changes_nothing(change: dict[str, Any]) -> None:
    data = {**GUIDE, **change}
    if change.get("attachment_file"):
        data["attachment_file"] = SimpleUploadedFile("x.pdf", b"%PDF")
    response = signed_in(make_manager("medellin"), "es").post("/impact/library/new/", data)
    assert response.status_code == 422
    assert not Guide.objects.exists()


def test_a_duplicate_address_name_and_a_bad_attachment_are_refused() -> None:
    client = signed_in(make_manager("medellin"))
    assert client.post("/impact/library/new/", GUIDE).status_code == 302
    assert client.post("/impact/library/new/", GUIDE).status_code == 422
    response = client.post(
        "/impact/library/new/",
        {
            **GUIDE,
            "slug": "otra",
            "attachment_title": "Virus",
            "attachment_file": SimpleUploadedFile("virus.exe", b"MZ"),
        },
    )
    assert response.status_code == 422
    assert Guide.objects.count() == 1


def test_the_guide_form_has_a_pinned_query_count(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    manager = make_manager("medellin")
    client = signed_in(manager)
    client.post("/impact/library/new/", GUIDE)
    client.get("/impact/library/abrir-cuenta-miami/edit/")
    with django_assert_num_queries(11):
        client.get("/impact/library/abrir-cuenta-miami/edit/")


def test_date_inputs_keep_the_iso_date_in_spanish_so_the_browser_shows_them() -> None:
    client = signed_in(make_manager("medellin"), "es")
    client.post("/impact/library/new/", GUIDE)
    page = client.get("/impact/library/abrir-cuenta-miami/edit/").content.decode()
    assert 'type="date" name="reviewed_on" value="2026-06-01"' in page
    figures = client.get("/impact/figures/").content.decode()
    assert 'type="date" name="occurred_on" value="20' in figures
