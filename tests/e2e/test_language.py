"""The site speaks the browser's language and switches on request."""

from __future__ import annotations

from typing import Any

from tests.factories import OrganizationFactory


def test_visitor_gets_browser_language_and_can_switch(new_page: Any) -> None:
    OrganizationFactory(name="Cafetal Digital", sectors=["agritech"])
    page = new_page("en")
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "One network for two innovation ecosystems."
    )
    page.get_by_role("button", name="ES").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    page.goto("/directory/")
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("button", name="EN").click()
    page.wait_for_url("**/directory/")
    assert page.locator("html").get_attribute("lang") == "en"
