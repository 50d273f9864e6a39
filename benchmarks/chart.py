"""How each page's cold p95 grows with the data: `make bench-chart` (or `bench.py --chart`).

Reads whichever results `make bench` has saved (benchmarks/results/<db>-scale<S>.json, one
file per database and scale) and draws benchmarks/growth.svg by hand: one panel per
database, the scale across (0.1, 1, 10: a logarithmic axis) and the server's p95 up (also
logarithmic, since a page that grows with the data grows tenfold a step). Each page is a
line of its own colour whose points carry its number, listed in the key, so that the lines
are told apart without colour; the SVG's title and description say what it shows and give
every figure in words, for a screen reader.
"""

from __future__ import annotations

import json
import math
import re
import sys
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
CHART = HERE / "growth.svg"
BACKEND_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
# Dark enough on white for lines and markers (at least 4.5:1) and white numbers on them.
COLOURS = [
    "#1f4e79",
    "#9c2a00",
    "#1e6b30",
    "#6a2c91",
    "#7a5200",
    "#00646e",
    "#a0153e",
    "#4a4a4a",
    "#2f5f00",
    "#5b3a29",
]
WIDTH, PANEL_HEIGHT = 760, 380
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 40, 56
EXPORT_NOTE = " (the whole download, timed at the client)"
HEADING = 36  # the visible title above the panels


def load(directory: Path = RESULTS) -> dict:
    """{backend: {scale: {pair: cold p95 ms}}} from every results file in `directory`."""
    found: dict = {}
    for path in sorted(directory.glob("*-scale*.json")):
        data = json.loads(path.read_text())
        scale = float(data["scale"])
        pages = {r["pair"]: float(r["cold_p95_ms"]) for r in data["results"]}
        found.setdefault(data["backend"], {})[scale] = pages
    return found


def ticks(low: float, high: float) -> list[float]:
    """Powers of ten (with 2 and 5 between when there are few) covering low..high."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    marks = [10.0**e for e in range(first, last + 1)]
    if last - first <= 2:
        marks = sorted({m * k for m in marks for k in (1, 2, 5) if m * k <= 10.0**last})
    return marks


def number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:g}" if value >= 1 else f"{value:.2g}"


def scale_label(scale: float) -> str:
    return f"{scale:g}"


def page_order(data: dict) -> list[str]:
    """Every page named in any result, in the order the bench measures them."""
    order: list[str] = []
    for scales in data.values():
        for scale in sorted(scales):
            for pair in scales[scale]:
                if pair not in order:
                    order.append(pair)
    return order


def key_name(pair: str) -> str:
    """A page's name without the row count that changes with the scale ("CSV of 100,000
    spending lines" at one scale and "CSV of 10,000 …" at another are one page)."""
    return re.sub(r"^CSV of [0-9,]+ ", "CSV of ", pair)


def merge_pages(data: dict) -> dict:
    """The same results with each page under its key name, so one line joins its scales."""
    return {
        backend: {
            scale: {key_name(pair): p95 for pair, p95 in pages.items()}
            for scale, pages in scales.items()
        }
        for backend, scales in data.items()
    }


def panel(backend: str, scales: dict, pages: list[str], top: float) -> list[str]:
    """One database's chart, `top` pixels down the SVG."""
    width = WIDTH - LEFT - RIGHT
    height = PANEL_HEIGHT - TOP - BOTTOM
    xs = sorted(scales)
    values = [v for s in xs for v in scales[s].values() if v > 0]
    x_low, x_high = min(*xs, 0.1), max(*xs, 10.0)
    y_marks = ticks(min(values, default=1.0), max(values, default=100.0))
    y_low, y_high = y_marks[0], y_marks[-1]

    def x_at(scale: float) -> float:
        span = math.log10(x_high) - math.log10(x_low) or 1.0
        return LEFT + width * (math.log10(scale) - math.log10(x_low)) / span

    def y_at(ms: float) -> float:
        span = math.log10(y_high) - math.log10(y_low) or 1.0
        return top + TOP + height * (1 - (math.log10(max(ms, y_low)) - math.log10(y_low)) / span)

    name = BACKEND_NAMES.get(backend, backend)
    out = [
        f'<g class="panel" id="panel-{escape(backend)}">',
        f'<text x="{LEFT}" y="{top + 24}" font-size="16" font-weight="bold">'
        f"Casebook on {escape(name)}</text>",
    ]
    bottom = top + TOP + height
    for mark in y_marks:
        y = y_at(mark)
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + width}" y2="{y:.1f}" stroke="#d0d0d0"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12">'
            f"{number(mark)}</text>"
        )
    for scale in sorted({*xs, x_low, 1.0, x_high}):
        x = x_at(scale)
        out.append(
            f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 5}" stroke="#000"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{bottom + 19}" text-anchor="middle" font-size="12">'
            f"{scale_label(scale)}</text>"
        )
    out.append(
        f'<line x1="{LEFT}" y1="{bottom}" x2="{LEFT + width}" y2="{bottom}" stroke="#000"/>'
        f'<line x1="{LEFT}" y1="{top + TOP}" x2="{LEFT}" y2="{bottom}" stroke="#000"/>'
    )
    out.append(
        f'<text class="axis-label" x="{LEFT + width / 2}" y="{bottom + 42}" '
        'text-anchor="middle" font-size="13">Scale of the data set (1 = England: '
        "1,000,000 spending lines; logarithmic)</text>"
    )
    middle = top + TOP + height / 2
    out.append(
        f'<text class="axis-label" x="18" y="{middle}" text-anchor="middle" font-size="13" '
        f'transform="rotate(-90 18 {middle})">Cold p95 at the server, ms (logarithmic)</text>'
    )
    for index, pair in enumerate(pages):
        points = [(s, scales[s][pair]) for s in xs if pair in scales[s]]
        if not points:
            continue
        colour = COLOURS[index % len(COLOURS)]
        path = " ".join(f"{x_at(s):.1f},{y_at(v):.1f}" for s, v in points)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            if len(points) > 1
            else ""
        )
        for s, v in points:
            label = f"{pair}: {number(v)} ms at scale {scale_label(s)}"
            out.append(
                f'<g class="point" data-page="{escape(pair)}" data-scale="{scale_label(s)}" '
                f'data-p95="{v:g}"><title>{escape(label)}</title>'
                f'<circle cx="{x_at(s):.1f}" cy="{y_at(v):.1f}" r="8" fill="{colour}"/>'
                f'<text x="{x_at(s):.1f}" y="{y_at(v) + 4:.1f}" text-anchor="middle" '
                f'font-size="10" fill="#fff">{index + 1}</text></g>'
            )
    out.append("</g>")
    return out


def describe(data: dict, pages: list[str]) -> str:
    """Every figure in words, for the SVG's <desc>."""
    parts = []
    for backend, scales in data.items():
        name = BACKEND_NAMES.get(backend, backend)
        for pair in pages:
            figures = [
                f"{number(scales[s][pair])} ms at scale {scale_label(s)}"
                for s in sorted(scales)
                if pair in scales[s]
            ]
            if figures:
                parts.append(f"{name}, {pair}: {', '.join(figures)}.")
    return " ".join(parts) or "No results yet: run make bench first."


def draw(data: dict) -> str:
    """The SVG for `load()`'s results."""
    data = merge_pages(data)
    backends = [b for b in ("sqlite", "postgres") if b in data] + sorted(
        b for b in data if b not in ("sqlite", "postgres")
    )
    pages = page_order(data)
    key_top = HEADING + PANEL_HEIGHT * max(1, len(backends))
    height = key_top + 30 + 18 * len(pages)
    title = "How each page's cold p95 grows with the size of the data"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="chart-title chart-desc" '
        'font-family="sans-serif">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">Server time at the 95th percentile for each page, every '
        f"request worked out afresh (cold), at each scale measured. "
        f"{escape(describe(data, pages))}</desc>",
        f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>',
        f'<text x="{LEFT}" y="24" font-size="18" font-weight="bold">{escape(title)}</text>',
    ]
    for n, backend in enumerate(backends):
        out.extend(panel(backend, data[backend], pages, HEADING + n * PANEL_HEIGHT))
    out.append(
        f'<text x="{LEFT}" y="{key_top + 14}" font-size="13" font-weight="bold">Pages</text>'
    )
    for index, pair in enumerate(pages):
        y = key_top + 32 + 18 * index
        colour = COLOURS[index % len(COLOURS)]
        out.append(
            f'<g class="key"><circle cx="{LEFT + 8}" cy="{y - 4}" r="8" fill="{colour}"/>'
            f'<text x="{LEFT + 8}" y="{y}" text-anchor="middle" font-size="10" fill="#fff">'
            f'{index + 1}</text><text x="{LEFT + 24}" y="{y}" font-size="12">'
            f"{escape(pair)}{EXPORT_NOTE if pair.startswith('CSV') else ''}</text></g>"
        )
    out.append("</svg>")
    return "\n".join(line for line in out if line) + "\n"


def main(directory: Path = RESULTS, chart: Path = CHART) -> Path:
    data = load(directory)
    if not data:
        raise SystemExit(f"No results in {directory}: run make bench (SCALE=0.1, 1, 10) first.")
    chart.write_text(draw(data), encoding="utf-8")
    print(f"wrote {chart} from {sum(len(s) for s in data.values())} results", file=sys.stderr)
    return chart


if __name__ == "__main__":
    main()
