"""Import organizations and people from CSV or JSON Lines files.

Each row is validated with the same form as the web and the API (``OrganizationForm``,
``PersonForm``), so an import says exactly what the profile page would say. Rows are matched
to existing records by ``external_id`` (upsert). All-or-nothing by default: nothing is written
unless every row is valid; ``skip_invalid`` writes the valid rows and reports the others.
Writes go through the directory services, so each one is audited with the acting user.

Who may import: staff and the command line (``actor=None``) everything; a hub manager only
rows whose home hub they manage, and only updates of records whose current home hub they
manage.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from puente.accounts.models import User
from puente.accounts.viewer import Viewer, viewer_for
from puente.core.database import refresh_planner_statistics
from puente.core.errors import Conflict, PermissionDenied
from puente.core.forms import form_errors
from puente.core.models import Hub, Visibility
from puente.directory import services
from puente.directory.forms import (
    OrganizationForm,
    PersonForm,
    organization_initial,
    person_initial,
)
from puente.directory.import_decoding import decode
from puente.directory.import_files import (
    ColumnSpec,
    ImportFileError,
    RowProblem,
    SourceRow,
    detect_format,
    parse,
)
from puente.directory.import_report import ImportReport, RowResult
from puente.directory.models import Organization, Person, Position

# Records created in Puente have no external id; exports name them ``puente:<slug>`` so that
# an exported file, edited and imported again, updates them instead of adding copies.
LOCAL_ID_PREFIX = "puente:"

ORGANIZATION_COLUMNS = ColumnSpec(
    columns=(
        "external_id",
        "name",
        "type",
        "hub",
        "other_hubs",
        "tagline",
        "description",
        "description_language",
        "description_translation",
        "description_translation_language",
        "sectors",
        "technologies",
        "markets",
        "target_hubs",
        "stage",
        "size",
        "founded_year",
        "website",
        "city",
        "address",
        "email",
        "phone",
        "profile_visibility",
        "details_visibility",
        "contact_visibility",
    ),
    required=("external_id", "name", "type", "hub"),
    list_columns=frozenset({"other_hubs", "sectors", "technologies", "markets", "target_hubs"}),
    int_columns=frozenset({"founded_year"}),
)

PERSON_COLUMNS = ColumnSpec(
    columns=(
        "external_id",
        "full_name",
        "hub",
        "headline",
        "bio",
        "bio_language",
        "expertise",
        "languages",
        "is_mentor",
        "email",
        "phone",
        "linkedin",
        "organization",
        "title",
        "profile_visibility",
        "contact_visibility",
    ),
    required=("external_id", "full_name", "hub"),
    list_columns=frozenset({"expertise", "languages"}),
    bool_columns=frozenset({"is_mentor"}),
)


@dataclass(frozen=True)
class ImportKind:
    """What one kind of record needs to be imported: its columns, form, defaults and writers."""

    name: str
    spec: ColumnSpec
    model: type[models.Model]
    form_class: type[OrganizationForm] | type[PersonForm]
    initial: Callable[[Any], dict[str, Any]]
    defaults: Mapping[str, Any]
    language_field: str
    fields: tuple[str, ...]
    many_to_many: tuple[str, ...]
    label_field: str


ORGANIZATIONS = ImportKind(
    name="organizations",
    spec=ORGANIZATION_COLUMNS,
    model=Organization,
    form_class=OrganizationForm,
    initial=organization_initial,
    defaults={
        "profile_visibility": Visibility.PUBLIC,
        "details_visibility": Visibility.PUBLIC,
        "contact_visibility": Visibility.MEMBERS,
    },
    language_field="description_language",
    fields=services.ORGANIZATION_FIELDS,
    many_to_many=services.ORGANIZATION_M2M,
    label_field="name",
)
PEOPLE = ImportKind(
    name="people",
    spec=PERSON_COLUMNS,
    model=Person,
    form_class=PersonForm,
    initial=person_initial,
    defaults={"profile_visibility": Visibility.PUBLIC, "contact_visibility": Visibility.MEMBERS},
    language_field="bio_language",
    fields=services.PERSON_FIELDS,
    many_to_many=services.PERSON_M2M,
    label_field="full_name",
)
KINDS = {kind.name: kind for kind in (ORGANIZATIONS, PEOPLE)}

#: Every importer ``puente import KIND FILE`` knows, by kind; other apps register theirs
#: (``register_importer``) in their AppConfig.ready, with the keyword arguments of
#: :func:`records_import` minus ``kind``.
IMPORTERS: dict[str, Callable[..., ImportReport]] = {}


def register_importer(name: str, importer: Callable[..., ImportReport]) -> None:
    IMPORTERS[name] = importer


# --- entry points ----------------------------------------------------------------------------


def organizations_import(**options: Any) -> ImportReport:
    """Import organizations from a CSV or JSON Lines file (see :func:`records_import`)."""
    return records_import(kind=ORGANIZATIONS, **options)


def people_import(**options: Any) -> ImportReport:
    """Import people (and their main position) from a CSV or JSON Lines file."""
    return records_import(kind=PEOPLE, **options)


def records_import(
    *,
    kind: ImportKind,
    data: bytes,
    actor: User | None,
    filename: str = "",
    file_format: str | None = None,
    encoding: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    encoding_hint: str = "--encoding {encoding}",
) -> ImportReport:
    """Read, check and (unless a dry run, or rows are invalid without ``skip_invalid``) write.

    Raises :class:`ImportFileError` when the file as a whole cannot be read, and
    :class:`PermissionDenied` when the actor is not allowed to import at all.
    """
    viewer = viewer_for(actor) if actor is not None else None
    if viewer is not None and not viewer.is_manager:
        raise PermissionDenied(
            _("Only hub managers can import records into the directory."), code="not_a_manager"
        )
    text, used_encoding, notes = decode(
        data,
        encoding=encoding,
        max_bytes=settings.IMPORT_MAX_BYTES,
        encoding_hint=encoding_hint,
    )
    parsed = parse(
        text,
        file_format=detect_format(filename, text, file_format),
        spec=kind.spec,
        encoding=used_encoding,
    )
    parsed.notes[:0] = notes
    checks = _RowChecker(kind, viewer).check_all(parsed.rows)
    report = ImportReport(
        kind=kind.name,
        file=parsed,
        results=[check.result for check in checks],
        problems=[problem for check in checks for problem in check.problems],
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    if dry_run or (report.invalid and not skip_invalid):
        return report
    try:
        _write(kind, [check for check in checks if not check.problems], actor)
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


register_importer("organizations", organizations_import)
register_importer("people", people_import)


# --- checking --------------------------------------------------------------------------------


@dataclass
class _RowCheck:
    row: SourceRow
    result: RowResult
    problems: list[RowProblem]
    existing: Any = None
    cleaned: dict[str, Any] = field(default_factory=dict)
    organization: Organization | None = None
    title: str = ""


class _RowChecker:
    """Validates the rows of one file against the forms, the database and each other."""

    def __init__(self, kind: ImportKind, viewer: Viewer | None) -> None:
        self.kind = kind
        self.viewer = viewer
        self.hubs = {hub.slug: hub for hub in Hub.objects.filter(is_active=True)}
        self.hub_names = {hub.pk: hub.slug for hub in Hub.objects.all()}
        self.first_line: dict[str, int] = {}

    def check_all(self, rows: list[SourceRow]) -> list[_RowCheck]:
        ids = [_external_id(row) for row in rows]
        self.existing = _existing_records(self.kind, [value for value in ids if value])
        self.organizations = (
            _existing_records(
                ORGANIZATIONS, [str(row.values.get("organization") or "").strip() for row in rows]
            )
            if self.kind is PEOPLE
            else {}
        )
        return [self.check(row, external_id) for row, external_id in zip(rows, ids, strict=True)]

    def check(self, row: SourceRow, external_id: str) -> _RowCheck:
        label = str(row.values.get(self.kind.label_field) or "")[:200]
        check = _RowCheck(
            row=row,
            result=RowResult(line=row.line, external_id=external_id, label=label, action="invalid"),
            problems=list(row.problems),
        )
        if check.problems:
            return check
        if not external_id:
            check.problems.append(
                RowProblem(
                    row.line,
                    "external_id",
                    "required",
                    _(
                        "an external id is required: it is how later imports find this record again."
                    ),
                )
            )
        elif external_id in self.first_line:
            check.problems.append(
                RowProblem(
                    row.line,
                    "external_id",
                    "duplicate_in_file",
                    _("“%(id)s” already appears on line %(line)s of this file.")
                    % {"id": external_id[:100], "line": self.first_line[external_id]},
                )
            )
        else:
            self.first_line[external_id] = row.line
        check.existing = self.existing.get(external_id) if external_id else None
        form = self.kind.form_class(self._form_data(row, check.existing), instance=check.existing)
        if not form.is_valid():
            check.problems.extend(
                RowProblem(row.line, error["field"], error["code"], error["message"])
                for error in form_errors(form)
            )
        else:
            check.cleaned = dict(form.cleaned_data)
            if (
                check.existing is not None
                and external_id.startswith(LOCAL_ID_PREFIX)
                and check.existing.external_id is None
            ):
                check.cleaned["external_id"] = None  # matched by address name: keep it as it is
            self._check_permission(check)
            if self.kind is PEOPLE:
                self._check_position(check)
        if check.problems:
            return check
        check.result.label = str(check.cleaned.get(self.kind.label_field) or label)
        if check.existing is None:
            check.result.action = "create"
        else:
            check.result.object_id = check.existing.pk
            check.result.changed = _changed_fields(self.kind, check.existing, check.cleaned)
            if (
                check.organization is not None
                and not Position.objects.filter(
                    person=check.existing, organization=check.organization, title=check.title
                ).exists()
            ):
                check.result.changed.append("organization")
            check.result.action = "update" if check.result.changed else "unchanged"
        return check

    def _form_data(self, row: SourceRow, existing: Any) -> dict[str, Any]:
        data: dict[str, Any] = (
            dict(self.kind.initial(existing)) if existing is not None else dict(self.kind.defaults)
        )
        data.update(
            {
                key: value
                for key, value in row.values.items()
                if key not in ("organization", "title")
            }
        )
        for name, default in self.kind.defaults.items():
            if not data.get(name):
                data[name] = default
        if not data.get(self.kind.language_field):
            hub = self.hubs.get(str(data.get("hub") or "").strip())
            data[self.kind.language_field] = (
                hub.main_language if hub is not None else settings.LANGUAGE_CODE
            )
        return data

    def _check_permission(self, check: _RowCheck) -> None:
        if self.viewer is None:
            return
        hub: Hub = check.cleaned["hub"]
        if not self.viewer.manages_any({hub.pk}):
            check.problems.append(
                RowProblem(
                    check.row.line,
                    "hub",
                    "hub_not_managed",
                    _(
                        "you do not manage the hub “%(hub)s”; only its managers can import its records."
                    )
                    % {"hub": hub.slug},
                )
            )
        existing = check.existing
        if (
            existing is not None
            and existing.hub_id != hub.pk
            and not self.viewer.manages_any({existing.hub_id})
        ):
            check.problems.append(
                RowProblem(
                    check.row.line,
                    "external_id",
                    "record_not_managed",
                    _("this record belongs to the hub “%(hub)s”, which you do not manage.")
                    % {"hub": self.hub_names.get(existing.hub_id, "")},
                )
            )

    def _check_position(self, check: _RowCheck) -> None:
        values = check.row.values
        reference = str(values.get("organization") or "").strip()
        title = str(values.get("title") or "").strip()
        if not reference:
            if title:
                check.problems.append(
                    RowProblem(
                        check.row.line,
                        "organization",
                        "required",
                        _(
                            "give the external id of the organization where the person has this title."
                        ),
                    )
                )
            return
        organization = self.organizations.get(reference)
        if organization is None:
            check.problems.append(
                RowProblem(
                    check.row.line,
                    "organization",
                    "unknown_organization",
                    _(
                        "no organization has the external id “%(id)s”; import the organizations first."
                    )
                    % {"id": reference[:100]},
                )
            )
            return
        if not title:
            check.problems.append(
                RowProblem(
                    check.row.line,
                    "title",
                    "required",
                    _("say what the person's role in the organization is."),
                )
            )
            return
        if len(title) > 120:
            check.problems.append(
                RowProblem(check.row.line, "title", "max_length", _("use at most 120 characters."))
            )
            return
        if self.viewer is not None and not self.viewer.manages_any(organization.hub_ids()):
            check.problems.append(
                RowProblem(
                    check.row.line,
                    "organization",
                    "organization_not_managed",
                    _("you do not manage the hub of “%(name)s”, so you cannot add people to it.")
                    % {"name": organization.name},
                )
            )
            return
        check.organization, check.title = organization, title


def _external_id(row: SourceRow) -> str:
    return str(row.values.get("external_id") or "").strip()


def _existing_records(kind: ImportKind, external_ids: list[str]) -> dict[str, Any]:
    """Existing records by the external ids of the file (``puente:<slug>`` finds by slug)."""
    wanted = {value for value in external_ids if value}
    if not wanted:
        return {}
    model: Any = kind.model
    queryset = model.objects.select_related("hub").prefetch_related(*kind.many_to_many)
    if kind is ORGANIZATIONS:
        queryset = queryset.select_related("type", "stage")
    found: dict[str, Any] = {}
    for chunk in _chunks(sorted(wanted), 500):
        found.update(
            {record.external_id: record for record in queryset.filter(external_id__in=chunk)}
        )
        slugs = {
            value[len(LOCAL_ID_PREFIX) :]: value
            for value in chunk
            if value.startswith(LOCAL_ID_PREFIX) and value not in found
        }
        if slugs:
            for record in queryset.filter(slug__in=list(slugs), external_id__isnull=True):
                found[slugs[record.slug]] = record
    return found


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _changed_fields(kind: ImportKind, instance: Any, cleaned: Mapping[str, Any]) -> list[str]:
    """The fields an update would change (the services write every field given)."""
    nullable = {"external_id", "stage", "founded_year"}
    changed = []
    for name in kind.fields:
        if name not in cleaned:
            continue
        new, old = cleaned[name], getattr(instance, name)
        if isinstance(new, models.Model) or isinstance(old, models.Model):
            new, old = getattr(new, "pk", None), getattr(old, "pk", None)
        elif name not in nullable:
            new, old = ("" if new is None else new), ("" if old is None else old)
        if new != old:
            changed.append(name)
    for name in kind.many_to_many:
        if name in cleaned and {item.pk for item in cleaned[name] or []} != {
            item.pk for item in getattr(instance, name).all()
        }:
            changed.append(name)
    return changed


# --- writing ---------------------------------------------------------------------------------


@transaction.atomic
def _write(kind: ImportKind, checks: list[_RowCheck], actor: User | None) -> None:
    for check in checks:
        if check.result.action == "unchanged":
            continue
        if kind is ORGANIZATIONS:
            if check.existing is None:
                record: Any = services.organization_create(actor=actor, values=check.cleaned)
            else:
                record = services.organization_update(
                    organization=check.existing, actor=actor, values=check.cleaned
                )
        else:
            if check.existing is None:
                record = services.person_create(actor=actor, values=check.cleaned)
            elif set(check.result.changed) - {"organization"}:
                record = services.person_update(
                    person=check.existing, actor=actor, values=check.cleaned
                )
            else:
                record = check.existing
            if check.organization is not None:
                services.position_set(
                    person=record, organization=check.organization, title=check.title, actor=actor
                )
        check.result.object_id = record.pk


__all__ = [
    "KINDS",
    "ORGANIZATIONS",
    "PEOPLE",
    "ImportFileError",
    "ImportReport",
    "RowProblem",
    "organizations_import",
    "people_import",
    "records_import",
    "register_importer",
]
