"""Importing organizations and people: formats, per-row reports, all-or-nothing, upserts, round trips."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from puente.core.errors import PermissionDenied
from puente.core.models import AuditEntry
from puente.directory import exporting, importing
from puente.directory.models import Organization, Person, Position
from tests.factories import OrganizationFactory, UserFactory, hub, make_manager

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference_data(db: None) -> None:
    hub("medellin")  # reloads hubs and taxonomy if a transactional test flushed them


HEADER = "external_id,name,type,hub,description,description_language,sectors,website"
GOOD_ROWS = [
    "ext-1,Café Trace,startup,medellin,Trazabilidad del café,es,agritech;software,cafetrace.example",
    "ext-2,Brickell Pay,scaleup,miami,Payments for Latin American merchants,en,fintech,https://brickellpay.example",
]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def run(
    text: str | bytes, filename: str = "organizations.csv", **options: Any
) -> importing.ImportReport:
    data = text.encode() if isinstance(text, str) else text
    options.setdefault("actor", None)
    return importing.organizations_import(data=data, filename=filename, **options)


def csv_file(*rows: str, header: str = HEADER, newline: str = "\n") -> str:
    return newline.join([header, *rows]) + newline


# --- formats -----------------------------------------------------------------------------------


def test_csv_creates_organizations_with_their_taxonomy_and_hub() -> None:
    report = run(csv_file(*GOOD_ROWS))
    assert report.summary() == "2 created, 0 updated, 0 invalid"
    assert report.committed
    cafe = Organization.objects.get(external_id="ext-1")
    assert cafe.name == "Café Trace"
    assert cafe.hub.slug == "medellin"
    assert cafe.type.code == "startup"
    assert sorted(term.code for term in cafe.sectors.all()) == ["agritech", "software"]
    assert cafe.website == "https://cafetrace.example"
    assert cafe.contact_visibility == "members"
    # Searchable right away, in either language of the taxonomy.
    assert "agrotecnologia" in cafe.search_text
    assert "cafe" in cafe.search_text


@pytest.mark.parametrize(
    ("delimiter", "filename"),
    [(";", "organizations.csv"), ("\t", "organizations.tsv"), ("\t", "organizations.txt")],
    ids=["semicolon", "tab", "tab-txt"],
)
def test_semicolon_and_tab_separated_files_are_detected(delimiter: str, filename: str) -> None:
    rows = [
        delimiter.join(
            [
                "ext-1",
                "Café Trace",
                "startup",
                "medellin",
                "Hola",
                "es",
                '"agritech;software"' if delimiter == ";" else "agritech;software",
                "",
            ]
        ),
        delimiter.join(["ext-2", "Brickell Pay", "scaleup", "miami", "Hi", "en", "fintech", ""]),
    ]
    report = run(csv_file(*rows, header=HEADER.replace(",", delimiter)), filename=filename)
    assert report.file.delimiter == delimiter
    assert report.created == 2
    assert sorted(
        Organization.objects.get(external_id="ext-1").sectors.values_list("code", flat=True)
    ) == ["agritech", "software"]


def test_windows_line_endings_and_quoted_multiline_values_are_read() -> None:
    row = (
        'ext-1,"Café Trace, S.A.S.",startup,medellin,"Primera línea\r\nsegunda línea",es,agritech,'
    )
    report = run(csv_file(row, newline="\r\n"))
    assert report.created == 1
    organization = Organization.objects.get(external_id="ext-1")
    assert organization.name == "Café Trace, S.A.S."
    assert organization.description == "Primera línea\r\nsegunda línea"


def test_utf8_byte_order_mark_is_accepted() -> None:
    report = run(b"\xef\xbb\xbf" + csv_file(*GOOD_ROWS).encode())
    assert report.created == 2
    assert report.file.columns[0] == "external_id"


def test_utf16_with_byte_order_mark_is_decoded_and_said() -> None:
    report = run(csv_file(*GOOD_ROWS).encode("utf-16"))
    assert report.created == 2
    assert "UTF-16" in report.warnings()[0]


def test_latin1_file_imports_with_the_encoding_given() -> None:
    report = run(csv_file(*GOOD_ROWS).encode("latin-1"), encoding="latin-1")
    assert report.created == 2
    assert Organization.objects.get(external_id="ext-1").name == "Café Trace"


def test_json_lines_with_lists_numbers_and_nulls() -> None:
    lines = [
        {
            "external_id": "j-1",
            "name": "Agro Nexo",
            "type": "startup",
            "hub": "medellin",
            "sectors": ["agritech"],
            "founded_year": 2021,
            "stage": None,
            "description_language": "es",
        },
        {
            "external_id": 42,
            "name": "Sunshine Grid",
            "type": "startup",
            "hub": "miami",
            "sectors": ["energy"],
            "target_hubs": ["medellin"],
        },
    ]
    report = run("\n".join(json.dumps(line) for line in lines) + "\n", filename="orgs.jsonl")
    assert report.file.format == "jsonl"
    assert report.created == 2
    assert Organization.objects.get(external_id="j-1").founded_year == 2021
    sunshine = Organization.objects.get(external_id="42")
    assert [hub.slug for hub in sunshine.target_hubs.all()] == ["medellin"]
    # Without a description language, the home hub's main language is assumed.
    assert sunshine.description_language == "en"


def test_format_is_detected_from_content_when_the_name_says_nothing() -> None:
    line = json.dumps(
        {"external_id": "j-1", "name": "Agro Nexo", "type": "startup", "hub": "medellin"}
    )
    assert run(line, filename="upload").file.format == "jsonl"
    assert run(csv_file(*GOOD_ROWS), filename="upload").file.format == "csv"


def test_unknown_columns_are_ignored_with_a_warning() -> None:
    report = run(
        csv_file("ext-1,Café Trace,startup,medellin,x,es,,,42", header=HEADER + ",employees")
    )
    assert report.created == 1
    assert report.file.ignored_columns == ["employees"]
    assert report.warnings() == ["Unknown columns were ignored: “employees”."]


def test_header_names_are_matched_without_regard_to_case_and_spaces() -> None:
    report = run("External ID,Name,TYPE,Hub\next-1,Café Trace,startup,medellin\n")
    assert report.created == 1


# --- per-row problems and all-or-nothing -------------------------------------------------------


def test_invalid_rows_are_reported_with_file_line_and_column_and_nothing_is_written() -> None:
    text = csv_file(
        GOOD_ROWS[0],
        "ext-2,Agro Dos,startup,medellin,,es,agrotech,",
        "",  # a blank line still counts
        "ext-3,Tres,rocket,nowhere,,es,,not a url",
    )
    report = run(text)
    assert not report.committed
    assert report.failed
    assert Organization.objects.count() == 0
    assert [str(problem) for problem in report.problems] == [
        "line 3: sectors: “agrotech” is not a known code here.",
        "line 5: type: “rocket” is not a known code here.",
        "line 5: hub: “nowhere” is not a known code here.",
        "line 5: website: Enter a valid URL.",
    ]
    assert report.summary() == "0 created, 0 updated, 2 invalid"
    assert report.headline().startswith("Nothing was imported: 2 rows are not valid.")


def test_skip_invalid_writes_the_valid_rows_and_reports_the_rest() -> None:
    report = run(
        csv_file(GOOD_ROWS[0], "ext-3,,startup,medellin,,es,,", GOOD_ROWS[1]), skip_invalid=True
    )
    assert report.committed
    assert report.summary() == "2 created, 0 updated, 1 invalid"
    assert [str(problem) for problem in report.problems] == [
        "line 3: name: This field is required."
    ]
    assert report.headline() == "The valid rows were imported; 1 invalid row was skipped."
    assert set(Organization.objects.values_list("external_id", flat=True)) == {"ext-1", "ext-2"}


def test_missing_external_id_is_a_row_error() -> None:
    report = run(csv_file(",Sin id,startup,medellin,,es,,"))
    assert [str(problem) for problem in report.problems] == [
        "line 2: external_id: an external id is required: it is how later imports find this record again."
    ]


def test_duplicate_external_ids_in_the_file_point_to_the_first_line() -> None:
    report = run(csv_file(GOOD_ROWS[0], GOOD_ROWS[1], GOOD_ROWS[0].replace("Café Trace", "Otra")))
    assert [str(problem) for problem in report.problems] == [
        "line 4: external_id: “ext-1” already appears on line 2 of this file."
    ]
    assert Organization.objects.count() == 0


def test_ragged_rows_are_row_errors() -> None:
    report = run(
        csv_file(
            GOOD_ROWS[0], "ext-2,Brickell Pay,scaleup,miami,Payments, for merchants,en,fintech,"
        )
    )
    assert [str(problem) for problem in report.problems] == [
        "line 3: the row has 9 values but the header has 8 columns; a value containing the delimiter (comma) must be in quotes."
    ]


def test_translation_rules_of_the_form_apply_to_imports() -> None:
    header = HEADER + ",description_translation,description_translation_language"
    report = run(csv_file("ext-1,Café Trace,startup,medellin,Hola,es,,,Hello,es", header=header))
    assert [str(problem) for problem in report.problems] == [
        "line 2: description_translation_language: The translation must be in a different language from the description."
    ]


def test_json_lines_that_are_not_objects_or_have_wrong_types_are_reported_per_line() -> None:
    lines = [
        json.dumps(
            {"external_id": "j-1", "name": "Agro Nexo", "type": "startup", "hub": "medellin"}
        ),
        json.dumps(["j-2", "Lista"]),
        '{"external_id": "j-3", "name": "Roto",',
        json.dumps(
            {
                "external_id": "j-4",
                "name": ["Not", "text"],
                "type": "startup",
                "hub": "medellin",
                "sectors": "fintech",
            }
        ),
        json.dumps("just text"),
    ]
    report = run("\n".join(lines), filename="orgs.jsonl")
    assert [str(problem) for problem in report.problems] == [
        "line 2: each line must be a JSON object {…}; this one is a list.",
        "line 3: this line is not valid JSON (column 39: Expecting property name enclosed in double quotes).",
        "line 4: name: expected a single value, got a list.",
        'line 4: sectors: expected a list of codes such as ["fintech", "software"], got a text.',
        "line 5: each line must be a JSON object {…}; this one is a text.",
    ]
    assert Organization.objects.count() == 0


def test_oversized_values_are_reported_like_the_web_form() -> None:
    report = run(csv_file(f"ext-1,{'x' * 201},startup,medellin,,es,,"))
    assert [str(problem) for problem in report.problems] == [
        "line 2: name: Ensure this value has at most 200 characters (it has 201)."
    ]


def test_dry_run_reports_without_writing() -> None:
    report = run(csv_file(*GOOD_ROWS), dry_run=True)
    assert report.summary() == "2 created, 0 updated, 0 invalid"
    assert report.headline() == "Dry run: nothing was written. This is what the import would do."
    assert Organization.objects.count() == 0


# --- upsert ------------------------------------------------------------------------------------


def test_existing_external_id_updates_the_record_and_keeps_columns_not_in_the_file() -> None:
    existing = OrganizationFactory(
        external_id="ext-1", name="Old name", city="Envigado", sectors=["fintech"]
    )
    report = run(csv_file(GOOD_ROWS[0]))
    assert report.summary() == "0 created, 1 updated, 0 invalid"
    assert report.results[0].changed == ["name", "description", "website", "sectors"]
    existing.refresh_from_db()
    assert existing.name == "Café Trace"
    assert existing.city == "Envigado"  # not a column of this file: unchanged
    assert sorted(existing.sectors.values_list("code", flat=True)) == ["agritech", "software"]
    assert Organization.objects.count() == 1


def test_importing_the_same_file_twice_changes_nothing_the_second_time() -> None:
    run(csv_file(*GOOD_ROWS))
    entries = AuditEntry.objects.count()
    report = run(csv_file(*GOOD_ROWS))
    assert report.summary() == "0 created, 0 updated, 0 invalid (2 unchanged)"
    assert AuditEntry.objects.count() == entries


def test_every_write_is_audited_with_the_acting_user() -> None:
    manager = make_manager("medellin")
    run(csv_file(GOOD_ROWS[0]), actor=manager)
    entry = AuditEntry.objects.get(action="organization.create")
    assert entry.actor == manager
    assert entry.after["name"] == "Café Trace"
    run(csv_file(GOOD_ROWS[0].replace("Café Trace", "Café Trace 2")))
    update = AuditEntry.objects.get(action="organization.update")
    assert update.actor is None  # the command line acts as the system
    assert update.before["name"] == "Café Trace"
    assert update.after["name"] == "Café Trace 2"


# --- permissions -------------------------------------------------------------------------------


def test_a_hub_manager_imports_rows_of_their_hub_only() -> None:
    manager = make_manager("medellin")
    report = run(csv_file(*GOOD_ROWS), actor=manager)
    assert [str(problem) for problem in report.problems] == [
        "line 3: hub: you do not manage the hub “miami”; only its managers can import its records."
    ]
    assert Organization.objects.count() == 0
    report = run(csv_file(GOOD_ROWS[0]), actor=manager)
    assert report.created == 1


def test_a_manager_cannot_take_over_a_record_of_another_hub() -> None:
    OrganizationFactory(external_id="ext-2", hub=hub("miami"))
    manager = make_manager("medellin")
    report = run(csv_file(GOOD_ROWS[1].replace("miami", "medellin")), actor=manager)
    assert [str(problem) for problem in report.problems] == [
        "line 2: external_id: this record belongs to the hub “miami”, which you do not manage."
    ]


def test_staff_import_everything() -> None:
    staff = UserFactory(is_staff=True)
    assert run(csv_file(*GOOD_ROWS), actor=staff).created == 2


def test_people_without_a_hub_role_cannot_import_at_all() -> None:
    with pytest.raises(PermissionDenied) as error:
        run(csv_file(*GOOD_ROWS), actor=UserFactory())
    assert error.value.code == "not_a_manager"


# --- export and round trip ----------------------------------------------------------------------


def _export(kind: str, file_format: str, **options: Any) -> str:
    out = io.StringIO()
    exporting.records_export(kind, out=out, file_format=file_format, **options)
    return out.getvalue()


@pytest.mark.parametrize("file_format", ["csv", "jsonl"])
def test_export_wipe_import_export_gives_the_same_file(file_format: str) -> None:
    rich = OrganizationFactory(
        name="=Fórmula, “Quotes” & Co",
        tagline="-10% on landing",
        description="Línea uno\nLínea dos, con coma",
        description_translation="Line one",
        description_translation_language="en",
        founded_year=2015,
        size="11-50",
        city="Medellín",
        phone="+57 604 444 5555",
        sectors=["fintech", "software"],
    )
    rich.target_hubs.set([hub("miami")])
    OrganizationFactory(
        external_id="src-9",
        hub=rich.target_hubs.get(),
        profile_visibility="private",
        contact_visibility="private",
    )
    first = _export("organizations", file_format)
    assert "puente:" in first  # a record without external id is named by its address
    Organization.objects.all().delete()
    report = run(first, filename=f"export.{file_format}")
    assert report.created == 2, [str(problem) for problem in report.problems]
    assert _export("organizations", file_format) == first


def test_csv_export_protects_cells_a_spreadsheet_would_run_as_formulas() -> None:
    OrganizationFactory(external_id="f-1", name="=HYPERLINK(1)", phone="+57 300 000 0000")
    text = _export("organizations", "csv")
    assert "'=HYPERLINK(1)" in text
    assert "'+57 300 000 0000" in text
    Organization.objects.all().delete()
    run(text)
    organization = Organization.objects.get(external_id="f-1")
    assert organization.name == "=HYPERLINK(1)"
    assert organization.phone == "+57 300 000 0000"


def test_export_of_one_hub() -> None:
    run(csv_file(*GOOD_ROWS))
    lines = _export("organizations", "jsonl", hub=exporting.export_hub("miami")).splitlines()
    assert [json.loads(line)["external_id"] for line in lines] == ["ext-2"]


# --- people --------------------------------------------------------------------------------------


PEOPLE_HEADER = "external_id,full_name,hub,headline,bio,bio_language,expertise,languages,is_mentor,email,organization,title"


def test_people_import_with_position_and_round_trip() -> None:
    run(csv_file(*GOOD_ROWS))
    text = "\n".join(
        [
            PEOPLE_HEADER,
            "p-1,Ana Restrepo,medellin,Fundadora,Lleva diez años en agro.,es,agritech;iot,es;en,yes,ana@cafetrace.example,ext-1,Cofundadora y CEO",
            "p-2,Ryan Brooks,miami,,,en,fintech,en,false,,,",
        ]
    )
    report = importing.people_import(data=text.encode(), filename="people.csv", actor=None)
    assert report.summary() == "2 created, 0 updated, 0 invalid", [
        str(problem) for problem in report.problems
    ]
    ana = Person.objects.get(external_id="p-1")
    assert ana.is_mentor is True
    assert ana.languages == ["es", "en"]
    assert Position.objects.get(person=ana).title == "Cofundadora y CEO"
    assert "cafe trace" in ana.search_text
    first = _export("people", "csv")
    Person.objects.all().delete()
    assert (
        importing.people_import(data=first.encode(), filename="people.csv", actor=None).created == 2
    )
    assert _export("people", "csv") == first


def test_people_rows_with_unknown_organization_or_bad_flags_are_reported() -> None:
    text = "\n".join(
        [
            PEOPLE_HEADER,
            "p-1,Ana Restrepo,medellin,,,es,,es,maybe,,,",
            "p-2,Ryan Brooks,miami,,,en,,en,no,,missing-org,CEO",
            "p-3,Luz Mejía,medellin,,,es,,es,no,,,CEO",
        ]
    )
    report = importing.people_import(data=text.encode(), filename="people.csv", actor=None)
    assert [str(problem) for problem in report.problems] == [
        "line 2: is_mentor: expected true or false (or yes/no), got “maybe”.",
        "line 3: organization: no organization has the external id “missing-org”; import the organizations first.",
        "line 4: organization: give the external id of the organization where the person has this title.",
    ]
    assert Person.objects.count() == 0


def test_planner_statistics_are_refreshed_after_rows_are_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refreshed: list[bool] = []
    monkeypatch.setattr(importing, "refresh_planner_statistics", lambda: refreshed.append(True))
    run(csv_file(*GOOD_ROWS), dry_run=True)
    assert refreshed == []  # a check writes nothing
    run(csv_file(*GOOD_ROWS))
    assert refreshed == [True]
    run(csv_file(*GOOD_ROWS))  # the same rows again: all unchanged, nothing written
    assert refreshed == [True]
