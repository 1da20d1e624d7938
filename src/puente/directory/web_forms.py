"""How the directory's forms look in the web app: sections, checkbox lists, radio choices.

``forms`` holds the validation shared by the web, the API and the importer; the classes here
only change presentation (widgets, help texts, grouping) and what a non-manager may touch.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from puente.core.forms import bilingual_term_queryset
from puente.core.models import Vocabulary
from puente.directory.forms import OrganizationForm, PersonForm, use_friendly_messages
from puente.directory.models import Organization, Person


def _use_widget(
    field: forms.Field, widget_class: type[forms.CheckboxSelectMultiple | forms.RadioSelect]
) -> None:
    """Render a choice field with another widget (checkbox list, radio buttons), same choices."""
    choices: Any = getattr(field, "choices", [])
    field.widget = widget_class(choices=choices)


class FormSection:
    """A titled group of form fields, rendered as one fieldset of an editing page."""

    def __init__(
        self,
        key: str,
        title: Any,
        intro: Any,
        names: tuple[str, ...],
        *,
        wide: tuple[str, ...] = (),
    ) -> None:
        self.key = key
        self.title = title
        self.intro = intro
        self.names = names
        self.wide = wide


class SectionedFormMixin(forms.BaseForm):
    """Lets a template walk a form section by section: ``{% for section in form.sections %}``."""

    SECTIONS: tuple[FormSection, ...] = ()

    @property
    def sections(self) -> list[dict[str, Any]]:
        return [
            {
                "key": section.key,
                "title": section.title,
                "intro": section.intro,
                "fields": [
                    (self[name], name in section.wide)
                    for name in section.names
                    if name in self.fields
                ],
            }
            for section in self.SECTIONS
            if any(name in self.fields for name in section.names)
        ]


class OrganizationProfileForm(SectionedFormMixin, OrganizationForm):
    """The organization form of the web editing page: checkbox lists, explained visibility choices.

    Organization admins cannot move the organization to another hub or change its external id;
    those fields are shown read-only or left out for them (hub managers get everything).
    """

    SECTIONS = (
        FormSection(
            "identity",
            _("Identity"),
            _("How the organization appears in the directory and in search results."),
            ("name", "tagline", "type", "stage"),
            wide=("name", "tagline"),
        ),
        FormSection(
            "description",
            _("Description"),
            _(
                "Write the description in one language and say which. A translation is optional: visitors who read Puente in that language see it, with a note that the organization translated it."
            ),
            (
                "description",
                "description_language",
                "description_translation_language",
                "description_translation",
            ),
            wide=("description", "description_translation"),
        ),
        FormSection(
            "taxonomy",
            _("Sectors, technologies and markets"),
            _(
                "Tick every term that applies; they drive the directory filters and the matches Puente suggests."
            ),
            ("sectors", "technologies", "markets"),
        ),
        FormSection(
            "hubs",
            _("Hubs"),
            _(
                "The home hub curates the profile. Hubs it wants to reach tell the other side of the bridge that the organization is looking for clients, partners or capital there."
            ),
            ("hub", "other_hubs", "target_hubs"),
        ),
        FormSection(
            "details",
            _("Details"),
            "",
            ("website", "size", "founded_year", "city", "address"),
            wide=("website",),
        ),
        FormSection(
            "contact",
            _("Contact"),
            _(
                "Contact details are never public: they are shown only to the groups chosen below, and revealed in an introduction when both sides accept."
            ),
            ("email", "phone"),
        ),
        FormSection(
            "visibility",
            _("Who sees what"),
            _(
                "Choose, for each group of fields, who may see it. The organization's own members and the managers of its hubs always see everything."
            ),
            ("profile_visibility", "details_visibility", "contact_visibility"),
        ),
        FormSection("records", _("Records"), "", ("external_id",)),
    )

    def __init__(
        self,
        *args: Any,
        instance: Organization | None = None,
        can_manage_hubs: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, instance=instance, **kwargs)
        for name in ("sectors", "technologies", "markets", "other_hubs", "target_hubs"):
            _use_widget(self.fields[name], forms.CheckboxSelectMultiple)
        for name in ("profile_visibility", "details_visibility", "contact_visibility"):
            _use_widget(self.fields[name], forms.RadioSelect)
        self.fields["description_language"].help_text = _(
            "The language the description above is written in."
        )
        self.fields["description_translation"].label = _("Translation")
        self.fields["description_translation_language"].label = _("Translation language")
        self.fields["tagline"].help_text = _(
            "One sentence shown under the name in the directory; write it in the description's language."
        )
        self.fields["target_hubs"].label = _("Hubs the organization wants to reach")
        use_friendly_messages(self)
        self.fields["profile_visibility"].help_text = _(
            "Who can find the organization in the directory and open its profile (name, description, sectors, people)."
        )
        self.fields["details_visibility"].label = _("Who sees the size, founding year and address")
        self.fields["contact_visibility"].help_text = _(
            "Contact details are never public; the widest choice is the members of this hub and its partner hubs."
        )
        if not can_manage_hubs:
            self.fields["hub"].disabled = True
            self.fields["hub"].help_text = _(
                "Only the hub managers can move an organization to another hub."
            )
            del self.fields["external_id"]


class PersonProfileForm(SectionedFormMixin, PersonForm):
    """A person's own profile page form: expertise grouped by sector and technology."""

    SECTIONS = (
        FormSection(
            "identity",
            _("About you"),
            "",
            ("full_name", "headline", "hub", "is_mentor"),
            wide=("full_name", "headline"),
        ),
        FormSection(
            "bio",
            _("Biography"),
            _(
                "A few lines on your experience and what you can help with. Say which language you wrote it in."
            ),
            ("bio", "bio_language", "languages"),
            wide=("bio",),
        ),
        FormSection(
            "expertise",
            _("Expertise"),
            _(
                "Tick the sectors and technologies you know well; people looking for advice find you by them."
            ),
            ("expertise",),
        ),
        FormSection(
            "contact",
            _("Contact"),
            _(
                "Your contact details are never public: choose who among the signed-in members may see them."
            ),
            ("email", "phone", "linkedin"),
        ),
        FormSection(
            "visibility", _("Who sees what"), "", ("profile_visibility", "contact_visibility")
        ),
        FormSection("records", _("Records"), "", ("external_id",)),
    )

    def __init__(
        self,
        *args: Any,
        instance: Person | None = None,
        can_manage_hubs: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, instance=instance, **kwargs)
        expertise = self.fields["expertise"]
        expertise.widget = forms.CheckboxSelectMultiple(choices=_grouped_expertise_choices())
        expertise.widget.template_name = "directory/widgets/grouped_checkboxes.html"
        _use_widget(self.fields["languages"], forms.CheckboxSelectMultiple)
        for name in ("profile_visibility", "contact_visibility"):
            _use_widget(self.fields[name], forms.RadioSelect)
        self.fields["hub"].help_text = _("The hub whose community you belong to.")
        use_friendly_messages(self)
        self.fields["is_mentor"].help_text = _(
            "Mentors are listed with a badge and can be found with the “Mentors only” filter."
        )
        if not can_manage_hubs:
            del self.fields["external_id"]


def _grouped_expertise_choices() -> list[tuple[Any, list[tuple[str, str]]]]:
    """Expertise choices as two groups, sectors then technologies, labelled in the UI language."""
    groups: list[tuple[Any, list[tuple[str, str]]]] = []
    for vocabulary, title in (
        (Vocabulary.SECTOR, _("Sectors")),
        (Vocabulary.TECHNOLOGY, _("Technologies")),
    ):
        terms = bilingual_term_queryset(vocabulary)
        groups.append((title, [(term.code, term.label) for term in terms]))
    return groups


class ClaimDecisionForm(forms.Form):
    """A hub manager's decision on a claim, with an optional note to the claimant."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    note = forms.CharField(
        label=_("Note to the claimant"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_friendly_messages(self)
