"""The impact pages: who may see them, filters, drill-down, downloads, bad input, queries."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from puente.core.models import Visibility
from puente.impact.models import ActivityKind as K
from tests.factories import OrganizationFactory, UserFactory, hub, make_manager
from tests.impact.conftest import fact, partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity() -> None:
    partnership()
    cafe = OrganizationFactory(name="Cafetal Digital")
    coral = OrganizationFactory(name="Coral Pay", hub=hub("miami"))
    fact(K.COMPANY_LANDED, "2026-08-01 12:00", "miami", organization=cafe)
    fact(K.COMPANY_LANDED, "2026-08-05 12:00", "medellin", organization=coral)
    fact(K.INTRODUCTION_ACCEPTED, "2026-08-10 15:00", organization=cafe, partner_organization=coral)


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(user)
    return client


def test_members_and_visitors_cannot_open_the_dashboard(activity: None) -> None:
    assert Client().get("/impact/").status_code == 302
    assert signed_in(UserFactory()).get("/impact/").status_code == 403
    assert signed_in(UserFactory()).get("/impact/report.pdf").status_code == 403
    assert signed_in(UserFactory()).get("/impact/kpi/companies_landed/").status_code == 403


def test_dashboard_in_spanish_with_direction_filter_and_drill_down(activity: None) -> None:
    client = signed_in(make_manager())
    page = client.get("/impact/", {"quarter": "2026-Q3", "direction": "medellin-miami"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Empresas aterrizadas" in html
    assert (
        'href="/impact/kpi/companies_landed/?quarter=2026-Q3&amp;direction=medellin-miami"' in html
    )
    drill = client.get(
        "/impact/kpi/companies_landed/", {"quarter": "2026-Q3", "direction": "medellin-miami"}
    )
    assert drill.status_code == 200
    assert "Cafetal Digital" in drill.content.decode()
    assert "Coral Pay" not in drill.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"quarter": "2026-Q9"},
        {"quarter": "x" * 500},
        {"hub": "atlantis"},
        {"direction": "a-b"},
        {"page": "-3"},
        {"page": "abc"},
        {"quarter": "\x00"},
    ],
)
def test_bad_filters_never_break_the_pages(activity: None, params: dict[str, str]) -> None:
    client = signed_in(make_manager())
    for path in (
        "/impact/",
        "/impact/kpi/companies_landed/",
        "/impact/network/",
        "/impact/report.csv",
    ):
        assert client.get(path, params).status_code == 200, path


def test_unknown_kpi_and_format_are_404(activity: None) -> None:
    client = signed_in(make_manager())
    assert client.get("/impact/kpi/nope/").status_code == 404
    assert client.get("/impact/report.doc").status_code == 404


def test_pdf_report_has_the_kpi_table(activity: None) -> None:
    response = signed_in(make_manager()).get(
        "/impact/report.pdf", {"quarter": "2026-Q3", "lang": "es"}
    )
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Informe de impacto 2026-Q3" in text
    assert "Empresas aterrizadas" in text
    assert "Indicador" in text
    assert "Meta" in text


def test_xlsx_and_csv_reports(activity: None) -> None:
    from openpyxl import load_workbook

    client = signed_in(make_manager())
    xlsx = client.get("/impact/report.xlsx", {"quarter": "2026-Q3", "lang": "en"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = {row[0]: row[3] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["Companies landed"] == 2
    csv = client.get("/impact/report.csv", {"quarter": "2026-Q3", "lang": "en"}).content.decode(
        "utf-8-sig"
    )
    assert "companies_landed,Companies landed" in csv


def test_open_data_is_public_and_has_no_names(activity: None) -> None:
    response = Client().get("/impact/open-data.csv")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith("quarter,hub,kpi,value,unit")
    assert "Cafetal" not in body


def test_dashboard_and_drill_down_query_counts_do_not_grow_with_rows(activity: None) -> None:
    client = signed_in(make_manager())
    client.get("/impact/", {"quarter": "2026-Q3"})
    cache.clear()  # measure without the cached totals
    with CaptureQueriesContext(connection) as few:
        client.get("/impact/", {"quarter": "2026-Q3"})
        client.get("/impact/kpi/companies_landed/", {"quarter": "2026-Q3"})
    cafe = OrganizationFactory(name="More")
    for day in range(1, 20):
        fact(K.COMPANY_LANDED, f"2026-08-{day:02d} 12:00", "miami", organization=cafe)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get("/impact/", {"quarter": "2026-Q3"})
        client.get("/impact/kpi/companies_landed/", {"quarter": "2026-Q3"})
    assert len(many) == len(few)
    assert len(few) <= 30


def test_network_page_shows_cross_border_ties(activity: None) -> None:
    response = signed_in(make_manager()).get("/impact/network/", {"quarter": "2026-Q3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<strong id="cross-border-ties">1</strong>' in html
    # The chart holds links to profiles, so it is a labelled group, not an image.
    assert 'role="group" aria-label=' in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 640" role="img"' not in html


def network_drawing(html: str) -> str:
    drawing = re.search(r'<svg[^>]*class="chart network".*?</svg>', html, re.DOTALL)
    assert drawing is not None
    return drawing.group()


@pytest.fixture
def measured(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per computation of the network's measures (not served from the cache)."""
    from puente.impact import network

    calls: list[int] = []
    real_measure = network.measure

    def counting_measure(*args: Any, **kwargs: Any) -> network.NetworkMeasures:
        calls.append(1)
        return real_measure(*args, **kwargs)

    monkeypatch.setattr(network, "measure", counting_measure)
    return calls


def test_the_network_is_measured_once_until_new_activity(
    activity: None, measured: list[int]
) -> None:
    """Measures and layout are cached per quarter and scope until the next write of activity
    (names per viewer: the next test)."""
    client = signed_in(make_manager())
    first = client.get("/impact/network/", {"quarter": "2026-Q3"}).content.decode()
    again = client.get("/impact/network/", {"quarter": "2026-Q3"}).content.decode()
    assert len(measured) == 1
    assert network_drawing(again) == network_drawing(first)
    assert "Cafetal Digital" in first
    other_scope = client.get("/impact/network/", {"quarter": "2026-Q3", "hub": "miami"})
    assert other_scope.status_code == 200
    assert len(measured) == 2
    fact(
        K.INTRODUCTION_ACCEPTED,
        "2026-09-10 15:00",
        organization=OrganizationFactory(name="Nuevo Puerto"),
        partner_organization=OrganizationFactory(name="Bay Labs", hub=hub("miami")),
    )
    after = client.get("/impact/network/", {"quarter": "2026-Q3"}).content.decode()
    assert len(measured) == 3
    assert '<strong id="cross-border-ties">2</strong>' in after
    assert "Nuevo Puerto" in after


def test_a_cached_network_still_names_only_what_each_viewer_may_see(
    measured: list[int],
) -> None:
    """The cache holds ids, not names: a Miami manager computes the network with the name of a
    private Miami organization, and a Medellín manager then served from the cache sees neither
    its name nor its link."""
    partnership()
    hidden = OrganizationFactory(
        name="Manglar Privado", hub=hub("miami"), profile_visibility=Visibility.PRIVATE
    )
    fact(
        K.INTRODUCTION_ACCEPTED,
        "2026-08-10 15:00",
        organization=OrganizationFactory(name="Cafetal Digital"),
        partner_organization=hidden,
    )
    params = {"quarter": "2026-Q3"}
    miami = signed_in(make_manager("miami")).get("/impact/network/", params).content.decode()
    medellin = signed_in(make_manager("medellin")).get("/impact/network/", params).content.decode()
    assert len(measured) == 1  # the second page came from the cache
    assert "Manglar Privado" in miami
    assert f"/directory/organizations/{hidden.slug}/" in miami
    assert "Manglar Privado" not in medellin
    assert f"/directory/organizations/{hidden.slug}/" not in medellin
    assert "Cafetal Digital" in medellin


def test_cached_totals_follow_new_activity(activity: None) -> None:
    client = signed_in(make_manager())
    before = client.get("/impact/", {"quarter": "2026-Q3"}).content.decode()
    assert (
        '>2<span class="visually-hidden"> — Registros que sustentan: Empresas aterrizadas</span></a>'
        in before
    )
    with CaptureQueriesContext(connection) as cached:
        client.get("/impact/", {"quarter": "2026-Q3"})
    fact(
        K.COMPANY_LANDED,
        "2026-09-01 12:00",
        "miami",
        organization=OrganizationFactory(name="Nueva"),
    )
    with CaptureQueriesContext(connection) as fresh:
        after = client.get("/impact/", {"quarter": "2026-Q3"}).content.decode()
    assert (
        '>3<span class="visually-hidden"> — Registros que sustentan: Empresas aterrizadas</span></a>'
        in after
    )
    assert len(fresh) > len(cached)  # the totals were read again after the write
