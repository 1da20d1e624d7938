"""``puente import opportunities FILE``: CSV and JSON Lines, per-row errors, all-or-nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from puente.core.models import AuditEntry
from puente.marketplace import importing
from puente.marketplace.importing import opportunities_import
from puente.marketplace.models import Opportunity, Status
from tests.factories import OrganizationFactory, hub, make_manager

pytestmark = pytest.mark.django_db

HEADER = "external_id,organization,side,kind,title,description,language,hub,sectors,target_hubs"
GOOD = "opp-1,org-cafetal,request,capital,Capital semilla agritech,Buscamos capital semilla para crecer en Miami.,es,medellin,agritech,miami"
OTHER = "opp-2,org-fund,offer,capital,Seed capital for agritech,We invest seed capital in Latin American agritech.,en,miami,agritech;fintech,medellin"


@pytest.fixture(autouse=True)
def organizations(db: None) -> None:
    OrganizationFactory(name="Cafetal", external_id="org-cafetal")
    OrganizationFactory(name="Biscayne Fund", external_id="org-fund", hub=hub("miami"))


def run(tmp_path: Path, content: str, *args: str, name: str = "opportunities.csv") -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import",
        "opportunities",
        str(path),
        *args,
        "--language",
        "en",
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def test_a_csv_creates_published_opportunities_and_a_second_run_updates(tmp_path: Path) -> None:
    output = run(tmp_path, f"{HEADER}\n{GOOD}\n{OTHER}\n")
    assert "2 created" in output
    request = Opportunity.objects.get(external_id="opp-1")
    assert request.status == Status.PUBLISHED
    assert request.organization.name == "Cafetal"
    assert [hub.slug for hub in request.target_hubs.all()] == ["miami"]
    assert sorted(
        term.code for term in Opportunity.objects.get(external_id="opp-2").sectors.all()
    ) == ["agritech", "fintech"]
    assert AuditEntry.objects.filter(action="opportunity.create").count() == 2
    output = run(
        tmp_path,
        f"{HEADER}\n{GOOD.replace('Capital semilla agritech', 'Capital semilla para agritech')}\n{OTHER}\n",
    )
    assert "1 updated" in output
    assert "(1 unchanged)" in output
    assert Opportunity.objects.get(external_id="opp-1").title == "Capital semilla para agritech"


def test_jsonl_is_accepted(tmp_path: Path) -> None:
    rows = [
        {
            "external_id": "j-1",
            "organization": "org-fund",
            "side": "offer",
            "kind": "expertise",
            "title": "Mentoring on US fundraising",
            "description": "Our partners mentor founders raising in the US.",
            "language": "en",
            "hub": "miami",
            "sectors": ["fintech"],
            "target_hubs": ["medellin"],
            "status": "draft",
        },
    ]
    output = run(tmp_path, "\n".join(json.dumps(row) for row in rows) + "\n", name="o.jsonl")
    assert "1 created" in output
    assert Opportunity.objects.get(external_id="j-1").status == Status.DRAFT


def test_any_invalid_row_means_nothing_is_written_unless_skip_invalid(tmp_path: Path) -> None:
    bad_rows = [
        "opp-3,org-nowhere,offer,capital,Some title here,A description that is long enough.,en,miami,,",
        "opp-4,org-fund,sideways,capital,Some title here,A description that is long enough.,en,miami,,",
        "opp-5,org-fund,offer,telepathy,Some title here,A description that is long enough.,en,mars,,",
        "opp-1,org-fund,offer,capital,Duplicate id,A description that is long enough.,en,miami,,",
        ",org-fund,offer,capital,No id at all,A description that is long enough.,en,miami,,",
    ]
    content = f"{HEADER}\n{GOOD}\n" + "\n".join(bad_rows) + "\n"
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(tmp_path, content)
    assert not Opportunity.objects.exists()
    report = opportunities_import(data=content.encode(), actor=None, filename="x.csv")
    codes = {(problem.line, problem.field, problem.code) for problem in report.problems}
    assert (3, "organization", "unknown_organization") in codes
    assert (4, "side", "invalid_choice") in codes
    assert any(line == 5 and field == "hub" for line, field, _code in codes)
    assert (6, "external_id", "duplicate_in_file") in codes
    assert (7, "external_id", "required") in codes
    output = run(tmp_path, content, "--skip-invalid")
    assert "1 created" in output
    assert "5 invalid" in output
    assert list(Opportunity.objects.values_list("external_id", flat=True)) == ["opp-1"]


def test_managers_import_only_their_hubs_organizations(tmp_path: Path) -> None:
    manager = make_manager("medellin")
    report = opportunities_import(
        data=f"{HEADER}\n{GOOD}\n{OTHER}\n".encode(), actor=manager, filename="x.csv"
    )
    assert [problem.code for problem in report.problems] == ["organization_not_managed"]
    assert not report.committed


def test_bad_files_get_messages_not_tracebacks(tmp_path: Path) -> None:
    for content in ("", "not,a,header\n1,2,3\n", '{"broken json\n', "\x00\x01\x02"):
        with pytest.raises(CommandError):
            run(tmp_path, content, name="bad.csv")


def test_planner_statistics_are_refreshed_after_rows_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refreshed: list[bool] = []
    monkeypatch.setattr(importing, "refresh_planner_statistics", lambda: refreshed.append(True))
    run(tmp_path, f"{HEADER}\n{GOOD}\n", "--dry-run")
    assert refreshed == []  # a check writes nothing
    run(tmp_path, f"{HEADER}\n{GOOD}\n")
    assert refreshed == [True]
    run(tmp_path, f"{HEADER}\n{GOOD}\n")  # unchanged: nothing written
    assert refreshed == [True]
