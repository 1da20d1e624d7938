"""The pure KPI arithmetic: quarters, conversion, targets — numbers computed by hand."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest

from puente.impact.computation import (
    COUNT,
    MONEY,
    RATIO,
    SUM,
    KindTotal,
    KpiSpec,
    Quarter,
    Rate,
    compute_kpi,
)

BOGOTA = zoneinfo.ZoneInfo("America/Bogota")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_quarter_parsing_and_neighbours() -> None:
    assert Quarter.parse("2026-Q3") == Quarter(2026, 3)
    assert Quarter.parse("2026q4").code == 20264
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter(2026, 4).next() == Quarter(2027, 1)
    assert Quarter(2026, 3).last_day == dt.date(2026, 9, 30)
    assert [str(q) for q in Quarter(2026, 2).trailing(3)] == ["2025-Q4", "2026-Q1", "2026-Q2"]
    for bad in ("2026-Q5", "Q3", "", "1999-Q1", "2026-Q3; drop"):
        with pytest.raises(ValueError, match=r"quarter|year"):
            Quarter.parse(bad)


def test_the_same_instant_falls_in_different_quarters_in_different_hub_zones() -> None:
    moment = dt.datetime(2026, 10, 1, 4, 30, tzinfo=dt.UTC)
    assert Quarter.of_moment(moment, BOGOTA) == Quarter(2026, 3)  # 23:30 on 30 September
    assert Quarter.of_moment(moment, NEW_YORK) == Quarter(2026, 4)  # 00:30 on 1 October
    start, end = Quarter(2026, 4).bounds(BOGOTA)
    assert start == dt.datetime(2026, 10, 1, 5, 0, tzinfo=dt.UTC)
    assert end == dt.datetime(2027, 1, 1, 5, 0, tzinfo=dt.UTC)


def test_count_sum_and_ratio() -> None:
    totals = [
        KindTotal("meeting_held", 3, Decimal(3)),
        KindTotal("space_booking", 4, Decimal(30)),
        KindTotal("space_hours_offered", 1, Decimal(120)),
    ]
    assert compute_kpi(KpiSpec("m", COUNT, ("meeting_held",)), totals).value == 3
    assert compute_kpi(KpiSpec("b", SUM, ("space_booking",)), totals).value == 30
    assert compute_kpi(
        KpiSpec("o", RATIO, ("space_booking",), ("space_hours_offered",)), totals
    ).value == Decimal("25.0")
    assert compute_kpi(KpiSpec("o", RATIO, ("space_booking",), ("nothing",)), totals).value is None


def test_money_is_converted_with_the_rate_and_a_missing_rate_is_reported() -> None:
    totals = [
        KindTotal("investment", 2, Decimal("8000000"), "COP"),
        KindTotal("investment", 1, Decimal("1000"), "USD"),
        KindTotal("investment", 1, Decimal("500"), "EUR"),
    ]
    rate = Rate("COP", Decimal("4000"), dt.date(2026, 9, 30), "test")
    value = compute_kpi(
        KpiSpec("i", MONEY, ("investment",)), totals, rates={"COP": rate}, reporting_currency="USD"
    )
    assert value.value == Decimal("3000.00")  # 8,000,000 / 4,000 + 1,000
    assert value.by_currency == {
        "COP": Decimal("8000000"),
        "EUR": Decimal("500"),
        "USD": Decimal("1000"),
    }
    assert value.rates == [rate]
    assert value.missing_rates == ["EUR"]


def test_progress_against_target() -> None:
    value = compute_kpi(
        KpiSpec("m", COUNT, ("meeting_held",)),
        [KindTotal("meeting_held", 3, Decimal(3))],
        target=Decimal(4),
    )
    assert value.progress == Decimal("75.0")
    assert compute_kpi(KpiSpec("m", COUNT, ("x",)), [], target=Decimal(0)).progress is None
