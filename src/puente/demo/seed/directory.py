"""Demo step: the organizations of both hubs, written in bulk.

Bulk inserts keep ``puente demo`` well under a minute, so this step does by hand what the
directory services do per record: it computes ``search_text`` with the services' own function
and writes one audit entry per created organization (actor: the system).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from puente.core.audit import snapshot
from puente.core.models import AuditEntry, Hub, TaxonomyTerm, Visibility
from puente.demo.seed import SeedContext, content, seed_step
from puente.demo.seed.common import SeedBuilder, audit_entry, term_order
from puente.directory import services
from puente.directory.models import CompanySize, Organization, VerificationStatus

# (Medellín, Miami) organizations per type, besides the agreement's partners.
FULL_COUNTS = {
    "startup": (80, 60),
    "scaleup": (18, 14),
    "corporate": (14, 14),
    "investor": (12, 18),
    "service_provider": (18, 18),
    "university": (8, 6),
    "government": (4, 4),
    "innovation_center": (6, 6),
}
SMALL_COUNTS = dict.fromkeys(FULL_COUNTS, (2, 2))
OTHER_HUB = {"medellin": "miami", "miami": "medellin"}


@dataclass
class OrganizationDraft:
    organization: Organization
    other_hubs: list[Hub] = field(default_factory=list)
    sectors: list[TaxonomyTerm] = field(default_factory=list)
    technologies: list[TaxonomyTerm] = field(default_factory=list)
    markets: list[TaxonomyTerm] = field(default_factory=list)
    target_hubs: list[Hub] = field(default_factory=list)
    key: str = ""


@seed_step("directory", order=100)
def seed_directory(context: SeedContext) -> None:
    builder = DirectoryBuilder(context, context.random("directory"))
    builder.add_partners()
    counts = SMALL_COUNTS if context.small else FULL_COUNTS
    for type_code, per_hub in counts.items():
        for hub_slug, count in zip(("medellin", "miami"), per_hub, strict=True):
            for _index in range(count):
                builder.add_organization(type_code, hub_slug)
    builder.save_organizations()
    context.counts["organizations"] = len(builder.organizations)
    context.shared["organization_drafts"] = builder.organizations
    context.shared["organizations"] = [draft.organization for draft in builder.organizations]
    context.shared["partners"] = {
        draft.key: draft.organization for draft in builder.organizations if draft.key
    }


class DirectoryBuilder(SeedBuilder):
    """Invents organizations, then writes them, their taxonomy links and audit entries in bulk."""

    def __init__(self, context: SeedContext, rng: random.Random) -> None:
        super().__init__(context, rng)
        self.organizations: list[OrganizationDraft] = []
        self.names: set[str] = set(Organization.objects.values_list("name", flat=True))
        self.slugs: set[str] = set(Organization.objects.values_list("slug", flat=True))

    def unique_name(self, make: Any) -> str:
        for _attempt in range(40):
            name = make()
            if name not in self.names:
                self.names.add(name)
                return str(name)
        name = f"{make()} {self.rng.choice(content.PLACE_WORDS)}"
        while name in self.names:
            name = f"{name} {self.rng.randint(2, 99)}"
        self.names.add(name)
        return name

    # --- organizations -------------------------------------------------------------------------
    def add_partners(self) -> None:
        for data in content.PARTNERS:
            tagline: tuple[str, str] = data["tagline"]
            description: tuple[str, str] = data["description"]
            language = str(data["language"])
            first, second = (0, 1) if language == "es" else (1, 0)
            hub_slug = str(data["hub"])
            name = str(data["name"])
            self.names.add(name)
            organization = Organization(
                name=name,
                slug=self.unique_slug(name, self.slugs),
                type=self.term("organization_type", str(data["type"])),
                hub=self.hub(hub_slug),
                tagline=tagline[first],
                description=description[first],
                description_language=language,
                description_translation=description[second],
                description_translation_language="en" if language == "es" else "es",
                size=str(data["size"]),
                founded_year=int(data["founded"]),
                city=str(data["city"]),
                verification_status=VerificationStatus.VERIFIED,
                verified_at=self.context.now - dt.timedelta(days=30),
                last_confirmed_at=self.context.now - dt.timedelta(days=self.rng.randint(2, 40)),
                profile_visibility=Visibility.PUBLIC,
                details_visibility=Visibility.PUBLIC,
                contact_visibility=Visibility.MEMBERS,
            )
            # Real institutions: no invented web site, address or phone number.
            draft = OrganizationDraft(
                organization=organization,
                key=str(data["key"]),
                other_hubs=[self.hub(slug) for slug in data.get("other_hubs", [])],
                sectors=[self.term("sector", code) for code in data["sectors"]],
                technologies=[self.term("technology", code) for code in data["technologies"]],
                target_hubs=[self.hub(OTHER_HUB[hub_slug])],
            )
            draft.markets = self.markets(hub_slug, targets_other=True)
            self.organizations.append(draft)

    def contact_details(self, organization: Organization, hub_slug: str, language: str) -> None:
        domain = f"{organization.slug}.example"
        organization.website = f"https://{domain}"
        organization.email = f"{'hola' if language == 'es' else 'hello'}@{domain}"
        rng = self.rng
        if hub_slug == "medellin":
            organization.phone = f"+57 604 {rng.randint(200, 599)} {rng.randint(1000, 9999)}"
            organization.address = f"{rng.choice(content.MEDELLIN_STREETS)} # {rng.randint(1, 99)}-{rng.randint(1, 99)}"
        else:
            organization.phone = f"+1 305 555 {rng.randint(100, 199):04d}"
            organization.address = f"{rng.randint(100, 3999)} {rng.choice(content.MIAMI_STREETS)}, Suite {rng.randint(1, 20) * 100}"

    def markets(self, hub_slug: str, *, targets_other: bool) -> list[TaxonomyTerm]:
        if hub_slug == "medellin":
            codes = ["colombia"] + (["latin_america"] if self.chance(0.6) else [])
            if targets_other:
                codes.append(self.rng.choice(["united_states", "us_hispanic", "north_america"]))
        else:
            extra = self.rng.sample(
                ["us_hispanic", "latin_america", "central_america_caribbean"],
                k=self.rng.randint(0, 2),
            )
            codes = ["united_states", *extra]
            if targets_other:
                codes.append("colombia")
        if self.chance(0.08):
            codes.append(self.rng.choice(["europe", "asia_pacific", "global"]))
        return [self.term("market", code) for code in dict.fromkeys(codes)]

    def add_organization(self, type_code: str, hub_slug: str) -> None:
        rng = self.rng
        language = (
            ("es" if self.chance(0.85) else "en")
            if hub_slug == "medellin"
            else ("en" if self.chance(0.75) else "es")
        )
        target_share = {
            "startup": 0.65,
            "scaleup": 0.75,
            "investor": 0.45,
            "service_provider": 0.55,
            "corporate": 0.35,
            "university": 0.5,
        }.get(type_code, 1.0)
        targets_other = self.chance(target_share)
        if type_code in ("startup", "scaleup"):
            sector = rng.choice(content.STARTUP_SECTORS)
            name = self.unique_name(
                lambda: rng.choice(content.NAME_ROOTS[sector]) + rng.choice(content.NAME_SUFFIXES)
            )
            offer = rng.choice(content.SECTOR_OFFERS[sector])
            texts = self.venture_texts(name, offer, hub_slug, targets_other, type_code)
            tagline = (offer[0][0].upper() + offer[0][1:], offer[1][0].upper() + offer[1][1:])
            sectors = [sector] + (
                [rng.choice(content.STARTUP_SECTORS)] if self.chance(0.35) else []
            )
        else:
            name, phrase, sector = self.institution(type_code, hub_slug)
            texts = self.institution_texts(name, phrase, type_code, hub_slug, targets_other)
            tagline = (phrase[0][0].upper() + phrase[0][1:], phrase[1][0].upper() + phrase[1][1:])
            extra = (
                rng.sample(content.STARTUP_SECTORS, k=rng.randint(1, 3))
                if type_code in ("investor", "university", "government", "innovation_center")
                else []
            )
            sectors = ([sector] if sector else []) + extra
        sectors = list(dict.fromkeys(sectors))
        technology_pool = sorted(
            {code for code in sectors for code in content.SECTOR_TECHNOLOGIES.get(code, [])}
        )
        technologies = (
            rng.sample(technology_pool, k=min(len(technology_pool), rng.randint(0, 3)))
            if technology_pool
            else []
        )
        first, second = (0, 1) if language == "es" else (1, 0)
        translated = self.chance(0.4)
        stale_share = 0.12
        verified = self.chance(0.55 if type_code in ("startup", "scaleup") else 0.75)
        organization = Organization(
            name=name,
            slug=self.unique_slug(name, self.slugs),
            type=self.term("organization_type", type_code),
            hub=self.hub(hub_slug),
            tagline=tagline[first][:200],
            description=texts[first],
            description_language=language,
            description_translation=texts[second] if translated else "",
            description_translation_language=("en" if language == "es" else "es")
            if translated
            else "",
            stage=self.stage(type_code),
            size=self.size(type_code),
            founded_year=self.context.now.year - self.age(type_code),
            city=rng.choice(content.CITIES[hub_slug]),
            profile_visibility=self.weighted(
                [
                    (Visibility.PUBLIC, 0.85),
                    (Visibility.PARTNER_HUBS, 0.07),
                    (Visibility.MEMBERS, 0.06),
                    (Visibility.PRIVATE, 0.02),
                ]
            ),
            details_visibility=self.weighted(
                [
                    (Visibility.PUBLIC, 0.7),
                    (Visibility.MEMBERS, 0.2),
                    (Visibility.PARTNER_HUBS, 0.1),
                ]
            ),
            contact_visibility=self.weighted(
                [
                    (Visibility.MEMBERS, 0.55),
                    (Visibility.PARTNER_HUBS, 0.35),
                    (Visibility.PRIVATE, 0.1),
                ]
            ),
            last_confirmed_at=self.confirmed_at(stale_share),
        )
        if verified:
            organization.verification_status = VerificationStatus.VERIFIED
            organization.verified_at = organization.last_confirmed_at
        self.contact_details(organization, hub_slug, language)
        present_share = {
            "scaleup": 0.25,
            "corporate": 0.15,
            "service_provider": 0.12,
            "investor": 0.15,
        }.get(type_code, 0.04)
        self.organizations.append(
            OrganizationDraft(
                organization=organization,
                other_hubs=[self.hub(OTHER_HUB[hub_slug])] if self.chance(present_share) else [],
                sectors=[self.term("sector", code) for code in sectors],
                technologies=[self.term("technology", code) for code in technologies],
                markets=self.markets(hub_slug, targets_other=targets_other),
                target_hubs=[self.hub(OTHER_HUB[hub_slug])] if targets_other else [],
            )
        )

    def institution(self, type_code: str, hub_slug: str) -> tuple[str, tuple[str, str], str]:
        rng = self.rng
        tables: dict[str, Any] = {
            "corporate": content.CORPORATE_KINDS,
            "service_provider": content.SERVICE_KINDS,
            "investor": content.INVESTOR_KINDS,
            "university": content.UNIVERSITY_KINDS,
            "government": content.GOVERNMENT_KINDS,
            "innovation_center": content.INNOVATION_KINDS,
        }
        entry = rng.choice(tables[type_code][hub_slug])
        pattern, sector, phrase = (
            (entry[0], entry[1], entry[2]) if len(entry) == 3 else (entry[0], "", entry[1])
        )
        surnames = content.SURNAMES_ES if hub_slug == "medellin" else content.SURNAMES_EN

        def make() -> str:
            first, second = rng.sample(surnames, k=2)
            return str(
                pattern.format(word=rng.choice(content.PLACE_WORDS), surname=first, surname2=second)
            )

        return self.unique_name(make), phrase, sector

    def venture_texts(
        self, name: str, offer: tuple[str, str], hub_slug: str, targets_other: bool, type_code: str
    ) -> tuple[str, str]:
        rng = self.rng
        region = rng.choice(content.REGIONS)
        values = {
            "n": rng.choice([12, 25, 40, 60, 120, 300, 1500])
            * (3 if type_code == "scaleup" else 1),
            "region_es": region[0],
            "region_en": region[1],
            "year": self.context.now.year - rng.randint(1, 8),
            "team": rng.randint(4, 25) * (4 if type_code == "scaleup" else 1),
            "growth": rng.choice([30, 40, 60, 80, 120]),
        }
        traction = rng.choice(content.TRACTION)
        if targets_other:
            goal = rng.choice(
                content.GOAL_REACH_MIAMI if hub_slug == "medellin" else content.GOAL_REACH_MEDELLIN
            )
        else:
            goal = rng.choice(content.GOAL_LOCAL)
        spanish = f"{name} ofrece {offer[0]}. {traction[0].format(**values)} {goal[0]}"
        english = f"{name} offers {offer[1]}. {traction[1].format(**values)} {goal[1]}"
        return spanish, english

    def institution_texts(
        self, name: str, phrase: tuple[str, str], type_code: str, hub_slug: str, targets_other: bool
    ) -> tuple[str, str]:
        spanish, english = [f"{name} es {phrase[0]}."], [f"{name} is {phrase[1]}."]
        if type_code == "investor":
            ticket = self.rng.choice(content.INVESTOR_TICKETS)
            spanish.append(ticket[0])
            english.append(ticket[1])
        if targets_other or type_code in ("government", "innovation_center"):
            if hub_slug == "medellin":
                spanish.append(
                    "Trabaja con empresas de Miami que llegan a Medellín y con empresas locales que van hacia Estados Unidos."
                )
                english.append(
                    "It works with Miami companies arriving in Medellín and with local companies heading to the United States."
                )
            else:
                spanish.append("Trabaja con empresas colombianas que se instalan en Miami.")
                english.append("It works with Colombian companies setting up in Miami.")
        return " ".join(spanish), " ".join(english)

    def stage(self, type_code: str) -> TaxonomyTerm | None:
        options: dict[str, list[tuple[str, float]]] = {
            "startup": [("idea", 0.1), ("pre_seed", 0.25), ("seed", 0.35), ("series_a", 0.3)],
            "scaleup": [("series_a", 0.3), ("series_b", 0.4), ("growth", 0.3)],
            "corporate": [("established", 1.0)],
        }
        if type_code in options:
            return self.term("stage", self.weighted(options[type_code]))
        if type_code == "service_provider" and self.chance(0.5):
            return self.term("stage", "established")
        return None

    def size(self, type_code: str) -> str:
        options = {
            "startup": [CompanySize.MICRO, CompanySize.MICRO, CompanySize.SMALL],
            "scaleup": [CompanySize.SMALL, CompanySize.MEDIUM],
            "corporate": [CompanySize.LARGE, CompanySize.ENTERPRISE],
            "investor": [CompanySize.MICRO, CompanySize.SMALL],
            "service_provider": [CompanySize.SMALL, CompanySize.MEDIUM],
            "university": [CompanySize.LARGE, CompanySize.ENTERPRISE],
            "government": [CompanySize.MEDIUM, CompanySize.LARGE],
            "innovation_center": [CompanySize.SMALL],
        }
        return str(self.rng.choice(options[type_code]))

    def age(self, type_code: str) -> int:
        low, high = {
            "startup": (0, 6),
            "scaleup": (4, 12),
            "corporate": (15, 70),
            "investor": (2, 20),
            "service_provider": (5, 40),
            "university": (20, 80),
            "government": (5, 40),
            "innovation_center": (2, 15),
        }[type_code]
        return self.rng.randint(low, high)

    def save_organizations(self) -> None:
        for draft in self.organizations:
            # The order the services read terms in (the taxonomy's own ordering).
            draft.sectors.sort(key=term_order)
            draft.technologies.sort(key=term_order)
            terms = [
                draft.organization.type,
                *([draft.organization.stage] if draft.organization.stage else []),
                *draft.sectors,
                *draft.technologies,
            ]
            draft.organization.search_text = services.organization_search_text(
                draft.organization, terms
            )
            draft.organization.set_sort_name()
        Organization.objects.bulk_create(
            [draft.organization for draft in self.organizations], batch_size=500
        )
        links: dict[str, tuple[Any, str, list[Any]]] = {
            "other_hubs": (Organization.other_hubs.through, "hub_id", []),
            "sectors": (Organization.sectors.through, "taxonomyterm_id", []),
            "technologies": (Organization.technologies.through, "taxonomyterm_id", []),
            "markets": (Organization.markets.through, "taxonomyterm_id", []),
            "target_hubs": (Organization.target_hubs.through, "hub_id", []),
        }
        for draft in self.organizations:
            for name, (through, column, rows) in links.items():
                rows.extend(
                    through(organization_id=draft.organization.pk, **{column: item.pk})
                    for item in getattr(draft, name)
                )
        for through, _column, rows in links.values():
            through.objects.bulk_create(rows, batch_size=1000)
        plain_fields = [
            name for name in services._AUDITED_ORGANIZATION if name not in services.ORGANIZATION_M2M
        ]  # the fields the service audits
        entries = []
        for draft in self.organizations:
            after = snapshot(draft.organization, plain_fields)
            after.update(
                {
                    name: sorted(item.pk for item in getattr(draft, name))
                    for name in services.ORGANIZATION_M2M
                }
            )
            entries.append(
                audit_entry(
                    "organization.create", draft.organization, after, draft.organization.hub
                )
            )
        AuditEntry.objects.bulk_create(entries, batch_size=500)
