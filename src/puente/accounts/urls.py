from django.urls import path

from puente.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-up/", views.sign_up, name="signup"),
    path("sign-up/check-your-email/", views.verification_sent, name="verification_sent"),
    path("verify/<str:uidb64>/<str:token>/", views.verify_email, name="verify"),
    path("verify/resend/", views.resend_verification, name="resend_verification"),
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
]
