"""``puente import`` and ``puente export``: bad files get clear messages, never a traceback."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from puente.core.models import AuditEntry
from puente.directory.models import Organization
from tests.console import run_puente
from tests.factories import OrganizationFactory, hub, make_manager

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference_data(db: None) -> None:
    hub("medellin")  # reloads hubs and taxonomy if a transactional test flushed them


HEADER = "external_id,name,type,hub,description,description_language,sectors"
GOOD = "ext-1,Café Trace,startup,medellin,Trazabilidad,es,agritech"


def write(tmp_path: Path, content: bytes | str, name: str = "organizations.csv") -> str:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return str(path)


def import_file(path: str, *args: str) -> str:
    out = io.StringIO()
    call_command(
        "import", "organizations", path, *args, "--language", "en", stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()


def refused(path: str, *args: str) -> str:
    with pytest.raises(CommandError) as error:
        import_file(path, *args)
    assert Organization.objects.count() == 0
    return str(error.value)


BAD_FILES: list[tuple[str, bytes, str, str]] = [
    (
        "not-utf8",
        f"{HEADER}\n{GOOD}\n".encode("latin-1"),
        "organizations.csv",
        "The file is not valid UTF-8: byte 0xE9 on line 2, column 10 cannot be read. Save the file as UTF-8, or give its encoding: "
        "files saved by Excel on Windows are usually latin-1 or cp1252 (--encoding latin-1).",
    ),
    (
        "utf16-without-bom",
        f"{HEADER}\n{GOOD}\n".encode("utf-16-le"),
        "organizations.csv",
        "The file looks like UTF-16 text without a byte-order mark. Save it as UTF-8, or give its encoding (--encoding utf-16-le).",
    ),
    (
        "spreadsheet",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml",
        "organizations.csv",
        "This is a spreadsheet workbook or a ZIP archive, not a text file. In the spreadsheet, use “Save as” → “CSV UTF-8” and import that file.",
    ),
    (
        "pdf",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        "organizations.csv",
        "This is a binary file (PDF), not CSV or JSON Lines text.",
    ),
    (
        "binary-garbage",
        bytes(range(128, 256)) * 8,
        "organizations.csv",
        "This does not look like a text file: byte 0x80 on line 1 cannot be read as utf-8. Import a CSV or JSON Lines file.",
    ),
    (
        "nul-bytes",
        f"{HEADER}\n{GOOD}\x00\n".encode(),
        "organizations.csv",
        "Line 2 contains a NUL byte: this is a binary file or it is not in the encoding given, so it cannot be read as text.",
    ),
    ("empty", b"", "organizations.csv", "The file is empty."),
    ("blank", b"  \r\n\n ", "organizations.csv", "The file is empty."),
    (
        "header-only",
        f"{HEADER}\n".encode(),
        "organizations.csv",
        "The file has a header line but no rows to import.",
    ),
    (
        "wrong-delimiter",
        b"external_id|name|type|hub\next-1|Cafe|startup|medellin\n",
        "organizations.csv",
        "The header lacks the required columns external_id, name, type, hub. It was read with the delimiter comma and has these columns: “external_id|name|type|hub”. "
        "Use a comma, semicolon or tab between columns, and name the columns as documented.",
    ),
    (
        "missing-column",
        b"external_id;name;type\next-1;Cafe;startup\n",
        "organizations.csv",
        "The header lacks the required columns hub. It was read with the delimiter semicolon and has these columns: “external_id”, “name”, “type”. "
        "Use a comma, semicolon or tab between columns, and name the columns as documented.",
    ),
    (
        "duplicate-column",
        b"external_id,name,type,hub,name\next-1,A,startup,medellin,B\n",
        "organizations.csv",
        "The column “name” appears twice in the header.",
    ),
    (
        "unclosed-quote",
        f'{HEADER}\n{GOOD}\next-2,"Agro Dos,startup,medellin,,es,\next-3,Tres,startup,medellin,,es,\n'.encode(),
        "organizations.csv",
        "Line 3: a quoted value starts here and its closing quote is missing, so the rest of the file would be read as one value. "
        'Close the quotes, and write a quote inside a value as two quotes ("").',
    ),
    (
        "text-after-quote",
        f'{HEADER}\next-2,"Agro" Dos,startup,medellin,,es,\n'.encode(),
        "organizations.csv",
        'Line 2: a quoted value is followed by more text before the next delimiter. Put the whole value inside the quotes and write a quote inside it as two quotes ("").',
    ),
    (
        "json-array",
        b'[{"external_id": "x", "name": "A", "type": "startup", "hub": "medellin"}]',
        "organizations.jsonl",
        "This is a JSON array. JSON Lines means one JSON object per line, with no brackets or commas between lines.",
    ),
    (
        "control-character",
        f"{HEADER}\n{GOOD}\x07\n".encode(),
        "organizations.csv",
        "Line 2 contains the control character U+0007: this does not look like a text file.",
    ),
]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_bad_files_are_refused_with_a_clear_message(
    tmp_path: Path, content: bytes, name: str, message: str
) -> None:
    assert refused(write(tmp_path, content, name)) == message


def test_latin1_file_imports_with_the_encoding_option(tmp_path: Path) -> None:
    output = import_file(
        write(tmp_path, f"{HEADER}\n{GOOD}\n".encode("latin-1")), "--encoding", "latin-1"
    )
    assert "1 created, 0 updated, 0 invalid" in output
    assert Organization.objects.get().name == "Café Trace"


def test_cp1252_quotes_read_as_latin1_suggest_cp1252(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n{GOOD.replace('Café Trace', '“Café”')}\n".encode("cp1252"))
    assert refused(path, "--encoding", "latin-1") == (
        "Line 2 contains the control character U+0093 after reading the file as iso8859-1. Files from Windows are usually cp1252 (--encoding cp1252)."
    )
    assert "1 created" in import_file(path, "--encoding", "cp1252")
    assert Organization.objects.get().name == "“Café”"


def test_unknown_encoding(tmp_path: Path) -> None:
    assert (
        refused(write(tmp_path, f"{HEADER}\n{GOOD}\n"), "--encoding", "klingon")
        == "“klingon” is not an encoding this importer knows. Use for example utf-8, latin-1, cp1252 or utf-16."
    )


def test_oversized_file_is_refused_before_reading(tmp_path: Path, settings: object) -> None:
    settings.IMPORT_MAX_BYTES = 1024 * 1024  # type: ignore[attr-defined]
    path = write(tmp_path, HEADER + "\n" + (GOOD + "\n") * 40_000)
    assert refused(path) == "The file is 2.3 MB; the limit is 1 MB. Split it into smaller files."


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert refused(str(tmp_path / "nope.csv")) == f"There is no file {tmp_path / 'nope.csv'}."
    assert refused(str(tmp_path)) == f"{tmp_path} is a directory; give the path of a file."


def test_invalid_rows_print_each_problem_and_the_summary_and_fail(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n{GOOD}\next-2,Agro Dos,startup,medellin,,es,agrotech\n")
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(
            "import", "organizations", path, "--language", "en", stdout=out, stderr=io.StringIO()
        )
    assert out.getvalue().splitlines() == [
        "line 3: sectors: “agrotech” is not a known code here.",
        "0 created, 0 updated, 1 invalid",
    ]
    assert (
        str(error.value)
        == "Nothing was imported: 1 row is not valid. Fix it and import the file again, or import only the valid rows (--skip-invalid)."
    )
    assert Organization.objects.count() == 0

    output = import_file(path, "--skip-invalid")
    assert "1 created, 0 updated, 1 invalid" in output
    assert Organization.objects.count() == 1


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    output = import_file(write(tmp_path, f"{HEADER}\n{GOOD}\n"), "--dry-run")
    assert "1 created, 0 updated, 0 invalid" in output
    assert "Dry run: nothing was written." in output
    assert Organization.objects.count() == 0


def test_unknown_columns_are_warned_about(tmp_path: Path) -> None:
    err = io.StringIO()
    call_command(
        "import",
        "organizations",
        write(tmp_path, f"{HEADER},color\n{GOOD},red\n"),
        "--language",
        "en",
        stdout=io.StringIO(),
        stderr=err,
    )
    assert "Warning: Unknown columns were ignored: “color”." in err.getvalue()


def test_acting_as_a_hub_manager_applies_their_rights_and_is_audited(tmp_path: Path) -> None:
    manager = make_manager("miami", email="gestor@example.org")
    path = write(tmp_path, f"{HEADER}\n{GOOD}\n")
    with pytest.raises(CommandError):
        import_file(path, "--as", "GESTOR@example.org")
    manager.hub_roles.update(hub=hub("medellin"))
    import_file(path, "--as", "gestor@example.org")
    assert AuditEntry.objects.get(action="organization.create").actor == manager
    with pytest.raises(CommandError) as error:
        import_file(path, "--as", "nobody@example.org")
    assert str(error.value) == "There is no active user with the email address nobody@example.org."


def test_messages_follow_the_language_option(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as error:
        call_command(
            "import",
            "organizations",
            write(tmp_path, b""),
            "--language",
            "es",
            stdout=io.StringIO(),
        )
    assert str(error.value) == "El archivo está vacío."


def test_export_writes_a_file_and_refuses_unknown_hubs(tmp_path: Path) -> None:
    OrganizationFactory(external_id="e-1", name="Uno")
    out = tmp_path / "orgs.jsonl"
    err = io.StringIO()
    call_command(
        "export",
        "organizations",
        "--format",
        "json",
        "--out",
        str(out),
        "--language",
        "en",
        stderr=err,
    )
    assert out.read_text().count("\n") == 1
    assert '"external_id": "e-1"' in out.read_text()
    assert f"Wrote 1 record to {out}." in err.getvalue()
    with pytest.raises(CommandError) as error:
        call_command("export", "organizations", "--hub", "atlantis", "--language", "en")
    assert str(error.value) == "There is no hub “atlantis”."
    with pytest.raises(CommandError) as error:
        call_command(
            "export",
            "organizations",
            "--out",
            str(tmp_path / "missing" / "x.csv"),
            "--language",
            "en",
        )
    assert str(error.value) == f"The folder {tmp_path / 'missing'} does not exist."


def test_export_to_standard_output() -> None:
    OrganizationFactory(external_id="e-1", name="Uno")
    out = io.StringIO()
    call_command("export", "organizations", stdout=out)
    assert out.getvalue().splitlines()[1].startswith("e-1,Uno,startup,medellin")


def test_the_puente_console_command_exits_non_zero_without_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, b"\x00\x01\x02binary")
    result = run_puente(
        "import",
        "organizations",
        path,
        data_dir=tmp_path,
        language="en",
        database_url=f"sqlite:///{tmp_path / 'cli.sqlite3'}",
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Line 1 contains a NUL byte" in result.stderr
