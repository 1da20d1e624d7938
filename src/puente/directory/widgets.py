"""Form widgets for choosing directory records in directories of any size."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse

#: Organizations a picker lists before anything is typed (and that a search returns).
PICKER_OPTIONS = 50


class OrganizationPicker(forms.Select):
    """A select of organizations that stays small however large the directory is.

    A plain select of a ``ModelChoiceField`` lists its whole queryset: every organization,
    once per field (a case file has a provider per checklist step; at 100,000
    organizations that is a page of a million options). This one lists the first
    :data:`PICKER_OPTIONS` by name and the chosen one; a search box beside it (htmx)
    replaces them with the organizations, visible to the user, whose name contains what
    is typed, accents and case ignored (``directory:organization_options``). The field
    still validates against its whole queryset.
    """

    template_name = "directory/widgets/organization_picker.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        queryset = getattr(self.choices, "queryset", None)
        if queryset is not None:
            chosen = [str(item) for item in (value if isinstance(value, list) else [value])]
            chosen = [item for item in chosen if item.isdigit() and len(item) < 19]
            head = list(queryset.order_by("sort_name", "id")[:PICKER_OPTIONS])
            extra = list(queryset.filter(pk__in=chosen).exclude(pk__in=[o.pk for o in head]))
            empty = [("", self.choices.field.empty_label)] if self.choices.field.empty_label else []
            self.choices = [*empty, *((o.pk, str(o)) for o in [*extra, *head])]
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = reverse("directory:organization_options")
        return context
