from django.urls import path

from puente.impact import views

app_name = "impact"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kpi/<slug:code>/", views.kpi_records, name="kpi"),
    path("report.<str:fmt>", views.report, name="report"),
    path("network/", views.network, name="network"),
    path("indicators/", views.indicators, name="indicators"),
    path("open-data.csv", views.open_data, name="open_data"),
    path("library/", views.library, name="library"),
    path("library/<slug:slug>/", views.guide_detail, name="guide"),
]
