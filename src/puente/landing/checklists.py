"""Default landing checklists, by the country of the destination hub.

Checklists are data: each hub has its own ``ChecklistTemplateItem`` rows, which managers edit
in the admin. These defaults fill a hub that has none yet (by its country code), from the data
migration, the demo and the tests; a hub in a country not listed here starts empty.
"""

from __future__ import annotations

from puente.core.models import Hub

# (code, title_en, title_es, description_en, description_es, due after days)
DEFAULT_CHECKLISTS: dict[str, list[tuple[str, str, str, str, str, int]]] = {
    "CO": [
        (
            "legal_entity",
            "Legal entity (S.A.S.) registered",
            "Sociedad (S.A.S.) constituida",
            "Register the company with the Chamber of Commerce.",
            "Registra la sociedad en la Cámara de Comercio.",
            30,
        ),
        (
            "tax_id",
            "Tax identifiers: NIT and RUT",
            "Identificación tributaria: NIT y RUT",
            "Obtain the NIT and register the RUT with the DIAN.",
            "Obtén el NIT e inscribe el RUT ante la DIAN.",
            45,
        ),
        (
            "bank_account",
            "Colombian bank account",
            "Cuenta bancaria en Colombia",
            "Open a corporate account with a local bank.",
            "Abre una cuenta empresarial en un banco local.",
            60,
        ),
        (
            "visas",
            "Visas and work permits",
            "Visas y permisos de trabajo",
            "Migrant or business visa for the founders.",
            "Visa de migrante o de negocios para los fundadores.",
            60,
        ),
        (
            "first_hires",
            "First local hires",
            "Primeras contrataciones locales",
            "Hire the first people in the city.",
            "Contrata a las primeras personas en la ciudad.",
            120,
        ),
        (
            "office",
            "Office or desk",
            "Oficina o puesto de trabajo",
            "Desk in the innovation district.",
            "Puesto en el distrito de innovación.",
            15,
        ),
        (
            "insurance",
            "Insurance",
            "Seguros",
            "Liability and health coverage.",
            "Responsabilidad civil y cobertura de salud.",
            90,
        ),
    ],
    "US": [
        (
            "legal_entity",
            "Legal entity (LLC or C-Corp) formed",
            "Sociedad (LLC o C-Corp) constituida",
            "Form the company in Florida or Delaware.",
            "Constituye la sociedad en Florida o Delaware.",
            30,
        ),
        (
            "tax_id",
            "Tax identifier: EIN",
            "Identificación tributaria: EIN",
            "Request the Employer Identification Number from the IRS.",
            "Solicita el EIN (número de identificación del empleador) al IRS.",
            45,
        ),
        (
            "bank_account",
            "US bank account",
            "Cuenta bancaria en Estados Unidos",
            "Open a business account with a US bank.",
            "Abre una cuenta empresarial en un banco de Estados Unidos.",
            60,
        ),
        (
            "visas",
            "Visas and work permits",
            "Visas y permisos de trabajo",
            "E-2, L-1 or O-1 visa for the founders.",
            "Visa E-2, L-1 u O-1 para los fundadores.",
            90,
        ),
        (
            "first_hires",
            "First local hires",
            "Primeras contrataciones locales",
            "Hire the first people in the city.",
            "Contrata a las primeras personas en la ciudad.",
            120,
        ),
        (
            "office",
            "Office or desk",
            "Oficina o puesto de trabajo",
            "Desk at the host innovation center.",
            "Puesto en el centro de innovación anfitrión.",
            15,
        ),
        (
            "insurance",
            "Insurance",
            "Seguros",
            "General liability and workers' compensation.",
            "Responsabilidad civil y seguro de accidentes laborales.",
            90,
        ),
    ],
}


def ensure_default_checklists() -> int:
    """Give each hub without a checklist the default of its country; returns items created."""
    from puente.landing.models import ChecklistTemplateItem

    created = 0
    for hub in Hub.objects.all():
        if ChecklistTemplateItem.objects.filter(hub=hub).exists():
            continue
        for order, (code, title_en, title_es, description_en, description_es, days) in enumerate(
            DEFAULT_CHECKLISTS.get(hub.country.upper(), [])
        ):
            ChecklistTemplateItem.objects.create(
                hub=hub,
                code=code,
                title_en=title_en,
                title_es=title_es,
                description_en=description_en,
                description_es=description_es,
                due_after_days=days,
                sort_order=order,
            )
            created += 1
    return created
