"""Demo step: the people of both hubs with their positions, mentors among them, in bulk.

Like the organizations step, it computes ``search_text`` with the services' function and writes
one audit entry per person and per position (actor: the system).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from django.utils.text import slugify

from puente.core.audit import snapshot
from puente.core.models import AuditEntry, TaxonomyTerm, Visibility
from puente.demo.seed import SeedContext, content, seed_step
from puente.demo.seed.common import SeedBuilder, audit_entry, term_order
from puente.demo.seed.directory import OrganizationDraft
from puente.directory import services
from puente.directory.models import Organization, Person, Position

PEOPLE = {"full": 600, "small": 60}
# Extra people per organization type beyond the first: startups and scaleups have bigger teams.
TEAM_WEIGHT = {
    "startup": 3,
    "scaleup": 4,
    "corporate": 2,
    "investor": 2,
    "service_provider": 2,
    "university": 2,
    "government": 2,
    "innovation_center": 2,
}


@dataclass
class PersonDraft:
    person: Person
    expertise: list[TaxonomyTerm]
    positions: list[Position]


@seed_step("people", order=110)
def seed_people(context: SeedContext) -> None:
    builder = PeopleBuilder(context, context.random("people"))
    builder.add_people(context.shared["organization_drafts"], PEOPLE[context.size])
    builder.save_people()
    context.counts["people"] = len(builder.people)
    context.counts["positions"] = sum(len(draft.positions) for draft in builder.people)


class PeopleBuilder(SeedBuilder):
    """Invents people for the organizations of the directory step, then writes them in bulk."""

    def __init__(self, context: SeedContext, rng: random.Random) -> None:
        super().__init__(context, rng)
        self.people: list[PersonDraft] = []
        self.person_slugs: set[str] = set(Person.objects.values_list("slug", flat=True))
        self.person_names: set[str] = set()

    # --- people ------------------------------------------------------------------------------
    def add_people(self, drafts: list[OrganizationDraft], total: int) -> None:
        homes = list(drafts)
        weights = [TEAM_WEIGHT[draft.organization.type.code] for draft in drafts]
        while len(homes) < total:
            homes.append(self.rng.choices(drafts, weights=weights)[0])
        homes = homes[:total]
        centers = {
            slug: [
                draft.organization
                for draft in drafts
                if draft.organization.hub.slug == slug
                and draft.organization.type.code in ("innovation_center", "government")
            ]
            for slug in ("medellin", "miami")
        }
        seen_titles: dict[int, int] = {}
        for home in homes:
            index = seen_titles.get(id(home), 0)
            seen_titles[id(home)] = index + 1
            self.people.append(self.person(home, index, centers))

    def person(
        self, home: OrganizationDraft, index: int, centers: dict[str, list[Organization]]
    ) -> PersonDraft:
        rng = self.rng
        organization = home.organization
        hub_slug = organization.hub.slug
        gender = rng.choice("fm")
        latino = hub_slug == "medellin" or self.chance(0.5)
        first_names = (
            content.FIRST_NAMES_ES
            if latino and (hub_slug == "medellin" or self.chance(0.8))
            else content.FIRST_NAMES_EN
        )
        for _attempt in range(30):
            first = rng.choice(first_names[gender])
            surname = rng.choice(content.SURNAMES_ES if latino else content.SURNAMES_EN)
            full_name = f"{first} {surname}"
            if hub_slug == "medellin" and self.chance(0.5):
                full_name += f" {rng.choice(content.SURNAMES_ES)}"
            if full_name not in self.person_names:
                break
        self.person_names.add(full_name)
        speaks_spanish = latino or self.chance(0.3)
        bio_language = (
            "es"
            if (hub_slug == "medellin" and self.chance(0.8))
            or (hub_slug == "miami" and latino and self.chance(0.4))
            else "en"
        )
        languages = (
            ["es", "en"]
            if speaks_spanish and (hub_slug == "miami" or self.chance(0.65))
            else (["es"] if hub_slug == "medellin" else ["en"])
        )
        if bio_language not in languages:
            languages.append(bio_language)
        if self.chance(0.06):
            languages.append(rng.choice(["pt", "fr", "de", "it"]))
        is_mentor = self.chance(0.2)
        titles = content.TITLES[organization.type.code]
        title_set = titles[index] if index < len(titles) else rng.choice(titles)
        title = self._title(title_set, gender, bio_language)
        expertise = list(
            dict.fromkeys(
                [
                    *rng.sample(home.sectors, k=min(len(home.sectors), rng.randint(1, 2))),
                    *rng.sample(
                        home.technologies, k=min(len(home.technologies), rng.randint(0, 2))
                    ),
                ]
            )
        )
        if not expertise:
            expertise = [self.term("sector", rng.choice(content.STARTUP_SECTORS))]
        field_term = expertise[0]
        years = rng.randint(3, 25)
        opening = rng.choice(content.BIO_OPENINGS)
        closing = rng.choice(content.MENTOR_CLOSINGS if is_mentor else content.BIO_CLOSINGS)
        field_es = field_term.label_es[0].lower() + field_term.label_es[1:]
        field_en = field_term.label_en[0].lower() + field_term.label_en[1:]
        if bio_language == "es":
            sentence = opening[0].format(years=years, field_es=field_es)
            bio = f"{first} {sentence[0].lower()}{sentence[1:]} {closing[0]}"
            headline = f"{title} en {organization.name}"
        else:
            sentence = opening[1].format(years=years, field_en=field_en)
            bio = f"{first} {sentence[0].lower()}{sentence[1:]} {closing[1]}"
            headline = f"{title} at {organization.name}"
        email_domain = f"{organization.slug}.example"
        person = Person(
            full_name=full_name,
            slug=self.unique_slug(full_name, self.person_slugs),
            headline=headline[:200],
            bio=bio,
            bio_language=bio_language,
            hub=organization.hub,
            languages=languages,
            is_mentor=is_mentor,
            email=f"{slugify(first).replace('-', '')}.{slugify(surname)}@{email_domain}",
            phone=(
                f"+57 3{rng.randint(0, 2)}{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
                if hub_slug == "medellin"
                else f"+1 305 555 {rng.randint(100, 199):04d}"
            )
            if self.chance(0.5)
            else "",
            profile_visibility=self.weighted(
                [
                    (Visibility.PUBLIC, 0.82),
                    (Visibility.MEMBERS, 0.1),
                    (Visibility.PARTNER_HUBS, 0.06),
                    (Visibility.PRIVATE, 0.02),
                ]
            ),
            contact_visibility=self.weighted(
                [
                    (Visibility.MEMBERS, 0.55),
                    (Visibility.PARTNER_HUBS, 0.3),
                    (Visibility.PRIVATE, 0.15),
                ]
            ),
            last_confirmed_at=self.confirmed_at(0.1),
        )
        if self.chance(0.3):
            person.linkedin = f"https://linkedin.example/in/{person.slug}"
        positions = [
            Position(person=person, organization=organization, title=title, is_primary=True)
        ]
        if is_mentor and self.chance(0.35) and centers[hub_slug]:
            center = rng.choice(centers[hub_slug])
            if center is not organization:
                positions.append(
                    Position(
                        person=person,
                        organization=center,
                        title=self._title(content.MENTOR_TITLE, gender, bio_language),
                        is_primary=False,
                    )
                )
        return PersonDraft(person=person, expertise=expertise, positions=positions)

    @staticmethod
    def _title(titles: tuple[str, str, str], gender: str, language: str) -> str:
        if language != "es":
            return titles[2]
        return titles[0] if gender == "f" else titles[1]

    def save_people(self) -> None:
        for draft in self.people:
            draft.expertise.sort(key=term_order)
            draft.person.search_text = services.person_search_text(
                draft.person, draft.expertise, draft.positions
            )
            draft.person.set_sort_name()
        Person.objects.bulk_create([draft.person for draft in self.people], batch_size=500)
        expertise_rows: list[Any] = []
        positions: list[Position] = []
        for draft in self.people:
            expertise_rows.extend(
                Person.expertise.through(person_id=draft.person.pk, taxonomyterm_id=term.pk)
                for term in draft.expertise
            )
            for position in draft.positions:
                position.person = draft.person
                positions.append(position)
        Person.expertise.through.objects.bulk_create(expertise_rows, batch_size=1000)
        Position.objects.bulk_create(positions, batch_size=1000)
        plain_fields = [
            name for name in services._AUDITED_PERSON if name not in services.PERSON_M2M
        ]  # the fields the service audits
        entries = []
        for draft in self.people:
            after = snapshot(draft.person, plain_fields)
            after["expertise"] = sorted(term.pk for term in draft.expertise)
            entries.append(audit_entry("person.create", draft.person, after, draft.person.hub))
        for position in positions:
            entries.append(
                audit_entry(
                    "person.position.set",
                    position,
                    snapshot(position, ["person_id", "organization_id", "title", "is_primary"]),
                    position.organization.hub,
                )
            )
        AuditEntry.objects.bulk_create(entries, batch_size=500)
