"""Directory search: accents, prefixes, both languages' taxonomy labels, facets."""

from __future__ import annotations

import pytest

from puente.accounts.viewer import viewer_for
from puente.directory import selectors
from tests.factories import OrganizationFactory, hub

pytestmark = pytest.mark.django_db


def search(q: str, **filters: object) -> list[str]:
    result = selectors.organization_directory(
        viewer_for(None), selectors.DirectoryFilters(q=q, **filters)
    )  # type: ignore[arg-type]
    return [organization.name for organization in result.items]


def test_search_ignores_accents_and_case_and_matches_prefixes() -> None:
    OrganizationFactory(name="Energía Solar Antioquia", description="Paneles para la industria.")
    OrganizationFactory(name="Biscayne Labs", description="Synthetic biology.")
    assert search("energia") == ["Energía Solar Antioquia"]
    assert search("ENERG") == ["Energía Solar Antioquia"]
    assert search("biolog") == ["Biscayne Labs"]


def test_search_finds_sector_labels_in_both_languages() -> None:
    OrganizationFactory(name="Cafetal Digital", sectors=["agritech"], description="")
    assert search("agrotecnologia") == ["Cafetal Digital"]
    assert search("agritech") == ["Cafetal Digital"]


def test_query_without_words_matches_nothing_instead_of_failing() -> None:
    OrganizationFactory(name="Any")
    assert search("🚀 !!! ***") == []
    assert search('"unbalanced') == []


def test_facets_count_the_whole_result_and_keep_other_values_of_the_selected_facet() -> None:
    OrganizationFactory(name="A", hub=hub("medellin"), sectors=["fintech"])
    OrganizationFactory(name="B", hub=hub("miami"), sectors=["fintech"])
    OrganizationFactory(name="C", hub=hub("miami"), sectors=["healthtech"])
    result = selectors.organization_directory(
        viewer_for(None), selectors.DirectoryFilters(hubs=["miami"])
    )
    assert result.count == 2
    hubs = {value.code: value.count for value in result.facets["hub"]}
    assert hubs == {"medellin": 1, "miami": 2}
    sectors = {value.code: value.count for value in result.facets["sector"]}
    assert sectors == {"fintech": 1, "healthtech": 1}
