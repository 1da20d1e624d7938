from django.urls import path

from puente.impact import views, views_manage

app_name = "impact"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kpi/<slug:code>/", views.kpi_records, name="kpi"),
    path("report.<str:fmt>", views.report, name="report"),
    path("network/", views.network, name="network"),
    path("indicators/", views.indicators, name="indicators"),
    path("open-data.csv", views.open_data, name="open_data"),
    path("targets/", views_manage.targets, name="targets"),
    path("figures/", views_manage.figures, name="figures"),
    path("figures/<int:pk>/evidence", views_manage.figure_evidence, name="figure_evidence"),
    path("library/", views.library, name="library"),
    path("library/new/", views_manage.guide_edit, name="guide_create"),
    path("library/<slug:slug>/edit/", views_manage.guide_edit, name="guide_edit"),
    path("library/<slug:slug>/", views.guide_detail, name="guide"),
]
