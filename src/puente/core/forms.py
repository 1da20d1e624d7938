"""Form helpers: choosing taxonomy terms and hubs by code, and turning form errors into data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from puente.core.errors import DomainError, ValidationFailed
from puente.core.ids import MAX_ID
from puente.core.models import TaxonomyTerm


def bilingual_term_queryset(*vocabularies: str) -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.filter(vocabulary__in=vocabularies, is_active=True)


def _label(obj: Model) -> str:
    return getattr(obj, "label", None) or getattr(obj, "name", None) or str(obj)


class CodeChoiceField(forms.ModelChoiceField):
    """Choose one row by its code (taxonomy term code or hub slug); labels follow the UI language."""

    default_error_messages = {
        "invalid_choice": _("“%(value)s” is not a known code here."),
    }

    def __init__(self, *args: Any, to_field_name: str = "code", **kwargs: Any) -> None:
        super().__init__(*args, to_field_name=to_field_name, **kwargs)

    def label_from_instance(self, obj: Model) -> str:
        return _label(obj)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if not isinstance(value, str | int):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": str(value)[:60]},
            )
        queryset = self.queryset
        assert queryset is not None, "a model choice field needs a queryset"
        try:
            return queryset.get(**{self.to_field_name or "pk": value})
        except (ValueError, TypeError, queryset.model.DoesNotExist) as error:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": str(value)[:60]},
            ) from error


class CodeMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Choose several rows by code; accepts a list or a ``;``/``,``-separated string."""

    default_error_messages = {
        "invalid_choice": _("“%(value)s” is not a known code here."),
        "invalid_list": _("Enter a list of codes."),
        "invalid_pk_value": _("“%(pk)s” is not a known code here."),
    }

    def __init__(self, *args: Any, to_field_name: str = "code", **kwargs: Any) -> None:
        super().__init__(*args, to_field_name=to_field_name, **kwargs)

    def label_from_instance(self, obj: Model) -> str:
        return _label(obj)

    def clean(self, value: Any) -> Any:
        if isinstance(value, str):
            value = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        elif isinstance(value, list | tuple):
            if not all(isinstance(item, str | int) for item in value):
                raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
            value = [str(item).strip() for item in value if str(item).strip()]
        return super().clean(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Choose several rows by id; an id no database column can hold is refused, not queried.

    Django's own field sends every posted value to the database in one ``IN`` lookup, and
    SQLite raises ``OverflowError`` (a server error) for an integer of 2**63 or more.
    """

    def clean(self, value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else ():
            try:
                number = int(str(item))
            except ValueError:
                continue  # Django's own check refuses it with its message
            if not -(2**63) <= number <= MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(item)[:60]},
                )
        return super().clean(value)


def form_errors(form: forms.BaseForm) -> list[dict[str, str]]:
    """A form's errors as ``[{"field", "code", "message"}]`` (``__all__`` errors use field ``""``)."""
    errors = []
    for field, items in form.errors.get_json_data().items():
        for item in items:
            errors.append(
                {
                    "field": "" if field == "__all__" else field,
                    "code": item.get("code") or "invalid",
                    "message": item["message"],
                }
            )
    return errors


def validated(form: forms.BaseForm) -> dict[str, Any]:
    """The cleaned data of a valid form, or a :class:`ValidationFailed` listing every error."""
    if not form.is_valid():
        errors = form_errors(form)
        first = errors[0]["message"] if errors else str(_("Some values are not valid."))
        raise ValidationFailed(
            _("Some values are not valid: %(first)s") % {"first": first},
            code="invalid",
            errors=errors,
        )
    return form.cleaned_data


def show_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's refusal on the form that asked: on its field when the form has
    that field, else above the form. A form that already shows its own validation errors
    keeps just those (the refusal then only summarises them)."""
    if form.errors:
        return
    form.add_error(error.field if error.field in form.fields else None, error.message)


def codes(items: Iterable[Any], attribute: str = "code") -> list[str]:
    return [getattr(item, attribute) for item in items]
