"""How the opportunity form looks in the web app (checkbox lists, the posting organization).

Validation stays in ``forms.OpportunityForm``, shared with the API and the importer.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from puente.directory.models import Organization
from puente.directory.widgets import OrganizationPicker
from puente.marketplace.forms import OpportunityForm
from puente.marketplace.models import Opportunity

CHECKBOX_FIELDS = ("target_hubs", "sectors", "technologies", "stages")


class OpportunityWebForm(OpportunityForm):
    """The opportunity form of the web pages; on creation, which organization posts it."""

    organization = forms.ModelChoiceField(
        label=_("Posted by"),
        queryset=Organization.objects.none(),
        empty_label=None,
        widget=OrganizationPicker(scope="acted_for"),
    )

    field_order = [
        "organization",
        "side",
        "kind",
        "title",
        "description",
        "language",
        "hub",
        "target_hubs",
        "sectors",
        "technologies",
        "stages",
    ]

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization] | None = None,
        instance: Opportunity | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, instance=instance, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        for name in CHECKBOX_FIELDS:
            field = self.fields[name]
            field.widget = forms.CheckboxSelectMultiple(choices=getattr(field, "choices", []))
        self.fields["side"].widget = forms.RadioSelect(choices=self.fields["side"].choices)  # type: ignore[attr-defined]
        self.fields["external_id"].widget = forms.HiddenInput()
        self.fields["profile_type"].help_text = _(
            "Only for exchanges with European partnering databases."
        )

    def main_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in ("organization", "side", "kind", "title", "description", "language")
            if name in self.fields
        ]

    def reach_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("hub", "target_hubs", "sectors", "technologies", "stages")]

    def terms_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in (
                "amount_min",
                "amount_max",
                "currency",
                "deadline",
                "visibility",
                "profile_type",
            )
        ]
