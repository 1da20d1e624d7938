"""The planner statistics job: after it, SQLite reads a page of opportunities by primary key."""

from __future__ import annotations

import pytest
from django.db import connection

from puente.core.database import refresh_planner_statistics
from puente.core.tasks import analyze_database
from puente.marketplace.models import Opportunity, Status
from tests.factories import OrganizationFactory
from tests.marketplace.helpers import post_opportunity


def _plan(sql: str, params: tuple[object, ...]) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.django_db
def test_the_job_reports_the_database_it_refreshed() -> None:
    assert analyze_database() == connection.vendor


@pytest.mark.django_db
def test_sqlite_reads_a_page_by_primary_key_once_statistics_exist() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's planner only; PostgreSQL keeps statistics by itself")
    template = post_opportunity(OrganizationFactory())
    rows = []
    for number in range(2000):
        row = Opportunity.objects.get(pk=template.pk)
        row.pk = None
        row.title = f"Seed capital round {number}"
        rows.append(row)
    Opportunity.objects.bulk_create(rows, batch_size=500)
    ids = list(Opportunity.objects.values_list("pk", flat=True)[:40])
    sql, params = Opportunity.objects.filter(
        pk__in=ids, status=Status.PUBLISHED
    ).query.sql_with_params()
    refresh_planner_statistics()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1")
        assert cursor.fetchone()[0] > 0
    plan = _plan(sql, params)
    assert "PRIMARY KEY" in plan, plan
