from django.urls import path

from puente.matching import views

app_name = "matching"

urlpatterns = [
    path("", views.search, name="search"),
    path("feedback/", views.feedback, name="feedback"),
]
