"""The organization picker: a small select in a directory of any size, and its search."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from puente.core.models import Visibility
from puente.directory.models import Organization
from puente.directory.widgets import PICKER_OPTIONS
from puente.introductions.forms import BrokerForm
from tests.factories import OrganizationFactory, UserFactory, hub, make_manager, make_member

pytestmark = pytest.mark.django_db

OPTIONS = reverse("directory:organization_options")


def option_values(html: str) -> list[str]:
    return re.findall(r'<option value="(\d*)"', html)


def test_the_select_lists_the_first_names_and_the_chosen_one_and_validates_any() -> None:
    for number in range(PICKER_OPTIONS + 20):
        OrganizationFactory(name=f"Empresa {number:03d}")
    last = OrganizationFactory(name="Zona Franca")
    form = BrokerForm(initial={"first": last.pk}, organizations=Organization.objects.all())
    values = option_values(str(form["first"]))
    assert values[0] == ""
    assert len(values) == PICKER_OPTIONS + 2  # the empty choice, the chosen one, the first 50
    assert str(last.pk) in values
    assert f'hx-get="{OPTIONS}?scope=visible&amp;empty=1"' in str(form["first"])
    hidden_from_the_list = Organization.objects.get(name=f"Empresa {PICKER_OPTIONS + 10:03d}")
    assert str(hidden_from_the_list.pk) not in values
    posted = BrokerForm(
        {"first": hidden_from_the_list.pk, "second": last.pk},
        organizations=Organization.objects.all(),
    )
    assert posted.is_valid(), posted.errors
    assert posted.cleaned_data["first"] == hidden_from_the_list


def test_search_ignores_accents_and_case_puts_prefixes_first_and_respects_visibility() -> None:
    cafe = OrganizationFactory(name="Café Origen")
    later = OrganizationFactory(name="Agro Cafetera")
    OrganizationFactory(name="Zeta Labs")
    private = OrganizationFactory(name="Cafetal Privado", profile_visibility=Visibility.PRIVATE)
    stranger = Client()
    stranger.force_login(UserFactory())
    html = stranger.get(OPTIONS, {"organization_search": "CAFE"}).content.decode()
    assert option_values(html) == ["", str(cafe.pk), str(later.pk)]
    member = Client()
    member.force_login(make_member(private))
    html = member.get(OPTIONS, {"organization_search": "cafe"}).content.decode()
    assert option_values(html) == ["", str(cafe.pk), str(private.pk), str(later.pk)]
    assert len(option_values(stranger.get(OPTIONS).content.decode())) == 4  # empty + 3 visible
    assert Client().get(OPTIONS).status_code == 403


@pytest.mark.parametrize("text", ["", "%", "_", "x" * 5000, "\x00", "' OR 1=1 --", "0%", "e_1"])
def test_odd_searches_answer_a_list(text: str) -> None:
    OrganizationFactory(name="Cafe 100% Origen")
    client = Client()
    client.force_login(UserFactory())
    response = client.get(OPTIONS, {"organization_search": text})
    assert response.status_code == 200
    found = option_values(response.content.decode())
    assert found[0] == ""
    if text in ("0%", "e_1"):
        # Literal characters, not LIKE wildcards: "0%" is in the name, "e_1" is not.
        assert len(found) == (2 if text == "0%" else 1)


def test_a_short_list_is_a_plain_select_without_a_search_box() -> None:
    organizations = [OrganizationFactory() for _ in range(3)]
    form = BrokerForm(organizations=Organization.objects.all())
    html = str(form["first"])
    assert "org-picker-search" not in html
    assert option_values(html) == ["", *(str(o.pk) for o in organizations)]


def test_the_acted_for_scope_offers_what_the_user_may_post_for() -> None:
    own = OrganizationFactory(name="Cafetal Digital")
    OrganizationFactory(name="Café Miami", hub=hub("miami"))
    other_medellin = OrganizationFactory(name="Cafeína Labs")
    member = Client()
    member.force_login(make_member(own))
    query = {"organization_search": "caf", "scope": "acted_for", "empty": "0"}
    assert option_values(member.get(OPTIONS, query).content.decode()) == [str(own.pk)]
    manager = Client()
    manager.force_login(make_manager("medellin"))
    assert option_values(manager.get(OPTIONS, query).content.decode()) == [
        str(other_medellin.pk),
        str(own.pk),
    ]
    # An unknown scope falls back to what the user may see.
    visible = member.get(OPTIONS, {**query, "scope": "everything"}).content.decode()
    assert len(option_values(visible)) == 3
