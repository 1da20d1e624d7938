"""Small server-side SVG charts (no JavaScript, nothing loaded from elsewhere).

Each chart is an ``<svg role="img">`` with a title and description; pages put the data table
behind it next to the chart, so the numbers are readable without the picture.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from html import escape

Number = int | float | Decimal


def _fmt(value: Number | None) -> str:
    if value is None:
        return "\u2013"
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}"
    return f"{number:,.1f}"


def bar_chart_svg(
    title: str,
    labels: Sequence[str],
    values: Sequence[Number | None],
    *,
    width: int = 320,
    height: int = 140,
    color: str = "#0f766e",
    target: Number | None = None,
) -> str:
    """Vertical bars, one per label; an optional dashed target line."""
    pad_left, pad_bottom, pad_top = 8, 22, 18
    plot_h = height - pad_bottom - pad_top
    numbers = [float(v) for v in values if v is not None]
    top = max([*numbers, float(target) if target is not None else 0.0, 0.0]) or 1.0
    count = max(len(labels), 1)
    slot = (width - 2 * pad_left) / count
    bar_w = slot * 0.6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = pad_left + index * slot + (slot - bar_w) / 2
        bar_h = 0.0 if value is None else plot_h * float(value) / top
        y = pad_top + plot_h - bar_h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{bar_h:.1f}" fill="{escape(color)}" rx="2">'
            f"<title>{escape(label)}: {_fmt(value)}</title></rect>"
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="10">{_fmt(value)}</text>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="10" fill="#475569">{escape(label)}</text>'
        )
    if target is not None and float(target) > 0:
        y = pad_top + plot_h - plot_h * float(target) / top
        parts.append(
            f'<line x1="{pad_left}" x2="{width - pad_left}" y1="{y:.1f}" y2="{y:.1f}" stroke="#c2410c" stroke-dasharray="4 3"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart_svg(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[Number | None]],
    *,
    width: int = 560,
    height: int = 220,
    colors: Sequence[str] = ("#0f766e", "#c2410c", "#1d4ed8", "#7c3aed", "#b45309"),
) -> str:
    """One line per series over shared labels (years); gaps where a value is missing."""
    pad_left, pad_right, pad_bottom, pad_top = 36, 12, 24, 12
    plot_w = width - pad_left - pad_right
    plot_h = height - pad_bottom - pad_top
    numbers = [float(v) for values in series.values() for v in values if v is not None]
    top = max(numbers or [1.0]) * 1.1 or 1.0
    count = max(len(labels) - 1, 1)

    def point(index: int, value: Number) -> tuple[float, float]:
        return pad_left + plot_w * index / count, pad_top + plot_h - plot_h * float(value) / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad_left}" x2="{pad_left}" y1="{pad_top}" y2="{pad_top + plot_h}" stroke="#cbd5e1"/>',
        f'<text x="{pad_left - 4}" y="{pad_top + 8}" text-anchor="end" font-size="10">{_fmt(round(top, 2))}</text>',
        f'<text x="{pad_left - 4}" y="{pad_top + plot_h}" text-anchor="end" font-size="10">0</text>',
    ]
    step = max(1, len(labels) // 8)
    for index, label in enumerate(labels):
        if index % step == 0 or index == len(labels) - 1:
            x, _y = point(index, 0)
            parts.append(
                f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" font-size="10" fill="#475569">{escape(label)}</text>'
            )
    for number, (name, values) in enumerate(series.items()):
        color = colors[number % len(colors)]
        segments: list[list[str]] = [[]]
        for index, value in enumerate(values):
            if value is None:
                segments.append([])
                continue
            x, y = point(index, value)
            segments[-1].append(f"{x:.1f},{y:.1f}")
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{color}"><title>{escape(name)} {escape(labels[index])}: {_fmt(value)}</title></circle>'
            )
        for segment in segments:
            if len(segment) > 1:
                parts.append(
                    f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{" ".join(segment)}"/>'
                )
        parts.append(
            f'<text x="{pad_left + 6}" y="{pad_top + 12 + 12 * number}" font-size="11" fill="{color}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
