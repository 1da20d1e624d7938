"""API: KPI values and the records behind them (hub managers), innovation indicators and the
knowledge library (public)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from puente.accounts.viewer import Viewer, viewer_for
from puente.api.auth import caller, required_auth
from puente.api.schemas import ERRORS, READ_ERRORS, InputSchema, PageParams
from puente.core.errors import PermissionDenied
from puente.impact import selectors, services
from puente.impact.forms import parse_filters
from puente.impact.kpis import kpi_definition

router = Router(tags=["impact"])


class KpiFilters(InputSchema):
    quarter: str = Field(
        "", max_length=20, description="Calendar quarter, e.g. 2026-Q3 (default: the current one)."
    )
    hub: str = Field("", max_length=40, description="Hub slug; empty for the whole network.")
    direction: str = Field(
        "", max_length=90, description="Direction, e.g. medellin-miami; empty for both."
    )


class RateOut(Schema):
    currency: str
    rate: Decimal = Field(
        ..., description="Units of the currency per unit of the reporting currency."
    )
    valid_on: dt.date
    source: str


class KpiOut(Schema):
    code: str
    name: str
    definition: str
    unit: str
    value: Decimal | None
    target: Decimal | None
    progress: Decimal | None = Field(..., description="Percent of the target reached.")
    by_currency: dict[str, Decimal] = Field(
        ..., description="Money KPIs: amounts per original currency."
    )
    missing_rates: list[str]


class KpiSetOut(Schema):
    quarter: str
    hub: str | None
    direction: str | None
    currency: str = Field(..., description="Reporting currency of money KPIs.")
    rates: list[RateOut]
    items: list[KpiOut]


class KpiRecordOut(Schema):
    date: dt.date | None
    kind: str
    organization: str | None = Field(..., description="Null when the caller may not see it.")
    other_organization: str | None
    hub: str
    direction: str
    quantity: Decimal
    currency: str
    evidence: str
    records: int


class KpiRecordPage(Schema):
    items: list[KpiRecordOut]
    count: int


def _manager(request: HttpRequest) -> Viewer:
    viewer = viewer_for(caller(request))
    if not viewer.is_manager:
        raise PermissionDenied(_("Only hub managers can see the impact dashboard."))
    return viewer


@router.get(
    "/impact/kpis",
    response={200: KpiSetOut, **ERRORS},
    auth=required_auth,
    summary="KPI values for a quarter, hub and direction (hub managers)",
)
def list_kpis(request: HttpRequest, filters: Query[KpiFilters]) -> KpiSetOut:
    viewer = _manager(request)
    parsed = parse_filters(filters.model_dump(), strict=True)
    board = selectors.kpi_dashboard(viewer, quarter=parsed.quarter, scope=parsed.scope)
    return KpiSetOut(
        quarter=str(board.quarter),
        hub=parsed.scope.hub.slug if parsed.scope.hub else None,
        direction=parsed.scope.direction.code if parsed.scope.direction else None,
        currency=board.currency,
        rates=[RateOut(currency=r.currency, rate=r.rate, valid_on=r.valid_on, source=r.source) for r in board.rates.values()],
        items=[
            KpiOut(
                code=row.definition.code, name=str(row.definition.name), definition=str(row.definition.definition),
                unit=board.currency if row.definition.is_money else str(row.definition.unit),
                value=row.value.value, target=row.value.target, progress=row.value.progress,
                by_currency=row.value.by_currency, missing_rates=row.value.missing_rates,
            )
            for row in board.rows
        ],
    )  # fmt: skip


@router.get(
    "/impact/kpis/{code}/records",
    response={200: KpiRecordPage, **ERRORS},
    auth=required_auth,
    summary="The records behind one KPI value (hub managers)",
)
def list_kpi_records(
    request: HttpRequest, code: str, filters: Query[KpiFilters], page: Query[PageParams]
) -> KpiRecordPage:
    viewer = _manager(request)
    definition = kpi_definition(code[:60])
    if definition is None:
        raise Http404("kpi")
    parsed = parse_filters(filters.model_dump(), strict=True)
    rows, total = selectors.kpi_records(
        viewer,
        definition,
        quarter=parsed.quarter,
        scope=parsed.scope,
        offset=page.offset,
        limit=page.limit,
    )
    return KpiRecordPage(
        items=[
            KpiRecordOut(
                date=row.local_date,
                kind=row.kind_label,
                organization=row.organization,
                other_organization=row.partner,
                hub=row.hub,
                direction=row.direction,
                quantity=row.quantity,
                currency=row.currency,
                evidence=row.evidence,
                records=row.records,
            )
            for row in rows
        ],
        count=total,
    )


class TargetIn(InputSchema):
    kpi: str = Field(..., max_length=40, description="KPI code, e.g. companies_landed.")
    quarter: str = Field(..., max_length=20, description="e.g. 2026-Q3.")
    hub: str = Field(
        "", max_length=40, description="Hub slug; empty for the whole network (staff only)."
    )
    direction: str = Field("", max_length=90, description="e.g. medellin-miami; empty for both.")
    value: Decimal = Field(..., ge=0, le=Decimal("1e15"), max_digits=18, decimal_places=2)


class TargetOut(Schema):
    kpi: str
    quarter: str
    hub: str | None
    direction: str | None
    value: Decimal


@router.put(
    "/impact/targets",
    response={200: TargetOut, **ERRORS},
    auth=required_auth,
    summary="Set the target of a KPI for a quarter (hub managers of the hub; joint targets: staff)",
)
def set_target(request: HttpRequest, body: TargetIn) -> TargetOut:
    actor = caller(request)
    parsed = parse_filters(
        {"quarter": body.quarter, "hub": body.hub, "direction": body.direction}, strict=True
    )
    scope = parsed.scope
    target = services.kpi_target_set(
        actor=actor, kpi=body.kpi, year=parsed.quarter.year, quarter=parsed.quarter.number, value=body.value, hub=scope.hub,
        origin_hub=scope.direction.origin if scope.direction else None, destination_hub=scope.direction.destination if scope.direction else None,
    )  # fmt: skip
    return TargetOut(
        kpi=target.kpi,
        quarter=str(parsed.quarter),
        hub=scope.hub.slug if scope.hub else None,
        direction=scope.direction.code if scope.direction else None,
        value=target.value,
    )


class IndicatorValueOut(Schema):
    area: str
    year: int
    value: Decimal
    is_target: bool
    source: str
    source_url: str
    note: str


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    values: list[IndicatorValueOut]


class IndicatorList(Schema):
    items: list[IndicatorOut]
    count: int


@router.get(
    "/impact/indicators",
    response={200: IndicatorList, **READ_ERRORS},
    summary="Innovation indicators with their sources",
)
def list_indicators(request: HttpRequest) -> IndicatorList:
    items = [
        IndicatorOut(
            code=indicator.code, name=indicator.name, unit=indicator.unit,
            values=[IndicatorValueOut(area=v.area, year=v.year, value=v.value, is_target=v.is_target, source=v.source, source_url=v.source_url, note=v.note) for v in indicator.values.all()],
        )
        for indicator in selectors.indicators_with_values()
    ]  # fmt: skip
    return IndicatorList(items=items, count=len(items))


class GuideFilters(InputSchema):
    q: str = Field("", max_length=200, description="Words to find, in Spanish or English.")


class GuideOut(Schema):
    slug: str
    title: str = Field(..., description="In the request's language.")
    title_en: str
    title_es: str
    summary: str
    category: str
    hub: str | None
    reviewed_on: dt.date
    is_stale: bool = Field(..., description="Not reviewed in the last 12 months.")


class GuideList(Schema):
    items: list[GuideOut]
    count: int


@router.get(
    "/impact/guides",
    response={200: GuideList, **READ_ERRORS},
    summary="Search the knowledge library (exact title matches first)",
)
def list_guides(request: HttpRequest, filters: Query[GuideFilters]) -> GuideList:
    items = [
        GuideOut(
            slug=g.slug,
            title=g.title,
            title_en=g.title_en,
            title_es=g.title_es,
            summary=g.summary,
            category=g.category,
            hub=g.hub.slug if g.hub else None,
            reviewed_on=g.reviewed_on,
            is_stale=g.is_stale,
        )
        for g in selectors.guides_search(filters.q)
    ]
    return GuideList(items=items, count=len(items))
