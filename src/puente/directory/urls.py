from django.urls import path

from puente.directory import views, views_import

app_name = "directory"

urlpatterns = [
    path("", views.organization_list, name="organizations"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization"),
    path("people/", views.person_list, name="people"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("import/", views_import.directory_import, name="import"),
]
