"""A synthetic, deterministic ecosystem of organizations for the directory benchmark.

Names and descriptions are written in Spanish or English from templates filled with sectors,
technologies, places and products, so that full-text search meets a realistic vocabulary:
common words (``software``, ``plataforma``), accented Spanish words (``logística``), and a few
rare words that only a handful of organizations use (``cacao``, ``guadua``).
Everything is written in bulk (``bulk_create``) with ``search_text`` computed by the directory
service's own function, so the indexes see exactly what the product writes.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

# Type codes with their share of the ecosystem.
TYPE_WEIGHTS = {
    "startup": 40,
    "scaleup": 10,
    "corporate": 12,
    "investor": 6,
    "service_provider": 20,
    "university": 4,
    "government": 3,
    "innovation_center": 5,
}
# Who sees the profile, with its share (most profiles are public).
VISIBILITY_WEIGHTS = {"public": 85, "partner_hubs": 7, "members": 5, "private": 3}
STAGES_BY_TYPE = {
    "startup": ["idea", "pre_seed", "seed", "series_a"],
    "scaleup": ["series_a", "series_b", "growth"],
    "corporate": ["established"],
}
SIZES = ["1-10", "11-50", "51-200", "201-1000", "1000+"]

NAME_HEADS = [
    "Agro",
    "Bio",
    "Data",
    "Nova",
    "Andes",
    "Café",
    "Sol",
    "Río",
    "Puerto",
    "Cóndor",
    "Orquídea",
    "Ceiba",
    "Manglar",
    "Bahía",
    "Coral",
    "Palma",
    "Brisa",
    "Volcán",
    "Selva",
    "Aurora",
    "Quantum",
    "Vértice",
    "Nodo",
    "Pixel",
    "Cumbre",
    "Ruta",
    "Semilla",
    "Colibrí",
    "Tukan",
    "Jaguar",
    "Atlas",
    "Delta",
    "Faro",
    "Puente",
    "Mar",
    "Luz",
    "Tierra",
    "Cielo",
    "Onda",
    "Raíz",
    "Brickell",
    "Wynwood",
    "Poblado",
    "Laureles",
    "Envigado",
    "Sabana",
    "Caribe",
    "Keys",
    "Everglades",
    "Biscayne",
]
NAME_TAILS = {
    "es": [
        "Labs",
        "Tecnología",
        "Soluciones",
        "Digital",
        "Salud",
        "Energía",
        "Logística",
        "Capital",
        "Consultores",
        "Innovación",
        "Datos",
        "Agro",
        "Studio",
        "Fintech",
        "Movilidad",
        "S.A.S.",
    ],
    "en": [
        "Labs",
        "Technologies",
        "Solutions",
        "Digital",
        "Health",
        "Energy",
        "Logistics",
        "Capital",
        "Partners",
        "Ventures",
        "Analytics",
        "Foods",
        "Studio",
        "Pay",
        "Mobility",
        "Inc.",
    ],
}
SECTOR_WORDS = {
    "fintech": (
        {
            "es": ["pagos digitales", "crédito", "billeteras"],
            "en": ["digital payments", "lending", "wallets"],
        }
    ),
    "healthtech": (
        {
            "es": ["telemedicina", "salud digital", "diagnóstico"],
            "en": ["telemedicine", "digital health", "diagnostics"],
        }
    ),
    "agritech": (
        {
            "es": ["agricultura de precisión", "café especial", "cadena de frío"],
            "en": ["precision farming", "specialty coffee", "cold chain"],
        }
    ),
    "smart_cities": (
        {
            "es": ["movilidad urbana", "alumbrado inteligente", "gobierno abierto"],
            "en": ["urban mobility", "smart lighting", "open government"],
        }
    ),
    "software": (
        {
            "es": ["software empresarial", "plataforma SaaS", "desarrollo de software"],
            "en": ["enterprise software", "SaaS platform", "software development"],
        }
    ),
    "biotech": (
        {
            "es": ["biotecnología", "bioprocesos", "ingredientes naturales"],
            "en": ["biotechnology", "bioprocessing", "natural ingredients"],
        }
    ),
    "logistics": (
        {
            "es": ["logística de última milla", "transporte de carga", "comercio exterior"],
            "en": ["last-mile logistics", "freight", "cross-border trade"],
        }
    ),
    "creative": (
        {
            "es": ["animación", "videojuegos", "producción musical"],
            "en": ["animation", "video games", "music production"],
        }
    ),
    "energy": (
        {
            "es": ["energía solar", "eficiencia energética", "movilidad eléctrica"],
            "en": ["solar energy", "energy efficiency", "electric mobility"],
        }
    ),
    "edtech": (
        {
            "es": ["educación en línea", "formación técnica", "bilingüismo"],
            "en": ["online learning", "technical training", "bilingual education"],
        }
    ),
    "commerce": (
        {
            "es": ["comercio electrónico", "retail", "mercados en línea"],
            "en": ["e-commerce", "retail", "online marketplaces"],
        }
    ),
    "manufacturing": (
        {
            "es": ["manufactura avanzada", "textiles técnicos", "autopartes"],
            "en": ["advanced manufacturing", "technical textiles", "auto parts"],
        }
    ),
    "tourism": (
        {
            "es": ["turismo sostenible", "hotelería", "experiencias culturales"],
            "en": ["sustainable tourism", "hospitality", "cultural experiences"],
        }
    ),
    "proptech": (
        {
            "es": ["construcción sostenible", "vivienda", "gestión inmobiliaria"],
            "en": ["green building", "housing", "property management"],
        }
    ),
    "environment": (
        {
            "es": ["tratamiento de agua", "reciclaje", "economía circular"],
            "en": ["water treatment", "recycling", "circular economy"],
        }
    ),
    "professional_services": (
        {
            "es": ["asesoría legal", "contabilidad", "consultoría"],
            "en": ["legal advice", "accounting", "consulting"],
        }
    ),
}
TECH_WORDS = {
    "ai": {"es": "inteligencia artificial", "en": "artificial intelligence"},
    "big_data": {"es": "analítica de datos", "en": "data analytics"},
    "iot": {"es": "sensores conectados", "en": "connected sensors"},
    "blockchain": {"es": "cadenas de bloques", "en": "blockchain"},
    "cloud": {"es": "computación en la nube", "en": "cloud computing"},
    "cybersecurity": {"es": "ciberseguridad", "en": "cybersecurity"},
    "robotics": {"es": "robótica", "en": "robotics"},
    "biotech_tools": {"es": "genómica", "en": "genomics"},
    "xr": {"es": "realidad virtual", "en": "virtual reality"},
    "mobile": {"es": "aplicaciones móviles", "en": "mobile apps"},
    "e_science": {"es": "computación científica", "en": "scientific computing"},
    "geospatial": {"es": "drones y mapas", "en": "drones and maps"},
    "additive": {"es": "impresión 3D", "en": "3D printing"},
    "renewables": {"es": "paneles solares", "en": "solar panels"},
    "nanotech": {"es": "nanomateriales", "en": "nanomaterials"},
    "medtech": {"es": "dispositivos médicos", "en": "medical devices"},
}
PLACES = {
    "medellin": {
        "es": ["Medellín", "Antioquia", "el Valle de Aburrá", "Colombia"],
        "en": ["Medellín", "Antioquia", "Colombia"],
    },
    "miami": {
        "es": ["Miami", "Florida", "el sur de la Florida"],
        "en": ["Miami", "South Florida", "Florida"],
    },
}
TEMPLATES = {
    "es": [
        "Somos una empresa de {place} dedicada a {sector} con {tech}. Atendemos clientes en {market}.",
        "Desarrollamos soluciones de {sector} basadas en {tech} para pymes de {place} y {market}.",
        "Acompañamos a compañías de {sector} que quieren crecer en {market}, con experiencia en {tech}.",
        "Plataforma de {sector} que usa {tech} para conectar productores de {place} con compradores de {market}.",
    ],
    "en": [
        "We are a {place} company focused on {sector} with {tech}. We serve clients across {market}.",
        "We build {sector} solutions powered by {tech} for small businesses in {place} and {market}.",
        "We help {sector} companies grow into {market}, drawing on our experience with {tech}.",
        "A {sector} platform using {tech} to connect producers in {place} with buyers in {market}.",
    ],
}
MARKETS = {
    "es": ["Latinoamérica", "Estados Unidos", "el Caribe", "Centroamérica", "Europa"],
    "en": ["Latin America", "the United States", "the Caribbean", "Central America", "Europe"],
}
# Rare words: about one organization in RARE_EVERY mentions one of them.
RARE = {
    "es": ["cacao fino de aroma", "guadua estructural", "panela orgánica"],
    "en": ["fine-flavor cacao", "structural bamboo", "organic panela"],
}
RARE_EVERY = 1500


def _weighted(weights: dict[str, int]) -> tuple[list[str], list[int]]:
    return list(weights), list(weights.values())


class Corpus:
    """Invents organizations from a seeded random generator; reference data read from the database."""

    def __init__(self, seed: int = 20261129) -> None:
        from puente.core.models import Hub, TaxonomyTerm

        self.rng = random.Random(seed)
        self.hubs = {hub.slug: hub for hub in Hub.objects.filter(is_active=True)}
        terms: dict[str, dict[str, Any]] = {}
        for term in TaxonomyTerm.objects.all():
            terms.setdefault(term.vocabulary, {})[term.code] = term
        self.terms = terms
        self.types = _weighted(TYPE_WEIGHTS)
        self.visibilities = _weighted(VISIBILITY_WEIGHTS)

    def organizations(
        self, count: int, *, start: int = 0
    ) -> Iterator[tuple[Any, dict[str, list[Any]]]]:
        """``count`` unsaved organizations, each with its many-to-many values."""
        from puente.directory.models import Organization, VerificationStatus

        rng = self.rng
        now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
        hub_slugs = sorted(self.hubs)
        sector_codes = sorted(self.terms["sector"])
        tech_codes = sorted(self.terms["technology"])
        market_terms = list(self.terms["market"].values())
        for index in range(start, start + count):
            hub_slug = (
                "medellin"
                if "medellin" in self.hubs and rng.random() < 0.55
                else rng.choice(hub_slugs)
            )
            language = (
                ("es" if rng.random() < 0.8 else "en")
                if hub_slug == "medellin"
                else ("en" if rng.random() < 0.7 else "es")
            )
            type_code = rng.choices(*self.types)[0]
            stage_code = (
                rng.choice(STAGES_BY_TYPE[type_code]) if type_code in STAGES_BY_TYPE else None
            )
            sectors = rng.sample(sector_codes, rng.choice((1, 1, 2, 2, 3)))
            technologies = rng.sample(tech_codes, rng.choice((0, 1, 1, 2, 3)))
            name = f"{rng.choice(NAME_HEADS)} {rng.choice(NAME_TAILS[language])} {index + 1}"
            sector_phrase = rng.choice(SECTOR_WORDS[sectors[0]][language])
            tech_phrase = (
                TECH_WORDS[technologies[0]][language]
                if technologies
                else ("tecnología" if language == "es" else "technology")
            )
            values = {
                "place": rng.choice(
                    PLACES.get(hub_slug, {language: [self.hubs[hub_slug].name]})[language]
                ),
                "sector": sector_phrase,
                "tech": tech_phrase,
                "market": rng.choice(MARKETS[language]),
            }
            description = rng.choice(TEMPLATES[language]).format(**values)
            if rng.randrange(RARE_EVERY) == 0:
                description += (
                    " "
                    + ("Trabajamos con " if language == "es" else "We work with ")
                    + rng.choice(RARE[language])
                    + "."
                )
            other = [slug for slug in hub_slugs if slug != hub_slug]
            confirmed = now - dt.timedelta(days=rng.randint(0, 700))
            verified = rng.random() < 0.3
            organization = Organization(
                name=name,
                slug=f"bench-{index + 1}",
                type=self.terms["organization_type"][type_code],
                hub=self.hubs[hub_slug],
                tagline=sector_phrase.capitalize(),
                description=description,
                description_language=language,
                stage=self.terms["stage"][stage_code] if stage_code else None,
                size=rng.choice(SIZES),
                founded_year=rng.randint(1950, 2026),
                website=f"https://bench-{index + 1}.example",
                city=values["place"],
                email=f"contact@bench-{index + 1}.example",
                profile_visibility=rng.choices(*self.visibilities)[0],
                details_visibility=rng.choice(["public", "members"]),
                contact_visibility=rng.choice(["members", "partner_hubs", "private"]),
                verification_status=VerificationStatus.VERIFIED
                if verified
                else VerificationStatus.UNVERIFIED,
                verified_at=confirmed if verified else None,
                last_confirmed_at=confirmed,
            )
            relations = {
                "sectors": [self.terms["sector"][code] for code in sectors],
                "technologies": [self.terms["technology"][code] for code in technologies],
                "markets": rng.sample(market_terms, rng.randint(1, 3)),
                "other_hubs": [self.hubs[slug] for slug in other if rng.random() < 0.12],
                "target_hubs": [self.hubs[slug] for slug in other if rng.random() < 0.5],
            }
            yield organization, relations


def seed_organizations(count: int, *, seed: int = 20261129, batch: int = 5000) -> int:
    """Write ``count`` organizations with their many-to-many rows; returns how many were written."""
    from django.db import transaction

    from puente.directory.models import Organization
    from puente.directory.services import organization_search_text

    corpus = Corpus(seed)
    through = {
        name: getattr(Organization, name).through
        for name in ("sectors", "technologies", "markets", "other_hubs", "target_hubs")
    }
    target_field = {
        name: ("hub_id" if name.endswith("hubs") else "taxonomyterm_id") for name in through
    }
    written = 0
    generator = corpus.organizations(count)
    while written < count:
        chunk = [next(generator) for _ in range(min(batch, count - written))]
        with transaction.atomic():
            for organization, relations in chunk:
                terms = [
                    organization.type,
                    *([organization.stage] if organization.stage else []),
                    *relations["sectors"],
                    *relations["technologies"],
                ]
                organization.search_text = organization_search_text(organization, terms)
                organization.set_sort_name()
            created = Organization.objects.bulk_create(
                [organization for organization, _relations in chunk], batch_size=1000
            )
            for name, model in through.items():
                rows = [
                    model(**{"organization_id": organization.pk, target_field[name]: value.pk})
                    for organization, (_unsaved, relations) in zip(created, chunk, strict=True)
                    for value in relations[name]
                ]
                model.objects.bulk_create(rows, batch_size=5000)
        written += len(chunk)
    return written


def seed_if_needed(count: int) -> int:
    """Seed ``count`` organizations unless the database already holds that many; update statistics."""
    from django.db import connection

    from puente.directory.models import Organization

    existing = Organization.objects.count()
    if existing < count:
        if existing:
            raise SystemExit(
                f"the database holds {existing} organizations, fewer than {count}: start afresh"
            )
        seed_organizations(count)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Organization.objects.count()
