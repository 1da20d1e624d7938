"""Account pages: sign up, verify the email address, sign in and out, reset a forgotten password."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from puente.accounts import lockout, services
from puente.accounts.forms import (
    NewPasswordForm,
    PasswordResetRequestForm,
    ResendVerificationForm,
    SignInForm,
    SignUpForm,
)
from puente.accounts.models import User
from puente.core.errors import Conflict, DomainError
from puente.core.forms import show_error
from puente.core.redirects import next_path

# After the emailed reset link is opened, its token moves into the session and the browser is
# sent to a URL holding this marker instead, so the token never leaks through Referer headers.
RESET_URL_TOKEN = "set-password"
RESET_SESSION_KEY = "_password_reset_token"
AUTH_BACKEND = "puente.accounts.backends.EmailBackend"


def request_meta(request: HttpRequest) -> services.RequestMeta:
    return services.RequestMeta(
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


def with_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
    )
    return response


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The ``next`` address (posted or in the query) when it is a path on this site."""
    return next_path(request, fallback, from_query=True)


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    form = SignUpForm(_posted(request), initial={"language": (request.LANGUAGE_CODE or "es")[:2]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        hub = data["home_hub"]
        try:
            user = services.user_sign_up(
                email=data["email"],
                password=data["password"],
                full_name=data["full_name"],
                language=data["language"],
                time_zone=data["time_zone"] or hub.time_zone,
                home_hub=hub,
                consents=form.consents(),
                meta=request_meta(request),
            )
        except DomainError as error:
            show_error(form, error)
        else:
            request.session["pending_verification_email"] = user.email
            return with_language_cookie(redirect("accounts:verification_sent"), user.language)
    return render(request, "accounts/sign_up.html", {"form": form})


def verification_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/verification_sent.html",
        {"email": request.session.get("pending_verification_email", "")},
    )


def verify_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = services.user_verify_email(uidb64=uidb64, token=token)
    except DomainError as error:
        return render(
            request,
            "accounts/verification_failed.html",
            {"message": error.message, "form": ResendVerificationForm()},
            status=400,
        )
    login(request, user, backend=AUTH_BACKEND)
    messages.success(request, _("Your email address is confirmed. Welcome to Puente!"))
    return with_language_cookie(redirect("core:home"), user.language)


def resend_verification(request: HttpRequest) -> HttpResponse:
    """Send the confirmation link again: to the signed-in user, or to an address typed in."""
    if request.user.is_authenticated:
        return _resend_to_signed_in_user(request)
    form = ResendVerificationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if user is not None:
            # Already verified or asked too recently: the answer must not tell.
            with contextlib.suppress(DomainError):
                services.user_resend_verification(user=user)
        # The same answer whether or not the address has an account.
        request.session["pending_verification_email"] = form.cleaned_data["email"]
        return redirect("accounts:verification_sent")
    return render(request, "accounts/resend_verification.html", {"form": form})


def _resend_to_signed_in_user(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if request.method != "POST":
        return render(
            request,
            "accounts/resend_verification.html",
            {"form": None, "next": safe_next(request, "")},
        )
    try:
        services.user_resend_verification(user=user)
    except Conflict as error:
        messages.info(request, error.message)
    except DomainError as error:
        messages.warning(request, error.message)
    else:
        messages.success(
            request,
            _("We sent a new confirmation link to %(email)s. It works for three days.")
            % {"email": user.email},
        )
    return HttpResponseRedirect(safe_next(request, reverse("core:home")))


def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url)
    form = SignInForm(_posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = lockout.authenticate_with_lockout(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                meta=request_meta(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
            status = 429 if error.code == "locked_out" else 200
        else:
            login(request, user, backend=AUTH_BACKEND)
            if not user.is_verified:
                messages.warning(
                    request,
                    _(
                        "Confirm your email address to use everything Puente offers: check your inbox."
                    ),
                )
            return with_language_cookie(HttpResponseRedirect(next_url), user.language)
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url}, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("core:home")


# --- Forgotten password ----------------------------------------------------------------------


def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(
            email=form.cleaned_data["email"], meta=request_meta(request)
        )
        # The same answer whether or not the address has an account.
        request.session["password_reset_email"] = form.cleaned_data["email"]
        return redirect("accounts:password_reset_sent")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/password_reset_sent.html",
        {"email": request.session.get("password_reset_email", "")},
    )


def _reset_link_invalid(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/password_reset_invalid.html",
        {"form": PasswordResetRequestForm()},
        status=400,
    )


@never_cache
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    if token != RESET_URL_TOKEN:
        if services.password_reset_user(uidb64=uidb64, token=token) is None:
            return _reset_link_invalid(request)
        request.session[RESET_SESSION_KEY] = token
        return redirect("accounts:password_reset_confirm", uidb64=uidb64, token=RESET_URL_TOKEN)
    session_token = request.session.get(RESET_SESSION_KEY, "")
    user = (
        services.password_reset_user(uidb64=uidb64, token=session_token)
        if isinstance(session_token, str)
        else None
    )
    if user is None:
        return _reset_link_invalid(request)
    form = NewPasswordForm(user, _posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_password_reset(
                uidb64=uidb64,
                token=session_token,
                new_password=form.cleaned_data["new_password"],
                meta=request_meta(request),
            )
        except DomainError as error:
            show_error(form, error)
        else:
            del request.session[RESET_SESSION_KEY]
            if request.user.is_authenticated and request.user.pk == user.pk:
                update_session_auth_hash(request, user)
            request.session["password_reset_done_email"] = user.email
            return redirect("accounts:password_reset_done")
    return render(
        request, "accounts/password_reset_confirm.html", {"form": form, "reset_user": user}
    )


def password_reset_done(request: HttpRequest) -> HttpResponse:
    email = request.session.pop("password_reset_done_email", "")
    return render(request, "accounts/password_reset_done.html", {"email": email})
