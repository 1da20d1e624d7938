"""Directory pages as a visitor, a member, an organization admin and a hub manager see them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from puente.accounts.viewer import viewer_for
from puente.core.models import AuditEntry, Visibility
from puente.directory.exporting import local_id, people_for_export, person_record
from puente.directory.models import MembershipRole, Organization, VerificationStatus
from puente.directory.services import organization_update
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    add_position,
    hub,
    make_manager,
    make_member,
    term,
)

pytestmark = pytest.mark.django_db

LIST = reverse("directory:organizations")


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def page(client: Client, url: str, **headers: str) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- the directory list --------------------------------------------------------------------
def test_list_shows_public_organizations_with_facet_counts(client: Client) -> None:
    OrganizationFactory(name="Cafetal Digital", sectors=["agritech"])
    OrganizationFactory(name="Coral Pay", hub=hub("miami"), sectors=["fintech"])
    OrganizationFactory(name="Hidden Labs", profile_visibility=Visibility.MEMBERS)
    html = page(client, LIST, HTTP_ACCEPT_LANGUAGE="en")
    assert "Cafetal Digital" in html
    assert "Coral Pay" in html
    assert "Hidden Labs" not in html
    assert "2 organizations" in html
    # Each hub facet counts one organization; the sector labels follow the UI language.
    assert 'id="f-hub-medellin"' in html
    assert 'id="f-hub-miami"' in html
    assert "Agritech and food" in html


def test_list_filters_by_hub_and_sector_and_search(client: Client) -> None:
    OrganizationFactory(name="Cafetal Digital", sectors=["agritech"])
    OrganizationFactory(name="Paisa Pagos", sectors=["fintech"], tagline="Pagos para tenderos")
    OrganizationFactory(name="Coral Pay", hub=hub("miami"), sectors=["fintech"])
    html = page(client, f"{LIST}?hub=medellin&sector=fintech", HTTP_ACCEPT_LANGUAGE="en")
    assert "Paisa Pagos" in html
    assert "Cafetal Digital" not in html
    assert "Coral Pay" not in html
    assert "1 organization" in html
    html = page(client, f"{LIST}?q=tenderos", HTTP_ACCEPT_LANGUAGE="en")
    assert "Paisa Pagos" in html
    assert "Cafetal Digital" not in html


def test_active_filters_are_listed_with_links_that_remove_them(client: Client) -> None:
    OrganizationFactory(name="Paisa Pagos", sectors=["fintech"])
    html = page(client, f"{LIST}?hub=medellin&sector=fintech&q=pagos", HTTP_ACCEPT_LANGUAGE="en")
    assert "Sector: Fintech" in html
    assert f'href="{LIST}?q=pagos&amp;hub=medellin"' in html  # the sector chip drops the sector
    assert "Clear all filters" in html


def test_list_answers_htmx_with_the_results_fragment_and_fresh_facets(client: Client) -> None:
    OrganizationFactory(name="Cafetal Digital", sectors=["agritech"])
    response = client.get(
        f"{LIST}?sector=agritech", HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="directory-results"' in html
    assert "Cafetal Digital" in html
    assert 'id="facet-groups" hx-swap-oob="true"' in html
    assert 'id="result-count" hx-swap-oob="innerHTML"' in html
    assert "HX-Request" in response["Vary"]
    # The whole page carries no out-of-band markers: htmx would treat them as swaps when it
    # restores the page from its history cache, and the facets would vanish.
    full = client.get(f"{LIST}?sector=agritech").content.decode()
    assert "hx-swap-oob" not in full
    assert "hx-swap-oob" not in client.get(reverse("directory:people")).content.decode()
    # Going back in history with an empty htmx cache asks for the whole page.
    restore = client.get(
        f"{LIST}?sector=agritech", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restore.content.decode()


def test_list_pages_through_results_and_keeps_the_filters(client: Client) -> None:
    for index in range(30):
        OrganizationFactory(name=f"Startup {index:02d}", sectors=["software"])
    html = page(client, f"{LIST}?sector=software&sort=name", HTTP_ACCEPT_LANGUAGE="en")
    assert "Page 1 of 2" in html
    assert "Startup 23" in html
    assert "Startup 24" not in html
    assert 'href="?sector=software&amp;sort=name&amp;page=2"' in html
    html = page(client, f"{LIST}?sector=software&sort=name&page=2", HTTP_ACCEPT_LANGUAGE="en")
    assert "Startup 24" in html
    assert "Startup 23" not in html
    # A page past the end shows the last page rather than nothing.
    html = page(client, f"{LIST}?sector=software&sort=name&page=9", HTTP_ACCEPT_LANGUAGE="en")
    assert "Startup 29" in html
    assert "Page 2 of 2" in html


def test_sort_orders_the_results(client: Client) -> None:
    OrganizationFactory(name="Alfa")
    OrganizationFactory(name="Zeta")
    html = page(client, f"{LIST}?sort=-name")
    assert html.index("Zeta") < html.index("Alfa")
    html = page(client, f"{LIST}?sort=name")
    assert html.index("Alfa") < html.index("Zeta")


def test_verified_and_stale_facets_count_and_filter(client: Client) -> None:
    OrganizationFactory(name="Sello Verde", verification_status=VerificationStatus.VERIFIED)
    OrganizationFactory(
        name="Vieja Data", last_confirmed_at=timezone.now() - dt.timedelta(days=400)
    )
    OrganizationFactory(name="Normal SAS")
    html = page(client, LIST, HTTP_ACCEPT_LANGUAGE="en")
    assert (
        '<span class="facet-label">Verified by the hub</span> <span class="count">1</span>' in html
    )
    assert '<span class="count">1</span>' in html.split('id="f-stale"')[1][:300]
    html = page(client, f"{LIST}?verified=1", HTTP_ACCEPT_LANGUAGE="en")
    assert "Sello Verde" in html
    assert "Normal SAS" not in html
    html = page(client, f"{LIST}?stale=1", HTTP_ACCEPT_LANGUAGE="en")
    assert "Vieja Data" in html
    assert "Normal SAS" not in html
    assert "Needs update" in html


def test_empty_results_explain_and_offer_to_clear(client: Client) -> None:
    OrganizationFactory(name="Cafetal Digital")
    html = page(client, f"{LIST}?q=zzzxxyyy", HTTP_ACCEPT_LANGUAGE="en")
    assert "No organizations match." in html
    assert "Clear all filters" in html
    assert "0 organizations" in html


@pytest.mark.parametrize(
    "query",
    [
        "?sector=not-a-sector&type=spaceship&stage=%3Cscript%3E",
        "?hub=atlantis",
        "?page=abc",
        "?page=-5",
        "?page=99999999999999999999",
        "?q=" + "a" * 5000,
        "?q=%F0%9F%9A%80%F0%9F%8C%8E",
        "?q=%00%01caf%C3%A9",
        "?q=%22%27%29%28*%3A%26%7C%21",
        "?sort=drop%20table&verified=maybe&stale=2",
        "?sector=" + "&sector=".join(["fintech"] * 200),
        "?hub=%00",
    ],
)
def test_bad_query_parameters_never_break_the_directory(client: Client, query: str) -> None:
    OrganizationFactory(name="Cafetal Digital", sectors=["agritech"])
    assert client.get(LIST + query).status_code == 200
    assert client.get(LIST + query, HTTP_HX_REQUEST="true").status_code == 200
    assert client.get(reverse("directory:people") + query).status_code == 200


def test_unknown_facet_codes_are_ignored_rather_than_emptying_the_list(client: Client) -> None:
    OrganizationFactory(name="Cafetal Digital", sectors=["agritech"])
    html = page(client, f"{LIST}?sector=not-a-sector", HTTP_ACCEPT_LANGUAGE="en")
    assert "Cafetal Digital" in html


def test_facets_collapse_into_a_filters_disclosure(client: Client) -> None:
    html = page(client, LIST, HTTP_ACCEPT_LANGUAGE="en")
    assert '<details class="filters" open data-filters>' in html
    assert "<summary>" in html.split("data-filters>")[1][:40]
    assert 'role="status" aria-live="polite"' in html
    # Without JavaScript the form is a plain GET form with submit buttons.
    assert 'method="get"' in html
    assert "Apply filters" in html


# --- organization profile: visibility ------------------------------------------------------
def test_visitor_never_sees_contact_details(client: Client) -> None:
    organization = OrganizationFactory(
        email="ceo@cafetal.example",
        phone="+57 300 123 4567",
        contact_visibility=Visibility.PARTNER_HUBS,
    )
    html = page(
        client,
        reverse("directory:organization", args=[organization.slug]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "ceo@cafetal.example" not in html
    assert "300 123 4567" not in html
    assert 'id="contact-locked"' in html
    assert "Sign in to claim this profile" in html


def test_member_of_the_hub_sees_contact_details() -> None:
    organization = OrganizationFactory(
        email="ceo@cafetal.example", contact_visibility=Visibility.MEMBERS
    )
    member = UserFactory(home_hub=hub("medellin"))
    html = page(signed_in(member), reverse("directory:organization", args=[organization.slug]))
    assert "ceo@cafetal.example" in html


def test_member_of_another_hub_does_not_see_member_only_contacts() -> None:
    organization = OrganizationFactory(
        email="ceo@cafetal.example", contact_visibility=Visibility.MEMBERS
    )
    miami_member = UserFactory(home_hub=hub("miami"))
    html = page(
        signed_in(miami_member), reverse("directory:organization", args=[organization.slug])
    )
    assert "ceo@cafetal.example" not in html


def test_partner_hub_visibility_reaches_verified_members_of_the_partner_hub() -> None:
    organization = OrganizationFactory(
        email="ceo@cafetal.example",
        contact_visibility=Visibility.PARTNER_HUBS,
        details_visibility=Visibility.PARTNER_HUBS,
        address="Calle 10 # 43-12",
    )
    url = reverse("directory:organization", args=[organization.slug])
    miami_member = UserFactory(home_hub=hub("miami"))
    html = page(signed_in(miami_member), url)
    assert "ceo@cafetal.example" in html
    assert "Calle 10 # 43-12" in html
    unverified = UserFactory(home_hub=hub("miami"), email_verified_at=None)
    html = page(signed_in(unverified), url)
    assert "ceo@cafetal.example" not in html
    assert "Calle 10 # 43-12" not in html


def test_details_hidden_from_visitors_when_members_only(client: Client) -> None:
    organization = OrganizationFactory(
        address="Carrera 52 # 71-80", details_visibility=Visibility.MEMBERS, founded_year=2017
    )
    html = page(
        client,
        reverse("directory:organization", args=[organization.slug]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Carrera 52" not in html
    assert "2017" not in html
    assert "size, founding year and address to a narrower group" in html


def test_private_profiles_are_404_for_outsiders_like_missing_ones(client: Client) -> None:
    private = OrganizationFactory(profile_visibility=Visibility.PRIVATE)
    url = reverse("directory:organization", args=[private.slug])
    assert client.get(url).status_code == 404
    assert signed_in(UserFactory()).get(url).status_code == 404
    assert signed_in(make_manager("miami")).get(url).status_code == 404
    assert (
        client.get(reverse("directory:organization", args=["no-such-organization"])).status_code
        == 404
    )
    assert signed_in(make_member(private)).get(url).status_code == 200
    assert signed_in(make_manager("medellin")).get(url).status_code == 200


def test_description_is_shown_in_the_visitors_language_with_the_original_at_hand(
    client: Client,
) -> None:
    organization = OrganizationFactory(
        description="Trazabilidad para café de especialidad.",
        description_language="es",
        description_translation="Traceability for specialty coffee.",
        description_translation_language="en",
    )
    url = reverse("directory:organization", args=[organization.slug])
    html = page(client, url, HTTP_ACCEPT_LANGUAGE="en")
    assert '<div class="description" lang="en">Traceability for specialty coffee.</div>' in html
    assert (
        '<div class="description" lang="es">Trazabilidad para café de especialidad.</div>' in html
    )
    assert "Read the original (Spanish)" in html
    html = page(client, url, HTTP_ACCEPT_LANGUAGE="es")
    assert "Traceability" not in html


def test_stale_profiles_are_flagged_and_explained(client: Client) -> None:
    organization = OrganizationFactory(last_confirmed_at=timezone.now() - dt.timedelta(days=500))
    html = page(
        client,
        reverse("directory:organization", args=[organization.slug]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "This profile may be out of date." in html
    assert "Profiles not confirmed in 12 months are flagged" in html
    assert "Confirm the profile is still current" not in html  # visitors cannot confirm


def test_people_of_the_organization_are_listed_when_visible(client: Client) -> None:
    organization = OrganizationFactory()
    add_position(PersonFactory(full_name="Ana Restrepo"), organization, "CEO")
    add_position(
        PersonFactory(full_name="Oculto Pérez", profile_visibility=Visibility.PRIVATE),
        organization,
        "CTO",
    )
    html = page(client, reverse("directory:organization", args=[organization.slug]))
    assert "Ana Restrepo" in html
    assert "Oculto Pérez" not in html


# --- editing an organization ---------------------------------------------------------------
def edit_url(organization: Organization) -> str:
    return reverse("directory:organization_edit", args=[organization.slug])


def form_data(organization: Organization, **changes: object) -> dict[str, object]:
    from puente.directory.forms import organization_initial

    data: dict[str, object] = {
        key: value
        for key, value in organization_initial(organization).items()
        if value not in (None, "")
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_edit_requires_sign_in(client: Client) -> None:
    organization = OrganizationFactory()
    response = client.get(edit_url(organization))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["stranger", "member", "other_hub_manager"])
def test_edit_is_forbidden_to_non_admins(who: str) -> None:
    organization = OrganizationFactory(name="Cafetal Digital")
    user = {
        "stranger": lambda: UserFactory(),
        "member": lambda: make_member(organization, role=MembershipRole.MEMBER),
        "other_hub_manager": lambda: make_manager("miami"),
    }[who]()
    client = signed_in(user)
    assert client.get(edit_url(organization)).status_code == 403
    response = client.post(edit_url(organization), form_data(organization, name="Hijacked"))
    assert response.status_code == 403
    organization.refresh_from_db()
    assert organization.name == "Cafetal Digital"


def test_admin_edits_the_profile_and_the_change_is_audited() -> None:
    organization = OrganizationFactory(
        name="Cafetal Digital",
        sectors=["agritech"],
        last_confirmed_at=timezone.now() - dt.timedelta(days=500),
    )
    admin = make_member(organization, role=MembershipRole.ADMIN)
    client = signed_in(admin)
    html = page(client, edit_url(organization), HTTP_ACCEPT_LANGUAGE="en")
    for section in (
        "Identity",
        "Description",
        "Sectors, technologies and markets",
        "Hubs",
        "Details",
        "Contact",
        "Who sees what",
    ):
        assert f">{section}</h2>" in html
    assert 'type="checkbox" name="sectors" value="agritech"' in html
    assert "Agritech and food" in html
    assert (
        'name="hub"' in html and "disabled" in html.split('name="hub"')[1][:200]
    ) or "disabled" in html.split('id="id_hub"')[1][:120]
    assert 'name="external_id"' not in html  # records fields are for hub managers
    assert (
        'value="public"'
        not in html.split('name="contact_visibility"')[0].rsplit("<fieldset", 1)[-1]
    )
    response = client.post(
        edit_url(organization),
        form_data(
            organization,
            tagline="Café trazable de la finca a la taza",
            sectors=["agritech", "software"],
            technologies=["iot"],
            description_translation="Coffee traceability.",
            description_translation_language="en",
        ),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.tagline == "Café trazable de la finca a la taza"
    assert sorted(term.code for term in organization.sectors.all()) == ["agritech", "software"]
    assert [term.code for term in organization.technologies.all()] == ["iot"]
    assert not organization.is_stale
    entry = AuditEntry.objects.filter(
        action="organization.update", target_id=str(organization.pk)
    ).get()
    assert entry.actor == admin
    assert entry.before["tagline"] != entry.after["tagline"]
    html = page(client, response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "is saved" in html
    assert "Café trazable de la finca a la taza" in html


def test_admin_cannot_move_the_organization_to_another_hub() -> None:
    organization = OrganizationFactory()
    client = signed_in(make_member(organization, role=MembershipRole.ADMIN))
    response = client.post(edit_url(organization), form_data(organization, hub="miami"))
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.hub.slug == "medellin"


def test_hub_manager_can_move_the_organization_and_set_its_external_id() -> None:
    organization = OrganizationFactory()
    client = signed_in(make_manager("medellin"))
    response = client.post(
        edit_url(organization), form_data(organization, hub="miami", external_id="crm-77")
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.hub.slug == "miami"
    assert organization.external_id == "crm-77"


def test_edit_errors_are_shown_per_field_and_nothing_changes() -> None:
    organization = OrganizationFactory(name="Cafetal Digital")
    client = signed_in(make_member(organization, role=MembershipRole.ADMIN))
    response = client.post(
        edit_url(organization),
        form_data(
            organization,
            name="   ",
            website="not a url at all",
            founded_year=str(timezone.now().year + 3),
            description_translation="Coffee.",
            description_translation_language="es",
            contact_visibility="public",
            sectors=["agritech", "no-such-sector"],
        ),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please correct the errors below." in html
    assert "This field is required." in html or "Enter the organization" in html
    assert "Enter a complete web address, such as https://example.org." in html
    assert "The founding year cannot be in the future." in html
    assert "The translation must be in a different language from the description." in html
    assert "“public” is not one of the options; choose one from the list." in html
    assert "is not a known code here" in html
    assert 'aria-invalid="true"' in html
    organization.refresh_from_db()
    assert organization.name == "Cafetal Digital"
    assert not AuditEntry.objects.filter(action="organization.update").exists()


def test_edit_errors_are_translated() -> None:
    organization = OrganizationFactory()
    client = signed_in(make_member(organization, role=MembershipRole.ADMIN))
    response = client.post(
        edit_url(organization),
        form_data(organization, founded_year="3000"),
        HTTP_ACCEPT_LANGUAGE="es",
    )
    html = response.content.decode()
    assert "El año de fundación no puede estar en el futuro." in html
    response = client.post(
        edit_url(organization),
        form_data(organization, website="no es una url"),
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert (
        "Escribe una dirección web completa, como https://example.org." in response.content.decode()
    )


def test_oversized_values_are_refused_without_a_server_error() -> None:
    organization = OrganizationFactory()
    client = signed_in(make_member(organization, role=MembershipRole.ADMIN))
    response = client.post(
        edit_url(organization),
        form_data(organization, name="x" * 5000, description="y" * 60000, founded_year="1e309"),
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


# --- confirming and verifying --------------------------------------------------------------
def test_admin_confirms_the_profile_is_current() -> None:
    organization = OrganizationFactory(last_confirmed_at=timezone.now() - dt.timedelta(days=500))
    admin = make_member(organization, role=MembershipRole.ADMIN)
    client = signed_in(admin)
    html = page(
        client,
        reverse("directory:organization", args=[organization.slug]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Confirm the profile is still current" in html
    response = client.post(reverse("directory:organization_confirm", args=[organization.slug]))
    assert response.status_code == 302
    organization.refresh_from_db()
    assert not organization.is_stale
    assert AuditEntry.objects.filter(action="organization.confirm", actor=admin).exists()


def test_confirming_is_forbidden_to_others_and_needs_post() -> None:
    organization = OrganizationFactory(last_confirmed_at=timezone.now() - dt.timedelta(days=500))
    url = reverse("directory:organization_confirm", args=[organization.slug])
    client = signed_in(UserFactory())
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 405
    organization.refresh_from_db()
    assert organization.is_stale


def test_hub_manager_verifies_and_unverifies_an_organization() -> None:
    organization = OrganizationFactory()
    manager = make_manager("medellin")
    client = signed_in(manager)
    url = reverse("directory:organization_verification", args=[organization.slug])
    html = page(
        client,
        reverse("directory:organization", args=[organization.slug]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Mark as verified" in html
    assert client.post(url, {"verified": "1"}).status_code == 302
    organization.refresh_from_db()
    assert organization.is_verified
    html = page(
        client,
        reverse("directory:organization", args=[organization.slug]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Withdraw the verification" in html
    assert "Verified by the hub" in html
    assert client.post(url, {"verified": "0"}).status_code == 302
    organization.refresh_from_db()
    assert not organization.is_verified
    assert AuditEntry.objects.filter(action="organization.verify", actor=manager).exists()
    assert AuditEntry.objects.filter(action="organization.unverify", actor=manager).exists()


def test_verification_is_for_hub_managers_only() -> None:
    organization = OrganizationFactory()
    admin = make_member(organization, role=MembershipRole.ADMIN)
    url = reverse("directory:organization_verification", args=[organization.slug])
    assert signed_in(admin).post(url, {"verified": "1"}).status_code == 403
    html = page(
        signed_in(admin),
        reverse("directory:organization", args=[organization.slug]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Mark as verified" not in html
    response = signed_in(make_manager("medellin")).post(url, {"verified": "perhaps"})
    assert response.status_code == 302
    organization.refresh_from_db()
    assert not organization.is_verified


# --- people ----------------------------------------------------------------------------------
def test_people_list_filters_by_hub_mentor_and_expertise(client: Client) -> None:
    mentor = PersonFactory(full_name="Laura Gómez", is_mentor=True)
    mentor.expertise.set([term("sector", "fintech")])
    PersonFactory(full_name="Mike Johnson", hub=hub("miami"))
    url = reverse("directory:people")
    html = page(client, f"{url}?mentor=1", HTTP_ACCEPT_LANGUAGE="en")
    assert "Laura Gómez" in html
    assert "Mike Johnson" not in html
    html = page(client, f"{url}?hub=miami", HTTP_ACCEPT_LANGUAGE="en")
    assert "Mike Johnson" in html
    assert "Laura Gómez" not in html
    html = page(client, f"{url}?expertise=fintech", HTTP_ACCEPT_LANGUAGE="en")
    assert "Laura Gómez" in html
    assert "Mike Johnson" not in html
    response = client.get(f"{url}?hub=miami", HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert 'id="people-count" hx-swap-oob="innerHTML"' in response.content.decode()


def test_person_contact_details_hidden_from_visitors_and_private_people_404(client: Client) -> None:
    person = PersonFactory(email="laura@example.org")
    html = page(client, reverse("directory:person", args=[person.slug]))
    assert "laura@example.org" not in html
    member = UserFactory(home_hub=hub("medellin"))
    assert "laura@example.org" in page(
        signed_in(member), reverse("directory:person", args=[person.slug])
    )
    private = PersonFactory(profile_visibility=Visibility.PRIVATE)
    assert client.get(reverse("directory:person", args=[private.slug])).status_code == 404
    assert (
        signed_in(UserFactory(home_hub=hub("miami")))
        .get(reverse("directory:person", args=[private.slug]))
        .status_code
        == 404
    )


def test_person_headline_and_bio_carry_their_language(client: Client) -> None:
    person = PersonFactory(headline="Angel investor", bio="I invest in fintech.", bio_language="en")
    html = page(client, reverse("directory:person", args=[person.slug]), HTTP_ACCEPT_LANGUAGE="es")
    assert '<p class="profile-tagline" lang="en">Angel investor</p>' in html
    assert '<div class="description" lang="en">I invest in fintech.</div>' in html


def test_ticked_values_of_a_long_facet_come_first(client: Client) -> None:
    for code in (
        "agritech",
        "software",
        "energy",
        "creative",
        "logistics",
        "biotech",
        "edtech",
        "commerce",
        "tourism",
    ):
        OrganizationFactory(sectors=[code, "fintech"] if code == "tourism" else [code, "agritech"])
    html = page(client, f"{LIST}?sector=tourism", HTTP_ACCEPT_LANGUAGE="en")
    sector_facet = html.split("<legend>Sector</legend>")[1].split("</fieldset>")[0]
    assert sector_facet.index('value="tourism"') < sector_facet.index('value="agritech"')


def test_positions_at_hidden_organizations_are_left_out_not_linked_to_a_404(
    client: Client,
) -> None:
    """A person's page, the people list and the viewer's export name only organizations
    the viewer may open (a hidden one answers 404, as if it did not exist)."""
    person = PersonFactory(full_name="Laura Gómez")
    add_position(person, OrganizationFactory(name="Cafetal Digital"), "CEO")
    hidden = OrganizationFactory(name="Sigilo Labs", profile_visibility=Visibility.PRIVATE)
    add_position(person, hidden, "Advisor")
    html = page(client, reverse("directory:person", args=[person.slug]))
    assert "Cafetal Digital" in html
    assert "Sigilo Labs" not in html
    assert client.get(reverse("directory:organization", args=[hidden.slug])).status_code == 404
    member = make_member(hidden)
    html = page(signed_in(member), reverse("directory:person", args=[person.slug]))
    assert "Sigilo Labs" in html
    assert page(signed_in(member), reverse("directory:organization", args=[hidden.slug]))
    only_hidden = PersonFactory(full_name="Pedro Sigilo")
    add_position(only_hidden, hidden, "CTO")
    assert "Sigilo Labs" not in page(client, reverse("directory:people"))
    visitor_export = people_for_export(viewer=viewer_for(AnonymousUser()))
    assert {
        row["organization"]
        for row in (person_record(p, viewer_for(AnonymousUser())) for p in visitor_export)
    } == {
        local_id(organization)
        for organization in Organization.objects.filter(name="Cafetal Digital")
    } | {""}


def test_people_are_found_by_an_organization_name_only_while_it_is_public(
    client: Client,
) -> None:
    person = PersonFactory(full_name="Laura Gómez")
    hidden = OrganizationFactory(name="Sigilo Labs", profile_visibility=Visibility.PRIVATE)
    add_position(person, hidden, "Advisor")
    people = reverse("directory:people")
    assert "Laura Gómez" not in page(client, f"{people}?q=sigilo")
    assert "Laura Gómez" in page(client, f"{people}?q=advisor")  # the title still counts
    organization_update(
        organization=hidden,
        actor=None,
        values={"profile_visibility": Visibility.PUBLIC, "name": "Sigilo Abierto"},
    )
    assert "Laura Gómez" in page(client, f"{people}?q=abierto")
    organization_update(organization=hidden, actor=None, values={"name": "Faro Labs"})
    assert "Laura Gómez" in page(client, f"{people}?q=faro")
    assert "Laura Gómez" not in page(client, f"{people}?q=abierto")
