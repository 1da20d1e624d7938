"""Every endpoint x every role x the status it must answer (in the style of pretix's
tests/api/test_permissions.py). The endpoint list comes from the API's own OpenAPI paths, so a
new endpoint without a row here fails the suite.

Write endpoints also check that a refused call changed nothing and an accepted one did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest

from puente.accounts.models import ApiToken, User
from puente.api.openapi import API_PREFIX, openapi_schema
from puente.directory.models import (
    ClaimStatus,
    MembershipRole,
    Organization,
    OrganizationClaim,
    Person,
    VerificationStatus,
)
from puente.events.models import (
    Announcement,
    EventStatus,
    MeetingFeedback,
    MeetingRequest,
    Participant,
)
from puente.impact.models import KpiTarget
from puente.landing.models import Application, Milestone, Review, ScreeningVote
from puente.spaces.models import Booking, BookingStatus
from tests.api.conftest import ROLES, ApiClient, World, token_for
from tests.api.marketplace_world import marketplace_rows
from tests.events.helpers import accepted_meeting, make_event, pending_request, register
from tests.factories import OrganizationFactory, hub, make_member
from tests.landing.api_world import landing_objects
from tests.spaces.helpers import booking_for_table, next_weekday, space_for_table

pytestmark = pytest.mark.django_db


def expect(default: int, **by_role: int) -> dict[str, int]:
    unknown = set(by_role) - set(ROLES)
    assert not unknown, unknown
    return {role: by_role.get(role, default) for role in ROLES}


@dataclass(frozen=True)
class Case:
    """How to call one endpoint, what each role gets, and how to see that a write happened."""

    path: Callable[[World, str], str]
    expected: dict[str, int]
    body: dict[str, Any] | Callable[[World, str], dict[str, Any]] | None = None
    happened: Callable[[World, str], bool] | None = None
    files: dict[str, tuple[str, bytes]] | None = None


def _org(world: World, role: str) -> str:
    return str(world.organization.pk)


def _new_token_id(world: World, role: str) -> str:
    # The caller's own second token (anonymous callers aim at someone else's).
    owner = world.users[role] or world.user("staff")
    token, _raw = token_for(owner, name="to revoke")
    return f"/tokens/{token.pk}"


def _organization_named(name: str) -> Callable[[World, str], bool]:
    return lambda world, role: Organization.objects.filter(name=name).exists()


TABLE: dict[tuple[str, str], Case] = {
    ("GET", "/hubs"): Case(lambda w, r: "/hubs", expect(200)),
    ("GET", "/hubs/{slug}"): Case(lambda w, r: "/hubs/medellin", expect(200)),
    ("GET", "/taxonomy"): Case(lambda w, r: "/taxonomy?vocabulary=sector", expect(200)),
    ("GET", "/organizations"): Case(
        lambda w, r: "/organizations?hub=medellin&sector=agritech", expect(200)
    ),
    ("GET", "/organizations/{organization_id}"): Case(
        lambda w, r: f"/organizations/{_org(w, r)}", expect(200)
    ),
    ("POST", "/organizations"): Case(
        lambda w, r: "/organizations",
        expect(403, anonymous=401, manager_same_hub=201, staff=201),
        body={
            "name": "Nueva Startup",
            "type": "startup",
            "hub": "medellin",
            "sectors": ["fintech"],
        },
        happened=_organization_named("Nueva Startup"),
    ),
    ("PATCH", "/organizations/{organization_id}"): Case(
        lambda w, r: f"/organizations/{_org(w, r)}",
        expect(403, anonymous=401, org_admin=200, manager_same_hub=200, staff=200),
        body={"tagline": "Trazabilidad del café, de la finca a la taza"},
        happened=lambda w, r: Organization.objects.get(pk=w.organization.pk).tagline.startswith(
            "Trazabilidad"
        ),
    ),
    ("POST", "/organizations/{organization_id}/verification"): Case(
        lambda w, r: f"/organizations/{_org(w, r)}/verification",
        expect(403, anonymous=401, manager_same_hub=200, staff=200),
        body={"verified": True},
        happened=lambda w, r: (
            Organization.objects.get(pk=w.organization.pk).verification_status
            == VerificationStatus.VERIFIED
        ),
    ),
    ("POST", "/organizations/{organization_id}/confirmation"): Case(
        lambda w, r: f"/organizations/{_org(w, r)}/confirmation",
        expect(403, anonymous=401, org_admin=200, manager_same_hub=200, staff=200),
        happened=lambda w, r: (
            Organization.objects.get(pk=w.organization.pk).last_confirmed_at
            > w.organization.last_confirmed_at
        ),
    ),
    ("POST", "/organizations/{organization_id}/claims"): Case(
        lambda w, r: f"/organizations/{_org(w, r)}/claims",
        # Unverified accounts must confirm their email first; admins already manage it.
        expect(201, anonymous=401, unverified=422, org_admin=422),
        body={"role_title": "CEO", "message": "Escríbeme a mi correo de la empresa."},
        happened=lambda w, r: OrganizationClaim.objects.filter(
            organization=w.organization, role_title="CEO"
        ).exists(),
    ),
    ("GET", "/claims"): Case(
        lambda w, r: "/claims",
        expect(403, anonymous=401, manager_same_hub=200, manager_other_hub=200, staff=200),
    ),
    ("POST", "/claims/{claim_id}/decision"): Case(
        lambda w, r: f"/claims/{w.claim.pk}/decision",
        # The claim is invisible (404) to everyone who may not decide it.
        expect(404, anonymous=401, manager_same_hub=200, staff=200),
        body={"approve": True, "note": "Bienvenida"},
        happened=lambda w, r: (
            OrganizationClaim.objects.get(pk=w.claim.pk).status == ClaimStatus.APPROVED
        ),
    ),
    ("GET", "/people"): Case(lambda w, r: "/people?hub=medellin", expect(200)),
    ("GET", "/people/{person_id}"): Case(lambda w, r: f"/people/{w.person.pk}", expect(200)),
    ("POST", "/people"): Case(
        lambda w, r: "/people",
        expect(403, anonymous=401, manager_same_hub=201, staff=201),
        body={"full_name": "Andrés Gómez", "hub": "medellin", "expertise": ["ai"]},
        happened=lambda w, r: Person.objects.filter(full_name="Andrés Gómez").exists(),
    ),
    ("PATCH", "/people/{person_id}"): Case(
        lambda w, r: f"/people/{w.person.pk}",
        expect(403, anonymous=401, manager_same_hub=200, staff=200),
        body={"headline": "Mentora de fintech"},
        happened=lambda w, r: Person.objects.get(pk=w.person.pk).headline == "Mentora de fintech",
    ),
    ("GET", "/organizations/export"): Case(
        lambda w, r: "/organizations/export?format=csv", expect(200)
    ),
    ("GET", "/people/export"): Case(lambda w, r: "/people/export?format=json", expect(200)),
    ("POST", "/organizations/import"): Case(
        lambda w, r: "/organizations/import",
        # Rows of Medellín: only its managers and staff may write them.
        expect(403, anonymous=401, manager_same_hub=200, manager_other_hub=422, staff=200),
        files={
            "file": (
                "orgs.csv",
                b"external_id,name,type,hub,description,description_language,sectors\n"
                b"imp-1,Cafe Importado,startup,medellin,Trazabilidad,es,agritech\n",
            )
        },
        happened=_organization_named("Cafe Importado"),
    ),
    ("POST", "/people/import"): Case(
        lambda w, r: "/people/import",
        expect(403, anonymous=401, manager_same_hub=200, manager_other_hub=422, staff=200),
        files={
            "file": ("people.csv", b"external_id,full_name,hub\np-1,Lucia Importada,medellin\n")
        },
        happened=lambda w, r: Person.objects.filter(full_name="Lucia Importada").exists(),
    ),
    ("GET", "/spaces"): Case(lambda w, r: "/spaces?hub=medellin", expect(200)),
    ("GET", "/spaces/{space_id}/availability"): Case(
        lambda w, r: (
            f"/spaces/{space_for_table().pk}/availability?from={next_weekday(1)}T00:00&to={next_weekday(1)}T23:59"
        ),
        expect(200),
    ),
    ("POST", "/spaces/{space_id}/bookings"): Case(
        lambda w, r: f"/spaces/{space_for_table().pk}/bookings",
        expect(201, anonymous=401, unverified=403),
        body={
            "start": f"{next_weekday(1)}T10:00",
            "end": f"{next_weekday(1)}T11:00",
            "purpose": "Permisos",
        },
        happened=lambda w, r: Booking.objects.filter(purpose="Permisos").exists(),
    ),
    ("DELETE", "/bookings/{booking_id}"): Case(
        lambda w, r: f"/bookings/{booking_for_table(w.user('org_member')).pk}",
        expect(404, anonymous=401, org_member=204, manager_same_hub=204, staff=204),
        happened=lambda w, r: Booking.objects.filter(status=BookingStatus.CANCELLED).exists(),
    ),
    ("POST", "/bookings/{booking_id}/decision"): Case(
        lambda w, r: (
            f"/bookings/{booking_for_table(w.user('org_member'), tentative=True).pk}/decision"
        ),
        expect(404, anonymous=401, org_member=403, manager_same_hub=200, staff=200),
        body={"approve": True},
        happened=lambda w, r: Booking.objects.filter(status=BookingStatus.APPROVED).exists(),
    ),
    ("GET", "/me"): Case(lambda w, r: "/me", expect(200, anonymous=401)),
    ("PUT", "/me/email-topics"): Case(
        lambda w, r: "/me/email-topics",
        expect(200, anonymous=401),
        body={"topics": ["requests"]},
        happened=lambda w, r: (
            w.users[r] is not None
            and User.objects.get(pk=w.users[r].pk).emails_off
            == ["schedule", "reminders", "announcements"]
        ),
    ),
    ("GET", "/tokens"): Case(lambda w, r: "/tokens", expect(200, anonymous=401)),
    ("POST", "/tokens"): Case(
        lambda w, r: "/tokens",
        expect(201, anonymous=401, unverified=403),
        body={"name": "Integración CRM"},
        happened=lambda w, r: ApiToken.objects.filter(name="Integración CRM").exists(),
    ),
    ("GET", "/impact/kpis"): Case(
        lambda w, r: "/impact/kpis?quarter=2026-Q3&hub=medellin&direction=medellin-miami",
        expect(403, anonymous=401, manager_same_hub=200, manager_other_hub=200, staff=200),
    ),
    ("GET", "/impact/kpis/{code}/records"): Case(
        lambda w, r: "/impact/kpis/companies_landed/records?quarter=2026-Q3",
        expect(403, anonymous=401, manager_same_hub=200, manager_other_hub=200, staff=200),
    ),
    ("PUT", "/impact/targets"): Case(
        lambda w, r: "/impact/targets",
        expect(403, anonymous=401, manager_same_hub=200, staff=200),
        body={"kpi": "companies_landed", "quarter": "2026-Q3", "hub": "medellin", "value": "12"},
        happened=lambda w, r: KpiTarget.objects.filter(kpi="companies_landed", value=12).exists(),
    ),
    ("GET", "/impact/indicators"): Case(lambda w, r: "/impact/indicators", expect(200)),
    ("GET", "/impact/guides"): Case(lambda w, r: "/impact/guides?q=visa", expect(200)),
    ("DELETE", "/tokens/{token_id}"): Case(
        _new_token_id,
        expect(204, anonymous=401),
        happened=lambda w, r: ApiToken.objects.filter(
            name="to revoke", revoked_at__isnull=False
        ).exists(),
    ),
    **marketplace_rows(Case, expect),
    # Soft-landing programs (tests/landing/api_world.py): the world's organization has a draft
    # in call A, a submitted application reviewed by the mentor in call B, a case file in C.
    ("GET", "/landing/programs"): Case(lambda w, r: "/landing/programs", expect(200)),
    ("GET", "/landing/programs/{program_id}"): Case(
        lambda w, r: f"/landing/programs/{landing_objects(w).program.pk}", expect(200)
    ),
    ("GET", "/landing/calls/{call_id}"): Case(
        lambda w, r: f"/landing/calls/{landing_objects(w).call_a.pk}", expect(200)
    ),
    ("GET", "/landing/calls/{call_id}/ranking"): Case(
        lambda w, r: f"/landing/calls/{landing_objects(w).call_b.pk}/ranking",
        expect(403, anonymous=401, manager_same_hub=200, staff=200),
    ),
    ("GET", "/landing/applications"): Case(
        lambda w, r: "/landing/applications", expect(200, anonymous=401)
    ),
    ("POST", "/landing/calls/{call_id}/applications"): Case(
        lambda w, r: f"/landing/calls/{landing_objects(w).call_a.pk}/applications",
        # Only members of the organization apply for it; everyone else is refused.
        expect(403, anonymous=401, org_member=200, org_admin=200),
        body={"answers": {"pitch": "Tostadores de Medellín en Miami"}},
        happened=lambda w, r: Application.objects.filter(
            answers__pitch="Tostadores de Medellín en Miami"
        ).exists(),
    ),
    ("GET", "/landing/applications/{application_id}"): Case(
        lambda w, r: f"/landing/applications/{landing_objects(w).draft.pk}",
        # The applicant's own and the program hub's managers; for others it does not exist.
        expect(404, anonymous=401, org_member=200, org_admin=200, manager_same_hub=200, staff=200),
    ),
    ("POST", "/landing/applications/{application_id}/submission"): Case(
        lambda w, r: f"/landing/applications/{landing_objects(w).draft.pk}/submission",
        expect(404, anonymous=401, org_member=200, org_admin=200, manager_same_hub=403, staff=403),
        happened=lambda w, r: (
            Application.objects.get(pk=landing_objects(w).draft.pk).state == "submitted"
        ),
    ),
    ("GET", "/landing/reviews"): Case(lambda w, r: "/landing/reviews", expect(200, anonymous=401)),
    ("POST", "/landing/reviews/{review_id}"): Case(
        lambda w, r: f"/landing/reviews/{landing_objects(w).review.pk}",
        # Only the assigned reviewer: for everyone else the review does not exist.
        expect(404, anonymous=401, mentor=200),
        body={"marks": {}, "abstain": True},
        happened=lambda w, r: (
            Review.objects.get(pk=landing_objects(w).review.pk).submitted_at is not None
        ),
    ),
    ("GET", "/landing/screening-votes"): Case(
        lambda w, r: "/landing/screening-votes", expect(200, anonymous=401)
    ),
    ("POST", "/landing/screening-votes/{vote_id}"): Case(
        lambda w, r: f"/landing/screening-votes/{landing_objects(w).screening_vote.pk}",
        # Only the assigned screener: for everyone else the vote does not exist.
        expect(404, anonymous=401, mentor=200),
        body={"choice": "pass", "note": "Cumple"},
        happened=lambda w, r: (
            ScreeningVote.objects.get(pk=landing_objects(w).screening_vote.pk).choice == "pass"
        ),
    ),
    ("POST", "/landing/case-files/{case_file_id}/milestones"): Case(
        lambda w, r: f"/landing/case-files/{landing_objects(w).case_file.pk}/milestones",
        # Managers of either hub and the company's admins; a plain member sees it but may not.
        expect(
            404,
            anonymous=401,
            org_member=403,
            org_admin=201,
            manager_same_hub=201,
            manager_other_hub=201,
            staff=201,
        ),
        body={"title_en": "Office lease", "title_es": "Contrato de oficina"},
        happened=lambda w, r: Milestone.objects.filter(title_en="Office lease").exists(),
    ),
    ("POST", "/landing/milestones/{milestone_id}/reached"): Case(
        lambda w, r: f"/landing/milestones/{landing_objects(w).milestone.pk}/reached",
        expect(
            404,
            anonymous=401,
            org_member=403,
            org_admin=200,
            manager_same_hub=200,
            manager_other_hub=200,
            staff=200,
        ),
        body={},
        happened=lambda w, r: (
            Milestone.objects.get(pk=landing_objects(w).milestone.pk).reached_on is not None
        ),
    ),
    ("GET", "/landing/case-files/{case_file_id}"): Case(
        lambda w, r: f"/landing/case-files/{landing_objects(w).case_file.pk}",
        # The company, the program's hub (Medellín) and the destination hub (Miami) managers.
        expect(
            404,
            anonymous=401,
            org_member=200,
            org_admin=200,
            manager_same_hub=200,
            manager_other_hub=200,
            staff=200,
        ),
    ),
}


# --- brokerage events -----------------------------------------------------------------------
def _events(world: World) -> SimpleNamespace:
    """An open event where Café Trazable (the world's organization) received a request, and a
    published one where it has a placed meeting; built once per world."""
    cached = getattr(world, "events", None)
    if cached is not None:
        return cached
    other = OrganizationFactory(name="Coral Pay", hub=hub("miami"))
    other_admin = make_member(other, role=MembershipRole.ADMIN)
    open_event = make_event(slug="rueda-abierta")
    published = make_event(slug="rueda-publicada", status=EventStatus.PUBLISHED)
    ours = register(open_event, world.organization, user=world.user("org_admin"))
    theirs = register(open_event, other, user=other_admin)
    third = register(open_event)
    request = pending_request(theirs, ours)
    meeting = accepted_meeting(
        register(published, world.organization, user=world.user("org_admin")),
        register(published, other, user=other_admin),
    )
    meeting.slot, meeting.table = published.slots.first(), 1
    meeting.save()
    events = SimpleNamespace(
        open=open_event, published=published, request=request, third=third, meeting=meeting
    )
    world.events = events  # type: ignore[attr-defined]
    return events


def _registered(world: World, role: str) -> bool:
    user = world.users[role]
    return Participant.objects.filter(
        event=_events(world).open, user=user, organization__isnull=True
    ).exists()


def _request_status(status: str) -> Callable[[World, str], bool]:
    return lambda world, role: (
        MeetingRequest.objects.get(pk=_events(world).request.pk).status == status
    )


# Only the world organization's members speak for its registrations; hub organizers can see
# a request (so they get 403, not 404) but only the asked side may answer it.
_SPEAKERS = {"org_member": 200, "org_admin": 200}

TABLE.update(
    {
        ("GET", "/events"): Case(lambda w, r: "/events", expect(200)),
        ("GET", "/events/{event_id}"): Case(
            lambda w, r: f"/events/{_events(w).open.pk}", expect(200)
        ),
        ("GET", "/events/{event_id}/participants"): Case(
            lambda w, r: f"/events/{_events(w).open.pk}/participants", expect(200)
        ),
        ("POST", "/events/{event_id}/participants"): Case(
            lambda w, r: f"/events/{_events(w).open.pk}/participants",
            expect(201, anonymous=401, unverified=403, org_member=409, org_admin=409),
            body={"offer": "Mentoría en pagos", "language": "es"},
            happened=_registered,
        ),
        ("GET", "/events/{event_id}/requests"): Case(
            lambda w, r: f"/events/{_events(w).open.pk}/requests",
            expect(404, anonymous=401, **_SPEAKERS),
        ),
        ("POST", "/events/{event_id}/participants/{participant_id}/requests"): Case(
            lambda w, r: (
                f"/events/{_events(w).open.pk}/participants/{_events(w).third.pk}/requests"
            ),
            expect(404, anonymous=401, org_member=201, org_admin=201),
            body={"message": "¿Nos vemos?", "priority": 2},
            happened=lambda w, r: MeetingRequest.objects.filter(target=_events(w).third).exists(),
        ),
        ("POST", "/meeting-requests/{request_id}/accept"): Case(
            lambda w, r: f"/meeting-requests/{_events(w).request.pk}/accept",
            expect(404, anonymous=401, manager_same_hub=403, staff=403, **_SPEAKERS),
            body={"message": "Con gusto"},
            happened=_request_status("accepted"),
        ),
        ("POST", "/events/{event_id}/requests/accept-all"): Case(
            lambda w, r: f"/events/{_events(w).open.pk}/requests/accept-all",
            expect(404, anonymous=401, **_SPEAKERS),
            body={},
            happened=_request_status("accepted"),
        ),
        ("POST", "/meeting-requests/{request_id}/decline"): Case(
            lambda w, r: f"/meeting-requests/{_events(w).request.pk}/decline",
            expect(404, anonymous=401, manager_same_hub=403, staff=403, **_SPEAKERS),
            body={},
            happened=_request_status("declined"),
        ),
        ("GET", "/events/{event_id}/agenda"): Case(
            lambda w, r: f"/events/{_events(w).published.pk}/agenda",
            expect(404, anonymous=401, **_SPEAKERS),
        ),
        ("GET", "/events/{event_id}/agenda.ics"): Case(
            lambda w, r: f"/events/{_events(w).published.pk}/agenda.ics",
            expect(404, anonymous=401, **_SPEAKERS),
        ),
        ("POST", "/events/{event_id}/meetings/{meeting_id}/feedback"): Case(
            lambda w, r: (
                f"/events/{_events(w).published.pk}/meetings/{_events(w).meeting.pk}/feedback"
            ),
            expect(404, anonymous=401, **_SPEAKERS),
            body={"held": True, "rating": 4},
            happened=lambda world, role: MeetingFeedback.objects.filter(
                meeting=_events(world).meeting
            ).exists(),
        ),
        ("GET", "/events/{event_id}/results"): Case(
            lambda w, r: f"/events/{_events(w).open.pk}/results",
            expect(403, anonymous=401, manager_same_hub=200, staff=200),
        ),
        ("GET", "/events/{event_id}/announcements"): Case(
            lambda w, r: f"/events/{_events(w).open.pk}/announcements",
            expect(404, anonymous=401, manager_same_hub=200, staff=200, **_SPEAKERS),
        ),
        ("POST", "/events/{event_id}/announcements"): Case(
            lambda w, r: f"/events/{_events(w).open.pk}/announcements",
            expect(403, anonymous=401, manager_same_hub=201, staff=201),
            body=lambda w, r: {"message": f"Bienvenidos ({r})"},
            happened=lambda w, r: Announcement.objects.filter(
                message=f"Bienvenidos ({r})"
            ).exists(),
        ),
        ("POST", "/events/{event_id}/agenda/subscription"): Case(
            lambda w, r: f"/events/{_events(w).published.pk}/agenda/subscription",
            expect(404, anonymous=401, **_SPEAKERS),
            body={},
            happened=lambda world, role: (
                Participant.objects.filter(event=_events(world).published)
                .exclude(calendar_token="")
                .exists()
            ),
        ),
    }
)


def _api_endpoints() -> set[tuple[str, str]]:
    paths = openapi_schema()["paths"]
    prefix = API_PREFIX.rstrip("/")
    return {
        (method.upper(), path.removeprefix(prefix))
        for path, operations in paths.items()
        for method in operations
    }


def test_every_endpoint_of_the_api_is_in_the_permission_table() -> None:
    endpoints = _api_endpoints()
    assert endpoints - set(TABLE) == set(), (
        "add these endpoints to TABLE in tests/api/test_permissions.py"
    )
    assert set(TABLE) - endpoints == set(), "these rows name endpoints the API no longer has"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "endpoint"), sorted(TABLE), ids=[f"{m} {p}" for m, p in sorted(TABLE)]
)
def test_permission(api: ApiClient, world: World, method: str, endpoint: str, role: str) -> None:
    case = TABLE[(method, endpoint)]
    expected = case.expected[role]
    body = case.body(world, role) if callable(case.body) else case.body
    response = api.call(
        method, case.path(world, role), body, token=world.tokens[role], files=case.files
    )
    assert response.status == expected, (role, response.data)
    if expected >= 400:
        assert set(response.data) >= {"code", "message"}
        assert response.data["message"]
    elif expected != 204 and not endpoint.endswith(("/export", ".ics")):
        assert isinstance(response.data, dict)
    if case.happened is not None:
        assert case.happened(world, role) is (expected < 400), (
            f"{role}: the write {'did not happen' if expected < 400 else 'happened anyway'}"
        )
