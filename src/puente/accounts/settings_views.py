"""Account settings pages of the signed-in user: profile, password, consents, API tokens."""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from puente.accounts import selectors, services
from puente.accounts.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    ConsentChangeForm,
    EmailTopicsForm,
    ProfileForm,
)
from puente.accounts.models import ConsentPurpose, EmailTopic, User
from puente.accounts.views import request_meta, with_language_cookie
from puente.core.errors import DomainError
from puente.core.forms import show_error

NEW_TOKEN_SESSION_KEY = "_new_api_token"
# A secret not picked up by the page right after creation is dropped rather than shown later.
NEW_TOKEN_SHOWN_FOR_SECONDS = 300


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _render(
    request: HttpRequest, template: str, section: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, {"section": section, **context}, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ProfileForm.for_user(user, _posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update_profile(
                user=user,
                actor=user,
                full_name=data["full_name"],
                language=data["language"],
                time_zone=data["time_zone"],
                home_hub=data["home_hub"],
            )
        except DomainError as error:
            show_error(form, error)
        else:
            # Say it in the language just chosen: the next page will be in it too.
            with translation.override(user.language):
                messages.success(request, _("Your profile is saved."))
            return with_language_cookie(redirect("accounts:settings_profile"), user.language)
    return _render(request, "accounts/settings/profile.html", "profile", {"form": form})


@login_required
def emails(request: HttpRequest) -> HttpResponse:
    """Which notifications also come by email; all of them always arrive in the app."""
    user = _user(request)
    on = [topic for topic in EmailTopic.values if topic not in (user.emails_off or [])]
    form = EmailTopicsForm(_posted(request), initial={"topics": on})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_email_topics(
                user=user, actor=user, topics=form.cleaned_data["topics"]
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Your email choices are saved."))
            return redirect("accounts:settings_emails")
    return _render(request, "accounts/settings/emails.html", "emails", {"form": form})


@login_required
def password(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ChangePasswordForm(user, _posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.user_change_password(
                user=user,
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
                meta=request_meta(request),
            )
        except DomainError as error:
            show_error(form, error)
            status = 429 if error.code == "locked_out" else 200
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password is changed. We emailed you a notice."))
            return redirect("accounts:settings_password")
    return _render(
        request, "accounts/settings/password.html", "password", {"form": form}, status=status
    )


@login_required
def consents(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    status = 200
    if request.method == "POST":
        form = ConsentChangeForm(request.POST)
        if form.is_valid():
            purpose, granted = form.cleaned_data["purpose"], form.cleaned_data["granted"]
            try:
                services.consent_record(
                    user=user, purpose=purpose, granted=granted, meta=request_meta(request)
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                label = ConsentPurpose(purpose).label
                if granted:
                    messages.success(
                        request, _("Consent granted: %(purpose)s.") % {"purpose": label}
                    )
                else:
                    messages.success(
                        request, _("Consent withdrawn: %(purpose)s.") % {"purpose": label}
                    )
            return redirect("accounts:settings_consents")
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, str(message))
        status = 400
    context = {"states": selectors.consent_states(user), "history": selectors.consent_history(user)}
    return _render(request, "accounts/settings/consents.html", "consents", context, status=status)


def _take_new_token(request: HttpRequest, user: User) -> dict[str, Any] | None:
    """The token created just before this page with its secret, removed from the session."""
    pending = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    if not isinstance(pending, dict) or not isinstance(pending.get("id"), int):
        return None
    if time.time() - float(pending.get("at", 0)) >= NEW_TOKEN_SHOWN_FOR_SECONDS:
        return None
    token = selectors.api_tokens_of(user).filter(pk=pending["id"], revoked_at__isnull=True).first()
    if token is None:
        return None
    return {"token": token, "secret": str(pending.get("secret", ""))}


@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ApiTokenForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.api_token_create(user=user, name=form.cleaned_data["name"])
        except DomainError as error:
            show_error(form, error)
        else:
            # Post/redirect/get, so reloading the page cannot create a second token. The secret
            # waits in the session only until the very next page, which takes it out.
            request.session[NEW_TOKEN_SESSION_KEY] = {
                "id": token.pk,
                "secret": secret,
                "at": time.time(),
            }
            return redirect("accounts:settings_tokens")
    context = {
        "form": form,
        "tokens": selectors.api_tokens_of(user),
        "created": _take_new_token(request, user),
    }
    return _render(request, "accounts/settings/tokens.html", "tokens", context)


@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = _user(request)
    token = selectors.api_token_for_user(user, token_id)
    if request.method == "POST":
        services.api_token_revoke(token=token, actor=user)
        messages.success(
            request,
            _("The token “%(name)s” is revoked; programs using it can no longer connect.")
            % {"name": token.name},
        )
        return redirect("accounts:settings_tokens")
    return _render(request, "accounts/settings/token_revoke.html", "tokens", {"token": token})
