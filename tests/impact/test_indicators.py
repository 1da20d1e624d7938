"""Innovation indicators: readers of the published files, the import command, the page."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from puente.impact.indicator_files import read_ncses, read_puente_csv, read_worldbank
from puente.impact.models import IndicatorValue

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
NCSES = """table_id,row_id,time_period,value
6304,r001,North America -> United States (2019)<sup>a</sup>,668351.2
6304,r002,North America -> United States (2019)<sup>a</sup>,3.13
6304,r015,South America -> Colombia (2019),2514.2
6304,r016,South America -> Colombia (2019),0.32
"""
WDI = """Country Name,Country Code,Indicator Name,Indicator Code,2010,2011,2012
Colombia,COL,Research and development expenditure (% of GDP),GB.XPD.RSDV.GD.ZS,0.19377,0.18195,
Chile,CHL,Research and development expenditure (% of GDP),GB.XPD.RSDV.GD.ZS,0.33,,
"""


def test_ncses_reader_keeps_the_share_of_gdp_rows() -> None:
    rows = read_ncses(NCSES)
    assert [(r.area, r.year, r.value) for r in rows] == [
        ("United States", 2019, Decimal("3.13")),
        ("Colombia", 2019, Decimal("0.32")),
    ]
    assert "NCSES" in rows[0].source


def test_worldbank_reader_and_area_filter() -> None:
    rows = read_worldbank(WDI, areas=["colombia"])
    assert [(r.area, r.year, r.value) for r in rows] == [
        ("Colombia", 2010, Decimal("0.19377")),
        ("Colombia", 2011, Decimal("0.18195")),
    ]


def test_puente_csv_reader_refuses_rows_without_source() -> None:
    with pytest.raises(ValueError, match="line 2"):
        read_puente_csv("area,year,value,source\nColombia,2018,1.0,\n")


@pytest.mark.django_db
def test_import_command_stores_figures_with_their_source(tmp_path: Path) -> None:
    path = tmp_path / "rd.csv"
    path.write_text(NCSES, encoding="utf-8")
    call_command("import_indicators", str(path), "--format", "ncses", "--area", "Colombia")
    call_command(
        "import_indicators", str(path), "--format", "ncses", "--area", "Colombia"
    )  # again: no duplicates
    value = IndicatorValue.objects.get()
    assert (value.area, value.year, value.value) == ("Colombia", 2019, Decimal("0.3200"))
    assert "NCSES" in value.source
    page = Client(HTTP_ACCEPT_LANGUAGE="es").get("/impact/indicators/").content.decode()
    assert "Gasto en investigación y desarrollo" in page
    assert "NCSES" in page
    with pytest.raises(CommandError):
        call_command("import_indicators", str(tmp_path / "missing.csv"), "--format", "ncses")
    with pytest.raises(CommandError):
        call_command("import_indicators", str(path), "--format", "ncses", "--indicator", "unknown")


@pytest.mark.django_db
@pytest.mark.skipif(
    not (SHARED / "rd_share_of_gdp_worldbank_wdi.csv").exists(), reason="shared data not present"
)
def test_the_published_world_bank_file_imports() -> None:
    call_command(
        "import_indicators",
        str(SHARED / "rd_share_of_gdp_worldbank_wdi.csv"),
        "--format",
        "worldbank",
        "--area",
        "Colombia",
        "--area",
        "United States",
    )
    assert IndicatorValue.objects.filter(area="Colombia", year=2011).get().value == Decimal(
        "0.1820"
    )
