"""Export organizations and people in exactly the columns the importer reads.

An export imported into an empty directory and exported again gives the same file. CSV uses
commas, ``;`` between the codes of a list, UTF-8 and a header line; JSON means JSON Lines (one
object per line, lists as JSON lists). Cells a spreadsheet would run as a formula get a leading
apostrophe, which the importer removes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from puente.accounts.viewer import Viewer
from puente.core.errors import ValidationFailed
from puente.core.models import Hub
from puente.core.spreadsheets import safe_cell
from puente.directory import selectors
from puente.directory.importing import (
    LOCAL_ID_PREFIX,
    ORGANIZATION_COLUMNS,
    PERSON_COLUMNS,
    ColumnSpec,
)
from puente.directory.models import Organization, Person, Position

EXPORT_FORMATS = {"csv": "csv", "json": "jsonl", "jsonl": "jsonl"}
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
EXTENSIONS = {"csv": "csv", "jsonl": "jsonl"}
CHUNK = 500


def export_format(value: str) -> str:
    """``csv`` or ``jsonl`` for the names users give (``json`` means JSON Lines)."""
    file_format = EXPORT_FORMATS.get((value or "").strip().lower())
    if file_format is None:
        raise ValidationFailed(
            _("Unknown export format “%(format)s”: use csv or json.")
            % {"format": (value or "")[:20]},
            code="unknown_format",
            field="format",
        )
    return file_format


def export_hub(slug: str | None) -> Hub | None:
    if not slug:
        return None
    hub = Hub.objects.filter(slug=slug.strip()).first()
    if hub is None:
        raise ValidationFailed(
            _("There is no hub “%(hub)s”.") % {"hub": slug[:40]}, code="unknown_hub", field="hub"
        )
    return hub


def local_id(record: Organization | Person) -> str:
    """The external id a record is exported with (its own, or ``puente:<slug>``)."""
    return record.external_id or f"{LOCAL_ID_PREFIX}{record.slug}"


# --- organizations -----------------------------------------------------------------------------


def organizations_for_export(
    *, hub: Hub | None = None, viewer: Viewer | None = None
) -> QuerySet[Organization]:
    """The organizations to export: all of them (``viewer`` None), or those the viewer may see."""
    queryset = (
        selectors.organizations_visible_to(viewer)
        if viewer is not None
        else Organization.objects.all()
    )
    if hub is not None:
        queryset = queryset.filter(hub=hub)
    return (
        queryset.select_related("type", "hub", "stage")
        .prefetch_related("other_hubs", "sectors", "technologies", "markets", "target_hubs")
        .order_by("sort_name", "id")
    )


def organization_record(organization: Organization, viewer: Viewer | None = None) -> dict[str, Any]:
    """One organization as import columns; fields the viewer may not see are left empty."""
    details = contact = True
    if viewer is not None:
        access = selectors.organization_access(viewer, organization)
        details, contact = access.details_visible, access.contact_visible
    return {
        "external_id": local_id(organization),
        "name": organization.name,
        "type": organization.type.code,
        "hub": organization.hub.slug,
        "other_hubs": [hub.slug for hub in organization.other_hubs.all()],
        "tagline": organization.tagline,
        "description": organization.description,
        "description_language": organization.description_language,
        "description_translation": organization.description_translation,
        "description_translation_language": organization.description_translation_language,
        "sectors": [term.code for term in organization.sectors.all()],
        "technologies": [term.code for term in organization.technologies.all()],
        "markets": [term.code for term in organization.markets.all()],
        "target_hubs": [hub.slug for hub in organization.target_hubs.all()],
        "stage": organization.stage.code if organization.stage else "",
        "size": organization.size if details else "",
        "founded_year": organization.founded_year if details else None,
        "website": organization.website,
        "city": organization.city if details else "",
        "address": organization.address if details else "",
        "email": organization.email if contact else "",
        "phone": organization.phone if contact else "",
        "profile_visibility": organization.profile_visibility,
        "details_visibility": organization.details_visibility,
        "contact_visibility": organization.contact_visibility,
    }


# --- people ----------------------------------------------------------------------------------


def people_for_export(*, hub: Hub | None = None, viewer: Viewer | None = None) -> QuerySet[Person]:
    queryset = selectors.people_visible_to(viewer) if viewer is not None else Person.objects.all()
    if hub is not None:
        queryset = queryset.filter(hub=hub)
    # Positions at organizations hidden from the viewer are not exported (nor shown).
    shown = (
        selectors.positions_shown_to(viewer)
        if viewer is not None
        else Position.objects.select_related("organization").order_by("-is_primary", "id")
    )
    return (
        queryset.select_related("hub")
        .prefetch_related(
            "expertise", Prefetch("positions", queryset=shown, to_attr="shown_positions")
        )
        .order_by("sort_name", "id")
    )


def person_record(person: Person, viewer: Viewer | None = None) -> dict[str, Any]:
    """One person as import columns, with their main position (one per row)."""
    contact = True
    if viewer is not None:
        contact = selectors.person_access(viewer, person).contact_visible
    positions = selectors.shown_positions(person)
    main = positions[0] if positions else None
    return {
        "external_id": local_id(person),
        "full_name": person.full_name,
        "hub": person.hub.slug,
        "headline": person.headline,
        "bio": person.bio,
        "bio_language": person.bio_language,
        "expertise": [term.code for term in person.expertise.all()],
        "languages": list(person.languages or []),
        "is_mentor": person.is_mentor,
        "email": person.email if contact else "",
        "phone": person.phone if contact else "",
        "linkedin": person.linkedin if contact else "",
        "organization": local_id(main.organization) if main else "",
        "title": main.title if main else "",
        "profile_visibility": person.profile_visibility,
        "contact_visibility": person.contact_visibility,
    }


# --- writing files -----------------------------------------------------------------------------


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return safe_cell(str(value))


def csv_lines(records: Iterable[dict[str, Any]], spec: ColumnSpec) -> Iterator[str]:
    """The CSV text, a line (or a few) at a time, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(spec.columns)
    for count, record in enumerate(records, start=1):
        writer.writerow([_csv_cell(record[column]) for column in spec.columns])
        if count % 100 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def jsonl_lines(records: Iterable[dict[str, Any]], spec: ColumnSpec) -> Iterator[str]:
    for record in records:
        yield (
            json.dumps({column: record[column] for column in spec.columns}, ensure_ascii=False)
            + "\n"
        )


def _records(
    kind: str, *, hub: Hub | None, viewer: Viewer | None
) -> tuple[Iterator[dict[str, Any]], ColumnSpec]:
    if kind == "people":
        people = people_for_export(hub=hub, viewer=viewer)
        return (
            person_record(person, viewer) for person in people.iterator(chunk_size=CHUNK)
        ), PERSON_COLUMNS
    organizations = organizations_for_export(hub=hub, viewer=viewer)
    return (
        organization_record(organization, viewer)
        for organization in organizations.iterator(chunk_size=CHUNK)
    ), ORGANIZATION_COLUMNS


def _lines(records: Iterable[dict[str, Any]], spec: ColumnSpec, file_format: str) -> Iterator[str]:
    return csv_lines(records, spec) if file_format == "csv" else jsonl_lines(records, spec)


def export_chunks(
    kind: str, *, file_format: str, hub: Hub | None = None, viewer: Viewer | None = None
) -> Iterator[str]:
    """The export file of ``kind`` ("organizations" or "people") as text chunks, for streaming."""
    records, spec = _records(kind, hub=hub, viewer=viewer)
    return _lines(records, spec, file_format)


def records_export(
    kind: str, *, out: Any, file_format: str, hub: Hub | None = None, viewer: Viewer | None = None
) -> int:
    """Write the export to a text stream; returns the number of records written."""
    records, spec = _records(kind, hub=hub, viewer=viewer)
    count = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal count
        for record in records:
            count += 1
            yield record

    for chunk in _lines(counted(), spec, file_format):
        out.write(chunk)
    return count


def organizations_export(
    *, out: Any, file_format: str, hub: Hub | None = None, viewer: Viewer | None = None
) -> int:
    """Write the organizations (of one hub, or all) to a text stream; returns how many."""
    return records_export("organizations", out=out, file_format=file_format, hub=hub, viewer=viewer)


def people_export(
    *, out: Any, file_format: str, hub: Hub | None = None, viewer: Viewer | None = None
) -> int:
    """Write the people (of one hub, or all) to a text stream; returns how many."""
    return records_export("people", out=out, file_format=file_format, hub=hub, viewer=viewer)
