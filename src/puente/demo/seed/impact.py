"""Demo step: six quarters of recorded activity across both hubs, targets, exchange rates,
published innovation indicators (real figures, with sources) and the knowledge library."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from puente.demo.seed import SeedContext, seed_step
from puente.directory.models import Organization, Person
from puente.impact.computation import Quarter
from puente.impact.indicator_files import read_puente_csv
from puente.impact.kpis import KPIS
from puente.impact.models import ActivityKind as K
from puente.impact.models import KpiTarget
from puente.impact.services import (
    IndicatorRow,
    activity_bulk_record,
    exchange_rates_ensure,
    guide_save,
    indicator_ensure,
    indicator_values_import,
)

DATA = Path(__file__).resolve().parents[2] / "impact" / "data"
QUARTERS = 6

GUIDES: list[dict[str, Any]] = [
    {
        "slug": "open-a-company-in-florida",
        "hub": "miami",
        "category": "legal",
        "title_en": "Open a company in Florida",
        "title_es": "Abrir una empresa en Florida",
        "summary_en": "LLC or corporation, registered agent, EIN: the steps and what they cost.",
        "summary_es": "LLC o corporación, agente registrado, EIN: los pasos y lo que cuestan.",
        "body_en": "Most arriving startups register a Florida LLC through Sunbiz, appoint a registered agent with a Florida address and then request an Employer Identification Number (EIN) from the IRS. Delaware incorporation is common when raising venture capital.",
        "body_es": "La mayoría de las startups que llegan registran una LLC en Florida a través de Sunbiz, nombran un agente registrado con dirección en Florida y luego solicitan al IRS el número de identificación del empleador (EIN). La incorporación en Delaware es habitual cuando se levanta capital de riesgo.",
        "authors": "Rachel Domínguez",
        "reviewed_days_ago": 60,
        "tags": [("sector", "fintech")],
    },
    {
        "slug": "bank-account-miami",
        "hub": "miami",
        "category": "banking",
        "title_en": "Open a business bank account in Miami",
        "title_es": "Abrir una cuenta bancaria empresarial en Miami",
        "summary_en": "Documents banks ask foreign founders for, and how long it takes.",
        "summary_es": "Los documentos que los bancos piden a fundadores extranjeros y cuánto tarda.",
        "body_en": "Banks ask for the articles of organization, the EIN letter, an operating agreement and the passports of the owners. Some banks require an in-person visit; fintech banks open accounts remotely.",
        "body_es": "Los bancos piden el acta de constitución, la carta del número de identificación tributaria, el acuerdo operativo y los pasaportes de los socios. Algunos bancos exigen una visita en persona; los bancos digitales abren cuentas a distancia.",
        "authors": "Rachel Domínguez",
        "reviewed_days_ago": 420,
        "tags": [("sector", "fintech")],
    },
    {
        "slug": "visas-for-founders",
        "hub": "miami",
        "category": "visas",
        "title_en": "Visas for founders and employees",
        "title_es": "Visas para fundadores y empleados",
        "summary_en": "B-1 for meetings, E-2 for investors, L-1 for transfers: which one fits.",
        "summary_es": "B-1 para reuniones, E-2 para inversionistas, L-1 para traslados: cuál te sirve.",
        "body_en": "A B-1 business visitor visa covers meetings and negotiations but not work. Colombian nationals are eligible for the E-2 treaty investor visa. The L-1 visa transfers managers of an existing Colombian company to its US affiliate.",
        "body_es": "La visa de visitante de negocios B-1 cubre reuniones y negociaciones, pero no trabajo. Los colombianos pueden optar a la visa de inversionista por tratado E-2. La visa L-1 traslada directivos de una empresa colombiana existente a su filial en Estados Unidos.",
        "authors": "Equipo CIC Miami",
        "reviewed_days_ago": 30,
        "tags": [],
    },
    {
        "slug": "constituir-sas-colombia",
        "hub": "medellin",
        "category": "legal",
        "title_en": "Set up an S.A.S. in Colombia",
        "title_es": "Constituir una S.A.S. en Colombia",
        "summary_en": "The simplified joint-stock company: registration at the chamber of commerce, RUT and bank account.",
        "summary_es": "La sociedad por acciones simplificada: registro en la cámara de comercio, RUT y cuenta bancaria.",
        "body_en": "Foreign companies landing in Medellín usually create an S.A.S.: the bylaws are registered at the Chamber of Commerce of Medellín, the tax registry (RUT) is obtained from DIAN, and foreign investment is registered with the Banco de la República.",
        "body_es": "Las empresas extranjeras que llegan a Medellín suelen crear una S.A.S.: los estatutos se registran en la Cámara de Comercio de Medellín, el registro tributario (RUT) se obtiene ante la DIAN y la inversión extranjera se registra ante el Banco de la República.",
        "authors": "Julián Betancur",
        "reviewed_days_ago": 90,
        "tags": [],
    },
    {
        "slug": "impuestos-para-startups",
        "hub": "medellin",
        "category": "tax",
        "title_en": "Taxes for startups in Medellín",
        "title_es": "Impuestos para startups en Medellín",
        "summary_en": "Income tax, VAT, industry and commerce tax, and the benefits for technology companies.",
        "summary_es": "Renta, IVA, impuesto de industria y comercio, y los beneficios para empresas de tecnología.",
        "body_en": "Companies pay national income tax and VAT to DIAN and the municipal industry and commerce tax (ICA) to the city. Investment in science, technology and innovation projects can earn tax credits.",
        "body_es": "Las empresas pagan renta e IVA a la DIAN y el impuesto municipal de industria y comercio (ICA) a la ciudad. La inversión en proyectos de ciencia, tecnología e innovación puede dar créditos tributarios.",
        "authors": "Ruta N",
        "reviewed_days_ago": 200,
        "tags": [],
    },
    {
        "slug": "mercado-healthtech-florida",
        "hub": None,
        "category": "market",
        "title_en": "The healthtech market in Florida",
        "title_es": "El mercado healthtech en Florida",
        "summary_en": "Buyers, regulation and the hospital systems open to pilots.",
        "summary_es": "Compradores, regulación y los sistemas hospitalarios abiertos a pilotos.",
        "body_en": "Florida's large hospital systems run innovation programs that accept pilots from foreign startups; HIPAA compliance is a precondition for any pilot with patient data.",
        "body_es": "Los grandes sistemas hospitalarios de Florida tienen programas de innovación que aceptan pilotos de startups extranjeras; cumplir HIPAA es condición para cualquier piloto con datos de pacientes.",
        "authors": "University of Miami",
        "reviewed_days_ago": 120,
        "tags": [("sector", "healthtech")],
    },
]


def _targets(context: SeedContext, quarter: Quarter, totals: dict[str, float]) -> None:
    for kpi in KPIS:
        if kpi.code in totals:
            for hub in context.hubs.values():
                KpiTarget.objects.update_or_create(
                    kpi=kpi.code,
                    year=quarter.year,
                    quarter=quarter.number,
                    hub=hub,
                    origin_hub=None,
                    destination_hub=None,
                    defaults={"value": Decimal(round(totals[kpi.code]))},
                )


def _noon(day: dt.date, zone: Any, rng: Any) -> dt.datetime:
    return dt.datetime.combine(
        day, dt.time(rng.randint(8, 18), rng.choice((0, 15, 30, 45))), tzinfo=zone
    )


@seed_step("impact", order=400)
def seed_impact(context: SeedContext) -> None:
    rng = context.random("impact")
    exchange_rates_ensure()
    organizations: list[Organization] = context.shared["organizations"]
    by_hub: dict[str, list[Organization]] = {}
    for organization in organizations:
        by_hub.setdefault(organization.hub.slug, []).append(organization)
    hubs = context.hubs
    slugs = sorted(by_hub)
    current = Quarter.of_date(context.now.date())
    quarters = current.trailing(QUARTERS)
    facts: list[dict[str, Any]] = []
    scale = 1 if context.small else 3

    def day_in(quarter: Quarter) -> dt.date:
        last = min(quarter.last_day, context.now.date())
        span = max((last - quarter.first_day).days, 0)
        return quarter.first_day + dt.timedelta(days=rng.randint(0, span))

    people_by_hub: dict[str, list[Person]] = {}
    for person in Person.objects.select_related("hub").order_by("id"):
        people_by_hub.setdefault(person.hub.slug, []).append(person)
    for index, quarter in enumerate(quarters):
        growth = 1 + index * 0.25
        for slug in slugs:
            hub = hubs[slug]
            local = by_hub[slug]
            others = [org for other in slugs if other != slug for org in by_hub[other]]
            people = people_by_hub.get(slug, [])
            for person in rng.sample(people, k=min(len(people), int(5 * scale * growth))):
                facts.append(
                    {
                        "kind": K.PERSON_ACTIVE,
                        "occurred_at": _noon(day_in(quarter), hub.zone, rng),
                        "hub": hub,
                        "person": person,
                    }
                )
            for org in rng.sample(local, k=min(len(local), int(8 * scale * growth))):
                facts.append(
                    {
                        "kind": K.ORGANIZATION_ACTIVE,
                        "occurred_at": _noon(day_in(quarter), hub.zone, rng),
                        "hub": hub,
                        "organization": org,
                    }
                )
            for _n in range(int(30 * scale * growth)):
                facts.append(
                    {
                        "kind": K.MATCH_SHOWN,
                        "occurred_at": _noon(day_in(quarter), hub.zone, rng),
                        "hub": hub,
                        "organization": rng.choice(local),
                        "partner_organization": rng.choice(others),
                    }
                )
            for _n in range(int(6 * scale * growth)):
                org, partner, at = (
                    rng.choice(local),
                    rng.choice(others),
                    _noon(day_in(quarter), hub.zone, rng),
                )
                facts.append(
                    {
                        "kind": K.INTRODUCTION_REQUESTED,
                        "occurred_at": at,
                        "hub": hub,
                        "organization": org,
                        "partner_organization": partner,
                    }
                )
                if rng.random() < 0.6:
                    facts.append(
                        {
                            "kind": K.INTRODUCTION_ACCEPTED,
                            "occurred_at": at,
                            "hub": hub,
                            "organization": org,
                            "partner_organization": partner,
                        }
                    )
                    if rng.random() < 0.7:
                        facts.append(
                            {
                                "kind": K.MEETING_HELD,
                                "occurred_at": at,
                                "hub": hub,
                                "organization": org,
                                "partner_organization": partner,
                            }
                        )
            for _n in range(int(1 * scale * growth) + rng.randint(0, 1)):
                org = rng.choice(local)
                destination = hubs[rng.choice([other for other in slugs if other != slug])]
                day = day_in(quarter)
                facts.append(
                    {
                        "kind": K.COMPANY_LANDED,
                        "occurred_at": _noon(day, destination.zone, rng),
                        "hub": destination,
                        "organization": org,
                        "evidence": "Landing program case file",
                    }
                )
                facts.append(
                    {
                        "kind": K.JOBS_CREATED,
                        "occurred_at": _noon(day, destination.zone, rng),
                        "hub": destination,
                        "organization": org,
                        "quantity": rng.randint(2, 12),
                    }
                )
                if rng.random() < 0.5:
                    currency = "USD" if destination.currency == "USD" else "COP"
                    amount = (
                        rng.choice((150_000, 250_000, 500_000))
                        if currency == "USD"
                        else rng.choice((400_000_000, 900_000_000))
                    )
                    facts.append(
                        {
                            "kind": K.INVESTMENT,
                            "occurred_at": _noon(day, destination.zone, rng),
                            "hub": destination,
                            "organization": org,
                            "quantity": amount,
                            "currency": currency,
                        }
                    )
            for _n in range(int(2 * scale)):
                facts.append(
                    {
                        "kind": K.EVENT_HELD,
                        "occurred_at": _noon(day_in(quarter), hub.zone, rng),
                        "hub": hub,
                    }
                )
                facts.append(
                    {
                        "kind": K.EVENT_ATTENDANCE,
                        "occurred_at": _noon(day_in(quarter), hub.zone, rng),
                        "hub": hub,
                        "quantity": rng.randint(30, 120),
                    }
                )
            facts.append(
                {
                    "kind": K.MENTORING_HOURS,
                    "occurred_at": _noon(day_in(quarter), hub.zone, rng),
                    "hub": hub,
                    "quantity": rng.randint(20, 60) * scale,
                }
            )
            if quarter != current:
                # This quarter's hours offered are live facts of the spaces (the spaces step).
                facts.append(
                    {
                        "kind": K.SPACE_HOURS_OFFERED,
                        "occurred_at": _noon(quarter.first_day, hub.zone, rng),
                        "hub": hub,
                        "quantity": 2000,
                    }
                )
            for _n in range(int(20 * scale * growth)):
                facts.append(
                    {
                        "kind": K.SPACE_BOOKING,
                        "occurred_at": _noon(day_in(quarter), hub.zone, rng),
                        "hub": hub,
                        "organization": rng.choice(local),
                        "quantity": rng.choice((2, 4, 8)),
                    }
                )
    context.counts["activity_records"] = activity_bulk_record(facts=facts)
    _targets(
        context,
        current,
        {
            "companies_landed": 4 * scale,
            "introductions_accepted": 10 * scale,
            "meetings_held": 8 * scale,
            "jobs_created": 20 * scale,
            "event_attendance": 300 * scale,
        },
    )

    indicator = indicator_ensure("rd_expenditure_pct_gdp")
    figures = read_puente_csv((DATA / "rd_share_of_gdp.csv").read_text(encoding="utf-8"))
    indicator_values_import(
        indicator=indicator,
        rows=[
            IndicatorRow(f.area, f.year, f.value, f.source, f.source_url, f.is_target, f.note)
            for f in figures
        ],
    )
    sti = indicator_ensure("sti_investment_pct_gdp")
    targets = read_puente_csv((DATA / "agreement_targets.csv").read_text(encoding="utf-8"))
    indicator_values_import(
        indicator=sti,
        rows=[
            IndicatorRow(f.area, f.year, f.value, f.source, f.source_url, f.is_target, f.note)
            for f in targets
        ],
    )
    context.counts["indicator_values"] = len(figures) + len(targets)

    today = context.now.date()
    for spec in GUIDES:
        fields = {
            key: value
            for key, value in spec.items()
            if key not in ("hub", "reviewed_days_ago", "tags")
        }
        guide_save(
            actor=None, hub=hubs[spec["hub"]] if spec["hub"] else None,
            reviewed_on=today - dt.timedelta(days=spec["reviewed_days_ago"]),
            tags=[context.term(vocabulary, code) for vocabulary, code in spec["tags"]], **fields,
        )  # fmt: skip
    context.counts["guides"] = len(GUIDES)
