"""API: import organizations and people from files, and export them in the same columns.

Imports are for hub managers (rows of the hubs they manage) and staff; see docs/import.md.
Exports give every caller the records they may see, with the fields they may not see left
empty; a manager exporting their own hub gets a file that imports back unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.conf import settings
from django.http import HttpRequest, StreamingHttpResponse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from puente.accounts.viewer import viewer_for
from puente.api.auth import optional_auth, required_auth
from puente.api.schemas import ERRORS, READ_ERRORS, ErrorItem, ErrorOut, InputSchema
from puente.directory import exporting, importing
from puente.directory.import_decoding import refuse_oversize

router = Router(tags=["import and export"])


class ImportProblemOut(Schema):
    line: int
    field: str
    code: str
    message: str
    text: str


class ImportRowOut(Schema):
    line: int
    external_id: str
    label: str
    action: Literal["create", "update", "unchanged", "invalid"]
    changed: list[str]
    id: int | None


class ImportReportOut(Schema):
    kind: str
    format: str
    encoding: str
    delimiter: str | None
    columns: list[str]
    ignored_columns: list[str]
    warnings: list[str]
    dry_run: bool
    committed: bool
    created: int
    updated: int
    unchanged: int
    invalid: int
    summary: str
    message: str
    rows: list[ImportRowOut]
    problems: list[ImportProblemOut]


class ImportFailedOut(ErrorOut):
    report: ImportReportOut


def report_out(report: importing.ImportReport) -> ImportReportOut:
    return ImportReportOut(
        kind=report.kind,
        format=report.file.format,
        encoding=report.file.encoding,
        delimiter=report.file.delimiter,
        columns=report.file.columns,
        ignored_columns=report.file.ignored_columns,
        warnings=report.warnings(),
        dry_run=report.dry_run,
        committed=report.committed,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        invalid=report.invalid,
        summary=report.summary(),
        message=report.headline(skip_option="skip_invalid=true"),
        rows=[
            ImportRowOut(
                line=row.line,
                external_id=row.external_id,
                label=row.label,
                action=row.action,
                changed=row.changed,
                id=row.object_id,
            )
            for row in report.results
        ],
        problems=[ImportProblemOut(**problem.as_dict()) for problem in report.problems],
    )


class ImportOptions(Schema):
    dry_run: bool = False
    skip_invalid: bool = False
    format: Literal["", "csv", "jsonl"] = ""
    encoding: str = ""


IMPORT_RESPONSES = {200: ImportReportOut, **ERRORS, 422: ImportFailedOut | ErrorOut}


def _import(
    request: HttpRequest, kind: importing.ImportKind, file: UploadedFile, options: ImportOptions
) -> Status[ImportReportOut | ImportFailedOut]:
    refuse_oversize(file.size or 0, settings.IMPORT_MAX_BYTES)
    report = importing.records_import(
        kind=kind,
        data=file.read(),
        filename=file.name or "",
        actor=request.auth,  # type: ignore[attr-defined]
        file_format=options.format or None,
        encoding=options.encoding.strip() or None,
        dry_run=options.dry_run,
        skip_invalid=options.skip_invalid,
        encoding_hint="encoding={encoding}",
    )
    out = report_out(report)
    if report.failed:
        errors = [
            ErrorItem(field=problem.field, code=problem.code, message=str(problem))
            for problem in report.problems
        ]
        failed = ImportFailedOut(
            code="import_invalid", message=out.message, errors=errors, field=None, report=out
        )
        return Status(422, failed)
    return Status(200, out)


@router.post(
    "/organizations/import",
    response=IMPORT_RESPONSES,
    auth=required_auth,
    url_name="import_organizations",
    summary="Import organizations from a CSV or JSON Lines file (hub managers)",
)
def import_organizations(
    request: HttpRequest, file: File[UploadedFile], options: Form[ImportOptions]
) -> Status[ImportReportOut | ImportFailedOut]:
    """Send the file as multipart/form-data. All-or-nothing unless ``skip_invalid``; ``dry_run`` checks without writing.

    A hub manager may import rows of the hubs they manage; staff any. The answer lists every
    row (created, updated, unchanged or invalid) and every problem with its line number.
    """
    return _import(request, importing.ORGANIZATIONS, file, options)


@router.post(
    "/people/import",
    response=IMPORT_RESPONSES,
    auth=required_auth,
    url_name="import_people",
    summary="Import people from a CSV or JSON Lines file (hub managers)",
)
def import_people(
    request: HttpRequest, file: File[UploadedFile], options: Form[ImportOptions]
) -> Status[ImportReportOut | ImportFailedOut]:
    """Like the organization import; ``organization`` names an already imported organization by its external id."""
    return _import(request, importing.PEOPLE, file, options)


class ExportParams(InputSchema):
    format: Literal["csv", "json", "jsonl"] = "csv"
    hub: str = ""


def _export(request: HttpRequest, kind: str, params: ExportParams) -> StreamingHttpResponse:
    file_format = exporting.export_format(params.format)
    hub = exporting.export_hub(params.hub)
    viewer = viewer_for(request.auth)  # type: ignore[attr-defined]
    response = StreamingHttpResponse(
        exporting.export_chunks(kind, file_format=file_format, hub=hub, viewer=viewer),
        content_type=exporting.CONTENT_TYPES[file_format],
    )
    name = f"{kind}-{hub.slug + '-' if hub else ''}{dt.date.today():%Y%m%d}.{exporting.EXTENSIONS[file_format]}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


EXPORT_DOC = {
    "responses": {
        200: {
            "description": "The file: CSV (text/csv) or JSON Lines (application/x-ndjson), in the importer's columns.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        }
    }
}


@router.get(
    "/organizations/export",
    response=READ_ERRORS,
    auth=optional_auth,
    url_name="export_organizations",
    summary="Export organizations as CSV or JSON Lines",
    openapi_extra=EXPORT_DOC,
)
def export_organizations(
    request: HttpRequest, params: Query[ExportParams]
) -> StreamingHttpResponse:
    """The organizations you may see, in the columns the importer reads; fields you may not see are empty."""
    return _export(request, "organizations", params)


@router.get(
    "/people/export",
    response=READ_ERRORS,
    auth=optional_auth,
    url_name="export_people",
    summary="Export people as CSV or JSON Lines",
    openapi_extra=EXPORT_DOC,
)
def export_people(request: HttpRequest, params: Query[ExportParams]) -> StreamingHttpResponse:
    """The people you may see, with their main position; contact details only where you may see them."""
    return _export(request, "people", params)
