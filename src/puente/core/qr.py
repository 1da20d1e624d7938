"""QR codes as inline SVG, from the QR encoder of reportlab (already a dependency for the
PDF reports): no image files, sharp at any size and on paper."""

from __future__ import annotations

import functools

from django.utils.html import format_html
from django.utils.safestring import SafeString
from reportlab.graphics.barcode import qrencoder

#: Light modules around the code, as the QR standard asks, so scanners find its edges.
QUIET_ZONE = 4


def qr_modules(text: str) -> list[list[bool]]:
    """The code's dark (True) and light modules, row by row; the smallest version that
    holds ``text`` at error correction level M (15% of the code can be lost)."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    size = code.getModuleCount()
    return [[bool(code.isDark(row, column)) for column in range(size)] for row in range(size)]


@functools.lru_cache(maxsize=4096)
def qr_svg(text: str, *, label: str) -> SafeString:
    """An SVG image of the QR code of ``text``; ``label`` is its text alternative. Each
    run of dark modules in a row is one rectangle of the path. Encoding takes about 12 ms
    (the encoder tries all eight masks), so images are kept: a sheet of badges or an
    agenda opened again draws its codes once per process (4,096 codes of about 6 KB:
    25 MB at most)."""
    modules = qr_modules(text)
    size = len(modules) + 2 * QUIET_ZONE
    parts = []
    for y, row in enumerate(modules, start=QUIET_ZONE):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            parts.append(f"M{start + QUIET_ZONE} {y}h{x - start}v1h-{x - start}z")
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 {size} {size}" '
        'role="img" aria-label="{label}" shape-rendering="crispEdges">'
        '<rect width="{size}" height="{size}" fill="#fff"/>'
        '<path fill="#000" d="{path}"/></svg>',
        size=size,
        label=label,
        path="".join(parts),
    )
