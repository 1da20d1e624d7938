"""Input of the matching pages: feedback on a suggested item."""

from __future__ import annotations

from django import forms

from puente.core.ids import MAX_ID
from puente.matching.items import ITEM_TYPES
from puente.matching.models import FeedbackKind


class FeedbackForm(forms.Form):
    """A user's verdict on one suggested item ("not relevant" or "already met")."""

    item_type = forms.ChoiceField(choices=[(name, name) for name in ITEM_TYPES])
    item_id = forms.IntegerField(min_value=1, max_value=MAX_ID)
    kind = forms.ChoiceField(
        choices=[
            (FeedbackKind.NOT_RELEVANT, FeedbackKind.NOT_RELEVANT.label),
            (FeedbackKind.ALREADY_MET, FeedbackKind.ALREADY_MET.label),
        ]
    )
