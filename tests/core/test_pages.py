"""The site's own pages: home, about, privacy, error pages, and the layout every page shares."""

from __future__ import annotations

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from puente.core.models import Visibility
from puente.core.redirects import next_path
from puente.directory.models import MembershipRole
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    hub,
    make_manager,
    make_member,
)

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_home_shows_both_hubs_their_counts_and_the_flows_between_them(client: Client) -> None:
    for _ in range(3):
        organization = OrganizationFactory()
        organization.target_hubs.set([hub("miami")])
    OrganizationFactory(hub=hub("miami"))
    OrganizationFactory(profile_visibility=Visibility.PRIVATE)  # never counted for visitors
    PersonFactory(is_mentor=True)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<h2 id="hub-medellin">Medellín</h2>' in html
    assert '<h2 id="hub-miami">Miami</h2>' in html
    medellin = html.split('id="hub-medellin"')[1].split("</article>")[0]
    assert re.search(r"<dt>organizations</dt><dd class=\"stat\">3</dd>", medellin)
    assert re.search(r"<dt>mentors</dt><dd class=\"stat\">1</dd>", medellin)
    assert "<strong>3</strong> want to reach Miami" in html
    assert "<strong>0</strong> want to reach Medellín" in html
    assert f'href="{reverse("directory:organizations")}?hub=medellin"' in html


def test_home_calls_to_action_follow_who_is_looking(client: Client) -> None:
    assert "Join the network" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    member_html = signed_in(UserFactory()).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Complete my profile" in member_html
    assert "Join the network" not in member_html
    manager_html = signed_in(make_manager()).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Review claims" in manager_html


def test_home_in_spanish(client: Client) -> None:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es">' in html
    assert "Una red para dos ecosistemas de innovación." in html
    assert "Únete a la red" in html


@pytest.mark.parametrize("url", ["/", "/about/", "/privacy/", "/directory/", "/directory/people/"])
def test_every_page_has_landmarks_a_skip_link_and_a_language_switch(
    client: Client, url: str
) -> None:
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html
    assert '<main id="main" tabindex="-1">' in html
    assert '<header class="site-header' in html
    assert '<footer class="site-footer">' in html
    assert '<nav class="nav" aria-label="Main">' in html
    assert 'name="language" value="es" lang="es"' in html


def test_current_section_is_marked_in_the_navigation(client: Client) -> None:
    html = client.get(reverse("directory:people"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<a href="/directory/people/" aria-current="page">People</a>' in html
    assert '<a href="/directory/" aria-current="page">' not in html


def test_account_menu_offers_the_members_pages_and_the_managers_queue() -> None:
    organization = OrganizationFactory()
    html = (
        signed_in(make_member(organization, role=MembershipRole.ADMIN))
        .get("/", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert reverse("directory:my_profile") in html
    assert reverse("directory:my_organizations") in html
    assert reverse("directory:claims") not in html
    html = signed_in(make_manager()).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("directory:claims") in html
    assert reverse("admin:index") not in html  # the back office is for staff only
    assert reverse("admin:index") in signed_in(UserFactory(is_staff=True)).get("/").content.decode()
    # The menu's name includes its visible text (WCAG 2.5.3), not an aria-label that hides it.
    assert '<summary>\n            <span class="visually-hidden">Your account:</span>' in html


def test_about_and_privacy_pages(client: Client) -> None:
    about = client.get(reverse("core:about"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "What the agreement promises" in about
    assert "Ruta N Medellín" in about
    privacy = client.get(reverse("core:privacy"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Ley 1581 de 2012" in privacy
    assert "Política de privacidad" in privacy


def test_not_found_page_is_translated_and_helpful(client: Client) -> None:
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Página no encontrada" in html
    assert 'href="/"' in html


def test_forbidden_page_explains_why() -> None:
    organization = OrganizationFactory()
    response = signed_in(UserFactory()).get(
        reverse("directory:organization_edit", args=[organization.slug]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot see this page" in html
    assert "claim it from its page" in html


def test_api_errors_stay_json(client: Client) -> None:
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    ("target", "kept"),
    [
        ("/directory/?page=2", True),
        ("/", True),
        ("", False),
        ("-1", False),
        ("directory", False),
        ("//evil.example/", False),
        ("/\\evil.example", False),
        ("https://evil.example/", False),
        ("http://testserver/directory/", False),
        ("/a\x00b", False),
        ("/" + "x" * 2001, False),
    ],
)
def test_next_addresses_are_paths_on_this_site_only(target: str, kept: bool) -> None:
    request = RequestFactory().post("/", {"next": target})
    assert next_path(request, "/fallback/") == (target if kept else "/fallback/")
