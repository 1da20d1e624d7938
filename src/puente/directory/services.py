"""Every write to the directory: organizations, people, memberships and claims."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from puente.accounts.models import User
from puente.accounts.viewer import forget_viewer, viewer_for
from puente.core.audit import audit_record, snapshot
from puente.core.errors import PermissionDenied, ValidationFailed
from puente.core.models import Hub, TaxonomyTerm, Visibility
from puente.core.text import search_document
from puente.directory.models import (
    ClaimStatus,
    MembershipRole,
    Organization,
    OrganizationClaim,
    OrganizationMembership,
    Person,
    Position,
    VerificationStatus,
)

ORGANIZATION_M2M = ("other_hubs", "sectors", "technologies", "markets", "target_hubs")
ORGANIZATION_FIELDS = (
    "external_id",
    "name",
    "type",
    "hub",
    "tagline",
    "description",
    "description_language",
    "description_translation",
    "description_translation_language",
    "stage",
    "size",
    "founded_year",
    "website",
    "city",
    "address",
    "email",
    "phone",
    "profile_visibility",
    "details_visibility",
    "contact_visibility",
)
PERSON_M2M = ("expertise",)
PERSON_FIELDS = (
    "external_id",
    "full_name",
    "headline",
    "bio",
    "bio_language",
    "hub",
    "languages",
    "is_mentor",
    "email",
    "phone",
    "linkedin",
    "profile_visibility",
    "contact_visibility",
)
_AUDITED_ORGANIZATION = [
    *(f"{name}_id" if name in ("type", "hub", "stage") else name for name in ORGANIZATION_FIELDS),
    *ORGANIZATION_M2M,
    "verification_status",
    "last_confirmed_at",
]
_AUDITED_PERSON = [
    *(f"{name}_id" if name == "hub" else name for name in PERSON_FIELDS),
    *PERSON_M2M,
    "user_id",
    "last_confirmed_at",
]


def unique_slug(
    model: type[Organization] | type[Person], text: str, *, exclude_id: int | None = None
) -> str:
    """A URL slug for ``text`` not yet used by another row of ``model``."""
    base = slugify(text)[:120] or "item"
    slug, counter = base, 2
    existing = model.objects.exclude(pk=exclude_id) if exclude_id else model.objects.all()
    taken = set(existing.filter(slug__startswith=base).values_list("slug", flat=True))
    while slug in taken:
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def organization_search_text(organization: Organization, terms: Iterable[TaxonomyTerm]) -> str:
    """The folded text indexed for an organization: its words and its terms in both languages."""
    labels = [f"{term.label_en} {term.label_es}" for term in terms]
    return search_document(
        organization.name,
        organization.tagline,
        organization.description,
        organization.description_translation,
        organization.city,
        *labels,
    )


def _organization_terms(organization: Organization) -> list[TaxonomyTerm]:
    terms = [organization.type]
    if organization.stage_id:
        terms.append(organization.stage)  # type: ignore[arg-type]
    terms.extend(organization.sectors.all())
    terms.extend(organization.technologies.all())
    return terms


def _assign(instance: Any, values: Mapping[str, Any], allowed: Iterable[str]) -> None:
    for name in allowed:
        if name in values:
            value = values[name]
            setattr(
                instance,
                name,
                ""
                if value is None and name not in ("external_id", "stage", "founded_year")
                else value,
            )


def _ensure_can_edit_organization(actor: User | None, organization: Organization) -> None:
    if actor is None:  # system jobs and the command line act with full rights
        return
    viewer = viewer_for(actor)
    if organization.pk in viewer.admin_organization_ids or viewer.manages_any(
        organization.hub_ids()
    ):
        return
    raise PermissionDenied(_("You cannot edit this organization."))


@transaction.atomic
def organization_create(*, actor: User | None, values: Mapping[str, Any]) -> Organization:
    """Create an organization from validated values (see ``OrganizationForm``)."""
    hub: Hub = values["hub"]
    if actor is not None and not viewer_for(actor).manages_any({hub.pk}):
        raise PermissionDenied(_("Only managers of the hub can add organizations to it."))
    organization = Organization()
    _assign(organization, values, ORGANIZATION_FIELDS)
    organization.slug = unique_slug(Organization, organization.name)
    organization.last_confirmed_at = values.get("last_confirmed_at") or timezone.now()
    organization.save()
    for name in ORGANIZATION_M2M:
        if name in values:
            getattr(organization, name).set(values[name] or [])
    organization.search_text = organization_search_text(
        organization, _organization_terms(organization)
    )
    organization.save(update_fields=["search_text"])
    _schedule_embedding("organization", organization.pk)
    audit_record(
        actor=actor,
        action="organization.create",
        target=organization,
        after=snapshot(organization, _AUDITED_ORGANIZATION),
        hub=hub,
    )
    return organization


@transaction.atomic
def organization_update(
    *, organization: Organization, actor: User | None, values: Mapping[str, Any]
) -> Organization:
    """Change an organization's profile; only fields present in ``values`` change."""
    _ensure_can_edit_organization(actor, organization)
    moves_hub = "hub" in values and values["hub"].pk != organization.hub_id
    if (
        moves_hub
        and actor is not None
        and not viewer_for(actor).manages_any({values["hub"].pk, organization.hub_id})
    ):
        raise PermissionDenied(_("Only hub managers can move an organization to another hub."))
    before = snapshot(organization, _AUDITED_ORGANIZATION)
    named = (organization.name, organization.profile_visibility)
    _assign(organization, values, ORGANIZATION_FIELDS)
    if "name" in values and slugify(organization.name)[:120] != organization.slug.rsplit("-", 1)[0]:
        organization.slug = unique_slug(Organization, organization.name, exclude_id=organization.pk)
    # Editing the profile is a confirmation that it is current.
    organization.last_confirmed_at = timezone.now()
    organization.save()
    for name in ORGANIZATION_M2M:
        if name in values:
            getattr(organization, name).set(values[name] or [])
    organization.search_text = organization_search_text(
        organization, _organization_terms(organization)
    )
    organization.save(update_fields=["search_text"])
    _schedule_embedding("organization", organization.pk)
    if (organization.name, organization.profile_visibility) != named:
        # Its people are found by its name only while it is public (person_search_text).
        for person in Person.objects.filter(positions__organization=organization).distinct():
            person_reindex(person)
    audit_record(
        actor=actor,
        action="organization.update",
        target=organization,
        before=before,
        after=snapshot(organization, _AUDITED_ORGANIZATION),
        hub=organization.hub,
    )
    return organization


@transaction.atomic
def organization_confirm_current(*, organization: Organization, actor: User) -> Organization:
    """Record that someone responsible checked the profile and it is still accurate."""
    _ensure_can_edit_organization(actor, organization)
    before = snapshot(organization, ["last_confirmed_at"])
    organization.last_confirmed_at = timezone.now()
    organization.save(update_fields=["last_confirmed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="organization.confirm",
        target=organization,
        before=before,
        after=snapshot(organization, ["last_confirmed_at"]),
        hub=organization.hub,
    )
    return organization


@transaction.atomic
def organization_set_verification(
    *, organization: Organization, actor: User, verified: bool
) -> Organization:
    """A hub manager marks an organization as verified (or withdraws the mark)."""
    if not viewer_for(actor).manages_any(organization.hub_ids()):
        raise PermissionDenied(_("Only managers of the organization's hub can verify it."))
    before = snapshot(organization, ["verification_status", "verified_at"])
    organization.verification_status = (
        VerificationStatus.VERIFIED if verified else VerificationStatus.UNVERIFIED
    )
    organization.verified_at = timezone.now() if verified else None
    organization.save(update_fields=["verification_status", "verified_at", "updated_at"])
    audit_record(
        actor=actor,
        action="organization.verify" if verified else "organization.unverify",
        target=organization,
        before=before,
        after=snapshot(organization, ["verification_status", "verified_at"]),
        hub=organization.hub,
    )
    return organization


@transaction.atomic
def organization_claim_submit(
    *, organization: Organization, user: User, role_title: str, message: str = ""
) -> OrganizationClaim:
    """A verified user asks to manage an organization's profile."""
    if not user.is_verified:
        raise ValidationFailed(
            _("Confirm your email address before claiming an organization."),
            code="email_not_verified",
        )
    if OrganizationMembership.objects.filter(
        user=user, organization=organization, role=MembershipRole.ADMIN
    ).exists():
        raise ValidationFailed(_("You already manage this organization."), code="already_admin")
    if OrganizationClaim.objects.filter(
        user=user, organization=organization, status=ClaimStatus.PENDING
    ).exists():
        raise ValidationFailed(
            _("You already have a pending claim for this organization."), code="claim_pending"
        )
    role_title = role_title.strip()
    if not role_title:
        raise ValidationFailed(
            _("Say what your role in the organization is."),
            code="role_required",
            field="role_title",
        )
    claim = OrganizationClaim.objects.create(
        user=user,
        organization=organization,
        role_title=role_title[:120],
        message=message.strip()[:2000],
    )
    audit_record(
        actor=user,
        action="organization.claim",
        target=claim,
        after=snapshot(claim, ["organization_id", "role_title", "status"]),
        hub=organization.hub,
    )
    transaction.on_commit(lambda: _notify_claim_submitted(claim.pk))
    return claim


def _notify_claim_submitted(claim_id: int) -> None:
    from puente.directory.tasks import notify_claim_submitted

    notify_claim_submitted.delay(claim_id)


@transaction.atomic
def organization_claim_decide(
    *, claim: OrganizationClaim, actor: User, approve: bool, note: str = ""
) -> OrganizationClaim:
    """A manager of the organization's hub approves or rejects a claim.

    Approval makes the claimant an admin of the organization and lists them among its people.
    """
    organization = claim.organization
    if not viewer_for(actor).manages_any(organization.hub_ids()):
        raise PermissionDenied(_("Only managers of the organization's hub can decide claims."))
    if claim.status != ClaimStatus.PENDING:
        raise ValidationFailed(_("This claim has already been decided."), code="claim_decided")
    before = snapshot(claim, ["status", "decision_note"])
    claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
    claim.decided_at = timezone.now()
    claim.decided_by = actor
    claim.decision_note = note.strip()[:500]
    claim.save()
    if approve:
        membership, created = OrganizationMembership.objects.get_or_create(
            user=claim.user, organization=organization, defaults={"role": MembershipRole.ADMIN}
        )
        if not created and membership.role != MembershipRole.ADMIN:
            membership.role = MembershipRole.ADMIN
            membership.save(update_fields=["role"])
        person = person_for_user(claim.user)
        Position.objects.get_or_create(
            person=person, organization=organization, title=claim.role_title
        )
        forget_viewer(claim.user)
    audit_record(
        actor=actor,
        action="organization.claim.approve" if approve else "organization.claim.reject",
        target=claim,
        before=before,
        after=snapshot(claim, ["status", "decision_note"]),
        hub=organization.hub,
    )
    transaction.on_commit(lambda: _notify_claim_decided(claim.pk))
    return claim


def _notify_claim_decided(claim_id: int) -> None:
    from puente.directory.tasks import notify_claim_decided

    notify_claim_decided.delay(claim_id)


@transaction.atomic
def membership_set(
    *, organization: Organization, user: User, role: str | None, actor: User | None
) -> OrganizationMembership | None:
    """Add a user to an organization with a role, change the role, or (role None) remove them."""
    if actor is not None:
        viewer = viewer_for(actor)
        if organization.pk not in viewer.admin_organization_ids and not viewer.manages_any(
            organization.hub_ids()
        ):
            raise PermissionDenied(
                _("Only the organization's admins and hub managers can manage its members.")
            )
    existing = OrganizationMembership.objects.filter(organization=organization, user=user).first()
    before = snapshot(existing, ["role"]) if existing else None
    if role is None:
        if existing is None:
            return None
        admins = OrganizationMembership.objects.filter(
            organization=organization, role=MembershipRole.ADMIN
        )
        if existing.role == MembershipRole.ADMIN and admins.count() == 1 and actor == user:
            raise ValidationFailed(
                _("An organization needs at least one admin; name another admin first."),
                code="last_admin",
            )
        audit_record(
            actor=actor,
            action="organization.member.remove",
            target=existing,
            before=before,
            hub=organization.hub,
        )
        existing.delete()
        forget_viewer(user)
        return None
    if role not in MembershipRole.values:
        raise ValidationFailed(_("Unknown role."), code="invalid_role", field="role")
    membership, _created = OrganizationMembership.objects.update_or_create(
        organization=organization, user=user, defaults={"role": role}
    )
    audit_record(
        actor=actor,
        action="organization.member.set",
        target=membership,
        before=before,
        after=snapshot(membership, ["role"]),
        hub=organization.hub,
    )
    forget_viewer(user)
    return membership


def person_search_text(
    person: Person, terms: Iterable[TaxonomyTerm], positions: Iterable[Position] = ()
) -> str:
    """The words a person is found by. An organization is named only when its profile is
    public: the text is the same for every searcher, and a visitor must not find who works
    at an organization they may not see (``positions_shown_to``)."""
    labels = [f"{term.label_en} {term.label_es}" for term in terms]
    roles = [
        f"{position.title} {position.organization.name}"
        if position.organization.profile_visibility == Visibility.PUBLIC
        else position.title
        for position in positions
    ]
    return search_document(person.full_name, person.headline, person.bio, *labels, *roles)


def person_reindex(person: Person) -> None:
    """Refresh the indexed text of a person (after their profile or positions change)."""
    positions = list(person.positions.select_related("organization"))
    person.search_text = person_search_text(person, person.expertise.all(), positions)
    Person.objects.filter(pk=person.pk).update(search_text=person.search_text)
    _schedule_embedding("person", person.pk)


def _schedule_embedding(item_type: str, pk: int) -> None:
    """Matching embeds the profile's text after commit, in a batch with the transaction's
    other changes (an unchanged text costs one lookup)."""
    from puente.matching.indexing import schedule_embedding  # matching builds on directory

    schedule_embedding(item_type, pk)


def _ensure_can_edit_person(actor: User | None, person: Person) -> None:
    if actor is None or person.user_id == actor.pk:
        return
    if viewer_for(actor).manages_any({person.hub_id}):
        return
    raise PermissionDenied(_("You cannot edit this person's profile."))


@transaction.atomic
def person_create(
    *, actor: User | None, values: Mapping[str, Any], user: User | None = None
) -> Person:
    """Add a person to the directory (hub managers, imports, or a new account's own profile)."""
    hub: Hub = values["hub"]
    if actor is not None and actor != user and not viewer_for(actor).manages_any({hub.pk}):
        raise PermissionDenied(_("Only managers of the hub can add people to it."))
    person = Person(user=user)
    _assign(person, values, PERSON_FIELDS)
    person.slug = unique_slug(Person, person.full_name)
    person.save()
    if "expertise" in values:
        person.expertise.set(values["expertise"] or [])
    person_reindex(person)
    audit_record(
        actor=actor,
        action="person.create",
        target=person,
        after=snapshot(person, _AUDITED_PERSON),
        hub=hub,
    )
    return person


@transaction.atomic
def person_update(*, person: Person, actor: User | None, values: Mapping[str, Any]) -> Person:
    """Change a person's profile; only fields present in ``values`` change."""
    _ensure_can_edit_person(actor, person)
    before = snapshot(person, _AUDITED_PERSON)
    _assign(person, values, PERSON_FIELDS)
    person.last_confirmed_at = timezone.now()
    person.save()
    if "expertise" in values:
        person.expertise.set(values["expertise"] or [])
    person_reindex(person)
    audit_record(
        actor=actor,
        action="person.update",
        target=person,
        before=before,
        after=snapshot(person, _AUDITED_PERSON),
        hub=person.hub,
    )
    return person


def person_for_user(user: User) -> Person:
    """The directory profile of a user, created from the account when it does not exist yet."""
    person = Person.objects.filter(user=user).first()
    if person is not None:
        return person
    hub = user.home_hub or Hub.objects.filter(is_active=True).first()
    if hub is None:
        raise ValidationFailed(
            _("No hub exists yet; ask an administrator to create one."), code="no_hub"
        )
    return person_create(
        actor=user,
        user=user,
        values={
            "full_name": user.full_name or user.email.split("@")[0],
            "hub": hub,
            "bio_language": user.language,
            "languages": [user.language],
        },
    )


@transaction.atomic
def position_set(
    *,
    person: Person,
    organization: Organization,
    title: str,
    actor: User | None,
    is_primary: bool = True,
) -> Position:
    """Record a person's role in an organization."""
    if actor is not None:
        viewer = viewer_for(actor)
        allowed = person.user_id == actor.pk and organization.pk in viewer.organization_ids
        if not (
            allowed
            or organization.pk in viewer.admin_organization_ids
            or viewer.manages_any(organization.hub_ids())
        ):
            raise PermissionDenied(_("You cannot add people to this organization."))
    position, _created = Position.objects.update_or_create(
        person=person,
        organization=organization,
        title=title.strip()[:120],
        defaults={"is_primary": is_primary},
    )
    audit_record(
        actor=actor,
        action="person.position.set",
        target=position,
        after=snapshot(position, ["person_id", "organization_id", "title", "is_primary"]),
        hub=organization.hub,
    )
    person_reindex(person)
    return position
