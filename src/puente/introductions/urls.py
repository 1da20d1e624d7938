from django.urls import path

from puente.introductions import views

app_name = "introductions"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("request/", views.introduction_request, name="request"),
    path("broker/", views.introduction_broker, name="broker"),
    path("<int:pk>/", views.introduction_detail, name="detail"),
    path("<int:pk>/answer/", views.introduction_respond, name="respond"),
    path("<int:pk>/cancel/", views.introduction_cancel, name="cancel"),
    path("<int:pk>/outcomes/", views.outcome_record, name="outcome"),
]
