"""Account journeys in the browser: sign up in Spanish, confirm by email, sign out and in, be
locked out after five wrong passwords; create an API token and copy it."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from playwright.sync_api import expect

from puente.accounts.models import ApiToken, User
from tests.factories import UserFactory

PASSWORD = "cafetales del quindio 2026"


def sign_in(page: Any, email: str, password: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_load_state()


def sign_out(page: Any) -> None:
    page.locator("details.menu summary").click()
    page.locator('form[action="/accounts/sign-out/"] button').click()
    page.wait_for_load_state()


def test_sign_up_confirm_sign_out_sign_in_and_lockout_in_spanish(new_page: Any) -> None:
    mail.outbox.clear()
    page = new_page("es")
    page.goto("/accounts/sign-up/")
    assert page.get_by_role("heading", level=1).inner_text() == "Únete a la red"
    page.get_by_label("Nombre completo").fill("Valentina Gómez")
    page.get_by_label("Correo electrónico").fill("valentina@cafetal.co")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_label("Tu nodo").select_option("medellin")
    page.get_by_label("Gestionar mi cuenta y mi perfil en el directorio").check()
    page.get_by_label("Sugerirme conexiones y presentaciones").check()
    page.get_by_role("button", name="Crear cuenta").click()
    page.wait_for_url("**/accounts/sign-up/check-your-email/")
    assert page.get_by_role("heading", level=1).inner_text() == "Revisa tu correo"
    assert "valentina@cafetal.co" in page.locator("main").inner_text()

    user = User.objects.get(email="valentina@cafetal.co")
    assert user.time_zone == "America/Bogota"  # from the browser
    assert set(user.consents.filter(granted=True).values_list("purpose", flat=True)) == {
        "account",
        "matching",
    }
    [message] = mail.outbox
    assert message.subject == "Confirma tu correo electrónico para Puente"
    link = re.search(r"https?://\S+(/accounts/verify/\S+/)", message.body)
    assert link, message.body

    page.goto(link.group(1))
    page.wait_for_url(re.compile(r".*/$"))
    assert (
        "Tu correo electrónico está confirmado. ¡Te damos la bienvenida a Puente!"
        in page.locator(".messages").inner_text()
    )
    assert page.locator("details.menu summary").inner_text().strip().endswith("Valentina")
    user.refresh_from_db()
    assert user.is_verified

    sign_out(page)
    assert page.locator("details.menu").count() == 0

    sign_in(page, "valentina@cafetal.co", PASSWORD)
    assert page.locator("details.menu summary").inner_text().strip().endswith("Valentina")
    sign_out(page)

    for _ in range(4):
        sign_in(page, "valentina@cafetal.co", "no es mi contraseña")
        assert (
            "El correo electrónico o la contraseña no son correctos."
            in page.get_by_role("alert").inner_text()
        )
    sign_in(page, "valentina@cafetal.co", "no es mi contraseña")
    alert = page.get_by_role("alert").inner_text()
    assert (
        "Demasiados intentos fallidos de inicio de sesión. Vuelve a intentarlo en 15 minutos"
        in alert
    )
    # Even the right password is refused while locked.
    sign_in(page, "valentina@cafetal.co", PASSWORD)
    assert "Demasiados intentos fallidos" in page.get_by_role("alert").inner_text()
    assert page.locator("details.menu").count() == 0
    assert page.get_by_role("link", name="¿Olvidaste tu contraseña?").is_visible()


def test_create_an_api_token_copy_it_and_never_see_it_again(new_page: Any) -> None:
    UserFactory(email="dev@example.org", full_name="Dev Ops", language="en")
    page = new_page("en")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill("dev@example.org")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    page.locator("details.menu summary").click()
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Token name").fill("CRM sync")
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_label("Token secret").input_value()
    assert secret.startswith("pnt_")
    assert ApiToken.objects.get().key_hint == secret[:12]
    page.get_by_role("button", name="Copy").click()
    # The clipboard write is asynchronous: wait for the status rather than read it at once.
    expect(page.locator("[data-copy-status]")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == secret

    page.reload()
    assert secret not in page.content()
    page.get_by_role("link", name="Revoke CRM sync").click()
    page.get_by_role("button", name="Revoke the token").click()
    assert "is revoked" in page.locator(".messages").inner_text()
    assert ApiToken.objects.get().revoked_at is not None
