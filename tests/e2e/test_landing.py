"""The soft-landing journey in a real browser, as the issue's acceptance describes it.

A Medellín manager (Spanish) creates a program and a call whose form is labelled in both
languages; a Miami company applies in English; two reviewers score it (one declared a conflict
on another application and is not assigned to it); the manager sees the normalised ranking and
admits the company; its case file opens with Medellín's checklist; an item is completed with a
provider from the directory; and the company answers a follow-up survey.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

from playwright.sync_api import expect

from puente.directory.models import MembershipRole
from puente.landing import services
from puente.landing.checklists import ensure_default_checklists
from puente.landing.models import (
    Application,
    ApplicationState,
    ChecklistItem,
    ItemState,
    Review,
    SurveyRequest,
)
from tests.e2e.test_directory import sign_in
from tests.factories import OrganizationFactory, UserFactory, hub, make_manager, make_member, term


def _wall_clock(days: int) -> str:
    moment = dt.datetime.now(zoneinfo.ZoneInfo("America/Bogota")) + dt.timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_soft_landing_journey_from_call_to_follow_up(new_page: Any) -> None:
    ensure_default_checklists()
    medellin, miami = hub("medellin"), hub("miami")
    manager_user = make_manager(
        "medellin", email="gestora@rutan.example", full_name="Gestora Medellín", language="es"
    )
    company = OrganizationFactory(name="Coral Pay", hub=miami, description_language="en")
    make_member(
        company,
        role=MembershipRole.ADMIN,
        email="laura@coralpay.example",
        full_name="Laura Coral",
        language="en",
        home_hub=miami,
        time_zone="America/New_York",
    )
    rival = OrganizationFactory(name="Brickell Health", hub=miami)
    rival_admin = make_member(
        rival,
        role=MembershipRole.ADMIN,
        email="ana@brickell.example",
        language="en",
        home_hub=miami,
    )
    UserFactory(email="evaluador.a@rutan.example", full_name="Evaluador Uno", language="es")
    UserFactory(
        email="reviewer.b@cic.example", full_name="Reviewer Two", language="en", home_hub=miami
    )
    OrganizationFactory(
        name="Bufete Andino", hub=medellin, type=term("organization_type", "service_provider")
    )

    # 1. The manager creates the program and the call, with a bilingual form and a rubric.
    manager = new_page("es")
    sign_in(manager, "gestora@rutan.example", button="Iniciar sesión")
    manager.goto("/landing/programs/new/")
    manager.locator('[name="hub"]').select_option("medellin")
    manager.locator('[name="destination_hub"]').select_option("medellin")
    manager.locator('[name="direction"]').select_option("inbound")
    manager.get_by_label("Nombre en la dirección web").fill("aterriza-medellin")
    manager.get_by_label("Nombre (inglés)").fill("Landing Medellín")
    manager.get_by_label("Nombre (español)").fill("Aterriza en Medellín")
    manager.get_by_label("Mentoría").check()
    manager.get_by_role("button", name="Crear programa").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Nueva convocatoria")
    manager.get_by_label("Título (inglés)").fill("2026 cohort")
    manager.get_by_label("Título (español)").fill("Cohorte 2026")
    manager.get_by_label("Abre (hora del nodo)").fill(_wall_clock(-1))
    manager.get_by_label("Cierra (hora del nodo)").fill(_wall_clock(10))
    manager.get_by_label("Evaluadores por postulación").fill("2")
    # This journey scores directly; the screening round is covered in tests/landing.
    manager.get_by_label("Ronda de preselección antes de puntuar").uncheck()
    manager.get_by_role("button", name="Crear convocatoria").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Cohorte 2026")

    manager.get_by_text("Agregar una pregunta").click()
    manager.locator('[name="field-key"]').fill("why")
    manager.locator('[name="field-kind"]').select_option("long_text")
    manager.get_by_label("etiqueta (inglés)").fill("Why Medellín?")
    manager.get_by_label("etiqueta (español)").fill("¿Por qué Medellín?")
    manager.get_by_label("ayuda (inglés)").fill("Your plan for the first year.")
    manager.get_by_label("ayuda (español)").fill("Tu plan para el primer año.")
    manager.get_by_role("button", name="Agregar pregunta").click()
    expect(manager.locator("#form-fields")).to_contain_text("Why Medellín? / ¿Por qué Medellín?")

    manager.get_by_text("Agregar un criterio").click()
    manager.get_by_label("nombre (inglés)").fill("Team")
    manager.get_by_label("nombre (español)").fill("Equipo")
    manager.get_by_label("peso").fill("2")
    manager.get_by_role("button", name="Agregar criterio").click()
    expect(manager.locator("#rubric")).to_contain_text("Equipo")
    for email in ("evaluador.a@rutan.example", "reviewer.b@cic.example"):
        manager.get_by_label("Correo del evaluador").fill(email)
        manager.get_by_role("button", name="Agregar evaluador").click()
    expect(manager.locator("#reviewers")).to_contain_text("Reviewer Two")
    call_url = manager.url

    # Another company applied too (through the service, to keep the test short).
    application = Application.objects.get_or_create(
        call_id=int(re.findall(r"/calls/(\d+)/", call_url)[0]),
        organization=rival,
        defaults={"applicant": rival_admin},
    )[0]
    services.application_save(
        actor=rival_admin,
        call=application.call,
        organization=rival,
        answers={"why": "Hospitals."},
        uploads={},
    )
    services.application_submit(actor=rival_admin, application=application)

    # 2. The Miami company applies in English.
    applicant = new_page("en", time_zone="America/New_York")
    sign_in(applicant, "laura@coralpay.example")
    applicant.goto("/landing/programs/aterriza-medellin/")
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Landing Medellín")
    applicant.get_by_role("link", name="Apply").click()
    applicant.get_by_label("Why Medellín?").fill("We bring payments to Colombian corner shops.")
    applicant.get_by_role("button", name="Save draft").click()
    expect(applicant.locator(".messages")).to_contain_text("Draft saved")
    applicant.get_by_role("button", name="Submit application").click()
    expect(applicant.locator("#application-state")).to_have_text("Submitted")

    # 3. Reviewer Two declares a conflict with the other company, then the manager assigns.
    reviewer_b = new_page("en")
    sign_in(reviewer_b, "reviewer.b@cic.example")
    reviewer_b.goto("/landing/reviews/")
    reviewer_b.get_by_role("link", name="Declare conflicts of interest").click()
    reviewer_b.get_by_label("Application").select_option(label="Brickell Health")
    reviewer_b.get_by_label("Why you cannot review it").fill("I advise Brickell Health.")
    reviewer_b.get_by_role("button", name="Declare conflict").click()
    expect(reviewer_b.locator("#applicants")).to_contain_text("conflict declared")

    manager.goto(call_url)
    manager.get_by_role("button", name="Asignar evaluadores automáticamente").click()
    expect(manager.locator(".messages")).to_contain_text("3 asignaciones hechas")
    assert not Review.objects.filter(
        application__organization=rival, reviewer__email="reviewer.b@cic.example"
    ).exists()

    # 4. Both reviewers score Coral Pay; Reviewer One also scores the other company lower.
    reviewer_b.goto("/landing/reviews/")
    expect(reviewer_b.locator("#assigned-reviews tbody tr")).to_have_count(1)
    reviewer_b.get_by_role("link", name="Coral Pay").click()
    reviewer_b.locator('input[type="radio"][value="5"]').check()
    reviewer_b.get_by_role("button", name="Submit review").click()
    expect(reviewer_b.locator(".messages")).to_contain_text("Review submitted")

    reviewer_a = new_page("es")
    sign_in(reviewer_a, "evaluador.a@rutan.example", button="Iniciar sesión")
    for name, level in (("Coral Pay", "4"), ("Brickell Health", "2")):
        reviewer_a.goto("/landing/reviews/")
        reviewer_a.get_by_role("link", name=name).click()
        reviewer_a.locator(f'input[type="radio"][value="{level}"]').check()
        reviewer_a.get_by_role("button", name="Enviar evaluación").click()
        expect(reviewer_a.locator(".messages")).to_contain_text("Evaluación enviada")

    # 5. The manager sees the normalised ranking and admits Coral Pay.
    manager.goto(call_url)
    first_row = manager.locator("#ranking tbody tr").first
    expect(first_row).to_contain_text("Coral Pay")
    expect(manager.locator("#ranking thead")).to_contain_text("Puntaje normalizado")
    expect(first_row.locator("td").nth(4)).to_have_text(re.compile(r"^0[.,]50$"))
    first_row.get_by_role("link", name="Coral Pay").click()
    manager.get_by_label("Admitir").check()
    manager.get_by_label("Comentarios para quien se postula").fill("¡Bienvenidos a Medellín!")
    manager.get_by_role("button", name="Registrar decisión").click()
    expect(manager.locator("#application-state")).to_have_text("Admitida")

    # 6. The case file has Medellín's checklist; the company completes an item with a provider.
    coral = Application.objects.get(organization=company)
    assert coral.state == ApplicationState.ADMITTED
    applicant.goto(f"/landing/applications/{coral.pk}/")
    applicant.get_by_role("link", name="Landing case file").click()
    expect(applicant.locator("#checklist")).to_contain_text("Tax identifiers: NIT and RUT")
    item = applicant.locator("#item-tax_id")
    item.get_by_text("Update").click()
    item.get_by_label("State").select_option("done")
    item.get_by_label("Provider").select_option(label="Bufete Andino")
    item.get_by_label("Notes").fill("NIT 901.234.567-8")
    item.get_by_role("button", name="Save").click()
    expect(applicant.locator("#item-tax_id")).to_contain_text("Bufete Andino")
    expect(applicant.locator("#item-tax_id [data-state]")).to_have_text("Done")
    # The RUT certificate is attached as evidence and listed on the item.
    item.get_by_text("Add evidence").click()
    item.get_by_label("Evidence documents").set_input_files(
        files=[{"name": "rut.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 RUT"}]
    )
    item.get_by_role("button", name="Upload").click()
    expect(applicant.locator(".messages")).to_contain_text("1 document added")
    expect(applicant.locator("#item-tax_id")).to_contain_text("rut.pdf")
    assert (
        ChecklistItem.objects.get(case_file__application=coral, code="tax_id").state
        == ItemState.DONE
    )

    # 7. The other company is not admitted; the manager sends follow-up surveys to both (the
    # comparison group matters) and the company answers.
    services.application_decide(actor=manager_user, application=application, decision="rejected")
    manager.goto(call_url)
    manager.get_by_label("Periodo").fill("2026-H2")
    manager.get_by_role("button", name="Enviar encuestas").click()
    expect(manager.locator(".messages")).to_contain_text("2 encuestas de seguimiento enviadas")
    applicant.goto("/landing/applications/")
    applicant.get_by_role("link", name=re.compile("2026-H2")).click()
    applicant.get_by_label("Currency").select_option("USD")
    applicant.get_by_label("Revenue in the period").fill("120000")
    applicant.get_by_label("Full-time employees").fill("6")
    applicant.get_by_label("Investment raised in the period").fill("500000")
    applicant.get_by_label("Jobs created in the host city").fill("3")
    applicant.get_by_role("button", name="Send answers").click()
    expect(applicant.locator(".messages")).to_contain_text("your answers are recorded")
    survey = SurveyRequest.objects.get(application=coral)
    assert survey.answered_at is not None
    assert survey.jobs_created_host_city == 3
