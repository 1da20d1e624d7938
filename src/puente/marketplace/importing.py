"""Import opportunities from CSV or JSON Lines files: ``puente import opportunities FILE``.

The same rules as the directory's imports (and the same machinery: decoding, parsing, the
report): each row is validated with ``OpportunityForm``, the form of the web app and the API;
rows are matched to existing opportunities by ``external_id`` (upsert); the owner is named by
its organization's ``external_id``. All-or-nothing by default: nothing is written unless every
row is valid; ``skip_invalid`` writes the valid rows and reports the others. Writes go through
the marketplace services, so each is audited with the acting user.

Who may import: staff and the command line (``actor=None``) everything; a hub manager only
rows of organizations whose hub they manage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from puente.accounts.models import User
from puente.accounts.viewer import Viewer, viewer_for
from puente.core.database import refresh_planner_statistics
from puente.core.errors import Conflict, PermissionDenied
from puente.core.forms import form_errors
from puente.core.models import Visibility
from puente.directory.import_decoding import decode
from puente.directory.import_files import ColumnSpec, RowProblem, SourceRow, detect_format, parse
from puente.directory.import_report import ImportReport, RowResult
from puente.directory.models import Organization
from puente.marketplace import services
from puente.marketplace.forms import OpportunityForm, opportunity_initial
from puente.marketplace.models import Opportunity, Status

OPPORTUNITY_COLUMNS = ColumnSpec(
    columns=(
        "external_id",
        "organization",
        "side",
        "kind",
        "title",
        "description",
        "language",
        "hub",
        "sectors",
        "target_hubs",
        "technologies",
        "stages",
        "amount_min",
        "amount_max",
        "currency",
        "deadline",
        "visibility",
        "status",
    ),
    required=("external_id", "organization", "side", "kind", "title", "description", "hub"),
    list_columns=frozenset({"sectors", "target_hubs", "technologies", "stages"}),
)
FORM_FIELDS = (
    "side",
    "kind",
    "title",
    "description",
    "language",
    "hub",
    "sectors",
    "target_hubs",
    "technologies",
    "stages",
    "amount_min",
    "amount_max",
    "currency",
    "deadline",
    "visibility",
)
STATUSES = ("published", "draft")


@dataclass
class _Row:
    row: SourceRow
    result: RowResult
    problems: list[RowProblem]
    existing: Opportunity | None = None
    organization: Organization | None = None
    cleaned: dict[str, Any] = field(default_factory=dict)
    publish: bool = True


def opportunities_import(
    *,
    data: bytes,
    actor: User | None,
    filename: str = "",
    file_format: str | None = None,
    encoding: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    encoding_hint: str = "--encoding {encoding}",
) -> ImportReport:
    """Read, check and (unless a dry run, or rows are invalid without ``skip_invalid``) write."""
    viewer = viewer_for(actor) if actor is not None else None
    if viewer is not None and not viewer.is_manager:
        raise PermissionDenied(
            _("Only hub managers can import opportunities."), code="not_a_manager"
        )
    text, used_encoding, notes = decode(
        data, encoding=encoding, max_bytes=settings.IMPORT_MAX_BYTES, encoding_hint=encoding_hint
    )
    parsed = parse(
        text,
        file_format=detect_format(filename, text, file_format),
        spec=OPPORTUNITY_COLUMNS,
        encoding=used_encoding,
    )
    parsed.notes[:0] = notes
    rows = _check_all(parsed.rows, viewer)
    report = ImportReport(
        kind="opportunities",
        file=parsed,
        results=[row.result for row in rows],
        problems=[problem for row in rows for problem in row.problems],
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    if dry_run or (report.invalid and not skip_invalid):
        return report
    try:
        _write([row for row in rows if not row.problems], actor)
    except IntegrityError as error:
        raise Conflict(
            _(
                "Another change to the same records was saved while this file was being imported; nothing was imported. Import the file again."
            ),
            code="import_conflict",
        ) from error
    report.committed = True
    if report.created + report.updated:
        refresh_planner_statistics()  # a bulk load changes the plans the database should pick
    return report


def _check_all(rows: list[SourceRow], viewer: Viewer | None) -> list[_Row]:
    ids = [str(row.values.get("external_id") or "").strip() for row in rows]
    existing = {
        item.external_id: item
        for item in Opportunity.objects.filter(external_id__in=[value for value in ids if value])
        .select_related("organization", "hub", "kind")
        .prefetch_related("sectors", "technologies", "stages", "target_hubs")
    }
    references = {str(row.values.get("organization") or "").strip() for row in rows}
    organizations = {
        item.external_id: item
        for item in Organization.objects.filter(
            external_id__in=[value for value in references if value]
        ).select_related("hub")
    }
    first_line: dict[str, int] = {}
    return [
        _check(row, external_id, existing, organizations, first_line, viewer)
        for row, external_id in zip(rows, ids, strict=True)
    ]


def _check(
    row: SourceRow,
    external_id: str,
    existing: dict[str | None, Opportunity],
    organizations: dict[str | None, Organization],
    first_line: dict[str, int],
    viewer: Viewer | None,
) -> _Row:
    label = str(row.values.get("title") or "")[:200]
    checked = _Row(
        row=row,
        result=RowResult(line=row.line, external_id=external_id, label=label, action="invalid"),
        problems=list(row.problems),
    )
    if checked.problems:
        return checked
    problems = checked.problems
    if not external_id:
        problems.append(
            RowProblem(
                row.line,
                "external_id",
                "required",
                _("an external id is required: it is how later imports find this record again."),
            )
        )
    elif external_id in first_line:
        problems.append(
            RowProblem(
                row.line,
                "external_id",
                "duplicate_in_file",
                _("“%(id)s” already appears on line %(line)s of this file.")
                % {"id": external_id[:100], "line": first_line[external_id]},
            )
        )
    else:
        first_line[external_id] = row.line
    reference = str(row.values.get("organization") or "").strip()
    checked.organization = organizations.get(reference)
    if checked.organization is None:
        problems.append(
            RowProblem(
                row.line,
                "organization",
                "unknown_organization",
                _("no organization has the external id “%(id)s”; import the organizations first.")
                % {"id": reference[:100]},
            )
        )
    status = str(row.values.get("status") or "published").strip().lower()
    if status not in STATUSES:
        problems.append(
            RowProblem(row.line, "status", "invalid_choice", _("use “published” or “draft”."))
        )
    checked.publish = status == "published"
    checked.existing = existing.get(external_id) if external_id else None
    if (
        checked.existing is not None
        and checked.organization is not None
        and checked.existing.organization_id != checked.organization.pk
    ):
        problems.append(
            RowProblem(
                row.line,
                "organization",
                "other_owner",
                _(
                    "this opportunity belongs to another organization; its owner cannot be changed by an import."
                ),
            )
        )
    if checked.existing is not None and checked.existing.status == Status.ARCHIVED:
        problems.append(
            RowProblem(
                row.line,
                "external_id",
                "archived",
                _("this opportunity is archived and cannot be changed."),
            )
        )
    data: dict[str, Any] = (
        opportunity_initial(checked.existing)
        if checked.existing is not None
        else {"visibility": Visibility.PUBLIC}
    )
    data.update(
        {
            key: value
            for key, value in row.values.items()
            if key in FORM_FIELDS and value not in (None, "")
        }
    )
    data["external_id"] = external_id
    if not data.get("language"):
        hub = checked.organization.hub if checked.organization is not None else None
        data["language"] = hub.main_language if hub is not None else settings.LANGUAGE_CODE
    form = OpportunityForm(data, instance=checked.existing)
    if not form.is_valid():
        problems.extend(
            RowProblem(row.line, error["field"], error["code"], error["message"])
            for error in form_errors(form)
        )
    else:
        checked.cleaned = dict(form.cleaned_data)
    if (
        viewer is not None
        and checked.organization is not None
        and not viewer.manages_any(checked.organization.hub_ids())
    ):
        problems.append(
            RowProblem(
                row.line,
                "organization",
                "organization_not_managed",
                _(
                    "you do not manage the hub of “%(name)s”, so you cannot import its opportunities."
                )
                % {"name": checked.organization.name},
            )
        )
    if problems:
        return checked
    checked.result.label = checked.cleaned.get("title") or label
    if checked.existing is None:
        checked.result.action = "create"
    else:
        checked.result.object_id = checked.existing.pk
        checked.result.changed = _changed(checked.existing, checked.cleaned)
        checked.result.action = "update" if checked.result.changed else "unchanged"
    return checked


def _changed(opportunity: Opportunity, cleaned: dict[str, Any]) -> list[str]:
    before = opportunity_initial(opportunity)
    changed = []
    for name in FORM_FIELDS:
        new, old = cleaned.get(name), before.get(name)
        if name in ("kind", "hub"):
            new = getattr(new, "code", None) or getattr(new, "slug", None)
        elif name in ("sectors", "technologies", "stages", "target_hubs"):
            new = sorted(
                getattr(item, "code", None) or getattr(item, "slug", "") for item in new or []
            )
            old = sorted(old or [])
        if (new or None) != (old or None):
            changed.append(name)
    return changed


@transaction.atomic
def _write(rows: list[_Row], actor: User | None) -> None:
    for row in rows:
        if row.result.action == "unchanged" or row.organization is None:
            continue
        if row.existing is None:
            created = services.opportunity_create(
                organization=row.organization, actor=actor, values=row.cleaned, publish=row.publish
            )
            row.result.object_id = created.pk
        else:
            services.opportunity_update(opportunity=row.existing, actor=actor, values=row.cleaned)
