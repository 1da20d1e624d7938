"""KPI arithmetic over aggregated activity: pure Python, no Django.

The database groups activity records by (quarter, kind, currency); these functions turn those
totals into KPI values, convert money with dated rates, and compare with targets. Quarters are
calendar quarters on the wall clock of the hub an activity belongs to.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

COUNT = "count"  # number of records of the kinds
SUM = "sum"  # sum of the records' quantities
MONEY = "money"  # sum of amounts per currency, converted to the reporting currency
DISTINCT_ORGANIZATIONS = "distinct_organizations"
DISTINCT_PEOPLE = "distinct_people"
RATIO = "ratio"  # 100 * sum(quantity of kinds) / sum(quantity of denominator kinds)
MEASURES = (COUNT, SUM, MONEY, DISTINCT_ORGANIZATIONS, DISTINCT_PEOPLE, RATIO)

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")
CENT = Decimal("0.01")


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, e.g. ``Quarter(2026, 3)`` = July to September 2026."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """``"2026-Q3"`` (also ``2026Q3``, ``2026-q3``); ValueError otherwise."""
        match = _QUARTER.match(text or "")
        if not match:
            raise ValueError(f"not a quarter: {text!r}")
        year = int(match.group(1))
        if not 2000 <= year <= 2100:
            raise ValueError(f"year out of range: {year}")
        return cls(year, int(match.group(2)))

    @classmethod
    def of_date(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def of_moment(cls, moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> Quarter:
        """The quarter a moment falls in on the wall clock of ``zone``."""
        return cls.of_date(moment.astimezone(zone).date())

    @classmethod
    def from_code(cls, code: int) -> Quarter:
        return cls(code // 10, code % 10)

    @property
    def code(self) -> int:
        """20263 for 2026-Q3: the value stored on activity records."""
        return self.year * 10 + self.number

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> dt.date:
        return self.next().first_day - dt.timedelta(days=1)

    def bounds(self, zone: zoneinfo.ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) of the quarter as aware datetimes in ``zone``."""
        start = dt.datetime.combine(self.first_day, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(self.next().first_day, dt.time.min, tzinfo=zone)
        return start, end

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def trailing(self, count: int) -> list[Quarter]:
        """``count`` quarters ending with this one, oldest first."""
        quarters = [self]
        while len(quarters) < count:
            quarters.append(quarters[-1].previous())
        return quarters[::-1]

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


@dataclass(frozen=True)
class KindTotal:
    """Records of one kind (and currency) in one quarter: how many, and their summed quantity."""

    kind: str
    records: int
    quantity: Decimal
    currency: str = ""


@dataclass(frozen=True)
class Rate:
    """``rate`` units of ``currency`` buy one unit of the reporting currency, as of ``valid_on``."""

    currency: str
    rate: Decimal
    valid_on: dt.date
    source: str = ""


@dataclass(frozen=True)
class KpiSpec:
    """How a KPI is computed from activity kinds."""

    code: str
    measure: str
    kinds: tuple[str, ...] = ()
    denominator_kinds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.measure not in MEASURES:
            raise ValueError(f"unknown measure {self.measure!r}")


@dataclass
class KpiValue:
    """A KPI's value for one period: the number, the money behind it, target and progress."""

    code: str
    value: Decimal | None
    by_currency: dict[str, Decimal] = field(default_factory=dict)
    rates: list[Rate] = field(default_factory=list)
    missing_rates: list[str] = field(default_factory=list)
    target: Decimal | None = None

    @property
    def progress(self) -> Decimal | None:
        """Percent of the target reached (None without a positive target or a value)."""
        if self.target is None or self.target <= 0 or self.value is None:
            return None
        return (self.value * 100 / self.target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def convert(
    amount: Decimal, currency: str, rates: Mapping[str, Rate], reporting_currency: str
) -> Decimal | None:
    """``amount`` of ``currency`` in the reporting currency, or None without a rate."""
    if currency == reporting_currency:
        return amount
    rate = rates.get(currency)
    if rate is None or rate.rate <= 0:
        return None
    return amount / rate.rate


def compute_kpi(
    spec: KpiSpec,
    totals: Iterable[KindTotal],
    *,
    distinct: Mapping[str, int] | None = None,
    rates: Mapping[str, Rate] | None = None,
    reporting_currency: str = "USD",
    target: Decimal | None = None,
) -> KpiValue:
    """The value of one KPI from one period's totals."""
    distinct = distinct or {}
    rates = rates or {}
    relevant = [total for total in totals if total.kind in spec.kinds]
    result = KpiValue(code=spec.code, value=None, target=target)
    if spec.measure == COUNT:
        result.value = Decimal(sum(total.records for total in relevant))
    elif spec.measure == SUM:
        result.value = sum((total.quantity for total in relevant), Decimal(0))
    elif spec.measure == DISTINCT_ORGANIZATIONS:
        result.value = Decimal(distinct.get("organizations", 0))
    elif spec.measure == DISTINCT_PEOPLE:
        result.value = Decimal(distinct.get("people", 0))
    elif spec.measure == RATIO:
        numerator = sum((total.quantity for total in relevant), Decimal(0))
        denominator = sum(
            (total.quantity for total in totals if total.kind in spec.denominator_kinds), Decimal(0)
        )
        if denominator > 0:
            result.value = (numerator * 100 / denominator).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
    else:  # MONEY
        by_currency: dict[str, Decimal] = {}
        for total in relevant:
            by_currency[total.currency] = (
                by_currency.get(total.currency, Decimal(0)) + total.quantity
            )
        converted = Decimal(0)
        for currency in sorted(by_currency):
            amount = convert(by_currency[currency], currency, rates, reporting_currency)
            if amount is None:
                result.missing_rates.append(currency)
                continue
            converted += amount
            if currency != reporting_currency:
                result.rates.append(rates[currency])
        result.by_currency = by_currency
        result.value = converted.quantize(CENT, rounding=ROUND_HALF_UP)
    return result
