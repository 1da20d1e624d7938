"""Writes on a landing case file besides its checklist: milestones (added and marked reached by
the hub managers and the company's admins) and evidence documents on checklist items (uploaded
by whoever works on the case, removed by their uploader or a manager). Each write checks
permission, runs atomically and records an audit entry that the case timeline reads."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from puente.accounts.models import User
from puente.accounts.viewer import viewer_for
from puente.core.audit import audit_record, snapshot
from puente.core.errors import Conflict, PermissionDenied, ValidationFailed
from puente.landing.models import (
    EVIDENCE_EXTENSIONS,
    EVIDENCE_MAX_MB,
    CaseFile,
    ChecklistItem,
    EvidenceDocument,
    Milestone,
)
from puente.landing.services import can_work_on_case

#: How many files one upload may carry.
MAX_EVIDENCE_PER_UPLOAD = 10


def manages_case(actor: User, case_file: CaseFile) -> bool:
    return viewer_for(actor).manages_any(
        [case_file.hub_id, case_file.application.call.program.hub_id]
    )


def can_edit_milestones(actor: User, case_file: CaseFile) -> bool:
    """The hub managers and the admins of the landing company."""
    return (
        manages_case(actor, case_file)
        or case_file.application.organization_id in viewer_for(actor).admin_organization_ids
    )


def _require_milestone_editor(actor: User, case_file: CaseFile) -> None:
    if not can_edit_milestones(actor, case_file):
        raise PermissionDenied(
            _("Only the hub managers and the company's admins manage milestones.")
        )


@transaction.atomic
def milestone_add(*, actor: User, case_file: CaseFile, values: dict[str, Any]) -> Milestone:
    """Add a dated goal to the case file, titled in both languages."""
    case_file = CaseFile.objects.select_related("application__call__program", "hub").get(
        pk=case_file.pk
    )
    _require_milestone_editor(actor, case_file)
    title_en = str(values.get("title_en", "")).strip()
    title_es = str(values.get("title_es", "")).strip()
    if not title_en or not title_es:
        raise ValidationFailed(
            _("Give the milestone a title in English and in Spanish."),
            code="required",
            field="title_en" if not title_en else "title_es",
        )
    milestone = Milestone.objects.create(
        case_file=case_file,
        title_en=title_en[:200],
        title_es=title_es[:200],
        due_on=values.get("due_on"),
        note=str(values.get("note", "")).strip()[:2000],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="landing.milestone.add",
        target=milestone,
        after=snapshot(milestone, ["title_en", "title_es", "due_on", "note"]),
        hub=case_file.hub,
    )
    return milestone


@transaction.atomic
def milestone_reach(
    *, actor: User, milestone: Milestone, reached_on: dt.date | None = None, note: str = ""
) -> Milestone:
    """Mark a milestone reached on a date (today by default, never in the future)."""
    milestone = (
        Milestone.objects.select_for_update()
        .select_related("case_file", "case_file__hub", "case_file__application__call__program")
        .get(pk=milestone.pk)
    )
    _require_milestone_editor(actor, milestone.case_file)
    if milestone.reached_on is not None:
        raise Conflict(_("This milestone is already marked as reached."), code="already_reached")
    today = timezone.localdate()
    reached_on = reached_on or today
    if reached_on > today:
        raise ValidationFailed(
            _("A milestone cannot be reached in the future."), code="future", field="reached_on"
        )
    before = snapshot(milestone, ["reached_on", "note"])
    milestone.reached_on = reached_on
    if note.strip():
        milestone.note = note.strip()[:2000]
    milestone.save(update_fields=["reached_on", "note"])
    audit_record(
        actor=actor,
        action="landing.milestone.reach",
        target=milestone,
        before=before,
        after=snapshot(milestone, ["reached_on", "note"]),
        hub=milestone.case_file.hub,
    )
    return milestone


def _check_upload(upload: UploadedFile) -> None:
    """The same checks as the form's, repeated here for callers that bypass the form."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationFailed(
            _("“%(name)s” is not an accepted type; upload one of: %(types)s.")
            % {"name": name[:80], "types": ", ".join(EVIDENCE_EXTENSIONS)},
            code="file_type",
            field="documents",
        )
    if not upload.size:
        raise ValidationFailed(_("The file is empty."), code="file_empty", field="documents")
    if upload.size > EVIDENCE_MAX_MB * 1024 * 1024:
        raise ValidationFailed(
            _("The file is larger than %(mb)s MB.") % {"mb": EVIDENCE_MAX_MB},
            code="file_too_large",
            field="documents",
        )


def evidence_add(
    *, actor: User, item: ChecklistItem, uploads: Sequence[UploadedFile]
) -> list[EvidenceDocument]:
    """Attach one or more documents to a checklist item. All or nothing: when one file is
    refused, none is kept, in the database or on disk."""
    written: list[str] = []
    try:
        with transaction.atomic():
            return _evidence_add(actor=actor, item=item, uploads=uploads, written=written)
    except BaseException:
        storage = EvidenceDocument._meta.get_field("file").storage
        for name in written:
            if name:
                storage.delete(name)
        raise


def _evidence_add(
    *, actor: User, item: ChecklistItem, uploads: Sequence[UploadedFile], written: list[str]
) -> list[EvidenceDocument]:
    item = (
        ChecklistItem.objects.select_for_update()
        .select_related("case_file", "case_file__hub", "case_file__application__call__program")
        .get(pk=item.pk)
    )
    if not can_work_on_case(actor, item.case_file):
        raise PermissionDenied(_("Only the company and the hub managers work on this case file."))
    if not uploads:
        raise ValidationFailed(_("Choose at least one file."), code="required", field="documents")
    if len(uploads) > MAX_EVIDENCE_PER_UPLOAD:
        raise ValidationFailed(
            _("Upload at most %(count)s files at a time.") % {"count": MAX_EVIDENCE_PER_UPLOAD},
            code="too_many_files",
            field="documents",
        )
    for upload in uploads:
        _check_upload(upload)
    stored = []
    for upload in uploads:
        document = EvidenceDocument(
            item=item,
            original_name=(upload.name or "file")[:200],
            size=upload.size or 0,
            uploaded_by=actor,
        )
        document.file.save(upload.name or "file", upload, save=False)
        written.append(document.file.name or "")
        document.save()
        stored.append(document)
        audit_record(
            actor=actor,
            action="landing.evidence.add",
            target=item,
            after={"evidence": document.pk, "file": document.original_name, "size": document.size},
            hub=item.case_file.hub,
        )
    return stored


def can_remove_evidence(actor: User, document: EvidenceDocument) -> bool:
    return document.uploaded_by_id == actor.pk or manages_case(actor, document.item.case_file)


@transaction.atomic
def evidence_remove(*, actor: User, document: EvidenceDocument) -> None:
    """Remove a document (its uploader or a hub manager); the file goes after commit."""
    document = (
        EvidenceDocument.objects.select_for_update()
        .select_related(
            "item",
            "item__case_file",
            "item__case_file__hub",
            "item__case_file__application__call__program",
        )
        .get(pk=document.pk)
    )
    if not can_remove_evidence(actor, document):
        raise PermissionDenied(_("Only whoever uploaded a document, or a hub manager, removes it."))
    item = document.item
    audit_record(
        actor=actor,
        action="landing.evidence.remove",
        target=item,
        after={"evidence": document.pk, "file": document.original_name},
        hub=item.case_file.hub,
    )
    name = document.file.name or ""
    storage = document.file.storage
    document.delete()
    transaction.on_commit(functools.partial(storage.delete, name))
