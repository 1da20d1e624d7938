"""Account settings: profile, password, consents and API tokens — each change audited, bad
input refused with a message and no change."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from puente.accounts.models import ApiToken, Consent, LoginAttempt, User
from puente.accounts.services import api_token_create
from puente.core.models import AuditEntry, Hub
from tests.accounts.conftest import PASSWORD, page_text, signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SETTINGS_PAGES = [
    "/accounts/settings/",
    "/accounts/settings/password/",
    "/accounts/settings/emails/",
    "/accounts/settings/consents/",
    "/accounts/settings/tokens/",
    "/accounts/settings/tokens/1/revoke/",
]


@pytest.mark.parametrize("path", SETTINGS_PAGES)
def test_settings_require_sign_in(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/sign-in/?next={path}"


def test_account_menu_links_to_every_settings_page(user_client: Client) -> None:
    text = page_text(user_client.get("/"))
    for path in SETTINGS_PAGES[:5]:
        assert f'href="{path}"' in text


# --- Profile -------------------------------------------------------------------------------


def profile_data(**changes: Any) -> dict[str, Any]:
    return {
        "full_name": "Ana María Restrepo",
        "language": "en",
        "time_zone": "America/New_York",
        "home_hub": "miami",
        **changes,
    }


def test_profile_change_is_saved_audited_and_switches_the_language(
    user: User, user_client: Client
) -> None:
    page = user_client.get("/accounts/settings/")
    assert 'value="Ana Restrepo"' in page_text(page)
    assert '<option value="America/Bogota" selected>Bogota (UTC\u221205:00)</option>' in page_text(
        page
    )

    response = user_client.post("/accounts/settings/", profile_data())
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    user.refresh_from_db()
    assert (user.full_name, user.language, user.time_zone, user.home_hub) == (
        "Ana María Restrepo",
        "en",
        "America/New_York",
        Hub.objects.get(slug="miami"),
    )
    entry = AuditEntry.objects.get(action="user.update")
    assert entry.actor_id == user.pk
    assert entry.before == {
        "full_name": "Ana Restrepo",
        "home_hub_id": Hub.objects.get(slug="medellin").pk,
        "language": "es",
        "time_zone": "America/Bogota",
    }
    assert entry.after["language"] == "en"

    followed = user_client.get(response["Location"])
    assert '<html lang="en">' in page_text(followed)
    assert "Your profile is saved." in page_text(followed)


def test_unchanged_profile_records_no_audit_entry(user_client: Client) -> None:
    user_client.post(
        "/accounts/settings/",
        profile_data(
            full_name="Ana Restrepo", language="es", time_zone="America/Bogota", home_hub="medellin"
        ),
    )
    assert not AuditEntry.objects.filter(action="user.update").exists()


def test_home_hub_can_be_cleared(user: User, user_client: Client) -> None:
    user_client.post("/accounts/settings/", profile_data(home_hub=""))
    user.refresh_from_db()
    assert user.home_hub is None


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {"time_zone": "Mars/Olympus"}, "Choose a time zone from the list.", id="unknown-zone"
        ),
        pytest.param({"time_zone": ""}, "This field is required.", id="missing-zone"),
        pytest.param(
            {"home_hub": "atlantis"}, "Choose one of the hubs in the list.", id="unknown-hub"
        ),
        pytest.param(
            {"language": "xx"},
            "Select a valid choice. xx is not one of the available choices.",
            id="unknown-language",
        ),
        pytest.param(
            {"full_name": "A" * 151},
            "Ensure this value has at most 150 characters (it has 151).",
            id="oversized-name",
        ),
        pytest.param({"full_name": ""}, "This field is required.", id="missing-name"),
    ],
)
def test_invalid_profile_changes_nothing(
    user: User, english_client: Client, english_user: User, changes: dict[str, Any], expected: str
) -> None:
    before = User.objects.values().get(pk=english_user.pk)
    response = english_client.post("/accounts/settings/", profile_data(**changes))
    assert response.status_code == 200
    assert expected in page_text(response)
    assert User.objects.values().get(pk=english_user.pk) == before
    assert not AuditEntry.objects.filter(action="user.update").exists()


# --- Password ------------------------------------------------------------------------------

NEW = "orquideas de medellin"


def test_change_password_keeps_the_session_and_sends_a_notice(
    user: User, user_client: Client, after_commit: Any
) -> None:
    with after_commit():
        response = user_client.post(
            "/accounts/settings/password/",
            {"current_password": PASSWORD, "new_password": NEW, "new_password_confirm": NEW},
            follow=True,
        )
    assert "Tu contraseña cambió. Te enviamos un aviso por correo." in page_text(response)
    assert response.context["user"].pk == user.pk  # still signed in
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert AuditEntry.objects.filter(action="user.password_change", actor=user).count() == 1
    [notice] = mail.outbox
    assert notice.to == ["ana@example.org"]
    assert notice.subject == "Tu contraseña de Puente cambió"
    assert "(America/Bogota)" in notice.body
    assert "http://testserver/accounts/password/reset/" in notice.body


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            {
                "current_password": "wrong password!",
                "new_password": NEW,
                "new_password_confirm": NEW,
            },
            "Your current password is not correct.",
            id="wrong-current",
        ),
        pytest.param(
            {"current_password": PASSWORD, "new_password": NEW, "new_password_confirm": NEW + "x"},
            "The two passwords do not match.",
            id="mismatch",
        ),
        pytest.param(
            {"current_password": PASSWORD, "new_password": "abc", "new_password_confirm": "abc"},
            "This password is too short.",
            id="short",
        ),
        pytest.param(
            {
                "current_password": PASSWORD,
                "new_password": "qwertyuiop",
                "new_password_confirm": "qwertyuiop",
            },
            "This password is too common.",
            id="common",
        ),
        pytest.param(
            {
                "current_password": PASSWORD,
                "new_password": PASSWORD,
                "new_password_confirm": PASSWORD,
            },
            "Choose a password different from the current one.",
            id="same",
        ),
        pytest.param(
            {"current_password": "", "new_password": NEW, "new_password_confirm": NEW},
            "This field is required.",
            id="missing-current",
        ),
    ],
)
def test_invalid_password_change_changes_nothing(
    english_user: User,
    english_client: Client,
    after_commit: Any,
    data: dict[str, str],
    expected: str,
) -> None:
    with after_commit():
        response = english_client.post("/accounts/settings/password/", data)
    assert response.status_code == 200
    assert expected in page_text(response)
    english_user.refresh_from_db()
    assert english_user.check_password(PASSWORD)
    assert mail.outbox == []


def test_guessing_the_current_password_locks_out(
    english_user: User, english_client: Client
) -> None:
    for _ in range(5):
        response = english_client.post(
            "/accounts/settings/password/",
            {"current_password": "guess guess", "new_password": NEW, "new_password_confirm": NEW},
        )
    assert LoginAttempt.objects.filter(email="john@example.org").count() == 5
    assert response.status_code == 200
    response = english_client.post(
        "/accounts/settings/password/",
        {"current_password": PASSWORD, "new_password": NEW, "new_password_confirm": NEW},
    )
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in page_text(response)
    english_user.refresh_from_db()
    assert english_user.check_password(PASSWORD)


# --- Consents ------------------------------------------------------------------------------


@pytest.fixture
def consenting_user(after_commit: Any) -> User:
    Client().post(
        "/accounts/sign-up/",
        {
            "full_name": "Carla Ruiz",
            "email": "carla@example.org",
            "password": "cafe de origen 2026",
            "home_hub": "medellin",
            "language": "en",
            "consent_account": "on",
            "consent_cross_border": "on",
        },
        REMOTE_ADDR="203.0.113.5",
    )
    return User.objects.get(email="carla@example.org")


def test_consents_page_shows_state_date_and_version_per_purpose(consenting_user: User) -> None:
    text = page_text(signed_in(consenting_user, "en").get("/accounts/settings/consents/"))
    assert text.count(f"policy version {settings.PRIVACY_POLICY_VERSION}") == 4
    assert text.count('<span class="badge badge-verified">Granted</span>') == 2
    assert text.count('<span class="badge">Withdrawn</span>') == 2
    assert (
        'name="granted" value="0">Withdraw<span class="visually-hidden">: Share my profile' in text
    )
    assert 'name="granted" value="1">Grant<span class="visually-hidden">: Suggest matches' in text
    assert 'value="account"' not in text  # the account purpose has no button
    assert text.count("203.0.113.5") == 4  # the history lists the four sign-up decisions


def test_withdraw_and_grant_are_recorded_and_audited(consenting_user: User) -> None:
    client = signed_in(consenting_user, "en")
    response = client.post(
        "/accounts/settings/consents/",
        {"purpose": "cross_border", "granted": "0"},
        REMOTE_ADDR="198.51.100.1",
        follow=True,
    )
    assert (
        "Consent withdrawn: Share my profile with the partner hubs in other countries."
        in page_text(response)
    )
    latest = (
        Consent.objects.filter(user=consenting_user, purpose="cross_border")
        .order_by("-recorded_at", "-id")
        .first()
    )
    assert latest is not None
    assert (latest.granted, latest.ip_address, latest.policy_version) == (
        False,
        "198.51.100.1",
        settings.PRIVACY_POLICY_VERSION,
    )
    client.post("/accounts/settings/consents/", {"purpose": "newsletter", "granted": "1"})
    assert (
        Consent.objects.filter(user=consenting_user, purpose="newsletter")
        .order_by("-recorded_at", "-id")[0]
        .granted
    )
    assert list(
        AuditEntry.objects.filter(actor=consenting_user, action__startswith="consent.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["consent.withdraw", "consent.grant"]
    assert (
        page_text(client.get("/accounts/settings/consents/")).count("<tr>") == 7
    )  # header + 6 decisions


def test_repeating_the_current_decision_records_nothing(consenting_user: User) -> None:
    client = signed_in(consenting_user)
    client.post("/accounts/settings/consents/", {"purpose": "cross_border", "granted": "1"})
    assert Consent.objects.filter(user=consenting_user).count() == 4
    assert not AuditEntry.objects.filter(action__startswith="consent.").exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            {"purpose": "account", "granted": "0"},
            "This purpose cannot be changed here.",
            id="withdraw-account",
        ),
        pytest.param(
            {"purpose": "telepathy", "granted": "1"},
            "This purpose cannot be changed here.",
            id="unknown-purpose",
        ),
        pytest.param(
            {"purpose": "newsletter", "granted": "maybe"},
            "Choose to grant or to withdraw.",
            id="unknown-decision",
        ),
        pytest.param({}, "This field is required.", id="empty"),
    ],
)
def test_invalid_consent_changes_are_refused(
    consenting_user: User, data: dict[str, str], expected: str
) -> None:
    response = signed_in(consenting_user, "en").post("/accounts/settings/consents/", data)
    assert response.status_code == 400
    assert expected in page_text(response)
    assert Consent.objects.filter(user=consenting_user).count() == 4


# --- API tokens ----------------------------------------------------------------------------


def test_new_token_secret_is_shown_once_and_only_its_hash_is_stored(
    user: User, user_client: Client
) -> None:
    created = user_client.post("/accounts/settings/tokens/", {"name": "CRM sync"})
    assert created.status_code == 302  # reloading the next page cannot create a second token
    response = user_client.get(created["Location"])
    assert "no-store" in response["Cache-Control"]
    secret = response.context["created"]["secret"]
    assert secret.startswith("pnt_")
    text = page_text(response)
    assert f'value="{secret}"' in text
    assert "Cópialo ahora: es la única vez que se muestra." in text
    assert 'data-copy-target="new-token-secret"' in text

    token = ApiToken.objects.get(user=user)
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.key_hint == secret[:12]
    assert secret not in str(ApiToken.objects.values().get())
    assert secret not in str(dict(user_client.session.items()))
    from django.contrib.sessions.models import Session

    assert all(secret not in str(session.get_decoded()) for session in Session.objects.all())

    later = page_text(user_client.get("/accounts/settings/tokens/"))
    assert secret not in later
    assert f"<code>{secret[:12]}…</code>" in later
    assert "CRM sync" in later
    assert AuditEntry.objects.filter(action="api_token.create", actor=user).count() == 1


def test_token_works_until_revoked_then_the_api_answers_401_json(
    user: User, user_client: Client
) -> None:
    secret = user_client.post(
        "/accounts/settings/tokens/", {"name": "laptop"}, follow=True
    ).context["created"]["secret"]
    api = Client(HTTP_ACCEPT_LANGUAGE="en")
    me = api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert me.status_code == 200
    assert me.json()["email"] == "ana@example.org"
    token = ApiToken.objects.get(user=user)
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert "Never" not in page_text(signed_in(user, "en").get("/accounts/settings/tokens/"))

    confirm = user_client.get(f"/accounts/settings/tokens/{token.pk}/revoke/")
    assert "¿Revocar el token «laptop»" in page_text(confirm)
    assert (
        ApiToken.objects.get(pk=token.pk).revoked_at is None
    )  # showing the question revokes nothing
    response = user_client.post(f"/accounts/settings/tokens/{token.pk}/revoke/", follow=True)
    assert "El token «laptop» quedó revocado" in page_text(response)
    assert AuditEntry.objects.filter(action="api_token.revoke", actor=user).count() == 1

    refused = api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert refused.status_code == 401
    assert refused["Content-Type"].startswith("application/json")
    assert refused.json() == {
        "code": "invalid_token",
        "message": "The API token is not valid or has been revoked.",
    }


def test_someone_elses_token_cannot_be_seen_or_revoked(user_client: Client) -> None:
    other = UserFactory()
    token, _secret = api_token_create(user=other, name="theirs")
    assert user_client.get(f"/accounts/settings/tokens/{token.pk}/revoke/").status_code == 404
    assert user_client.post(f"/accounts/settings/tokens/{token.pk}/revoke/").status_code == 404
    assert (
        user_client.post("/accounts/settings/tokens/99999999999999999999999/revoke/").status_code
        == 404
    )
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert "theirs" not in page_text(user_client.get("/accounts/settings/tokens/"))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("", "This field is required.", id="empty"),
        pytest.param("    ", "This field is required.", id="blank"),
        pytest.param(
            "n" * 81, "Ensure this value has at most 80 characters (it has 81).", id="oversized"
        ),
    ],
)
def test_invalid_token_names_are_refused(english_client: Client, name: str, expected: str) -> None:
    response = english_client.post("/accounts/settings/tokens/", {"name": name})
    assert response.status_code == 200
    assert expected in page_text(response)
    assert response.context["created"] is None
    assert not ApiToken.objects.exists()


def test_unverified_users_cannot_create_tokens(unverified_user: User) -> None:
    client = signed_in(unverified_user, "en")
    page = page_text(client.get("/accounts/settings/tokens/"))
    assert "Confirm your email address before creating API tokens." in page
    assert 'name="name"' not in page
    response = client.post("/accounts/settings/tokens/", {"name": "sneaky"})
    assert "Confirm your email address before creating API tokens." in page_text(response)
    assert not ApiToken.objects.exists()


def test_a_secret_not_picked_up_in_time_is_never_shown(user: User, user_client: Client) -> None:
    user_client.post("/accounts/settings/tokens/", {"name": "late"})
    session = user_client.session
    pending = session["_new_api_token"]
    session["_new_api_token"] = {**pending, "at": pending["at"] - 301}
    session.save()
    response = user_client.get("/accounts/settings/tokens/")
    assert response.context["created"] is None
    assert pending["secret"] not in page_text(response)
    assert "late" in page_text(response)
    assert "_new_api_token" not in user_client.session


def test_revoked_tokens_stay_listed_as_revoked(
    user: User, english_client: Client, english_user: User
) -> None:
    token, _secret = api_token_create(user=english_user, name="old script")
    english_client.post(f"/accounts/settings/tokens/{token.pk}/revoke/")
    text = page_text(english_client.get("/accounts/settings/tokens/"))
    assert "Revoked " in text
    assert f"/accounts/settings/tokens/{token.pk}/revoke/" not in text
    again = english_client.get(f"/accounts/settings/tokens/{token.pk}/revoke/")
    assert "The token “old script” is already revoked." in page_text(again)


# --- Emails --------------------------------------------------------------------------------


def test_email_topics_are_all_on_until_turned_off_and_audited(
    english_user: User, english_client: Client
) -> None:
    page = page_text(english_client.get("/accounts/settings/emails/"))
    assert page.count('type="checkbox" name="topics"') == 4
    assert page.count("checked") == 4
    answer = english_client.post(
        "/accounts/settings/emails/", {"topics": ["requests", "schedule"]}, follow=True
    )
    assert "Your email choices are saved." in page_text(answer)
    english_user.refresh_from_db()
    assert english_user.emails_off == ["reminders", "announcements"]
    entry = AuditEntry.objects.get(action="user.email_topics")
    assert entry.after == {"emails_off": ["reminders", "announcements"]}
    bad = english_client.post("/accounts/settings/emails/", {"topics": ["spam"]})
    assert bad.status_code == 200
    assert "is not one of the available choices" in page_text(bad)
    english_user.refresh_from_db()
    assert english_user.emails_off == ["reminders", "announcements"]
    english_client.post("/accounts/settings/emails/", {})
    english_user.refresh_from_db()
    assert english_user.emails_off == ["requests", "schedule", "reminders", "announcements"]


def test_a_topic_turned_off_stays_in_the_app_and_essential_emails_still_go(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from puente.core.notifications import notify

    quiet = UserFactory(emails_off=["reminders"])
    loud = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            users=[quiet, loud],
            kind="events.feedback_request",
            params={"event": "Rueda"},
            email_template="events/email/feedback_request",
            email_context={"event": "Rueda"},
            email_topic="reminders",
        )
    assert [m.to for m in mail.outbox] == [[loud.email]]
    assert quiet.notifications.count() == 1  # still in the app
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            users=[quiet],
            kind="events.feedback_request",
            params={"event": "Rueda"},
            email_template="events/email/feedback_request",
            email_context={"event": "Rueda"},
        )
    assert [m.to for m in mail.outbox] == [[quiet.email]]  # no topic: essential


def test_email_topics_through_the_api_match_the_settings_page(english_user: User) -> None:
    from typing import get_args

    from puente.accounts.api import EmailTopicCode
    from puente.accounts.models import EmailTopic
    from tests.api.conftest import ApiClient, token_for

    assert set(get_args(EmailTopicCode)) == set(EmailTopic.values)  # one list of topics
    api = ApiClient(Client())
    token = token_for(english_user)[1]
    assert api.get("/me", token=token).data["email_topics"] == list(EmailTopic.values)
    answer = api.put("/me/email-topics", {"topics": ["announcements"]}, token=token)
    assert answer.status == 200
    assert answer.data == {"topics": ["announcements"]}
    english_user.refresh_from_db()
    assert english_user.emails_off == ["requests", "schedule", "reminders"]
    assert api.put("/me/email-topics", {"topics": ["spam"]}, token=token).status == 422
