"""The marketplace loop in a real browser (issue 3's acceptance): a Medellín startup posts a
Spanish request for seed capital in agritech; an English-language Miami investor offer appears
in its matches with an explanation; the startup requests an introduction; the investor accepts;
both see each other's contact details; the outcome is recorded."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from puente.introductions.models import Introduction, IntroductionOutcome, IntroductionStatus
from puente.marketplace.models import Opportunity, Status
from tests.factories import OrganizationFactory, hub, make_manager, make_member, term
from tests.marketplace.helpers import post_opportunity

PASSWORD = "correct horse battery staple"


def sign_in(page: Any, email: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label(re.compile("^(Email address|Correo electrónico)")).fill(email)
    page.get_by_label(re.compile("^(Password|Contraseña)")).fill(PASSWORD)
    page.locator("form.card").get_by_role(
        "button", name=re.compile("^(Sign in|Iniciar sesión)$")
    ).click()
    page.wait_for_load_state()


def test_spanish_request_meets_english_offer_and_both_sides_are_introduced(new_page: Any) -> None:
    startup = OrganizationFactory(
        name="Cafetal Digital",
        email="hola@cafetal.example",
        phone="+57 604 555 0101",
        type=term("organization_type", "startup"),
        stage=term("stage", "seed"),
        sectors=["agritech"],
    )
    fund = OrganizationFactory(
        name="Biscayne Seed Fund",
        hub=hub("miami"),
        email="deals@biscayne.example",
        phone="+1 305 555 0100",
        type=term("organization_type", "investor"),
        description_language="en",
    )
    make_member(
        startup, email="valentina@cafetal.example", full_name="Valentina Ríos", language="es"
    )
    make_member(
        fund,
        email="john@biscayne.example",
        full_name="John Carter",
        language="en",
        time_zone="America/New_York",
    )
    offer = post_opportunity(
        fund,
        title="Seed capital for Latin American agritech",
        description="We invest seed capital (USD 100k–500k) in agritech startups from Latin America expanding to the United States.",
        sectors=["agritech"],
        stages=["seed"],
        target_hubs=["medellin"],
        amount_min="100000",
        amount_max="500000",
        currency="USD",
    )
    post_opportunity(
        fund,
        title="Mentors for fintech founders",
        kind="expertise",
        description="Our partners mentor fintech founders on US regulation and fundraising.",
        sectors=["fintech"],
    )

    # The startup posts its request in Spanish.
    founder = new_page("es")
    sign_in(founder, "valentina@cafetal.example")
    founder.goto("/opportunities/new/")
    founder.get_by_label("Solicitud").check()
    founder.get_by_label("Tipo", exact=True).select_option("capital")
    founder.get_by_label("Título").fill("Buscamos capital semilla para nuestra plataforma agrícola")
    founder.get_by_label("Descripción").fill(
        "Startup de agritech de Medellín: trazabilidad del café. Buscamos capital semilla para crecer en Miami."
    )
    founder.get_by_label("Idioma del texto").select_option("es")
    founder.locator("input[name=target_hubs][value=miami]").check()
    founder.locator("input[name=sectors][value=agritech]").check()
    founder.locator("input[name=stages][value=seed]").check()
    founder.get_by_role("button", name="Publicar").click()
    founder.wait_for_load_state()
    request = Opportunity.objects.get(title__startswith="Buscamos capital semilla")
    assert request.status == Status.PUBLISHED
    expect(founder).to_have_url(re.compile(rf"/opportunities/{request.pk}/$"))

    # The English offer from Miami is among its matches, with the reasons in Spanish.
    match = founder.locator(f"#match-opportunity-{offer.pk}")
    expect(match).to_be_visible()
    expect(match).to_contain_text("Seed capital for Latin American agritech")
    expect(match.locator(".match-reasons")).to_contain_text("Ofrecen lo que buscas: capital")
    expect(match.locator(".match-reasons")).to_contain_text(
        "Mismo sector: Agrotecnología y alimentos"
    )

    # The startup requests an introduction from the match.
    match.get_by_role("link", name="Solicitar una presentación").click()
    founder.get_by_label("Mensaje para ellos").fill(
        "Hola, nos encantaría contarles sobre Cafetal Digital."
    )
    founder.get_by_role("button", name="Enviar la solicitud").click()
    founder.wait_for_load_state()
    introduction = Introduction.objects.get()
    expect(founder.locator("#introduction-status")).to_contain_text("Esperando respuestas")
    expect(founder.locator("body")).not_to_contain_text("deals@biscayne.example")

    # The investor, in English, sees the request in the inbox and accepts.
    investor = new_page("en", time_zone="America/New_York")
    sign_in(investor, "john@biscayne.example")
    expect(investor.locator("#notification-count")).to_contain_text("1")
    investor.goto("/introductions/")
    investor.get_by_role("link", name=re.compile("Cafetal Digital")).click()
    expect(investor.locator("body")).to_contain_text("They offer the capital you are looking for")
    expect(investor.locator("body")).not_to_contain_text("hola@cafetal.example")
    investor.get_by_role("button", name="Accept the introduction").click()
    investor.wait_for_load_state()
    expect(investor.locator("#introduction-status")).to_contain_text("Accepted by both sides")
    expect(investor.locator("#contact")).to_contain_text("hola@cafetal.example")
    expect(investor.locator("#contact")).to_contain_text("valentina@cafetal.example")
    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.ACCEPTED

    # The startup now sees the investor's contact details and records the outcome.
    founder.goto(f"/introductions/{introduction.pk}/")
    expect(founder.locator("#contact")).to_contain_text("deals@biscayne.example")
    expect(founder.locator("#contact")).to_contain_text("john@biscayne.example")
    founder.get_by_label("Qué pasó").select_option("met")
    founder.get_by_label("Nota").fill("Primera reunión por video")
    founder.get_by_role("button", name="Registrar el resultado").click()
    founder.wait_for_load_state()
    expect(founder.locator("#outcome-list")).to_contain_text("Nos reunimos")
    assert IntroductionOutcome.objects.filter(introduction=introduction, kind="met").exists()


def test_a_hub_manager_finds_organizations_by_typing_in_a_large_directory(new_page: Any) -> None:
    """The broker form's pickers list 50 organizations; typing part of a name (accents
    aside) fetches the matches, Enter picks the first, and the introduction is proposed."""
    for number in range(60):
        OrganizationFactory(name=f"Empresa {number:02d}")
    first = OrganizationFactory(name="Zafiro Ingeniería")
    second = OrganizationFactory(name="Ñame Orgánico", hub=hub("miami"))
    make_manager("medellin", email="gestora@puente.example", language="es")
    page = new_page("es")
    sign_in(page, "gestora@puente.example")
    page.goto("/introductions/broker/")
    options = page.locator("#id_first option")
    expect(options).to_have_count(51)
    search = page.locator("input.org-picker-search").first
    search.fill("ingenieria")
    expect(options).to_have_count(2)
    search.press("Enter")
    expect(page.locator("#id_first")).to_have_value(str(first.pk))
    assert page.url.endswith("/introductions/broker/")  # Enter did not submit the form
    page.locator("input.org-picker-search").nth(1).fill("ÑAME")
    expect(page.locator("#id_second option")).to_have_count(2)
    page.locator("#id_second").select_option(str(second.pk))
    page.get_by_role("button", name="Proponer la presentación").click()
    page.wait_for_load_state()
    assert Introduction.objects.filter(requester=first, target=second).exists()
