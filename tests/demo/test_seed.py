"""The demo seeder: deterministic, believable, one account per role, never seeded twice."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from puente.accounts.models import Consent, ConsentPurpose, HubRole, User
from puente.accounts.viewer import viewer_for
from puente.core.models import AuditEntry
from puente.core.text import sort_key
from puente.demo.models import DemoSeed
from puente.demo.seed import STEPS, DemoRefused, SeedContext, load_steps, seed_demo, seed_step
from puente.demo.seed.accounts import DEMO_PASSWORD, ROLES
from puente.directory.models import MembershipRole, Organization, OrganizationType, Person, Position
from puente.directory.services import organization_search_text, person_search_text
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def fingerprint() -> list[tuple[Any, ...]]:
    """What a visitor would see of the seeded data, without ids or timestamps."""
    organizations = [
        (
            org.name,
            org.type.code,
            org.hub.slug,
            org.description,
            org.description_translation,
            org.profile_visibility,
            org.contact_visibility,
            org.verification_status,
            tuple(org.sectors.values_list("code", flat=True)),
            tuple(org.target_hubs.values_list("slug", flat=True)),
        )
        for org in Organization.objects.select_related("type", "hub").order_by("slug")
    ]
    people = [
        (
            person.full_name,
            person.hub.slug,
            person.bio,
            person.is_mentor,
            tuple(person.positions.values_list("organization__name", "title")),
        )
        for person in Person.objects.select_related("hub").order_by("slug")
    ]
    return [*organizations, *people]


def test_small_demo_has_every_type_in_both_hubs_and_every_role() -> None:
    result = seed_demo(seed=11, size="small")
    assert result.seeded
    for type_code in OrganizationType.values:
        for hub in ("medellin", "miami"):
            assert Organization.objects.filter(type__code=type_code, hub__slug=hub).exists(), (
                type_code,
                hub,
            )
    partners = set(Organization.objects.values_list("name", flat=True))
    assert {
        "Ruta N Medellín",
        "CIC Miami",
        "ACI Medellín",
        "ProColombia",
        "University of Miami Center for Computational Science",
    } <= partners
    assert Person.objects.count() >= 60
    assert [account.role for account in result.accounts] == ROLES


def test_demo_accounts_sign_in_are_verified_and_have_recorded_consent() -> None:
    seed_demo(seed=11, size="small")
    for email in (
        "admin@puente.example",
        "manager.medellin@puente.example",
        "manager.miami@puente.example",
        "org.admin@puente.example",
        "member@puente.example",
        "mentor@puente.example",
    ):
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        assert user.is_verified
        consents = {
            consent.purpose: consent.granted for consent in Consent.objects.filter(user=user)
        }
        assert consents[ConsentPurpose.ACCOUNT] is True
        assert set(consents) == set(ConsentPurpose.values)
    assert User.objects.get(email="admin@puente.example").is_staff
    assert set(HubRole.objects.values_list("user__email", "hub__slug")) == {
        ("manager.medellin@puente.example", "medellin"),
        ("manager.miami@puente.example", "miami"),
    }
    admin = viewer_for(User.objects.get(email="org.admin@puente.example"))
    assert len(admin.admin_organization_ids) == 1
    member = User.objects.get(email="member@puente.example")
    assert member.memberships.get().role == MembershipRole.MEMBER
    mentor = User.objects.get(email="mentor@puente.example")
    assert mentor.person.is_mentor
    assert mentor.person.positions.exists()


def test_same_seed_gives_the_same_data_and_another_seed_other_data() -> None:
    seed_demo(seed=5, size="small")
    first = fingerprint()
    seed_demo(seed=5, size="small", reset=True)
    assert fingerprint() == first
    seed_demo(seed=6, size="small", reset=True)
    assert fingerprint() != first


def test_running_again_does_not_duplicate() -> None:
    seed_demo(seed=3, size="small")
    counts = (
        Organization.objects.count(),
        Person.objects.count(),
        User.objects.count(),
        AuditEntry.objects.count(),
    )
    again = seed_demo(seed=3, size="small")
    assert again.seeded is False
    assert [account.role for account in again.accounts] == ROLES
    assert (
        Organization.objects.count(),
        Person.objects.count(),
        User.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
    assert DemoSeed.objects.count() == 1


def test_a_database_with_other_data_is_never_seeded_or_reset() -> None:
    OrganizationFactory(name="Real company")
    with pytest.raises(DemoRefused):
        seed_demo(seed=1, size="small")
    with pytest.raises(DemoRefused):
        seed_demo(seed=1, size="small", reset=True)
    assert list(Organization.objects.values_list("name", flat=True)) == ["Real company"]


def test_bulk_seeded_records_are_indexed_and_audited_like_service_writes() -> None:
    seed_demo(seed=9, size="small")
    for organization in Organization.objects.select_related("type", "stage"):
        terms = [
            organization.type,
            *([organization.stage] if organization.stage else []),
            *organization.sectors.all(),
            *organization.technologies.all(),
        ]
        assert organization.search_text == organization_search_text(organization, terms)
        assert organization.sort_name == sort_key(organization.name)
    for person in Person.objects.all():
        positions = list(person.positions.select_related("organization"))
        assert person.search_text == person_search_text(person, person.expertise.all(), positions)
        assert person.sort_name == sort_key(person.full_name)
    assert (
        AuditEntry.objects.filter(action="organization.create").count()
        == Organization.objects.count()
    )
    assert AuditEntry.objects.filter(action="person.create").count() == Person.objects.count()
    assert (
        AuditEntry.objects.filter(action="person.position.set").count() == Position.objects.count()
    )
    entry = AuditEntry.objects.filter(action="organization.create").first()
    assert entry is not None
    assert entry.actor is None
    assert "sectors" in (entry.after or {})


def test_demo_is_varied_bilingual_and_connected() -> None:
    seed_demo(seed=2026, size="small")
    organizations = Organization.objects.all()
    assert {"es", "en"} <= set(organizations.values_list("description_language", flat=True))
    assert organizations.exclude(description_translation="").exists()
    reaching = organizations.filter(target_hubs__isnull=False).distinct()
    assert reaching.exists()
    assert all(
        target.pk != organization.hub_id
        for organization in reaching
        for target in organization.target_hubs.all()
    )
    assert Person.objects.filter(is_mentor=True).exists()
    assert len(set(organizations.values_list("profile_visibility", flat=True))) >= 2
    assert len(set(organizations.values_list("verification_status", flat=True))) == 2
    # Invented contact details use the reserved .example domain; the real partners get none.
    invented = organizations.exclude(website="")
    assert (
        invented.filter(website__endswith=".example", email__endswith=".example").count()
        == invented.count()
    )
    assert organizations.get(name="Ruta N Medellín").phone == ""
    assert all(
        person.email.endswith(".example")
        for person in Person.objects.exclude(email="").exclude(user__isnull=False)
    )


def test_full_demo_meets_the_promised_size() -> None:
    result = seed_demo(seed=2026, size="full")
    assert result.counts["organizations"] >= 300
    assert result.counts["people"] >= 600
    assert Organization.objects.filter(hub__slug="medellin").count() > 100
    assert Organization.objects.filter(hub__slug="miami").count() > 100
    stale = sum(organization.is_stale for organization in Organization.objects.all())
    assert 0 < stale < Organization.objects.count() // 4
    reaching = Organization.objects.filter(target_hubs__isnull=False).distinct().count()
    assert reaching > Organization.objects.count() // 3
    assert result.seconds < 60


def test_new_steps_can_be_registered_and_run_after_the_directory() -> None:
    seen: list[int] = []

    @seed_step("test_extra", order=900)
    def extra(context: SeedContext) -> None:
        seen.append(len(context.shared["organizations"]))
        context.counts["extra"] = 1

    try:
        assert [step.name for step in load_steps()][-1] == "test_extra"
        result = seed_demo(seed=4, size="small")
        assert seen == [result.counts["organizations"]]
        assert result.counts["extra"] == 1
    finally:
        STEPS.pop("test_extra")


def test_demo_command_prints_the_url_and_accounts_and_serves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    served: list[int] = []
    monkeypatch.setattr("puente.demo.management.commands.demo.serve", served.append)
    out = io.StringIO()
    call_command("demo", "--size", "small", "--port", "8133", "--language", "en", stdout=out)
    text = out.getvalue()
    assert "Seeded the demo (seed 2026)" in text
    assert (
        f"Open http://127.0.0.1:8133/ and sign in with one of these accounts (password: {DEMO_PASSWORD}):"
        in text
    )
    for line in (
        "Hub manager, Medellín  manager.medellin@puente.example",
        "Mentor",
        "admin@puente.example",
    ):
        assert line in text
    assert served == [8133]

    out = io.StringIO()
    call_command("demo", "--no-serve", "--language", "en", stdout=out)
    assert (
        "The demo data is already there (seed 2026); nothing was added. Use --reset to start again."
        in out.getvalue()
    )
    assert served == [8133]


def test_demo_command_refuses_bad_ports_and_foreign_databases(settings: Any) -> None:
    with pytest.raises(CommandError) as error:
        call_command("demo", "--no-serve", "--port", "99999", "--language", "en")
    assert str(error.value) == "The port must be a number between 1 and 65535, not “99999”."
    settings.PORT = 8134
    OrganizationFactory()
    with pytest.raises(CommandError) as error:
        call_command("demo", "--no-serve", "--language", "en", stdout=io.StringIO())
    assert str(error.value).startswith(
        "This database already holds data that the demo did not create"
    )


def test_serve_uses_port_from_settings(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(
        "puente.demo.management.commands.serve.call_command",
        lambda *args, **kwargs: calls.append((args, kwargs)),
    )
    settings.PORT = 8135
    call_command("serve", "--language", "en", stdout=io.StringIO())
    assert calls == [
        (("runserver", "127.0.0.1:8135"), {"use_reloader": False, "use_threading": True})
    ]
    with pytest.raises(CommandError):
        call_command("serve", "--port", "http", "--language", "en")


def test_demo_has_bilingual_opportunities_and_introductions_in_every_state() -> None:
    from puente.introductions.models import Introduction, IntroductionStatus
    from puente.marketplace.models import Opportunity, Status
    from puente.matching.selectors import opportunity_matches

    seed_demo(seed=11, size="small")
    request = Opportunity.objects.get(external_id="demo-agritech-seed-request")
    offer = Opportunity.objects.get(external_id="demo-agritech-seed-offer")
    assert (request.language, request.hub.slug, request.side) == ("es", "medellin", "request")
    assert (offer.language, offer.hub.slug, offer.side, offer.organization.type.code) == (
        "en",
        "miami",
        "offer",
        "investor",
    )
    admin = User.objects.get(email="org.admin@puente.example")
    assert request.organization_id in viewer_for(admin).organization_ids
    assert set(Opportunity.objects.values_list("hub__slug", flat=True)) == {
        "medellin",
        "miami",
    }
    assert set(Opportunity.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    states = set(Introduction.objects.values_list("status", flat=True))
    assert {
        IntroductionStatus.PENDING,
        IntroductionStatus.ACCEPTED,
        IntroductionStatus.DECLINED,
    } <= states
    assert Introduction.objects.filter(brokered_by__isnull=False).exists()
    matches = opportunity_matches(viewer_for(admin), request, limit=10)
    assert ("opportunity", offer.pk) in [(match.item_type, match.id) for match in matches]


def test_demo_has_impact_activity_indicators_and_guides_for_both_hubs() -> None:
    from django.utils import timezone

    from puente.impact.computation import Quarter
    from puente.impact.models import ActivityRecord, Guide, IndicatorValue
    from puente.impact.selectors import Scope, kpi_dashboard

    seed_demo(seed=2026, size="small")
    assert set(ActivityRecord.objects.values_list("hub__slug", flat=True).distinct()) == {
        "medellin",
        "miami",
    }
    assert IndicatorValue.objects.filter(area="Colombia", year=2019).exists()
    assert IndicatorValue.objects.filter(is_target=True, area="Medellín", year=2021).exists()
    assert Guide.objects.filter(hub__slug="medellin").exists()
    assert Guide.objects.filter(hub__slug="miami").exists()
    staff = User.objects.get(email="admin@puente.example")
    quarter = Quarter.of_date(timezone.now().date()).previous()
    board = kpi_dashboard(viewer_for(staff), quarter=quarter, scope=Scope())
    assert board.row("companies_landed").value.value > 0
    assert board.row("investment_mobilized").value.value > 0
    assert board.row("people_active").value.value > 0


def test_demo_has_an_upcoming_brokerage_event_and_last_edition_with_feedback() -> None:
    from django.utils import timezone

    from puente.events.models import Event, EventStatus, MeetingFeedback, Participant
    from puente.events.selectors import event_over
    from puente.impact.models import ActivityRecord

    seed_demo(seed=2026, size="small")
    events = {event.slug: event for event in Event.objects.all()}
    upcoming = events["rueda-de-negocios-medellin-miami"]
    past = events["rueda-de-negocios-miami-medellin"]
    assert upcoming.status == past.status == EventStatus.PUBLISHED
    assert not event_over(upcoming)
    assert event_over(past)
    assert past.hub.slug == "miami"
    assert MeetingFeedback.objects.filter(meeting__event=past).count() > 5
    assert not MeetingFeedback.objects.filter(meeting__event=upcoming).exists()
    assert Participant.objects.filter(event=past, checked_in_at__isnull=False).exists()
    # Funders see the past edition's meetings as held, not the coming ones.
    held = ActivityRecord.objects.filter(kind="meeting_held", source_type="events.meeting")
    assert held.exists()
    assert not held.filter(occurred_at__gt=timezone.now()).exists()
    # Attendees never borrow the organizer's name.
    managers = set(HubRole.objects.values_list("user__full_name", flat=True))
    attendees = Participant.objects.filter(event__in=[upcoming, past])
    assert all(p.attendees not in managers for p in attendees)
    # The coming edition has the organizers' messages, older first in time, on its page.
    from puente.events.selectors import announcements_of

    messages = announcements_of(upcoming)
    assert len(messages) == 2
    assert messages[0].created_at > messages[1].created_at
    assert all(" / " in m.message for m in messages)  # both languages
    assert not announcements_of(past)
