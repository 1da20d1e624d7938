"""The funder report for a period: KPI table with definitions, targets and sources, the rates
money was converted with, and a trend chart; as CSV, XLSX or PDF, in Spanish or English."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _

from puente.core.spreadsheets import csv_bytes
from puente.impact.computation import KpiValue
from puente.impact.selectors import Dashboard

FORMATS = ("pdf", "csv", "xlsx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ReportLine:
    code: str
    name: str
    definition: str
    unit: str
    value: str
    target: str
    progress: str
    source: str


def _number(value: Decimal | None) -> str:
    if value is None:
        return "\u2013"
    if value == value.to_integral_value():
        return formats.number_format(int(value), use_l10n=True, force_grouping=True)
    return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def scope_label(dashboard: Dashboard) -> str:
    hub = dashboard.scope.hub.name if dashboard.scope.hub else _("All hubs")
    direction = (
        dashboard.scope.direction.label if dashboard.scope.direction else _("Both directions")
    )
    return f"{hub} · {direction}"


def money_note(value: KpiValue, currency: str, *, with_source: bool = True) -> str:
    """'COP 8.000.000 at 4.000 COP per USD on 2026-09-30 (source)', one per currency."""
    notes = []
    rates = {rate.currency: rate for rate in value.rates}
    for code, amount in sorted(value.by_currency.items()):
        text = f"{code} {_number(amount)}"
        rate = rates.get(code)
        if rate is not None:
            values = {
                "rate": _number(rate.rate),
                "currency": code,
                "base": currency,
                "date": rate.valid_on.isoformat(),
                "source": rate.source,
            }
            if with_source:
                text += (
                    " "
                    + _("at %(rate)s %(currency)s per %(base)s on %(date)s (%(source)s)") % values
                )
            else:
                text += " " + _("at %(rate)s %(currency)s per %(base)s on %(date)s") % values
        elif code in value.missing_rates:
            text += " " + _("(no exchange rate: not included in the total)")
        notes.append(text)
    return "; ".join(notes)


def report_lines(dashboard: Dashboard) -> list[ReportLine]:
    lines = []
    for row in dashboard.rows:
        definition = row.definition
        unit = dashboard.currency if definition.is_money else str(definition.unit)
        source = str(definition.source)
        if definition.is_money and row.value.by_currency:
            source = f"{source}. {money_note(row.value, dashboard.currency)}"
        progress = "" if row.value.progress is None else f"{_number(row.value.progress)} %"
        lines.append(
            ReportLine(
                definition.code,
                str(definition.name),
                str(definition.definition),
                unit,
                _number(row.value.value),
                _number(row.value.target) if row.value.target is not None else "",
                progress,
                source,
            )
        )
    return lines


def _headers() -> list[str]:
    return [
        _("Indicator"),
        _("Definition"),
        _("Unit"),
        _("Value"),
        _("Target"),
        _("Progress"),
        _("Source"),
    ]


def _title(dashboard: Dashboard) -> str:
    return _("Impact report %(period)s") % {"period": str(dashboard.quarter)}


def report_csv(dashboard: Dashboard) -> bytes:
    return csv_bytes(
        [
            [_title(dashboard), scope_label(dashboard)],
            ["code", *_headers()],
            *(
                [
                    line.code,
                    line.name,
                    line.definition,
                    line.unit,
                    line.value,
                    line.target,
                    line.progress,
                    line.source,
                ]
                for line in report_lines(dashboard)
            ),
        ]
    )


def report_xlsx(dashboard: Dashboard) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(dashboard.quarter)
    sheet.append([_title(dashboard)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([scope_label(dashboard)])
    sheet.append([])
    sheet.append(_headers())
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row, line in zip(dashboard.rows, report_lines(dashboard), strict=True):
        value = float(row.value.value) if row.value.value is not None else None
        target = float(row.value.target) if row.value.target is not None else None
        progress = float(row.value.progress) if row.value.progress is not None else None
        sheet.append([line.name, line.definition, line.unit, value, target, progress, line.source])
    for column, width in zip("ABCDEFG", (28, 60, 14, 14, 12, 10, 60), strict=True):
        sheet.column_dimensions[column].width = width
    trend = workbook.create_sheet(_("Trend"))
    trend.append([_("Indicator"), *[str(q) for q in dashboard.quarters]])
    for row in dashboard.rows:
        trend.append(
            [
                str(row.definition.name),
                *[float(v) if v is not None else None for _q, v in row.trend],
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_pdf(dashboard: Dashboard) -> bytes:
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=_title(dashboard),
        author="Puente",
    )

    def cell(text: str) -> Paragraph:
        return Paragraph(
            text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), small
        )

    data: list[list[object]] = [[cell(header) for header in _headers()]]
    for line in report_lines(dashboard):
        data.append(
            [
                cell(line.name),
                cell(line.definition),
                cell(line.unit),
                line.value,
                line.target,
                line.progress,
                cell(line.source),
            ]
        )
    table = Table(
        data,
        colWidths=[4.2 * cm, 7.5 * cm, 2.3 * cm, 2.3 * cm, 2 * cm, 2 * cm, 6.4 * cm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#0f766e")),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (3, 1), (5, -1), "RIGHT"),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#cbd5e1")),
        ])
    )  # fmt: skip
    chart_codes = ("introductions_accepted", "meetings_held", "companies_landed")
    drawing = Drawing(24 * cm, 6 * cm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, 14 * cm, 4.5 * cm
    chosen = [dashboard.row(code) for code in chart_codes]
    chart.data = [[float(v or 0) for _q, v in row.trend] for row in chosen]
    chart.categoryAxis.categoryNames = [str(q) for q in dashboard.quarters]
    chart.valueAxis.valueMin = 0
    palette = [colors.HexColor("#0f766e"), colors.HexColor("#c2410c"), colors.HexColor("#1d4ed8")]
    for index, color in enumerate(palette):
        chart.bars[index].fillColor = color
    drawing.add(chart)
    for index, row in enumerate(chosen):
        drawing.add(
            String(
                16 * cm,
                5 * cm - index * 14,
                str(row.definition.name),
                fillColor=palette[index],
                fontSize=9,
            )
        )
    story = [
        Paragraph(_title(dashboard), styles["Title"]),
        Paragraph(scope_label(dashboard), styles["Heading3"]),
        Paragraph(
            _(
                "Quarters are calendar quarters in each hub's time zone. Money is converted to %(currency)s with the rate stated beside it."
            )
            % {"currency": dashboard.currency},
            small,
        ),
        Spacer(1, 0.3 * cm),
        table,
        Spacer(1, 0.5 * cm),
        Paragraph(_("Trend of the last quarters"), styles["Heading3"]),
        drawing,
    ]
    document.build(story)
    return buffer.getvalue()


def render_report(dashboard: Dashboard, *, fmt: str, language: str) -> bytes:
    """The report in ``fmt`` ("pdf", "csv", "xlsx"), written in ``language``."""
    renderers = {"pdf": report_pdf, "csv": report_csv, "xlsx": report_xlsx}
    if fmt not in renderers:
        raise ValueError(fmt)
    with translation.override(language):
        return renderers[fmt](dashboard)
