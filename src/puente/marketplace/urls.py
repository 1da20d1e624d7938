from django.urls import path

from puente.marketplace import views

app_name = "marketplace"

urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("new/", views.opportunity_create, name="create"),
    path("mine/", views.my_opportunities, name="mine"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/edit/", views.opportunity_edit, name="edit"),
    path("<int:pk>/matches/", views.matches_panel, name="matches"),
    path("<int:pk>/interest/", views.interest_create, name="interest"),
    path(
        "<int:pk>/interest/<int:interest_pk>/withdraw/",
        views.interest_withdraw,
        name="interest_withdraw",
    ),
    path("<int:pk>/<str:action>/", views.opportunity_action, name="action"),
]
