"""Account pages: sign up, verify the email address, sign in and out."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from puente.accounts import services
from puente.accounts.forms import ResendVerificationForm, SignInForm, SignUpForm
from puente.accounts.models import User
from puente.core.errors import DomainError


def request_meta(request: HttpRequest) -> services.RequestMeta:
    return services.RequestMeta(ip_address=request.META.get("REMOTE_ADDR") or None, user_agent=request.META.get("HTTP_USER_AGENT", ""))


def _with_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax")
    return response


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    form = SignUpForm(request.POST or None, initial={"language": (request.LANGUAGE_CODE or "es")[:2]})
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
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            request.session["pending_verification_email"] = user.email
            return _with_language_cookie(redirect("accounts:verification_sent"), user.language)
    return render(request, "accounts/sign_up.html", {"form": form})


def verification_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/verification_sent.html", {"email": request.session.get("pending_verification_email", "")})


def verify_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = services.user_verify_email(uidb64=uidb64, token=token)
    except DomainError as error:
        return render(request, "accounts/verification_failed.html", {"message": error.message, "form": ResendVerificationForm()}, status=400)
    login(request, user, backend="puente.accounts.backends.EmailBackend")
    messages.success(request, _("Your email address is confirmed. Welcome to Puente!"))
    return _with_language_cookie(redirect("core:home"), user.language)


def resend_verification(request: HttpRequest) -> HttpResponse:
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if user is not None:
            services.user_resend_verification(user=user)
        # The same answer whether or not the address has an account.
        request.session["pending_verification_email"] = form.cleaned_data["email"]
        return redirect("accounts:verification_sent")
    return render(request, "accounts/resend_verification.html", {"form": form})


def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url)
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                user = services.authenticate_with_lockout(email=form.cleaned_data["email"], password=form.cleaned_data["password"], meta=request_meta(request))
            except DomainError as error:
                form.add_error(None, error.message)
                status = 429 if error.code == "locked_out" else 200
            else:
                login(request, user, backend="puente.accounts.backends.EmailBackend")
                if not user.is_verified:
                    messages.warning(request, _("Confirm your email address to use everything Puente offers: check your inbox."))
                return _with_language_cookie(HttpResponseRedirect(next_url), user.language)
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url}, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("core:home")
