from django.urls import path

from puente.directory import views, views_import, views_manage

app_name = "directory"

urlpatterns = [
    path("", views.organization_list, name="organizations"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization"),
    path(
        "organizations/<slug:slug>/edit/", views_manage.organization_edit, name="organization_edit"
    ),
    path(
        "organizations/<slug:slug>/confirm/",
        views_manage.organization_confirm,
        name="organization_confirm",
    ),
    path(
        "organizations/<slug:slug>/verification/",
        views_manage.organization_verification,
        name="organization_verification",
    ),
    path(
        "organizations/<slug:slug>/claim/",
        views_manage.organization_claim,
        name="organization_claim",
    ),
    path("organization-options/", views.organization_options, name="organization_options"),
    path("claims/", views_manage.claim_queue, name="claims"),
    path("claims/<int:pk>/decide/", views_manage.claim_decide, name="claim_decide"),
    path("people/", views.person_list, name="people"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("import/", views_import.directory_import, name="import"),
    path("me/", views_manage.my_profile, name="my_profile"),
    path("me/organizations/", views_manage.my_organizations, name="my_organizations"),
]
