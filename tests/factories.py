"""Factories for test data. Reference data (hubs, taxonomy) comes from the migrations."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from puente.accounts.models import HubRole, User
from puente.core.models import Hub, TaxonomyTerm
from puente.directory.models import (
    MembershipRole,
    Organization,
    OrganizationMembership,
    Person,
    Position,
)
from puente.directory.services import organization_search_text, person_reindex


def _ensure_reference_data() -> None:
    # Transactional tests (live server, threads) flush the database, migrations' data included.
    if not Hub.objects.exists():
        from puente.core.reference_data import ensure_reference_data

        ensure_reference_data()


def hub(slug: str = "medellin") -> Hub:
    _ensure_reference_data()
    return Hub.objects.get(slug=slug)


def term(vocabulary: str, code: str) -> TaxonomyTerm:
    _ensure_reference_data()
    return TaxonomyTerm.objects.get(vocabulary=vocabulary, code=code)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    language = "es"
    time_zone = "America/Bogota"
    email_verified_at = factory.LazyFunction(timezone.now)
    home_hub = factory.LazyFunction(lambda: hub("medellin"))
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @classmethod
    def _after_postgeneration(cls, instance: User, create: bool, results: Any = None) -> None:
        if create:
            instance.save()


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"organization-{n}")
    type = factory.LazyFunction(lambda: term("organization_type", "startup"))
    hub = factory.LazyFunction(lambda: hub("medellin"))
    tagline = "Software para el agro colombiano"
    description = "Plataforma de trazabilidad para cultivos de café y cacao."
    description_language = "es"
    email = factory.Sequence(lambda n: f"hola{n}@org.example")
    phone = "+57 300 000 0000"

    @factory.post_generation
    def sectors(
        organization: Organization, create: bool, extracted: list[str] | None, **kwargs: Any
    ) -> None:
        if create and extracted:
            organization.sectors.set([term("sector", code) for code in extracted])

    @factory.post_generation
    def index(organization: Organization, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            terms = [organization.type, *organization.sectors.all()]
            terms += list(organization.technologies.all())
            organization.search_text = organization_search_text(organization, terms)
            Organization.objects.filter(pk=organization.pk).update(
                search_text=organization.search_text
            )


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    full_name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"person-{n}")
    hub = factory.LazyFunction(lambda: hub("medellin"))
    headline = "Fundadora"
    email = factory.Sequence(lambda n: f"persona{n}@example.org")

    @factory.post_generation
    def index(person: Person, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            person_reindex(person)


def make_manager(hub_slug: str = "medellin", **kwargs: Any) -> User:
    user = UserFactory.create(**kwargs)
    HubRole.objects.create(user=user, hub=hub(hub_slug))
    return user


def make_member(
    organization: Organization, role: str = MembershipRole.MEMBER, **kwargs: Any
) -> User:
    user = UserFactory.create(**kwargs)
    OrganizationMembership.objects.create(user=user, organization=organization, role=role)
    return user


def add_position(person: Person, organization: Organization, title: str = "CEO") -> Position:
    position = Position.objects.create(person=person, organization=organization, title=title)
    person_reindex(person)
    return position
