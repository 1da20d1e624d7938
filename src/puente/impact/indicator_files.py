"""Readers of published indicator files into plain rows. No Django here.

* ``ncses``: NSF NCSES Science and Engineering Indicators table RD-5 as CSV
  (``table_id,row_id,time_period,value``; odd rows millions of PPP dollars, even rows % of GDP,
  ``time_period`` = "Region -> Country (year)").
* ``worldbank``: a World Development Indicators CSV (``Country Name,Country Code,Indicator
  Name,Indicator Code,1960,...``), e.g. GB.XPD.RSDV.GD.ZS.
* ``csv``: Puente's own columns ``area,year,value,source,source_url,is_target,note``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

NCSES_SOURCE = (
    "US National Science Foundation, NCSES, Science and Engineering Indicators, table RD-5"
)
NCSES_URL = "https://ncses.nsf.gov/indicators"
WORLDBANK_SOURCE = "World Bank, World Development Indicators (CC BY 4.0)"
WORLDBANK_URL = "https://data.worldbank.org/indicator/GB.XPD.RSDV.GD.ZS"

_NCSES_LABEL = re.compile(r"^(?:.*->\s*)?(?P<area>[^(<]+?)\s*\((?P<year>\d{4})\)")


@dataclass(frozen=True)
class FigureRow:
    area: str
    year: int
    value: Decimal
    source: str
    source_url: str = ""
    is_target: bool = False
    note: str = ""


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None


def _wanted(area: str, areas: Iterable[str] | None) -> bool:
    return areas is None or area.casefold() in {item.casefold() for item in areas}


def read_ncses(text: str, *, areas: Iterable[str] | None = None) -> list[FigureRow]:
    """The % of GDP rows (even row numbers) of table RD-5."""
    rows = []
    for record in csv.DictReader(io.StringIO(text)):
        row_id = (record.get("row_id") or "").lstrip("r")
        if not row_id.isdigit() or int(row_id) % 2:
            continue
        match = _NCSES_LABEL.match(record.get("time_period") or "")
        value = _decimal(record.get("value") or "")
        if not match or value is None:
            continue
        area = match.group("area").strip()
        if _wanted(area, areas):
            rows.append(FigureRow(area, int(match.group("year")), value, NCSES_SOURCE, NCSES_URL))
    return rows


def read_worldbank(text: str, *, areas: Iterable[str] | None = None) -> list[FigureRow]:
    """Every non-empty (country, year) value of a WDI series file."""
    rows = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, [])
    years = {index: int(name) for index, name in enumerate(header) if name.strip().isdigit()}
    for record in reader:
        if len(record) < 4:
            continue
        area = record[0].strip()
        if not _wanted(area, areas):
            continue
        for index, year in years.items():
            value = _decimal(record[index]) if index < len(record) else None
            if value is not None:
                rows.append(FigureRow(area, year, value, WORLDBANK_SOURCE, WORLDBANK_URL))
    return rows


def read_puente_csv(text: str) -> list[FigureRow]:
    """Puente's own format; ValueError naming the line on a bad row."""
    rows = []
    for number, record in enumerate(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))), start=2):
        value = _decimal(record.get("value") or "")
        year = (record.get("year") or "").strip()
        area = (record.get("area") or "").strip()
        source = (record.get("source") or "").strip()
        if value is None or not year.isdigit() or not area or not source:
            raise ValueError(f"line {number}: area, year, value and source are required")
        is_target = (record.get("is_target") or "").strip().lower() in (
            "1",
            "true",
            "yes",
            "target",
        )
        rows.append(
            FigureRow(
                area,
                int(year),
                value,
                source,
                (record.get("source_url") or "").strip(),
                is_target,
                (record.get("note") or "").strip(),
            )
        )
    return rows


READERS = {"ncses": read_ncses, "worldbank": read_worldbank}
