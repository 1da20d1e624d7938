"""The directory in a real browser: filtering, search, contact privacy, and the claim journey."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from puente.core.models import Visibility
from puente.directory.models import MembershipRole
from tests.factories import OrganizationFactory, UserFactory, hub, make_manager

PASSWORD = "correct horse battery staple"


def seed_directory() -> None:
    OrganizationFactory(
        name="Cafetal Digital", sectors=["agritech"], tagline="Trazabilidad del café"
    )
    OrganizationFactory(name="Paisa Pagos", sectors=["fintech"], tagline="Pagos para tenderos")
    OrganizationFactory(
        name="Coral Pay",
        hub=hub("miami"),
        sectors=["fintech"],
        tagline="Payments for the Americas",
        description_language="en",
    )
    OrganizationFactory(
        name="Brickell Health", hub=hub("miami"), sectors=["healthtech"], description_language="en"
    )


def result_names(page: Any) -> list[str]:
    return sorted(page.locator("#directory-results .org-card h3").all_inner_texts())


def sign_in(page: Any, email: str, button: str = "Sign in") -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label(re.compile("^(Email address|Correo electrónico)")).fill(email)
    page.get_by_label(re.compile("^(Password|Contraseña)")).fill(PASSWORD)
    page.locator("form.card").get_by_role("button", name=button).click()
    page.wait_for_load_state()


def test_filter_by_hub_and_sector_updates_in_place_and_survives_a_reload(new_page: Any) -> None:
    seed_directory()
    page = new_page("en")
    page.goto("/directory/")
    expect(page.locator("#result-count")).to_contain_text("4 organizations")
    page.evaluate("window.__sameDocument = true")

    page.get_by_role("checkbox", name=re.compile("^Miami")).check()
    expect(page).to_have_url(re.compile(r"hub=miami"))
    expect(page.locator("#result-count")).to_contain_text("2 organizations")
    assert result_names(page) == ["Brickell Health", "Coral Pay"]

    page.get_by_role("checkbox", name=re.compile("^Fintech")).check()
    expect(page).to_have_url(re.compile(r"hub=miami.*sector=fintech|sector=fintech.*hub=miami"))
    expect(page.locator("#result-count")).to_contain_text("1 organization")
    assert result_names(page) == ["Coral Pay"]
    # The list changed without loading a new page (htmx swapped the fragment).
    assert page.evaluate("window.__sameDocument === true")
    expect(page.locator(".active-filters")).to_contain_text("Sector: Fintech")

    page.reload()
    assert page.evaluate("window.__sameDocument === undefined")
    expect(page.get_by_role("checkbox", name=re.compile("^Miami"))).to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile("^Fintech"))).to_be_checked()
    assert result_names(page) == ["Coral Pay"]

    # Back and forward through the filter history keep the form and the list in step.
    page.go_back()
    expect(page).to_have_url(re.compile(r"hub=miami$"))
    expect(page.locator("#result-count")).to_contain_text("2 organizations")
    expect(page.get_by_role("checkbox", name=re.compile("^Fintech"))).not_to_be_checked()
    page.go_forward()
    expect(page.locator("#result-count")).to_contain_text("1 organization")
    expect(page.get_by_role("checkbox", name=re.compile("^Fintech"))).to_be_checked()

    # Removing a filter from its chip widens the results again.
    page.locator(".active-filters").get_by_role("link", name=re.compile("Sector: Fintech")).click()
    expect(page.locator("#result-count")).to_contain_text("2 organizations")
    expect(page).not_to_have_url(re.compile("sector="))


def test_filters_work_in_spanish_and_without_javascript(
    browser: Any, live_server: Any, reference_data: None
) -> None:
    seed_directory()
    context = browser.new_context(locale="es", java_script_enabled=False, base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/directory/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Organizaciones de la red")
        page.get_by_role("checkbox", name=re.compile("^Medellín")).check()
        page.get_by_role("checkbox", name=re.compile("^Fintech")).check()
        page.get_by_role("button", name="Aplicar filtros").click()
        expect(page).to_have_url(re.compile(r"hub=medellin"))
        expect(page.locator("#result-count")).to_contain_text("1 organización")
        assert result_names(page) == ["Paisa Pagos"]
    finally:
        context.close()


def test_search_finds_organizations_as_you_type(new_page: Any) -> None:
    seed_directory()
    page = new_page("es")
    page.goto("/directory/")
    page.get_by_role("searchbox", name="Buscar organizaciones").fill("tenderos")
    expect(page).to_have_url(re.compile(r"q=tenderos"))
    expect(page.locator("#result-count")).to_contain_text("1 organización")
    assert result_names(page) == ["Paisa Pagos"]
    page.get_by_role("searchbox", name="Buscar organizaciones").fill("xyzzy nada")
    expect(page.locator("#directory-results")).to_contain_text("Ninguna organización coincide.")
    # Back in history, the search box shows the words of that earlier search.
    page.go_back()
    expect(page.locator("#result-count")).to_contain_text("1 organización")
    expect(page.get_by_role("searchbox", name="Buscar organizaciones")).to_have_value("tenderos")


def test_filters_fold_into_a_disclosure_on_a_phone(
    browser: Any, live_server: Any, reference_data: None
) -> None:
    seed_directory()
    context = browser.new_context(
        locale="en", viewport={"width": 390, "height": 844}, base_url=live_server.url
    )
    try:
        page = context.new_page()
        page.goto("/directory/")
        miami = page.get_by_role("checkbox", name=re.compile("^Miami"))
        expect(miami).to_be_hidden()
        page.locator("details.filters > summary").click()
        expect(miami).to_be_visible()
        miami.check()
        expect(page.locator("#result-count")).to_contain_text("2 organizations")
        expect(page.locator("#active-filter-count")).to_contain_text("1 active")
    finally:
        context.close()


def test_a_visitor_cannot_see_contact_details(new_page: Any) -> None:
    organization = OrganizationFactory(
        name="Cafetal Digital",
        email="gerencia@cafetal.example",
        phone="+57 300 555 1234",
        contact_visibility=Visibility.PARTNER_HUBS,
    )
    page = new_page("en")
    page.goto(f"/directory/organizations/{organization.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cafetal Digital")
    expect(page.locator("#contact-locked")).to_be_visible()
    assert "gerencia@cafetal.example" not in page.content()
    assert "555 1234" not in page.content()


def test_member_claims_manager_approves_member_edits_the_profile(new_page: Any) -> None:
    organization = OrganizationFactory(
        name="Coral Pay",
        hub=hub("miami"),
        description="Payments for small shops.",
        description_language="en",
        tagline="Payments for the Americas",
        website="https://coralpay.example",
    )
    UserFactory(
        email="laura@coralpay.example",
        full_name="Laura Gómez",
        home_hub=hub("miami"),
        language="en",
    )
    make_manager("miami", email="manager@cic.example", full_name="Mario Manager", language="en")

    member = new_page("en", "America/New_York")
    sign_in(member, "laura@coralpay.example")
    member.goto(f"/directory/organizations/{organization.slug}/")
    member.get_by_label("Your role in the organization").fill("CEO and co-founder")
    member.get_by_label("Message to the hub team").fill("My email uses the company domain.")
    member.get_by_role("button", name="Claim this organization").click()
    expect(member.locator(".messages")).to_contain_text(
        "Your claim was sent to the managers of Miami"
    )
    expect(member.locator("#claim-pending")).to_be_visible()
    expect(member.get_by_role("link", name="Edit profile")).to_have_count(0)

    manager = new_page("en", "America/New_York")
    sign_in(manager, "manager@cic.example")
    manager.goto("/directory/claims/")
    row = manager.locator(".claim-row", has_text="Coral Pay")
    expect(row).to_contain_text("Laura Gómez")
    expect(row).to_contain_text("Email domain matches the website")
    row.get_by_label("Note to the claimant").fill("Welcome aboard")
    row.get_by_role("button", name="Approve").click()
    expect(manager.locator(".claim-row", has_text="Coral Pay")).to_contain_text(
        "Approved: Laura Gómez now manages this organization."
    )
    expect(manager.locator("#pending-count")).to_contain_text("0 claims waiting for a decision")

    member.goto(f"/directory/organizations/{organization.slug}/")
    member.get_by_role("link", name="Edit profile").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Edit the profile of Coral Pay")
    member.get_by_role("textbox", name="Description", exact=True).fill(
        "Instant payments between Miami and Medellín for small shops."
    )
    member.get_by_role("button", name="Save the profile").click()
    expect(member.locator(".messages")).to_contain_text("The profile of Coral Pay is saved.")
    expect(member.locator("#about-heading + .description")).to_have_text(
        "Instant payments between Miami and Medellín for small shops."
    )
    expect(member.locator("#about-heading + .description")).to_have_attribute("lang", "en")

    member.goto("/directory/me/organizations/")
    expect(member.locator(".membership", has_text="Coral Pay")).to_contain_text(
        "Organization admin"
    )
    assert organization.memberships.get().role == MembershipRole.ADMIN
