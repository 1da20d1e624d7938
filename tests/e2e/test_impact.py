"""The impact dashboard in a real browser: a hub manager in Spanish filters by direction and
quarter, drills from "companies landed" to the list behind it and downloads the PDF report."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from puente.impact.computation import Quarter
from puente.impact.models import ActivityKind as K
from puente.impact.services import record_activity
from tests.factories import OrganizationFactory, hub, make_manager
from tests.impact.conftest import partnership

PASSWORD = "correct horse battery staple"


def in_quarter(quarter: Quarter, day: int) -> dt.datetime:
    return dt.datetime.combine(
        quarter.first_day + dt.timedelta(days=day), dt.time(15), tzinfo=dt.UTC
    )


def test_manager_filters_drills_down_and_downloads_the_pdf_in_spanish(
    new_page: Any, tmp_path: Any
) -> None:
    partnership()
    medellin, miami = hub("medellin"), hub("miami")
    last = Quarter.of_date(timezone.now().date()).previous()
    cafe = OrganizationFactory(name="Cafetal Digital")
    coral = OrganizationFactory(name="Coral Pay", hub=miami)
    record_activity(
        kind=K.COMPANY_LANDED, occurred_at=in_quarter(last, 10), hub=miami, organization=cafe
    )
    record_activity(
        kind=K.COMPANY_LANDED, occurred_at=in_quarter(last, 20), hub=medellin, organization=coral
    )
    record_activity(
        kind=K.COMPANY_LANDED,
        occurred_at=in_quarter(last.previous(), 5),
        hub=medellin,
        organization=coral,
    )
    manager = make_manager("medellin", email="gestora@rutan.example", language="es")

    page = new_page("es")
    page.goto("/accounts/sign-in/")
    page.get_by_label("Correo electrónico").fill(manager.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_load_state()

    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Impacto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impacto del convenio")
    page.get_by_label("Trimestre", exact=True).select_option(str(last))
    page.get_by_label("Dirección", exact=True).select_option(label="Medellín → Miami")
    page.get_by_role("button", name="Aplicar").click()
    expect(page).to_have_url(re.compile(rf"quarter={last}.*direction=medellin-miami"))
    row = page.locator("#kpi-companies_landed")
    expect(row).to_contain_text("Empresas aterrizadas")
    # The visible number starts the link's name (WCAG 2.5.3), the hidden rest says what it is.
    expect(row.get_by_role("link")).to_have_accessible_name(
        "1 — Registros que sustentan: Empresas aterrizadas"
    )

    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Empresas aterrizadas")
    expect(page.locator("#record-count")).to_contain_text("1 fila sustenta este número")
    expect(page.locator("#records")).to_contain_text("Cafetal Digital")
    expect(page.locator("#records")).not_to_contain_text("Coral Pay")

    page.get_by_role("link", name="Impacto del convenio").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Informe para financiadores (PDF)").click()
    path = tmp_path / "report.pdf"
    download_info.value.save_as(path)
    text = "".join(p.extract_text() for p in PdfReader(str(path)).pages)
    assert f"Informe de impacto {last}" in text
    assert "Medellín → Miami" in text
    for header in ("Indicador", "Definición", "Valor", "Meta", "Fuente"):
        assert header in text
    # The row of the KPI: name, definition (wrapped), unit, then the value 1.
    assert re.search(r"Empresas aterrizadas\n.*?de aterrizaje\.\nempresas\n1\n", text, re.S)


def test_manager_sets_a_target_and_enters_a_figure_with_evidence_in_spanish(
    new_page: Any, tmp_path: Any
) -> None:
    partnership()
    manager = make_manager("medellin", email="metas@rutan.example", language="es")
    quarter = Quarter.of_date(timezone.now().date())
    page = new_page("es")
    page.goto("/accounts/sign-in/")
    page.get_by_label("Correo electrónico", exact=True).fill(manager.email)
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_load_state()

    page.goto("/impact/")
    page.get_by_role("link", name="Fijar metas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Metas de los indicadores")
    page.get_by_label("Indicador", exact=True).select_option("companies_landed")
    page.get_by_label("Nodo", exact=True).select_option("medellin")
    page.get_by_label("Meta", exact=True).fill("-5")
    page.get_by_role("button", name="Guardar meta").click()
    expect(page.locator(".errorlist").first).to_be_visible()  # refused, nothing saved
    page.get_by_label("Meta", exact=True).fill("6")
    page.get_by_role("button", name="Guardar meta").click()
    expect(page.locator("#targets")).to_contain_text("Empresas aterrizadas")
    expect(page.locator("#targets")).to_contain_text("6")

    page.get_by_role("link", name="Cifras ingresadas a mano").click()
    page.get_by_label("Cifra", exact=True).select_option("jobs_created")
    page.get_by_label("Nodo", exact=True).select_option("medellin")
    page.get_by_label("Cantidad o monto", exact=True).fill("12")
    page.get_by_label("Nota sobre la evidencia", exact=True).fill(
        "Reporte de nómina del tercer trimestre"
    )
    evidence = tmp_path / "nomina.pdf"
    evidence.write_bytes(b"%PDF-1.4 nomina")
    page.get_by_label("Archivo de evidencia", exact=True).set_input_files(str(evidence))
    page.get_by_role("button", name="Registrar cifra").click()
    expect(page.locator("#figures")).to_contain_text("Reporte de nómina del tercer trimestre")
    page.goto(f"/impact/?quarter={quarter}&hub=medellin")
    expect(page.locator("#kpi-jobs_created .kpi-value")).to_have_accessible_name(
        "12 — Registros que sustentan: Empleos creados"
    )
