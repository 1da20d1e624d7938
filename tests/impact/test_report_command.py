"""puente report --period 2026-Q3 --hub medellin --lang es --format pdf --out FILE"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from puente.impact.models import ActivityKind as K
from tests.factories import OrganizationFactory, hub
from tests.impact.conftest import fact, partnership

pytestmark = pytest.mark.django_db


def test_report_command_writes_the_pdf_with_the_kpi_table(tmp_path: Path) -> None:
    partnership()
    coral = OrganizationFactory(name="Coral Pay", hub=hub("miami"))
    fact(K.COMPANY_LANDED, "2026-08-05 12:00", "medellin", organization=coral)
    out = tmp_path / "report.pdf"
    call_command(
        "report",
        "--period",
        "2026-Q3",
        "--hub",
        "medellin",
        "--lang",
        "es",
        "--format",
        "pdf",
        "--out",
        str(out),
    )
    text = "".join(page.extract_text() for page in PdfReader(str(out)).pages)
    assert "Informe de impacto 2026-Q3" in text
    assert "Medellín" in text
    assert "Empresas aterrizadas" in text
    english = tmp_path / "report.csv"
    call_command(
        "report", "--period", "2026-Q3", "--lang", "en", "--format", "csv", "--out", str(english)
    )
    assert (
        'companies_landed,Companies landed,"Companies admitted to a landing program'
        in english.read_text(encoding="utf-8-sig")
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--period", "2026-Q7"],
        ["--period", "2026-Q3", "--hub", "atlantis"],
        ["--period", "2026-Q3", "--direction", "x-y"],
    ],
)
def test_report_command_refuses_bad_input(tmp_path: Path, args: list[str]) -> None:
    with pytest.raises(CommandError):
        call_command("report", *args, "--out", str(tmp_path / "r.pdf"))
