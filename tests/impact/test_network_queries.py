"""The network page's queries: the ties read from their partial index alone, in every scope
(SQLite), and the organizations' hubs read the same whichever way they are looked up.

At a million activity records the query took 1.3 s reading the table for each row and 0.07-0.09
s from the index (docs/benchmarks.md, "The network page at this size"). SQLite chooses it once
the planner statistics job has run (``core.analyze_database``, as in production).
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.utils import timezone

from puente.core.database import refresh_planner_statistics
from puente.impact import selectors
from puente.impact.computation import Quarter
from puente.impact.models import ActivityKind, ActivityRecord
from puente.impact.selectors import NETWORK_QUARTERS, Direction, Scope, tie_rows
from tests.factories import OrganizationFactory, hub

Q3 = Quarter(2026, 3)


def _plan(scope: Scope) -> str:
    codes = [q.code for q in Q3.trailing(NETWORK_QUARTERS)]
    records = ActivityRecord.objects.filter(scope.q(), quarter__in=codes)
    sql, params = tie_rows(records).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.django_db
def test_ties_are_read_from_the_covering_partial_index_in_every_scope() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan; PostgreSQL chooses by its own statistics")
    medellin, miami = hub("medellin"), hub("miami")
    organizations = [OrganizationFactory() for _ in range(20)]
    rng = random.Random(3)
    kinds = [ActivityKind.MEETING_HELD, ActivityKind.MATCH_SHOWN, ActivityKind.SPACE_BOOKING]
    now = timezone.now()
    rows = []
    for _ in range(3000):
        home, other = rng.sample([medellin, miami], 2)
        kind = rng.choice(kinds)
        quarter = rng.choice(list(Q3.trailing(12)))
        rows.append(
            ActivityRecord(
                kind=kind,
                occurred_at=now,
                hub=home,
                local_date=dt.date(quarter.year, 3 * quarter.number - 2, 1),
                quarter=quarter.code,
                origin_hub=home,
                destination_hub=other,
                organization=rng.choice(organizations),
                partner_organization=(
                    None if kind == ActivityKind.SPACE_BOOKING else rng.choice(organizations)
                ),
            )
        )
    ActivityRecord.objects.bulk_create(rows, batch_size=500)
    refresh_planner_statistics()
    for scope in (Scope(), Scope(hub=medellin), Scope(direction=Direction(medellin, miami))):
        plan = _plan(scope)
        assert "COVERING INDEX activity_ties_idx" in plan, plan
        assert "TEMP B-TREE" not in plan, plan  # DISTINCT in the index's order


@pytest.mark.django_db
def test_hubs_are_the_same_from_an_in_list_and_from_a_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    medellin, miami = hub("medellin"), hub("miami")
    organizations = [OrganizationFactory(hub=medellin if n % 3 else miami) for n in range(9)]
    wanted = {organization.pk for organization in organizations[:6]} | {10**9}
    expected = {o.pk: o.hub_id for o in organizations[:6]}
    assert selectors._hubs_of(wanted) == expected
    monkeypatch.setattr(selectors, "HUB_LOOKUP_BY_SCAN", 2)
    assert selectors._hubs_of(wanted) == expected
