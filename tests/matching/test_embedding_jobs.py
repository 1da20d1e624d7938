"""Profiles are embedded after commit, in one batch per transaction, and the demo arrives embedded."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import pytest
from django.db import transaction

from puente.directory import importing, services
from puente.matching import tasks
from puente.matching.embeddings import version_of
from puente.matching.indexing import schedule_embedding
from puente.matching.items import ORGANIZATION, PERSON, items_of
from puente.matching.models import Embedding
from puente.matching.runtime import matching_engine
from tests.factories import hub, term

pytestmark = pytest.mark.django_db

ROWS = "\n".join(
    ["external_id,name,type,hub,description,description_language"]
    + [
        f"ext-{n},Empresa {n},startup,medellin,Software de pagos número {n},es"
        for n in range(1, 31)
    ]
)


def current(item_type: str) -> dict[int, bool]:
    """For every item of the type: does it have a vector of its current text?"""
    stored = dict(
        Embedding.objects.filter(item_type=item_type).values_list("item_id", "text_version")
    )
    return {
        int(item.id.split(":")[1]): stored.get(int(item.id.split(":")[1])) == version_of(item)
        for item in items_of(item_type)
    }


def test_an_import_is_embedded_in_one_batch_after_commit(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, list[int]]] = []
    original = tasks.embed_items.run

    def counted(item_type: str, item_ids: list[int]) -> int:
        calls.append((item_type, list(item_ids)))
        return original(item_type, item_ids)

    monkeypatch.setattr(tasks.embed_items, "run", counted)
    # A rolled-back transaction's items are dropped with it, not sent with the next batch.
    with contextlib.suppress(RuntimeError), transaction.atomic():
        schedule_embedding(PERSON, 424242)
        raise RuntimeError
    with django_capture_on_commit_callbacks(execute=True):
        report = importing.organizations_import(data=ROWS.encode(), filename="orgs.csv", actor=None)
    assert report.committed
    assert [(item_type, len(ids)) for item_type, ids in calls] == [(ORGANIZATION, 30)]
    assert all(current(ORGANIZATION).values())


def test_a_profile_edit_replaces_its_vector_and_an_unchanged_one_costs_nothing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        organization = services.organization_create(
            actor=None,
            values={
                "name": "Brickell Pay",
                "type": term("organization_type", "scaleup"),
                "hub": hub("miami"),
                "description": "Payments for Latin American merchants.",
                "description_language": "en",
            },
        )
    first = Embedding.objects.get(item_type=ORGANIZATION, item_id=organization.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_update(organization=organization, actor=None, values={})
    assert Embedding.objects.get(pk=first.pk).text_version == first.text_version
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_update(
            organization=organization,
            actor=None,
            values={"description": "Card payments and payouts for merchants in Colombia."},
        )
    assert Embedding.objects.get(pk=first.pk).text_version != first.text_version


def test_a_person_is_embedded_when_created(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        person = services.person_create(
            actor=None,
            values={
                "full_name": "Lucía Henao",
                "hub": hub("medellin"),
                "headline": "Mentora de fintech",
                "bio": "Diez años en pagos digitales.",
                "bio_language": "es",
            },
        )
    assert current(PERSON) == {person.pk: True}


def test_the_demo_arrives_embedded_so_the_first_match_waits_for_no_encoder(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from puente.demo.seed import seed_demo

    seed_demo(seed=3, size="small")
    for item_type in (ORGANIZATION, PERSON):
        assert all(current(item_type).values()), item_type
    with caplog.at_level(logging.WARNING, logger="puente.matching.runtime"):
        assert len(matching_engine()) > 0
    assert "had no current vector" not in caplog.text
