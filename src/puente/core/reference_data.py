"""The network's founding reference data: the shared bilingual taxonomy and the first two hubs.

Loaded by data migrations (so every database has it) and re-applied idempotently by
``puente demo``. Adding a hub or a term later is data entered in the admin, not code.
"""

from __future__ import annotations

from typing import Any

# (code, English, Spanish)
TAXONOMY: dict[str, list[tuple[str, str, str]]] = {
    "organization_type": [
        ("startup", "Startup", "Startup"),
        ("scaleup", "Scaleup", "Scaleup"),
        ("corporate", "Corporate", "Empresa consolidada"),
        ("investor", "Investor", "Inversionista"),
        ("service_provider", "Service provider", "Proveedor de servicios"),
        ("university", "University / research center", "Universidad / centro de investigación"),
        ("government", "Government / agency", "Gobierno / agencia"),
        ("innovation_center", "Innovation center", "Centro de innovación"),
    ],
    "sector": [
        ("fintech", "Fintech", "Fintech"),
        ("healthtech", "Health and life sciences", "Salud y ciencias de la vida"),
        ("agritech", "Agritech and food", "Agrotecnología y alimentos"),
        ("smart_cities", "Smart cities and govtech", "Ciudades inteligentes y govtech"),
        ("software", "Software and SaaS", "Software y SaaS"),
        ("biotech", "Biotechnology", "Biotecnología"),
        ("logistics", "Logistics and mobility", "Logística y movilidad"),
        ("creative", "Creative industries", "Industrias creativas"),
        ("energy", "Energy and cleantech", "Energía y tecnologías limpias"),
        ("edtech", "Education", "Educación"),
        ("commerce", "Commerce and retail", "Comercio y retail"),
        ("manufacturing", "Advanced manufacturing", "Manufactura avanzada"),
        ("tourism", "Tourism and hospitality", "Turismo y hospitalidad"),
        ("proptech", "Construction and real estate", "Construcción e inmobiliario"),
        ("environment", "Water and environment", "Agua y medio ambiente"),
        ("professional_services", "Professional services", "Servicios profesionales"),
    ],
    "technology": [
        ("ai", "Artificial intelligence", "Inteligencia artificial"),
        ("big_data", "Big data and analytics", "Big data y analítica"),
        ("iot", "Internet of things", "Internet de las cosas"),
        ("blockchain", "Blockchain", "Blockchain"),
        ("cloud", "Cloud computing", "Computación en la nube"),
        ("cybersecurity", "Cybersecurity", "Ciberseguridad"),
        ("robotics", "Robotics and automation", "Robótica y automatización"),
        ("biotech_tools", "Genomics and bioprocessing", "Genómica y bioprocesos"),
        ("xr", "Augmented and virtual reality", "Realidad aumentada y virtual"),
        ("mobile", "Mobile apps", "Aplicaciones móviles"),
        (
            "e_science",
            "e-Science and high-performance computing",
            "e-Ciencia y computación de alto rendimiento",
        ),
        ("geospatial", "Geospatial and drones", "Geoespacial y drones"),
        ("additive", "3D printing", "Impresión 3D"),
        ("renewables", "Renewable energy systems", "Sistemas de energía renovable"),
        ("nanotech", "Nanotechnology and materials", "Nanotecnología y materiales"),
        ("medtech", "Medical devices", "Dispositivos médicos"),
    ],
    "market": [
        ("colombia", "Colombia", "Colombia"),
        ("united_states", "United States", "Estados Unidos"),
        ("us_hispanic", "US Hispanic market", "Mercado hispano de EE. UU."),
        ("latin_america", "Latin America", "América Latina"),
        (
            "central_america_caribbean",
            "Central America and the Caribbean",
            "Centroamérica y el Caribe",
        ),
        ("north_america", "North America", "Norteamérica"),
        ("europe", "Europe", "Europa"),
        ("asia_pacific", "Asia-Pacific", "Asia-Pacífico"),
        ("global", "Global", "Global"),
    ],
    "stage": [
        ("idea", "Idea", "Idea"),
        ("pre_seed", "Pre-seed", "Pre-semilla"),
        ("seed", "Seed", "Semilla"),
        ("series_a", "Series A", "Serie A"),
        ("series_b", "Series B and later", "Serie B o posterior"),
        ("growth", "Growth", "Crecimiento"),
        ("established", "Established", "Consolidada"),
    ],
    "connection_kind": [
        ("client", "Clients and business", "Clientes y negocios"),
        ("capital", "Capital", "Capital"),
        ("talent", "Talent", "Talento"),
        ("expertise", "Expert advice", "Asesoría experta"),
        ("technology", "Technology", "Tecnología"),
        ("research_partner", "Research partner", "Socio de investigación"),
        ("landing_support", "Landing support", "Apoyo para el aterrizaje"),
    ],
}

HUBS: list[dict[str, Any]] = [
    {
        "slug": "medellin",
        "name_en": "Medellín",
        "name_es": "Medellín",
        "city": "Medellín",
        "country": "CO",
        "time_zone": "America/Bogota",
        "currency": "COP",
        "languages": ["es", "en"],
        "agency_name": "Ruta N Medellín",
        "tagline_en": "Medellín's Innovation District: science, technology and innovation for the city.",
        "tagline_es": "El Distrito de Innovación de Medellín: ciencia, tecnología e innovación para la ciudad.",
        "color": "#0f766e",
        "sort_order": 1,
    },
    {
        "slug": "miami",
        "name_en": "Miami",
        "name_es": "Miami",
        "city": "Miami",
        "country": "US",
        "time_zone": "America/New_York",
        "currency": "USD",
        "languages": ["en", "es"],
        "agency_name": "CIC Miami",
        "tagline_en": "The gateway between the Americas for founders, capital and talent.",
        "tagline_es": "La puerta entre las Américas para emprendedores, capital y talento.",
        "color": "#c2410c",
        "sort_order": 2,
    },
]

PARTNERSHIPS = [
    {
        "hub_a": "medellin",
        "hub_b": "miami",
        "agreement_en": "Memorandum of understanding for cooperation in innovation between Medellín and Miami",
        "agreement_es": "Memorando de entendimiento de cooperación en innovación entre Medellín y Miami",
    }
]


def load_reference_data(term_model: Any, hub_model: Any, partnership_model: Any) -> None:
    """Create or refresh the taxonomy, the founding hubs and their partnership (idempotent)."""
    for vocabulary, terms in TAXONOMY.items():
        for order, (code, label_en, label_es) in enumerate(terms):
            term_model.objects.update_or_create(
                vocabulary=vocabulary,
                code=code,
                defaults={"label_en": label_en, "label_es": label_es, "sort_order": order},
            )
    for data in HUBS:
        values = dict(data)
        hub_model.objects.update_or_create(slug=values.pop("slug"), defaults=values)
    for data in PARTNERSHIPS:
        hub_a = hub_model.objects.get(slug=data["hub_a"])
        hub_b = hub_model.objects.get(slug=data["hub_b"])
        partnership_model.objects.update_or_create(
            hub_a=hub_a,
            hub_b=hub_b,
            defaults={"agreement_en": data["agreement_en"], "agreement_es": data["agreement_es"]},
        )


def ensure_reference_data() -> None:
    """Load the reference data with the current models (used by the demo and by test fixtures)."""
    from puente.core.models import Hub, HubPartnership, TaxonomyTerm

    load_reference_data(TaxonomyTerm, Hub, HubPartnership)
