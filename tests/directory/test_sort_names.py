"""Names sort as a reader of Spanish or English expects, on every database.

SQLite and the PostgreSQL the project is tested on compare names byte by byte ("Éxito"
after "Zeta", a lower-case "iNNpulsa" after every capital), so lists sort by a stored key
with accents and case folded (``sort_name``).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from puente.core.text import sort_key
from puente.directory.exporting import organizations_for_export, people_for_export
from puente.directory.models import Organization, Person
from tests.factories import OrganizationFactory, PersonFactory, hub, term

NAMES = ["Zeta Labs", "Éxito Digital", "alpha", "iNNpulsa", "¡Bravo! Café", "Ñandú", "Oro"]
READING_ORDER = ["alpha", "¡Bravo! Café", "Éxito Digital", "iNNpulsa", "Ñandú", "Oro", "Zeta Labs"]


def in_page(html: str, names: list[str]) -> list[str]:
    """``names`` in the order the page shows them."""
    escaped = {name: name.replace("'", "&#x27;") for name in names}
    return sorted(names, key=lambda name: html.index(escaped[name]))


def test_the_key_ignores_accents_case_leading_marks_and_extra_spaces() -> None:
    assert sort_key("Éxito") == "exito"
    assert sort_key("iNNpulsa") == "innpulsa"
    assert sort_key("¡Bravo!  Café") == "bravo! cafe"
    assert sort_key('"Ruta N"') == 'ruta n"'
    assert sort_key("Straße") == "strasse"
    assert sort_key("x" * 300, 200) == "x" * 200
    assert sorted(NAMES, key=sort_key) == READING_ORDER


@pytest.mark.django_db
def test_the_directory_lists_organizations_in_reading_order(client: Client) -> None:
    for name in NAMES:
        OrganizationFactory(name=name)
    url = reverse("directory:organizations")
    html = client.get(url).content.decode()
    assert in_page(html, NAMES) == READING_ORDER
    html = client.get(f"{url}?sort=-name").content.decode()
    assert in_page(html, NAMES) == READING_ORDER[::-1]
    # A later write reaches the in-memory index by its refresh, which re-reads the order.
    OrganizationFactory(name="Ébano")
    html = client.get(url).content.decode()
    assert in_page(html, [*NAMES, "Ébano"]) == [
        "alpha",
        "¡Bravo! Café",
        "Ébano",
        "Éxito Digital",
        "iNNpulsa",
        "Ñandú",
        "Oro",
        "Zeta Labs",
    ]


@pytest.mark.django_db
def test_people_and_the_exports_follow_the_same_order(client: Client) -> None:
    for name in NAMES:
        PersonFactory(full_name=name)
        OrganizationFactory(name=name)
    html = client.get(reverse("directory:people")).content.decode()
    assert in_page(html, NAMES) == READING_ORDER
    exported = [organization.name for organization in organizations_for_export()]
    assert [name for name in exported if name in NAMES] == READING_ORDER
    assert [person.full_name for person in people_for_export()] == READING_ORDER


@pytest.mark.django_db
def test_the_key_follows_renames_even_with_update_fields() -> None:
    organization = OrganizationFactory(name="Zeta")
    organization.name = "Ábaco"
    organization.save(update_fields=["name"])
    assert Organization.objects.get(pk=organization.pk).sort_name == "abaco"
    person = PersonFactory(full_name="Zoe")
    person.full_name = "Álvaro Díaz"
    person.save(update_fields=["full_name"])
    assert Person.objects.get(pk=person.pk).sort_name == "alvaro diaz"


@pytest.mark.django_db(transaction=True)
def test_the_migrations_fill_the_keys_keep_the_triggers_and_hide_organizations() -> None:
    """Migrating an existing database: every row gets its key, and the search and index
    triggers survive (a rebuilt SQLite table would lose them); people's search text stops
    naming organizations that are not public (0008)."""

    def triggers() -> set[str]:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            else:
                cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            return {row[0] for row in cursor.fetchall()}

    hub_id = hub("medellin").pk  # reference data (a transactional test may have flushed it)
    type_id = term("organization_type", "startup").pk
    before = triggers()
    executor = MigrationExecutor(connection)
    executor.migrate([("directory", "0006_updated_at_index")])
    try:
        old = executor.loader.project_state([("directory", "0006_updated_at_index")]).apps
        old.get_model("directory", "Organization").objects.create(
            name="Éxito Digital", slug="exito", hub_id=hub_id, type_id=type_id
        )
        angela = old.get_model("directory", "Person").objects.create(
            full_name="Ángela Ríos", slug="angela", hub_id=hub_id, search_text="angela rios"
        )
        hidden = old.get_model("directory", "Organization").objects.create(
            name="Sigilo Labs", slug="sigilo", hub_id=hub_id, type_id=type_id
        )
        hidden.profile_visibility = "members"
        hidden.save()
        old.get_model("directory", "Position").objects.create(
            person=angela, organization=hidden, title="Advisor"
        )
        angela.search_text = "angela rios advisor sigilo labs"  # as 0007's services wrote it
        angela.save()
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert Organization.objects.get(slug="exito").sort_name == "exito digital"
    assert Person.objects.get(slug="angela").sort_name == "angela rios"
    # 0008: the members-only organization is no longer in the person's search text.
    assert Person.objects.get(slug="angela").search_text == "angela rios advisor"
    assert triggers() == before
