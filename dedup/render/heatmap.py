"""The sentence-similarity matrix as an inline SVG heatmap (rows: MT sentences, columns: reference)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape


def _colour(v: float, top: float = 1.0) -> str:
    """White (0) to deep blue (`top`, the matrix maximum, so weak matrices still show their shape);
    values outside are clamped, NaN shown as grey."""
    if not math.isfinite(v):
        return "#dddddd"
    v = min(1.0, max(0.0, v / top if top > 0 else 0.0))
    r = round(255 - v * (255 - 23))
    g = round(255 - v * (255 - 84))
    b = round(255 - v * (255 - 160))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap_svg(
    similarity: Sequence[Sequence[float]],
    linked: set[tuple[int, int]] | None = None,
    max_cells: int = 120,
    max_px: int = 560,
) -> tuple[Markup, int, int]:
    """The SVG, and how many rows and columns the `max_cells` cap left out."""
    linked = linked or set()
    rows = len(similarity)
    cols = max((len(r) for r in similarity), default=0)
    if rows == 0 or cols == 0:
        return Markup(""), 0, 0
    nr, nc = min(rows, max_cells), min(cols, max_cells)
    cell = max(4, min(22, max_px // max(nr, nc)))
    top = 0.0
    for row in similarity[:nr]:
        for x in row[:nc]:
            try:
                fx = float(x)
            except (TypeError, ValueError):
                continue
            if math.isfinite(fx):
                top = max(top, fx)
    pad = 26
    width, height = pad + nc * cell + 2, pad + nr * cell + 2
    label_every = 1 if cell >= 14 else 5 if cell >= 6 else 10
    parts = [
        f'<svg class="heatmap" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="sentence similarity heatmap">'
    ]
    for j in range(nc):
        if j % label_every == 0:
            x = pad + j * cell + cell / 2
            parts.append(f'<text x="{x:.1f}" y="{pad - 6}" class="hm-l" text-anchor="middle">{j + 1}</text>')
    for i in range(nr):
        if i % label_every == 0:
            y = pad + i * cell + cell / 2 + 3
            parts.append(f'<text x="{pad - 4}" y="{y:.1f}" class="hm-l" text-anchor="end">{i + 1}</text>')
    for i in range(nr):
        row = similarity[i]
        for j in range(min(nc, len(row))):
            try:
                v = float(row[j])
            except (TypeError, ValueError):
                v = float("nan")
            cls = "hm-c hm-link" if (i, j) in linked else "hm-c"
            shown = f"{v:.2f}" if math.isfinite(v) else "n/a"
            tip = escape(f"MT sentence {i + 1} × reference sentence {j + 1}: {shown}")
            tip += escape(" (linked)") if (i, j) in linked else ""
            parts.append(
                f'<rect class="{cls}" data-mt="{i}" data-ref="{j}" x="{pad + j * cell}" y="{pad + i * cell}" '
                f'width="{cell}" height="{cell}" fill="{_colour(v, top)}"><title>{tip}</title></rect>'
            )
    parts.append("</svg>")
    return Markup("".join(parts)), rows - nr, cols - nc  # noqa: S704 - all text above is escaped
