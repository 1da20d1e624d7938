"""URL map: the web app, the admin, the API and language switching."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog

from puente.api.api import api, not_found_outside_api
from puente.core import views as core_views

admin.site.site_header = "Puente"
admin.site.site_title = "Puente"

urlpatterns = [
    path("", include("puente.core.urls")),
    path("accounts/", include("puente.accounts.urls")),
    path("directory/", include("puente.directory.urls")),
    path("opportunities/", include("puente.marketplace.urls")),
    path("introductions/", include("puente.introductions.urls")),
    path("search/", include("puente.matching.urls")),
    path("events/", include("puente.events.urls")),
    path("impact/", include("puente.impact.urls")),
    path("landing/", include("puente.landing.urls")),
    path("spaces/", include("puente.spaces.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", not_found_outside_api),
    path("admin/", admin.site.urls),
    path("healthz", core_views.health, name="health"),
]

handler400 = "puente.core.views.bad_request"
handler403 = "puente.core.views.forbidden"
handler404 = "puente.core.views.not_found"
handler500 = "puente.core.views.server_error"
