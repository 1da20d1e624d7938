from django.urls import path

from puente.accounts import settings_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-up/", views.sign_up, name="signup"),
    path("sign-up/check-your-email/", views.verification_sent, name="verification_sent"),
    path("verify/<str:uidb64>/<str:token>/", views.verify_email, name="verify"),
    path("verify/resend/", views.resend_verification, name="resend_verification"),
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_sent, name="password_reset_sent"),
    path("password/reset/done/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<str:uidb64>/<str:token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("settings/", settings_views.profile, name="settings_profile"),
    path("settings/password/", settings_views.password, name="settings_password"),
    path("settings/emails/", settings_views.emails, name="settings_emails"),
    path("settings/consents/", settings_views.consents, name="settings_consents"),
    path("settings/tokens/", settings_views.tokens, name="settings_tokens"),
    path(
        "settings/tokens/<int:token_id>/revoke/",
        settings_views.token_revoke,
        name="settings_token_revoke",
    ),
]
