"""Impact pages: the managers' dashboard with drill-down, funder reports, the network of ties,
innovation indicators, the open-data export and the knowledge library."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from puente.accounts.viewer import viewer_for
from puente.core.models import Hub
from puente.directory.views import forbidden_page
from puente.impact import reports, selectors
from puente.impact.charts import bar_chart_svg, line_chart_svg
from puente.impact.computation import Quarter
from puente.impact.forms import Filters, GuideSearchForm, parse_filters, recent_quarters
from puente.impact.kpis import kpi_definition

PAGE_SIZE = 50
OPEN_DATA_QUARTERS = 8
MAX_CHART_AREAS = 6


def _forbidden(request: HttpRequest) -> HttpResponse:
    return forbidden_page(request, _("The impact dashboard is for hub managers."))


def _context(filters: Filters) -> dict[str, Any]:
    return {
        "filters": filters,
        "quarters": recent_quarters(),
        "query": urlencode({"quarter": str(filters.quarter), **filters.scope.params}),
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not viewer.is_manager:
        return _forbidden(request)
    filters = parse_filters(request.GET)
    board = selectors.kpi_dashboard(viewer, quarter=filters.quarter, scope=filters.scope)
    labels = [str(q) for q in board.quarters]
    cards = []
    for row in board.rows:
        chart = bar_chart_svg(
            str(row.definition.name),
            labels,
            [value for _q, value in row.trend],
            target=row.value.target,
        )
        cards.append(
            {
                "row": row,
                "chart": chart,
                "note": reports.money_note(row.value, board.currency)
                if row.definition.is_money
                else "",
            }
        )
    return render(
        request,
        "impact/dashboard.html",
        {**_context(filters), "board": board, "cards": cards, "labels": labels},
    )


@login_required
def kpi_records(request: HttpRequest, code: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not viewer.is_manager:
        return _forbidden(request)
    definition = kpi_definition(code)
    if definition is None:
        raise Http404("kpi")
    filters = parse_filters(request.GET)
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        page = 1
    rows, total = selectors.kpi_records(
        viewer,
        definition,
        quarter=filters.quarter,
        scope=filters.scope,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    return render(
        request,
        "impact/kpi_records.html",
        {
            **_context(filters),
            "definition": definition,
            "rows": rows,
            "total": total,
            "page": page,
            "pages": pages,
        },
    )


@login_required
def report(request: HttpRequest, fmt: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not viewer.is_manager:
        return _forbidden(request)
    if fmt not in reports.FORMATS:
        raise Http404("format")
    filters = parse_filters(request.GET)
    language = request.GET.get("lang") or translation.get_language() or "es"
    language = language if language in ("es", "en") else "es"
    board = selectors.kpi_dashboard(viewer, quarter=filters.quarter, scope=filters.scope)
    content = reports.render_report(board, fmt=fmt, language=language)
    hub = filters.scope.hub.slug if filters.scope.hub else "all"
    response = HttpResponse(content, content_type=reports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="puente-impact-{filters.quarter}-{hub}-{language}.{fmt}"'
    )
    return response


@login_required
def network(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not viewer.is_manager:
        return _forbidden(request)
    filters = parse_filters(request.GET)
    view = selectors.network_overview(
        viewer, quarter=filters.quarter, scope=filters.scope, title=_("Ties between organizations")
    )
    by_quarter = view.measures.by_quarter
    chart = ""
    if by_quarter:
        chart = bar_chart_svg(
            _("Cross-border ties (cumulative)"),
            [str(Quarter.from_code(code)) for code, _n, _d in by_quarter],
            [n for _code, n, _d in by_quarter],
            width=480,
        )
    by_quarter_rows = [
        (Quarter.from_code(code), count, density * 100) for code, count, density in by_quarter
    ]
    return render(
        request,
        "impact/network.html",
        {
            **_context(filters),
            "view": view,
            "chart": chart,
            "by_quarter": by_quarter_rows,
            "hubs": Hub.objects.filter(is_active=True),
        },
    )


def indicators(request: HttpRequest) -> HttpResponse:
    """Public: published figures with their sources."""
    items = []
    for indicator in selectors.indicators_with_values():
        values = list(indicator.values.all())
        years = sorted({value.year for value in values if not value.is_target})
        areas: dict[str, dict[int, Any]] = {}
        for value in values:
            if not value.is_target:
                areas.setdefault(value.area, {})[value.year] = value.value
        series = {
            area: [by_year.get(year) for year in years]
            for area, by_year in sorted(areas.items())[:MAX_CHART_AREAS]
        }
        chart = (
            line_chart_svg(indicator.name, [str(year) for year in years], series) if years else ""
        )
        sources = sorted({(value.source, value.source_url) for value in values})
        items.append(
            {
                "indicator": indicator,
                "values": values,
                "targets": [v for v in values if v.is_target],
                "chart": chart,
                "sources": sources,
            }
        )
    return render(request, "impact/indicators.html", {"items": items})


def open_data(request: HttpRequest) -> HttpResponse:
    """Public: aggregate KPI values per quarter, for every hub and the whole network. Counts
    and sums only, no names or personal data."""
    quarter = recent_quarters()[0]
    scopes = [
        selectors.Scope(),
        *[selectors.Scope(hub=hub) for hub in Hub.objects.filter(is_active=True)],
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["quarter", "hub", "kpi", "value", "unit"])
    for scope in scopes:
        board = selectors.build_dashboard(quarter=quarter, scope=scope, trend=OPEN_DATA_QUARTERS)
        for row in board.rows:
            unit = board.currency if row.definition.is_money else row.definition.code
            for q, value in row.trend:
                writer.writerow(
                    [
                        str(q),
                        scope.hub.slug if scope.hub else "all",
                        row.definition.code,
                        "" if value is None else str(value),
                        unit if row.definition.is_money else "",
                    ]
                )
    response = HttpResponse(
        buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="puente-kpis.csv"'
    return response


def library(request: HttpRequest) -> HttpResponse:
    form = GuideSearchForm(request.GET or None)
    query, category, hub = "", "", None
    if form.is_valid():
        query = form.cleaned_data["q"]
        category = form.cleaned_data["category"]
        slug = form.cleaned_data["hub"]
        hub = Hub.objects.filter(slug=slug).first() if slug else None
    guides = selectors.guides_search(query, hub=hub, category=category)
    return render(
        request,
        "impact/library.html",
        {
            "form": form,
            "guides": guides,
            "query": query,
            "hubs": Hub.objects.filter(is_active=True),
        },
    )


def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    guide = selectors.guide_by_slug(slug)
    return render(request, "impact/guide_detail.html", {"guide": guide})
