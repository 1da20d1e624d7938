"""The knowledge library: bilingual full-text search, exact titles first, staleness."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from puente.core.errors import PermissionDenied, ValidationFailed
from puente.impact.models import Guide
from puente.impact.selectors import guides_search
from puente.impact.services import guide_save
from tests.factories import UserFactory, hub, make_manager

pytestmark = pytest.mark.django_db


def guide(
    slug: str, title_en: str, title_es: str, body_en: str = "", body_es: str = "", **extra: object
) -> Guide:
    return guide_save(
        actor=None, slug=slug, category=extra.pop("category", "legal"), title_en=title_en, title_es=title_es,
        body_en=body_en, body_es=body_es, reviewed_on=extra.pop("reviewed_on", timezone.localdate()), **extra,
    )  # fmt: skip


@pytest.fixture
def library() -> dict[str, Guide]:
    return {
        "sas": guide(
            "sas", "Set up an S.A.S. in Colombia", "Constituir una S.A.S. en Colombia",
            body_en="Register the bylaws at the chamber of commerce and obtain the tax registry.",
            body_es="Registra los estatutos en la cámara de comercio y obtén el RUT.", hub=hub("medellin"),
        ),
        "visas": guide(
            "visas", "Visas for founders", "Visas para fundadores",
            body_en="The treaty investor visa suits founders who invest in a US company.",
            body_es="La visa de inversionista por tratado sirve a quienes invierten en una empresa.", category="visas",
        ),
        "bank": guide(
            "bank", "Open a bank account", "Abrir una cuenta bancaria",
            body_en="Banks ask for the articles of organization and the visas of the owners.",
            body_es="Los bancos piden el acta de constitución.", category="banking", hub=hub("miami"),
        ),
    }  # fmt: skip


def slugs(guides: list[Guide]) -> list[str]:
    return [g.slug for g in guides]


def test_an_english_word_of_the_english_version_finds_the_guide(library: dict[str, Guide]) -> None:
    # "bylaws" appears only in the English text of the Spanish-titled S.A.S. guide.
    assert slugs(guides_search("bylaws")) == ["sas"]
    assert slugs(guides_search("estatutos")) == ["sas"]
    assert slugs(guides_search("camara")) == ["sas"]  # accents folded


def test_exact_title_match_ranks_first(library: dict[str, Guide]) -> None:
    # "visas" is in the bank guide's text too, but the visa guide's Spanish title is exactly it.
    found = slugs(guides_search("Visas para fundadores"))
    assert found[0] == "visas"
    found = slugs(guides_search("visas"))
    assert set(found) == {"visas", "bank"}
    extra = guide(
        "visas-2",
        "Visas",
        "Visas",
        body_en="Short list of visas, visas and more visas.",
        category="visas",
    )
    assert slugs(guides_search("VISAS"))[0] == extra.slug


def test_hub_and_category_filters(library: dict[str, Guide]) -> None:
    assert slugs(guides_search("", hub=hub("miami"))) == [
        "bank",
        "visas",
    ]  # hub guides + all-hub guides
    assert slugs(guides_search("", category="visas")) == ["visas"]


def test_queries_without_words_find_nothing_and_never_fail(library: dict[str, Guide]) -> None:
    assert guides_search("!!! ***") == []
    client = Client()
    for query in ('"unbalanced', "a" * 500, "' OR 1=1 --", "NEAR(", "*"):
        assert client.get("/impact/library/", {"q": query}).status_code == 200


def test_stale_guides_are_flagged(library: dict[str, Guide]) -> None:
    old = guide(
        "old", "Old guide", "Guía vieja", reviewed_on=timezone.localdate() - dt.timedelta(days=400)
    )
    assert old.is_stale
    assert not library["sas"].is_stale
    page = Client(HTTP_ACCEPT_LANGUAGE="es").get("/impact/library/old/")
    assert "hace más de 12 meses" in page.content.decode()


def test_library_pages_in_both_languages(library: dict[str, Guide]) -> None:
    spanish = (
        Client(HTTP_ACCEPT_LANGUAGE="es").get("/impact/library/", {"q": "bylaws"}).content.decode()
    )
    assert "Constituir una S.A.S. en Colombia" in spanish
    english = (
        Client(HTTP_ACCEPT_LANGUAGE="en")
        .get("/impact/library/", {"q": "estatutos"})
        .content.decode()
    )
    assert "Set up an S.A.S. in Colombia" in english
    assert Client().get("/impact/library/nope/").status_code == 404


def test_only_managers_edit_guides(library: dict[str, Guide]) -> None:
    with pytest.raises(PermissionDenied):
        guide_save(actor=UserFactory(), guide=library["sas"], title_en="Hijacked")
    changed = guide_save(
        actor=make_manager(), guide=library["sas"], title_en="Set up a firm (S.A.S.)"
    )
    assert slugs(guides_search("firm")) == [changed.slug]
    with pytest.raises(ValidationFailed):
        guide_save(actor=make_manager(), guide=library["sas"], title_es=" ")


def test_api_search(library: dict[str, Guide]) -> None:
    data = Client().get("/api/v1/impact/guides", {"q": "bylaws"}).json()
    assert data["count"] == 1
    assert data["items"][0]["title_es"] == "Constituir una S.A.S. en Colombia"
