"""The REST API object: version 1, mounted at /api/v1/. Routers live in each app's api.py."""

from __future__ import annotations

from django.conf import settings
from ninja import NinjaAPI
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from puente.api.auth import optional_auth
from puente.api.errors import install_error_handlers

api = NinjaAPI(
    title="Puente API",
    version="1",
    description=(
        "REST API of Puente, the network of innovation hubs. Lists are paginated as "
        '{"items": [...], "count": N} with limit/offset. Errors are JSON with a machine '
        "code and a translated message; send Accept-Language: es or en. Authenticate with "
        "Authorization: Bearer <token> (create tokens in your account settings)."
    ),
    urls_namespace="api",
    auth=optional_auth,
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[AnonRateThrottle(settings.API_RATE_ANONYMOUS), AuthRateThrottle(settings.API_RATE_AUTHENTICATED)],
)
install_error_handlers(api)


def _register_routers() -> None:
    from puente.accounts.api import router as accounts_router
    from puente.core.api import router as core_router
    from puente.directory.api import router as directory_router

    api.add_router("", core_router)
    api.add_router("", "puente.directory.api_import.router")  # before the directory router: /organizations/export is not an id
    api.add_router("", directory_router)
    api.add_router("", accounts_router)


_register_routers()
