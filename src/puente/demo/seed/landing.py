"""Demo step: a soft-landing program per hub with an open call, applications from the partner
hub's companies, reviews, a ranking, an admitted company's case file and follow-up surveys.

Names come from the hubs' own bilingual names, so a third hub gets its program too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from puente.accounts.models import HubRole, User
from puente.demo.seed import SeedContext, seed_step
from puente.directory.models import Organization, OrganizationMembership
from puente.landing.checklists import ensure_default_checklists
from puente.landing.models import (
    Application,
    ApplicationState,
    Call,
    ChecklistItem,
    ConflictOfInterest,
    Criterion,
    Direction,
    FieldKind,
    FormField,
    ItemState,
    Program,
    Review,
    Service,
    SurveyRequest,
)
from puente.landing.scoring import Criterion as RubricLine
from puente.landing.scoring import weighted_score
from puente.landing.services import _case_file_open

PITCHES = [
    (
        "We want to serve Latin American customers from {city}.",
        "Queremos atender clientes latinoamericanos desde {city}.",
    ),
    (
        "Our pilot with a local partner needs a team on the ground in {city}.",
        "Nuestro piloto con un aliado local necesita un equipo en {city}.",
    ),
    (
        "{city} has the talent we need to grow our engineering team.",
        "{city} tiene el talento que necesitamos para crecer nuestro equipo de ingeniería.",
    ),
]


@seed_step("landing", order=500)
def seed_landing(context: SeedContext) -> None:
    ensure_default_checklists()
    rng = context.random("landing")
    organizations: list[Organization] = context.shared["organizations"]
    mentor = User.objects.filter(email="mentor@puente.example").first()
    counts = {"programs": 0, "applications": 0, "case_files": 0}
    for hub in context.hubs.values():
        managers = list(
            User.objects.filter(pk__in=HubRole.objects.filter(hub=hub).values("user_id"))
        )
        program = Program.objects.create(
            hub=hub,
            destination_hub=hub,
            direction=Direction.INBOUND,
            slug=f"landing-{hub.slug}",
            name_en=f"Landing {hub.name_en}",
            name_es=f"Aterriza en {hub.name_es}",
            summary_en=f"Six months in {hub.city} for companies from the partner hubs: a free desk, mentoring, legal and tax guidance, and introductions to clients and investors.",
            summary_es=f"Seis meses en {hub.city} para empresas de los nodos aliados: puesto de trabajo gratuito, mentoría, orientación legal y tributaria, y presentaciones a clientes e inversionistas.",
            services=[
                Service.HOSTING,
                Service.DESK,
                Service.MENTORING,
                Service.LEGAL,
                Service.INTRODUCTIONS,
            ],
            capacity=5,
        )
        counts["programs"] += 1
        call = Call.objects.create(
            program=program,
            title_en=f"{context.now.year} cohort",
            title_es=f"Cohorte {context.now.year}",
            eligibility_en="Startups and scaleups with revenue, from a partner hub.",
            eligibility_es="Startups y scaleups con ventas, de un nodo aliado.",
            opens_at=context.now - dt.timedelta(days=20),
            closes_at=context.now + dt.timedelta(days=25),
        )
        FormField.objects.create(
            call=call,
            key="why",
            kind=FieldKind.LONG_TEXT,
            label_en=f"Why {hub.city}?",
            label_es=f"¿Por qué {hub.city}?",
            max_length=2000,
            sort_order=1,
        )
        FormField.objects.create(
            call=call,
            key="revenue",
            kind=FieldKind.MONEY,
            label_en="Revenue last year",
            label_es="Ventas del último año",
            required=False,
            sort_order=2,
        )
        FormField.objects.create(
            call=call,
            key="deck",
            kind=FieldKind.FILE,
            label_en="Pitch deck",
            label_es="Presentación",
            allowed_extensions=["pdf"],
            required=False,
            sort_order=3,
        )
        criteria = [
            Criterion.objects.create(
                call=call,
                name_en="Team",
                name_es="Equipo",
                weight=Decimal(2),
                anchors=[
                    {"en": "Weak", "es": "Débil"},
                    {},
                    {"en": "Solid", "es": "Sólido"},
                    {},
                    {"en": "Exceptional", "es": "Excepcional"},
                ],
            ),
            Criterion.objects.create(
                call=call,
                name_en="Fit with the host city",
                name_es="Encaje con la ciudad anfitriona",
                weight=Decimal(1),
            ),
        ]
        reviewers = [*managers, *([mentor] if mentor else [])]
        call.reviewers.set(reviewers)
        applicants = [
            org
            for org in organizations
            if org.hub_id != hub.pk and org.type.code in ("startup", "scaleup")
        ][:4]
        applications = []
        for index, organization in enumerate(applicants):
            member = (
                OrganizationMembership.objects.filter(organization=organization)
                .select_related("user")
                .first()
            )
            pitch_en, pitch_es = PITCHES[index % len(PITCHES)]
            language = organization.description_language
            text = (pitch_en if language == "en" else pitch_es).format(city=hub.city)
            submitted = index < 3
            application = Application.objects.create(
                call=call,
                organization=organization,
                applicant=member.user if member else None,
                language=language,
                answers={"why": text, "revenue": str(rng.randrange(50, 900) * 1000)},
                state=ApplicationState.SUBMITTED if submitted else ApplicationState.DRAFT,
                submitted_at=context.now - dt.timedelta(days=10 - index) if submitted else None,
            )
            applications.append(application)
            counts["applications"] += 1
        submitted_apps = [
            application
            for application in applications
            if application.state == ApplicationState.SUBMITTED
        ]
        if reviewers and submitted_apps:
            ConflictOfInterest.objects.create(
                reviewer=reviewers[-1],
                application=submitted_apps[-1],
                reason="Advisor to the company / Asesoría a la empresa",
            )
            rubric = [
                RubricLine(id=c.pk, weight=float(c.weight), scale_max=c.scale_max) for c in criteria
            ]
            for application in submitted_apps:
                for reviewer in reviewers:
                    if reviewer == reviewers[-1] and application == submitted_apps[-1]:
                        continue
                    marks = {c.pk: rng.randint(2, 5) for c in criteria}
                    Review.objects.create(
                        application=application,
                        reviewer=reviewer,
                        marks={str(key): value for key, value in marks.items()},
                        weighted_score=Decimal(str(round(weighted_score(rubric, marks), 3))),
                        submitted_at=context.now - dt.timedelta(days=2),
                    )
        if submitted_apps and managers:
            admitted = submitted_apps[0]
            admitted.state = ApplicationState.ADMITTED
            admitted.decided_at, admitted.decided_by = (
                context.now - dt.timedelta(days=1),
                managers[0],
            )
            admitted.save()
            case_file = _case_file_open(actor=managers[0], application=admitted)
            counts["case_files"] += 1
            providers = [
                org
                for org in organizations
                if org.hub_id == hub.pk and org.type.code == "service_provider"
            ]
            first = ChecklistItem.objects.filter(case_file=case_file).order_by("sort_order").first()
            if first is not None:
                first.state, first.completed_at = ItemState.DONE, context.now
                first.provider = providers[0] if providers else None
                first.save()
            if len(submitted_apps) > 2:
                rejected = submitted_apps[2]
                rejected.state, rejected.decided_at, rejected.decided_by = (
                    ApplicationState.REJECTED,
                    context.now - dt.timedelta(days=1),
                    managers[0],
                )
                rejected.feedback = "Come back when you have a pilot customer in the city. / Vuelve cuando tengas un cliente piloto en la ciudad."
                rejected.save()
                SurveyRequest.objects.create(
                    application=rejected, period_label=f"{context.now.year}-H2"
                )
            SurveyRequest.objects.create(
                application=admitted, period_label=f"{context.now.year}-H2"
            )
    context.counts.update({f"landing_{key}": value for key, value in counts.items()})
