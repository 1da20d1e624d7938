"""The hub managers' import page: upload a file, read the check report, then commit it.

The first step is a dry run; the uploaded file waits in the default storage under an
unguessable token kept in the manager's session, so the commit imports exactly the file that
was checked, without uploading it again.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from puente.accounts.viewer import viewer_for
from puente.core.errors import DomainError
from puente.directory import importing
from puente.directory.import_decoding import refuse_oversize
from puente.directory.models import Organization, Person

SESSION_KEY = "directory_imports"
PENDING_FOR = dt.timedelta(hours=1)
MAX_PENDING = 5
ROWS_SHOWN = 500


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"),
        choices=[
            ("organizations", gettext_lazy("Organizations")),
            ("people", gettext_lazy("People")),
        ],
        initial="organizations",
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (comma, semicolon or tab between columns) or JSON Lines, in UTF-8."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.jsonl,.ndjson,.json"}),
    )
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[
            ("", gettext_lazy("Detect from the file")),
            ("csv", "CSV"),
            ("jsonl", "JSON Lines"),
        ],
        required=False,
    )
    encoding = forms.ChoiceField(
        label=gettext_lazy("Text encoding"),
        choices=[
            ("", gettext_lazy("UTF-8 (recommended)")),
            ("latin-1", "Latin-1 (ISO-8859-1)"),
            ("cp1252", gettext_lazy("Windows-1252 (older Excel)")),
            ("utf-16", "UTF-16"),
        ],
        required=False,
    )


def _pending(request: HttpRequest) -> dict[str, dict[str, Any]]:
    """The manager's checked uploads waiting for a commit; expired ones are removed."""
    pending: dict[str, dict[str, Any]] = request.session.get(SESSION_KEY, {})
    now = timezone.now()
    for token, entry in list(pending.items()):
        if now - dt.datetime.fromisoformat(entry["at"]) > PENDING_FOR:
            _discard(pending, token)
    return pending


def _discard(pending: dict[str, dict[str, Any]], token: str) -> None:
    entry = pending.pop(token, None)
    if entry is not None and default_storage.exists(entry["path"]):
        default_storage.delete(entry["path"])


def _keep(request: HttpRequest, data: bytes, options: dict[str, Any]) -> str:
    pending = _pending(request)
    while len(pending) >= MAX_PENDING:
        _discard(pending, min(pending, key=lambda token: pending[token]["at"]))
    token = uuid.uuid4().hex
    path = default_storage.save(f"imports/{token}.upload", ContentFile(data))
    pending[token] = {**options, "path": path, "at": timezone.now().isoformat()}
    request.session[SESSION_KEY] = pending
    return token


def _render(request: HttpRequest, form: ImportUploadForm, **context: Any) -> HttpResponse:
    report: importing.ImportReport | None = context.get("report")
    if report is not None:
        context["rows"] = report.results[:ROWS_SHOWN]
        context["rows_hidden"] = max(0, len(report.results) - ROWS_SHOWN)
        context["headline"] = report.headline(skip_option=_("the box “Import the valid rows”"))
    return render(
        request,
        "directory/import.html",
        {"form": form, **context},
        status=context.pop("status", 200),
    )


@login_required
def directory_import(request: HttpRequest) -> HttpResponse:
    """Upload and check a file (GET, POST), or import a checked file (POST with a token)."""
    if not viewer_for(request.user).is_manager:
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return _commit(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _render(request, form, status=422 if request.method == "POST" else 200)
    upload = form.cleaned_data["file"]
    options = {
        "kind": form.cleaned_data["kind"],
        "name": upload.name or "",
        "format": form.cleaned_data["file_format"] or None,
        "encoding": form.cleaned_data["encoding"] or None,
    }
    try:
        refuse_oversize(upload.size or 0, settings.IMPORT_MAX_BYTES)
        data = upload.read()
        report = _run(request, data, options, dry_run=True, skip_invalid=False)
    except DomainError as error:
        form.add_error("file", error.message)
        return _render(request, form, status=422)
    token = _keep(request, data, options) if report.valid else ""
    return _render(request, form, report=report, token=token, file_name=options["name"])


def _run(
    request: HttpRequest, data: bytes, options: dict[str, Any], *, dry_run: bool, skip_invalid: bool
) -> importing.ImportReport:
    return importing.records_import(
        kind=importing.KINDS[options["kind"]],
        data=data,
        filename=options["name"],
        actor=request.user,  # type: ignore[arg-type]
        file_format=options["format"],
        encoding=options["encoding"],
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        encoding_hint=_("choose “%(encoding)s” under “Text encoding”") % {"encoding": "{encoding}"},
    )


def _commit(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    entry = pending.get(request.POST.get("token", ""))
    if entry is None or not default_storage.exists(entry["path"]):
        request.session[SESSION_KEY] = pending
        messages.error(
            request,
            _(
                "That checked file is no longer waiting to be imported (checked files are kept for an hour). Upload it again."
            ),
        )
        return redirect("directory:import")
    with default_storage.open(entry["path"], "rb") as handle:
        data = handle.read()
    form = ImportUploadForm(initial={"kind": entry["kind"]})
    skip_invalid = request.POST.get("skip_invalid") == "on"
    try:
        report = _run(request, data, entry, dry_run=False, skip_invalid=skip_invalid)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("directory:import")
    if report.failed:
        token = request.POST["token"]
        return _render(
            request, form, report=report, token=token, file_name=entry["name"], status=422
        )
    _discard(pending, request.POST["token"])
    request.session[SESSION_KEY] = pending
    messages.success(request, f"{report.headline()} {report.summary()}")
    return _render(
        request, form, report=report, done=True, links=_links(report), file_name=entry["name"]
    )


def _links(report: importing.ImportReport) -> dict[int, str]:
    """Profile addresses of the records written, by id, for the result table."""
    ids = [row.object_id for row in report.results if row.object_id]
    model: Any = Person if report.kind == "people" else Organization
    route = "directory:person" if report.kind == "people" else "directory:organization"
    return {
        pk: reverse(route, kwargs={"slug": slug})
        for pk, slug in model.objects.filter(pk__in=ids).values_list("pk", "slug")
    }
