"""Demo step: one verified account per role, with recorded consents and directory profiles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from puente.accounts.models import Consent, ConsentPurpose, User
from puente.accounts.services import hub_role_grant
from puente.core.audit import audit_record, snapshot
from puente.demo.seed import DemoAccount, SeedContext, seed_step
from puente.directory import services
from puente.directory.models import MembershipRole, Organization, OrganizationMembership

# Shared by every demo account and printed by ``puente demo``: the demo is for trying Puente
# on one's own machine (it serves on 127.0.0.1 only), never for a public server.
DEMO_PASSWORD = "puente-demo-2026"


@dataclass(frozen=True)
class AccountSpec:
    role: str
    email: str
    full_name: str
    language: str
    hub: str
    staff: bool = False


ACCOUNTS = [
    AccountSpec("staff", "admin@puente.example", "Adriana Ospina", "es", "medellin", staff=True),
    AccountSpec(
        "manager_medellin", "manager.medellin@puente.example", "Julián Betancur", "es", "medellin"
    ),
    AccountSpec("manager_miami", "manager.miami@puente.example", "Rachel Domínguez", "en", "miami"),
    AccountSpec(
        "organization_admin", "org.admin@puente.example", "Camila Restrepo", "es", "medellin"
    ),
    AccountSpec("member", "member@puente.example", "Kevin Álvarez", "en", "miami"),
    AccountSpec("mentor", "mentor@puente.example", "Lucía Henao", "es", "medellin"),
]
ROLES = [spec.role for spec in ACCOUNTS]


@seed_step("accounts", order=200)
def seed_accounts(context: SeedContext) -> None:
    organizations: list[Organization] = context.shared["organizations"]
    partners: dict[str, Organization] = context.shared["partners"]
    startup = next(
        org for org in organizations if org.type.code == "startup" and org.hub.slug == "medellin"
    )
    scaleup = next(
        org for org in organizations if org.type.code == "scaleup" and org.hub.slug == "miami"
    )
    users = {spec.role: _create_user(spec, context) for spec in ACCOUNTS}

    hub_role_grant(user=users["manager_medellin"], hub=context.hubs["medellin"], actor=None)
    hub_role_grant(user=users["manager_miami"], hub=context.hubs["miami"], actor=None)
    services.membership_set(
        organization=startup,
        user=users["organization_admin"],
        role=MembershipRole.ADMIN,
        actor=None,
    )
    services.membership_set(
        organization=scaleup, user=users["member"], role=MembershipRole.MEMBER, actor=None
    )

    profiles: list[tuple[str, Organization, str, dict[str, Any]]] = [
        (
            "manager_medellin",
            partners["ruta_n"],
            "Gestor de conexiones internacionales",
            {"headline": "Conecta empresas de Medellín con Miami en Ruta N"},
        ),
        (
            "manager_miami",
            partners["cic_miami"],
            "Programs Manager",
            {"headline": "Runs the landing programs at CIC Miami", "bio_language": "en"},
        ),
        (
            "organization_admin",
            startup,
            "Cofundadora y CEO",
            {"headline": f"Cofundadora y CEO de {startup.name}"},
        ),
        (
            "member",
            scaleup,
            "Product Lead",
            {"headline": f"Product Lead at {scaleup.name}", "bio_language": "en"},
        ),
        (
            "mentor",
            partners["ruta_n"],
            "Mentora",
            {
                "headline": "Mentora de fintech y expansión a Estados Unidos",
                "bio": "Lucía fundó dos empresas de pagos y vivió cinco años en Miami. Ofrece mentoría sobre levantamiento de capital y entrada al mercado estadounidense.",
                "is_mentor": True,
                "expertise": [
                    context.term("sector", "fintech"),
                    context.term("technology", "blockchain"),
                    context.term("sector", "software"),
                ],
            },
        ),
    ]
    for role, organization, title, extra in profiles:
        user = users[role]
        values: dict[str, Any] = {
            "full_name": user.full_name,
            "hub": user.home_hub,
            "bio_language": user.language,
            "languages": ["es", "en"],
            "email": user.email,
            **extra,
        }
        person = services.person_create(actor=None, user=user, values=values)
        services.position_set(person=person, organization=organization, title=title, actor=None)
    context.accounts.extend(accounts_in_database())
    context.counts["accounts"] = len(users)


def _create_user(spec: AccountSpec, context: SeedContext) -> User:
    hub = context.hubs[spec.hub]
    user = User.objects.create_user(
        spec.email,
        DEMO_PASSWORD,
        full_name=spec.full_name,
        language=spec.language,
        time_zone=hub.time_zone,
        home_hub=hub,
        email_verified_at=context.now,
        is_staff=spec.staff,
        is_superuser=spec.staff,
    )
    Consent.objects.bulk_create(
        [
            Consent(
                user=user,
                purpose=purpose,
                policy_version=settings.PRIVACY_POLICY_VERSION,
                granted=purpose != ConsentPurpose.NEWSLETTER or spec.role == "mentor",
                recorded_at=context.now,
            )
            for purpose in ConsentPurpose.values
        ]
    )
    audit_record(
        actor=None,
        action="user.create",
        target=user,
        after=snapshot(
            user, ["email", "full_name", "language", "time_zone", "home_hub_id", "is_staff"]
        ),
        hub=hub,
    )
    return user


def accounts_in_database() -> list[DemoAccount]:
    """The demo accounts that exist, each with the organization or hub its role is about."""
    by_email = {
        user.email: user
        for user in User.objects.filter(email__in=[spec.email for spec in ACCOUNTS]).select_related(
            "home_hub"
        )
    }
    memberships = {
        membership.user_id: membership.organization.name
        for membership in OrganizationMembership.objects.filter(
            user__in=list(by_email.values())
        ).select_related("organization")
    }
    accounts = []
    for spec in ACCOUNTS:
        user = by_email.get(spec.email)
        if user is None:
            continue
        detail = memberships.get(user.pk) or (
            "" if spec.staff or user.home_hub is None else user.home_hub.name
        )
        accounts.append(DemoAccount(role=spec.role, email=spec.email, description=detail))
    return accounts
