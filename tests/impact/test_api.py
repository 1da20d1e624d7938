"""The impact API: KPI values and records for managers, bad input answered in JSON, pinned
query counts that do not grow with the data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from puente.impact.models import ActivityKind as K
from puente.impact.models import ExchangeRate
from tests.api.conftest import token_for
from tests.factories import OrganizationFactory, make_manager
from tests.impact.conftest import fact, partnership

pytestmark = pytest.mark.django_db
API = "/api/v1/impact"


@pytest.fixture
def token() -> str:
    partnership()
    _token, raw = token_for(make_manager())
    return raw


def get(path: str, token: str | None = None, **params: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(path, params, **headers)
    return response.status_code, response.json()


def grow(landings: int) -> None:
    for index in range(landings):
        organization = OrganizationFactory(name=f"Lander {index}")
        fact(
            K.COMPANY_LANDED,
            f"2026-08-{index % 28 + 1:02d} 12:00",
            "miami",
            organization=organization,
        )
        fact(
            K.INVESTMENT,
            f"2026-08-{index % 28 + 1:02d} 12:00",
            "miami",
            organization=organization,
            quantity=4_000_000,
            currency="COP",
        )


def test_kpis_with_conversion_and_direction(token: str) -> None:
    grow(3)
    ExchangeRate.objects.create(
        currency="COP", rate=Decimal("4000"), valid_on="2026-09-30", source="test"
    )
    status, data = get(f"{API}/kpis", token, quarter="2026-Q3", direction="medellin-miami")
    assert status == 200
    values = {item["code"]: item for item in data["items"]}
    assert Decimal(values["companies_landed"]["value"]) == 3
    assert Decimal(values["investment_mobilized"]["value"]) == 3000  # 12,000,000 COP / 4,000
    assert values["investment_mobilized"]["unit"] == "USD"
    assert data["rates"][0]["valid_on"] == "2026-09-30"
    status, data = get(f"{API}/kpis/companies_landed/records", token, quarter="2026-Q3", limit="2")
    assert status == 200
    assert data["count"] == 3
    assert len(data["items"]) == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"quarter": "2026-Q5"}, "quarter"),
        ({"hub": "atlantis"}, "hub"),
        ({"direction": "x-y"}, "direction"),
        ({"quarter": "x" * 50}, None),
    ],
)
def test_bad_filters_are_json_errors(token: str, params: dict[str, str], field: str | None) -> None:
    status, data = get(f"{API}/kpis", token, **params)
    assert status in (400, 422)
    assert data["code"]
    if field:
        assert data.get("field") == field or any(
            error.get("field") == field for error in data.get("errors", [])
        )


def test_unknown_kpi_is_404(token: str) -> None:
    status, data = get(f"{API}/kpis/nope/records", token)
    assert status == 404
    assert data["code"] == "not_found"


@pytest.mark.parametrize(
    "path", ["/kpis", "/kpis/companies_landed/records?limit=5", "/guides?q=visa"]
)
def test_query_counts_do_not_grow_with_rows(token: str, path: str) -> None:
    grow(2)

    def measure() -> int:
        cache.clear()  # cold: without the cached totals
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(
                f"{API}{path}" + ("&" if "?" in path else "?") + "quarter=2026-Q3",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
        assert response.status_code == 200
        return len(queries)

    few = measure()
    grow(12)
    assert measure() == few
    assert (
        few
        <= {"/kpis": 12, "/kpis/companies_landed/records?limit=5": 12, "/guides?q=visa": 6}[path]
    )


def put(body: dict, token: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = Client(HTTP_ACCEPT_LANGUAGE="es").put(
        f"{API}/targets",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    return response.status_code, response.json()


def test_targets_through_the_api_show_on_the_kpis(token: str) -> None:
    grow(1)
    status, data = put(
        {"kpi": "companies_landed", "quarter": "2026-Q3", "hub": "miami", "value": "4"}, token
    )
    assert status == 403  # a Medellín manager cannot set Miami's targets
    status, data = put(
        {"kpi": "companies_landed", "quarter": "2026-Q3", "hub": "medellin", "value": "4"}, token
    )
    assert status == 200
    assert Decimal(data["value"]) == 4
    status, data = get(f"{API}/kpis", token, quarter="2026-Q3", hub="medellin")
    landed = next(item for item in data["items"] if item["code"] == "companies_landed")
    assert Decimal(landed["target"]) == 4


@pytest.mark.parametrize(
    "body",
    [
        {"kpi": "companies_landed", "quarter": "2026-Q3", "hub": "medellin", "value": "-1"},
        {"kpi": "nope", "quarter": "2026-Q3", "hub": "medellin", "value": "1"},
        {"kpi": "companies_landed", "quarter": "2026-Q9", "hub": "medellin", "value": "1"},
        {"kpi": "companies_landed", "quarter": "2026-Q3", "hub": "medellin", "value": "1e40"},
        {
            "kpi": "companies_landed",
            "quarter": "2026-Q3",
            "hub": "medellin",
            "value": "1",
            "extra": 1,
        },
    ],
)
def test_bad_targets_are_refused_in_json(token: str, body: dict) -> None:  # type: ignore[type-arg]
    status, data = put(body, token)
    assert status in (400, 422)
    assert data["code"]
