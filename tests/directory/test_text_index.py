"""The directory's in-memory text search: the database's matches, sensible ranking, always fresh."""

from __future__ import annotations

import numpy as np
import pytest

from puente.accounts.viewer import viewer_for
from puente.core.search import query_terms
from puente.core.text import search_document, word_count, words
from puente.directory import selectors
from puente.directory.models import ORGANIZATION_INDEX, Organization
from puente.directory.services import organization_search_text
from puente.directory.text_index import (
    TIER_EXACT_NAME,
    TIER_NAME,
    TIER_TEXT,
    TextIndex,
    TextPostings,
)
from tests.factories import OrganizationFactory

QUERIES = [
    "cacao",
    "CACAO",
    "caca",
    "logística",
    "logistica",
    "log",
    "energia solar",
    "solar energía",
    "Medellín",
    "software cacao",
    "agrotecnologia",
    "agritech",
    "zzz",
    "a",
    "fintech 2026",
    "ñandú",
    "straße",
]
TEXTS = [
    ("Cacao Fino", "Cacao de aroma para exportar, cacao y más cacao."),
    ("Zeta Logística", "Logística y software para puertos en Medellín."),
    ("Energía Solar Antioquia", "Paneles para la industria; energía limpia."),
    ("Solar Energía", "Instaladores."),
    ("Ñandú Labs", "Biotecnología en Miami, fundada en 2026."),
    ("Straße Ventures", "Capital for fintech founders (Straße means street)."),
    ("Plain", ""),
    ("Punctuation only", "!!! *** 🚀"),
]


def _names(result: selectors.DirectoryResult) -> list[str]:
    return [organization.name for organization in result.items]


def _search(q: str, **filters: object) -> selectors.DirectoryResult:
    return selectors.organization_directory(
        viewer_for(None),
        selectors.DirectoryFilters(q=q, **filters),  # type: ignore[arg-type]
        limit=100,
    )


def test_word_count_is_the_number_of_folded_words() -> None:
    for text in ["", "Cacao Fino", "Energía Solar", "a-b_c d", "Straße 2026", "e\u0301xito uno"]:
        assert word_count(text) == len(words(text)), text


def test_postings_match_every_term_as_a_prefix_and_rank_names_first() -> None:
    texts = [
        search_document("Cacao", "fino cacao"),  # exact name
        search_document("Zeta Cacao", "cacao cacao"),  # name contains
        search_document("Aaa", "cacao mentioned once in a long text about other things"),
        search_document("Bbb", "cacaotera cacao cacao cacao"),
        search_document("Ccc", "nothing here"),
    ]
    names = [word_count(name) for name in ("Cacao", "Zeta Cacao", "Aaa", "Bbb", "Ccc")]
    # Documents numbered out of order, as positions in name order would be.
    postings = TextIndex.build(texts, names, [4, 3, 2, 1, 0], 6)
    found = postings.search(["cacao"])
    assert list(np.flatnonzero(found.matched)) == [1, 2, 3, 4]
    assert found.tier[4] == TIER_EXACT_NAME
    assert found.tier[3] == TIER_NAME
    assert found.tier[2] == found.tier[1] == TIER_TEXT
    assert found.score[1] > found.score[2]  # four mentions in a short text beat one in a long
    assert list(np.flatnonzero(postings.search(["cacaot"]).matched)) == [1]
    assert list(np.flatnonzero(postings.search(["caca", "fino"]).matched)) == [4]
    assert not postings.search(["cacao", "nothing"]).matched.any()
    assert not postings.search(["zzz"]).matched.any()
    assert not postings.search([]).matched.any()
    assert postings.lengths[5] == 0  # a document number without a text


def test_changed_documents_give_the_results_of_a_full_build() -> None:
    texts = {
        0: ("cacao fino de aroma", 2),
        1: ("zeta cacao cacao cacao", 2),
        2: ("logistica y puertos", 1),
        3: ("solar energia paneles", 2),
    }
    index = TextIndex.build(
        [t for t, _n in texts.values()], [n for _t, n in texts.values()], list(texts), 4
    )
    alive = np.array([True, True, False, True, True])
    # Document 2 deleted, 1 rewritten, 4 new.
    changes: dict[int, tuple[str, int] | None] = {
        1: ("cacaotera del norte", 3),
        2: None,
        4: ("cacao y logistica", 1),
    }
    changed = index.updated(changes, 5, alive)
    current = {0: texts[0], 1: changes[1], 3: texts[3], 4: changes[4]}
    full = TextIndex.build(
        [t for t, _n in current.values()],  # type: ignore[misc]
        [n for _t, n in current.values()],  # type: ignore[misc]
        list(current),
        5,
    )
    full.alive = alive  # a full build of the same slots: number 2 no longer exists
    for terms in (["cacao"], ["caca"], ["logistica"], ["cacao", "logistica"], ["norte"], ["zeta"]):
        one, other = changed.search(terms), full.search(terms)
        assert list(np.flatnonzero(one.matched)) == list(np.flatnonzero(other.matched)), terms
        assert np.array_equal(one.tier[one.matched], other.tier[other.matched]), terms
        assert np.allclose(one.score[one.matched], other.score[other.matched]), terms


@pytest.mark.django_db
def test_matches_are_the_database_full_text_matches() -> None:
    for name, description in TEXTS:
        OrganizationFactory(name=name, description=description, sectors=["agritech"])
    everyone = Organization.objects.all()
    for q in QUERIES:
        database = set(ORGANIZATION_INDEX.filter(everyone, q).values_list("id", flat=True))
        result = _search(q)
        assert {item.pk for item in result.items} == database, q
        assert result.count == len(database), q
    assert query_terms("🚀") == []


@pytest.mark.django_db
def test_relevance_puts_the_exact_name_first_then_names_then_text() -> None:
    OrganizationFactory(name="Solar Energía", description="Instaladores.")
    OrganizationFactory(name="Aaa Energía Solar Antioquia", description="Paneles.")
    OrganizationFactory(name="Aab Paneles", description="Energía solar, solar y más solar.")
    OrganizationFactory(name="Aac Paneles", description="Energía solar para la industria.")
    assert _names(_search("energía solar")) == [
        "Solar Energía",
        "Aaa Energía Solar Antioquia",
        "Aab Paneles",
        "Aac Paneles",
    ]
    # An explicit sort still wins over relevance.
    assert _names(_search("energía solar", sort="name")) == [
        "Aaa Energía Solar Antioquia",
        "Aab Paneles",
        "Aac Paneles",
        "Solar Energía",
    ]


@pytest.mark.django_db
def test_search_follows_edits_renames_and_deletes() -> None:
    organization = OrganizationFactory(name="Guadua Viva", description="Bambú para construir.")
    assert _names(_search("guadua")) == ["Guadua Viva"]
    organization.name = "Bambusa Norte"
    organization.description = "Estructuras de bambú."
    organization.search_text = organization_search_text(organization, [organization.type])
    organization.save()
    assert _names(_search("guadua")) == []
    assert _names(_search("bambusa")) == ["Bambusa Norte"]
    assert _search("bambusa").items[0].pk == organization.pk
    Organization.objects.filter(pk=organization.pk).update(search_text="otra cosa")
    assert _names(_search("bambusa")) == []
    assert _names(_search("cosa")) == ["Bambusa Norte"]
    organization.delete()
    assert _search("cosa").count == 0


def test_the_fast_split_and_the_plain_split_give_the_same_postings() -> None:
    texts = ["cacao fino", "", "  doble  espacio ", "tab\tand\nnewline", "cacao"]
    names = [1, 0, 1, 2, 1]
    fast = TextPostings.build(texts, names, [0, 1, 2, 3, 4], 5)
    plain = TextPostings.build([*texts, "a \0 b"], [*names, 0], [0, 1, 2, 3, 4, 5], 6)
    assert fast.vocabulary == [word for word in plain.vocabulary if word not in ("a", "b", "\0")]
    assert list(fast.lengths) == list(plain.lengths[:5]) == [2, 0, 2, 3, 1]
    for term in ("cacao", "doble", "tab", "newline", "espacio"):
        assert [list(array) for array in fast.frequencies(term, 5)] == [
            list(array[:5]) for array in plain.frequencies(term, 5)
        ], term
