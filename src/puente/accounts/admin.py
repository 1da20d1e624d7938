"""Back office for accounts: staff appoint hub managers on the user page; roles and tokens go
through the services, so every change is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from puente.accounts import services
from puente.accounts.models import ApiToken, Consent, HubRole, LoginAttempt, User


class HubRoleInline(admin.TabularInline):
    model = HubRole
    extra = 0
    fields = ["hub", "role", "granted_at"]
    readonly_fields = ["granted_at"]
    verbose_name = _("hub role")
    verbose_name_plural = _("Hub roles (hub managers curate the directory and review claims)")


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    readonly_fields = [
        "purpose",
        "policy_version",
        "granted",
        "recorded_at",
        "ip_address",
        "user_agent",
    ]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "home_hub",
        "language",
        "is_staff",
        "email_verified_at",
        "date_joined",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "home_hub", "language"]
    search_fields = ["email", "full_name"]
    inlines = [HubRoleInline, ConsentInline]
    readonly_fields = [
        "last_login",
        "date_joined",
        "verification_sent_at",
        "password_reset_sent_at",
    ]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {"fields": ("full_name", "language", "time_zone", "home_hub", "email_verified_at")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (
            _("Dates"),
            {
                "fields": (
                    "last_login",
                    "date_joined",
                    "verification_sent_at",
                    "password_reset_sent_at",
                )
            },
        ),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if formset.model is not HubRole:
            super().save_formset(request, form, formset, change)
            return
        actor = request.user
        assert isinstance(actor, User)
        user = form.instance
        formset.save(commit=False)
        for hub_role in formset.deleted_objects:
            services.hub_role_revoke(hub_role=hub_role, actor=actor)
        for hub_role, _changed in formset.changed_objects:
            # A changed row is the old role taken away and the new one given.
            original = HubRole.objects.get(pk=hub_role.pk)
            services.hub_role_revoke(hub_role=original, actor=actor)
            services.hub_role_grant(user=user, hub=hub_role.hub, role=hub_role.role, actor=actor)
        for hub_role in formset.new_objects:
            services.hub_role_grant(user=user, hub=hub_role.hub, role=hub_role.role, actor=actor)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owners (the secret is shown only to them); staff can revoke."""

    list_display = ["name", "user", "key_hint", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__email", "key_hint"]
    readonly_fields = ["user", "name", "key_hint", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        actor = request.user
        assert isinstance(actor, User)
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            services.api_token_revoke(token=token, actor=actor)
        self.message_user(
            request,
            ngettext("%(count)s token revoked.", "%(count)s tokens revoked.", len(tokens))
            % {"count": len(tokens)},
            messages.SUCCESS,
        )


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    list_display = ["email", "ip_address", "at"]
    search_fields = ["email", "ip_address"]
    readonly_fields = ["email", "ip_address", "at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
