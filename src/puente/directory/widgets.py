"""Form widgets for choosing directory records in directories of any size."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.forms.models import ModelChoiceIterator
from django.urls import reverse

from puente.core.ids import parse_id

#: Organizations a picker lists before anything is typed (and that a search returns).
PICKER_OPTIONS = 50


class OrganizationPicker(forms.Select):
    """A select of organizations that stays small however large the directory is.

    A plain select of a ``ModelChoiceField`` lists its whole queryset: every organization,
    once per field (a case file has a provider per checklist step; at 100,000
    organizations that is a page of a million options). This one lists the first
    :data:`PICKER_OPTIONS` by name and the chosen one; a search box beside it (htmx)
    replaces them with the organizations of its ``scope`` (those the user may see, or may
    act for) whose name contains what is typed, accents and case ignored
    (``directory:organization_options``). A queryset that fits in the list is a plain
    select, without the box. The field still validates against its whole queryset.
    """

    template_name = "directory/widgets/organization_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None, *, scope: str = "visible") -> None:
        super().__init__(attrs)
        self.scope = scope  # what the search may offer: a key of selectors.PICKER_SCOPES

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        source = self.choices
        if not isinstance(source, ModelChoiceIterator):  # choices given as a list
            return super().get_context(name, value, attrs)
        queryset, field = source.queryset, source.field
        values = value if isinstance(value, list) else [value]
        chosen = [number for item in values if (number := parse_id(item))]
        head = list(queryset.order_by("sort_name", "id")[: PICKER_OPTIONS + 1])
        searchable = len(head) > PICKER_OPTIONS  # a short list stays a plain select
        head = head[:PICKER_OPTIONS]
        extra = list(queryset.filter(pk__in=chosen).exclude(pk__in=[o.pk for o in head]))
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        self.choices = [*empty, *((o.pk, str(o)) for o in [*extra, *head])]
        try:
            context = super().get_context(name, value, attrs)
        finally:
            self.choices = source  # the next render (or a new queryset) starts again
        if searchable:
            query = urlencode({"scope": self.scope, "empty": "1" if empty else "0"})
            url = reverse("directory:organization_options")
            context["widget"]["search_url"] = f"{url}?{query}"
        return context
