"""API: the people of the directory (founders, investors, mentors, researchers, agency staff).

Like the organizations router: parse, call one selector or service, answer with a schema.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from puente.accounts.viewer import Viewer, viewer_for
from puente.api.auth import caller, caller_or_anonymous, required_auth
from puente.api.schemas import (
    ABSENT,
    ERRORS,
    MAX_LIST_ITEMS,
    MAX_OFFSET,
    READ_ERRORS,
    Codes,
    InputSchema,
    ObjectId,
    TermRef,
    term_refs,
)
from puente.api.validation import refuse_unknown_codes, require_change
from puente.core.errors import PermissionDenied
from puente.core.forms import validated
from puente.core.models import Vocabulary
from puente.directory import selectors, services
from puente.directory.forms import PersonForm, person_initial
from puente.directory.models import Person

router = Router(tags=["directory"])


class PositionOut(Schema):
    organization_id: int
    organization_name: str
    title: str


class PersonOut(Schema):
    id: int
    external_id: str | None
    slug: str
    url: str = Field(..., description="The person's page in the web app.")
    full_name: str
    headline: str
    bio: str
    bio_language: str
    hub: str = Field(..., description="Slug of the person's hub.")
    expertise: list[TermRef]
    languages: list[str]
    is_mentor: bool
    positions: list[PositionOut]
    is_stale: bool
    contact_visible: bool
    email: str | None = Field(
        None, description="Null unless the viewer may see contact details; never public."
    )
    phone: str | None = None
    linkedin: str | None = None
    profile_visibility: str
    contact_visibility: str


class PersonPage(Schema):
    items: list[PersonOut]
    count: int


class PeopleFilters(InputSchema):
    q: str = Field(
        "",
        max_length=500,
        description="Words to search in names, headlines, biographies and roles.",
    )
    hub: Codes = Field([], max_length=MAX_LIST_ITEMS, description="Hub slugs.")
    expertise: Codes = Field(
        [], max_length=MAX_LIST_ITEMS, description="Sector or technology codes."
    )
    mentor: bool = Field(False, description="Only mentors.")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class PersonIn(InputSchema):
    full_name: str = Field(..., max_length=150)
    headline: str = Field("", max_length=200)
    bio: str = Field("", max_length=4000)
    bio_language: str = Field("es", max_length=8)
    hub: str = Field(..., max_length=40, description="Hub slug.")
    expertise: Codes = Field(
        [], max_length=MAX_LIST_ITEMS, description="Sector or technology codes."
    )
    languages: Codes = Field([], max_length=10, description="Language codes, e.g. es, en.")
    is_mentor: bool = False
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    linkedin: str = Field("", max_length=300)
    profile_visibility: str = Field("public", max_length=20)
    contact_visibility: str = Field("members", max_length=20)
    external_id: str | None = Field(None, max_length=100)


class PersonPatch(InputSchema):
    """Only the fields sent change."""

    full_name: str = Field(ABSENT, max_length=150)
    headline: str = Field(ABSENT, max_length=200)
    bio: str = Field(ABSENT, max_length=4000)
    bio_language: str = Field(ABSENT, max_length=8)
    hub: str = Field(ABSENT, max_length=40)
    expertise: Codes = Field(ABSENT, max_length=MAX_LIST_ITEMS)
    languages: Codes = Field(ABSENT, max_length=10)
    is_mentor: bool = Field(ABSENT)
    email: str = Field(ABSENT, max_length=254)
    phone: str = Field(ABSENT, max_length=40)
    linkedin: str = Field(ABSENT, max_length=300)
    profile_visibility: str = Field(ABSENT, max_length=20)
    contact_visibility: str = Field(ABSENT, max_length=20)
    external_id: str = Field(
        ABSENT, max_length=100, description="A blank value keeps the current id."
    )


def person_out(person: Person, viewer: Viewer) -> PersonOut:
    access = selectors.person_access(viewer, person)
    return PersonOut(
        id=person.pk,
        external_id=person.external_id,
        slug=person.slug,
        url=reverse("directory:person", kwargs={"slug": person.slug}),
        full_name=person.full_name,
        headline=person.headline,
        bio=person.bio,
        bio_language=person.bio_language,
        hub=person.hub.slug,
        expertise=term_refs(person.expertise.all()),
        languages=list(person.languages or []),
        is_mentor=person.is_mentor,
        positions=[
            PositionOut(
                organization_id=position.organization_id,
                organization_name=position.organization.name,
                title=position.title,
            )
            for position in selectors.shown_positions(person)
        ],
        is_stale=person.is_stale,
        contact_visible=access.contact_visible,
        email=person.email if access.contact_visible else None,
        phone=person.phone if access.contact_visible else None,
        linkedin=person.linkedin if access.contact_visible else None,
        profile_visibility=person.profile_visibility,
        contact_visibility=person.contact_visibility,
    )


def _person_after_write(viewer: Viewer, person: Person) -> PersonOut:
    """The person as the writer now sees them (even if the change hid the profile from them)."""
    try:
        return person_out(selectors.person_for_viewer(viewer, pk=person.pk), viewer)
    except Http404:
        positions = Prefetch(
            "positions", queryset=selectors.positions_shown_to(viewer), to_attr="shown_positions"
        )
        fresh = (
            Person.objects.select_related("hub")
            .prefetch_related("expertise", positions)
            .get(pk=person.pk)
        )
        return person_out(fresh, viewer)


@router.get(
    "/people", response={200: PersonPage, **READ_ERRORS}, summary="Search and filter people"
)
def list_people(request: HttpRequest, filters: Query[PeopleFilters]) -> PersonPage:
    viewer = viewer_for(caller_or_anonymous(request))
    refuse_unknown_codes(
        hubs=filters.hub,
        terms={"expertise": (f"{Vocabulary.SECTOR}|{Vocabulary.TECHNOLOGY}", filters.expertise)},
    )
    people_filters = selectors.PeopleFilters(
        q=filters.q.strip(),
        hubs=filters.hub,
        expertise=filters.expertise,
        mentors_only=filters.mentor,
    )
    people, count = selectors.people_directory(
        viewer, people_filters, offset=filters.offset, limit=filters.limit
    )
    return PersonPage(items=[person_out(person, viewer) for person in people], count=count)


@router.get("/people/{person_id}", response={200: PersonOut, **READ_ERRORS}, summary="One person")
def get_person(request: HttpRequest, person_id: ObjectId) -> PersonOut:
    viewer = viewer_for(caller_or_anonymous(request))
    return person_out(selectors.person_for_viewer(viewer, pk=person_id), viewer)


@router.post(
    "/people",
    response={201: PersonOut, **ERRORS},
    auth=required_auth,
    summary="Add a person (hub managers)",
)
def create_person(request: HttpRequest, payload: PersonIn) -> Status[PersonOut]:
    user = caller(request)
    viewer = viewer_for(user)
    if not viewer.is_manager:
        raise PermissionDenied(_("Only hub managers can add people."))
    values = validated(PersonForm(payload.dict()))
    person = services.person_create(actor=user, values=values)
    return Status(201, _person_after_write(viewer, person))


@router.patch(
    "/people/{person_id}",
    response={200: PersonOut, **ERRORS},
    auth=required_auth,
    summary="Change a person (themselves, hub managers)",
)
def update_person(request: HttpRequest, person_id: ObjectId, payload: PersonPatch) -> PersonOut:
    user = caller(request)
    viewer = viewer_for(user)
    person = selectors.person_for_viewer(viewer, pk=person_id)
    if not selectors.person_access(viewer, person).can_edit:
        raise PermissionDenied(_("You cannot edit this person's profile."))
    sent = payload.dict(exclude_unset=True)
    require_change(sent)
    cleaned = validated(PersonForm({**person_initial(person), **sent}, instance=person))
    services.person_update(
        person=person, actor=user, values={key: cleaned[key] for key in sent if key in cleaned}
    )
    return _person_after_write(viewer, person)
