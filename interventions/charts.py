"""Charts drawn on the server as SVG: inspection grades by year, and spending by year.

This module computes geometry only; templates/includes/_chart_*.html draw it. Each chart
comes with the same data in a table on the page. Series differ by marker shape and line
pattern as well as colour, so no information is carried by colour alone.

Grade scales are not imported from `ratings` (which depends on this app): each inspection
row gives its framework's scale (`scale_levels()`), without a query.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

WIDTH = 720
LEFT = 170
RIGHT = 24
TOP = 12
AXIS_HEIGHT = 44
LEVEL_HEIGHT = 34
BAND_GAP = 30
SPEND_HEIGHT = 260
LEGEND_ROW = 22
MAX_SERIES = 6

# Dark enough for 4.5:1 on white; each also has its own marker and dash pattern.
COLOURS = ["#1d4f91", "#8a3300", "#00703c", "#6b2c91", "#1b1b1b", "#6e5300"]
DASHES = ["", "7 4", "2 3", "9 3 2 3", "4 2", "1 4"]
MARKERS = ["circle", "square", "triangle", "diamond", "down", "cross"]


@dataclass
class Tick:
    pos: float
    label: str

    @property
    def text_pos(self) -> float:
        """Where a y-axis label's baseline goes, to centre it on the tick."""
        return self.pos + 4


@dataclass
class Point:
    x: float
    y: float
    title: str
    marker: str
    path: str = ""
    trigger: bool = False  # the inspection that led to the intervention: ringed

    def __post_init__(self):
        self.path = marker_path(self.marker, self.x, self.y)


@dataclass
class Range:
    """Several figures for one line in one year: a bar from the lowest to the highest."""

    x: float
    low: float  # y of the lowest amount (lower on the chart, so a larger y)
    high: float
    title: str


@dataclass
class Series:
    name: str
    colour: str
    dash: str
    marker: str
    points: list[Point] = field(default_factory=list)
    framework: str = ""  # a band's second line
    ranges: list[Range] = field(default_factory=list)
    joined: bool = True  # draw a line through the points
    label_y: float = 0  # where the band or legend label sits
    legend_line_y: float = 0
    legend_path: str = ""
    top: float = 0
    bottom: float = 0
    y_ticks: list[Tick] = field(default_factory=list)

    @property
    def line(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def framework_y(self) -> float:
        return self.label_y + 16


@dataclass
class Chart:
    title: str
    desc: str
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    x_ticks: list[Tick]
    series: list[Series]
    y_ticks: list[Tick] = field(default_factory=list)
    left_over: list[str] = field(default_factory=list)  # series not drawn
    x_label: str = "Year"
    shades: list[Shade] = field(default_factory=list)
    trigger_legend_y: float = 0

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def x_tick_y(self) -> float:
        return self.plot_bottom + 18

    @property
    def x_label_y(self) -> float:
        return self.plot_bottom + 37

    @property
    def y_label_x(self) -> float:
        return self.plot_left - 8

    @property
    def plot_height(self) -> float:
        return self.plot_bottom - self.plot_top

    @property
    def trigger_legend_x(self) -> float:
        return self.plot_left + 15

    @property
    def trigger_legend_cy(self) -> float:
        return self.trigger_legend_y + 6

    @property
    def trigger_legend_text_y(self) -> float:
        return self.trigger_legend_y + 10

    @property
    def legend_line_end(self) -> float:
        return self.plot_left + 40

    @property
    def legend_text_x(self) -> float:
        return self.plot_left + 50


def marker_path(kind: str, x: float, y: float, r: float = 5.5) -> str:
    if kind == "square":
        s = r * 0.9
        return f"M{x - s:.1f},{y - s:.1f}h{2 * s:.1f}v{2 * s:.1f}h{-2 * s:.1f}z"
    if kind == "triangle":
        return f"M{x:.1f},{y - r:.1f}L{x + r:.1f},{y + r * 0.8:.1f}L{x - r:.1f},{y + r * 0.8:.1f}z"
    if kind == "down":
        return f"M{x:.1f},{y + r:.1f}L{x + r:.1f},{y - r * 0.8:.1f}L{x - r:.1f},{y - r * 0.8:.1f}z"
    if kind == "diamond":
        return f"M{x:.1f},{y - r:.1f}L{x + r:.1f},{y:.1f}L{x:.1f},{y + r:.1f}L{x - r:.1f},{y:.1f}z"
    if kind == "cross":
        s = r * 0.8
        return (
            f"M{x - s:.1f},{y - s:.1f}L{x + s:.1f},{y + s:.1f}"
            f"M{x - s:.1f},{y + s:.1f}L{x + s:.1f},{y - s:.1f}"
        )
    # circle, as two arcs
    arc = f"a{r:.1f},{r:.1f} 0 1,0"
    return f"M{x - r:.1f},{y:.1f}{arc} {2 * r:.1f},0{arc} {-2 * r:.1f},0z"


def year_axis(years: list[int], left: float, right: float) -> tuple[dict[int, float], list[Tick]]:
    first, last = min(years), max(years)
    if first == last:
        first, last = first - 1, last + 1
    count = last - first + 1
    step = (right - left) / count
    every = 1 if count <= 12 else 2 if count <= 24 else 5
    positions = {year: left + (year - first + 0.5) * step for year in range(first, last + 1)}
    ticks = [Tick(pos, str(year)) for year, pos in positions.items() if (year - first) % every == 0]
    return positions, ticks


def spread(points: list[tuple[float, float]]) -> list[float]:
    """Small horizontal offsets so that points at the same place stay visible."""
    seen: dict[tuple[float, float], int] = defaultdict(int)
    offsets = []
    for x, y in points:
        n = seen[(round(x), round(y))]
        seen[(round(x), round(y))] += 1
        offsets.append(0 if n == 0 else (8 * ((n + 1) // 2)) * (1 if n % 2 else -1))
    return offsets


# Inspection grades ---------------------------------------------------------------------


@dataclass
class Shade:
    """An intervention's period, shaded behind the grades, with its legend row."""

    x: float
    width: float
    label: str
    legend_y: float = 0

    @property
    def legend_text_y(self) -> float:
        return self.legend_y + 10


@dataclass
class Row:
    """One drawable grade: an inspection's overall grade, or a section's overall result."""

    band: tuple[str, str, str]  # framework, service scope, section
    year: int
    score: int
    grade: str
    inspection: object
    area: str = ""


def scope_label(inspection) -> str:
    return inspection.get_service_scope_display() if inspection.service_scope else ""


def band_name(inspection, section: str) -> str:
    scope = scope_label(inspection) or "Service not stated"
    return f"{scope}: {section}" if section else scope


def headline_judgements(inspection) -> list:
    """The rows giving each section's overall result, for an inspection with no single grade."""
    rows = getattr(inspection, "headline_judgements", None)
    if rows is None:  # the page prefetched every judgement
        rows = [j for j in inspection.judgements.all() if j.headline]
    return rows


def drawable(inspections) -> list[Row]:
    rows = []
    for inspection in inspections:
        if inspection.year is None:
            continue
        if inspection.overall_score is not None:
            band = (inspection.framework, inspection.service_scope, "")
            rows.append(
                Row(
                    band,
                    inspection.year,
                    inspection.overall_score,
                    inspection.overall_grade,
                    inspection,
                )
            )
            continue
        for judgement in headline_judgements(inspection):
            if judgement.score is not None:
                band = (inspection.framework, inspection.service_scope, judgement.section)
                rows.append(
                    Row(
                        band,
                        inspection.year,
                        judgement.score,
                        judgement.grade,
                        inspection,
                        judgement.area,
                    )
                )
    return rows


def inspection_chart(
    inspections,
    subject: str,
    period=None,
    triggers=frozenset(),
    axis_years=(),
):
    """Grades by year: one band (series) per framework and service, never two services joined.

    `inspections`: rows with year, framework, service_scope, overall_grade, overall_score,
    period, title and their display methods; an inspection with no single overall grade is
    drawn by its sections' overall results (judgements marked `headline`); each row's
    `scale_levels()` gives its framework's whole scale. `period`: (label, start, end) of an
    intervention, as `placement.Known` dates (end None when not stated), shaded.
    `triggers`: ids of the inspections that led to it, ringed. Returns None when nothing can be
    placed (no grade with a year). `axis_years`: years the axis must also span, so that
    several charts (one per council, on the comparison page) share one time axis.
    """
    rows = drawable(inspections)
    if not rows:
        return None
    bands: list[tuple[str, str, str]] = []
    names: dict[tuple[str, str, str], str] = {}
    for row in sorted(rows, key=lambda r: (r.year, r.band)):
        if row.band not in bands:
            bands.append(row.band)
            names[row.band] = band_name(row.inspection, row.band[2])
    years = [r.year for r in rows] + list(axis_years)
    if period is not None:
        years += [known.parts[0] for known in period[1:] if known is not None]
    positions, x_ticks = year_axis(years, LEFT, WIDTH - RIGHT)
    step = (WIDTH - RIGHT - LEFT) / len(positions)

    series = []
    y = TOP
    for index, band in enumerate(bands):
        members = [r for r in rows if r.band == band]
        scale = dict(members[0].inspection.scale_levels())
        for row in members:  # a grade off the scale (the database refuses one)
            scale.setdefault(row.score, row.grade)
        low, high = min(scale), max(scale)
        levels = high - low
        top = y + 50  # room for the band's name and framework
        height = max(levels, 1) * LEVEL_HEIGHT
        bottom = top + height

        def place(score, top=top, low=low, high=high, height=height):
            if high == low:
                return top + height / 2
            return top + (high - score) / (high - low) * height

        members.sort(key=lambda r: (r.year, r.score, r.inspection.pk))
        xy = [(positions[r.year], place(r.score)) for r in members]
        offsets = spread(xy)
        marker = MARKERS[index % len(MARKERS)]
        points = [
            Point(
                x=x + dx,
                y=py,
                title=point_title(row, row.inspection.pk in triggers),
                marker=marker,
                trigger=row.inspection.pk in triggers,
            )
            for (x, py), dx, row in zip(xy, offsets, members, strict=True)
        ]
        series.append(
            Series(
                name=names[band],
                framework=members[0].inspection.get_framework_display(),
                colour=COLOURS[index % len(COLOURS)],
                dash=DASHES[index % len(DASHES)],
                marker=marker,
                points=points,
                label_y=y + 16,
                top=top,
                bottom=bottom,
                y_ticks=[
                    Tick(place(score), grade)
                    for score, grade in sorted(scale.items(), reverse=True)
                ],
            )
        )
        y = bottom + BAND_GAP
    plot_bottom = y - BAND_GAP + 10
    shades = []
    if period is not None:
        label, start, end = period
        left = edge(start, positions, step, end=False)
        right = edge(end, positions, step, end=True) if end is not None else WIDTH - RIGHT
        shades.append(Shade(left, max(right - left, 2), label))
    first, last = min(r.year for r in rows), max(r.year for r in rows)
    span = str(first) if first == last else f"{first} to {last}"
    summary = "; ".join(
        f"{s.name} ({s.framework}): " + ", ".join(p.title.split(" — ")[0] for p in s.points)
        for s in series
    )
    marked = [p for s in series for p in s.points if p.trigger]
    extra = ""
    if shades:
        extra += f" The shaded area is {shades[0].label}."
    if marked:
        extra += " A ringed marker is the inspection the report says led to the intervention."
    height = plot_bottom + AXIS_HEIGHT
    for shade in shades:
        shade.legend_y = height + 4
        height += LEGEND_ROW
    if marked:
        height += LEGEND_ROW
    return Chart(
        title=f"{subject}: inspection grades by year, {span}",
        desc=(
            "Each band is one inspection framework and one service, with its own grade scale "
            f"(better grades higher); different services are never joined by a line. {summary}."
            f"{extra}"
        ),
        width=WIDTH,
        height=int(height),
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=plot_bottom,
        x_ticks=x_ticks,
        series=series,
        shades=shades,
        trigger_legend_y=height - LEGEND_ROW + 4 if marked else 0,
    )


def edge(known, positions: dict[int, float], step: float, end: bool) -> float:
    """Where a partial date falls on a year axis: a month within its year, a year whole."""
    year = min(max(known.parts[0], min(positions)), max(positions))
    left = positions[year] - step / 2
    if len(known.parts) >= 2 and known.parts[0] == year:
        month = known.parts[1]
        return left + (month if end else month - 1) / 12 * step
    return left + (step if end else 0)


def point_title(row: Row, trigger: bool = False) -> str:
    inspection = row.inspection
    when = inspection.period or str(inspection.year)
    grade = f"{row.area}: {row.grade}" if row.area else row.grade
    led = " (led to the intervention)" if trigger else ""
    return f"{when}: {grade}{led} — {inspection.title}"


# Spending ------------------------------------------------------------------------------


def nice_step(maximum: float, steps: int = 5) -> float:
    if maximum <= 0:
        return 1
    raw = maximum / steps
    power = 10 ** math.floor(math.log10(raw))
    for nice in (1, 2, 2.5, 5, 10):
        if nice * power >= raw:
            return nice * power
    return 10 * power


def money_label(value: float) -> str:
    if value >= 1_000_000:
        text = f"{value / 1_000_000:.1f}".removesuffix(".0")
        return f"£{text}m"
    if value >= 1_000:
        text = f"{value / 1_000:.1f}".removesuffix(".0")
        return f"£{text}k"
    return f"£{value:,.0f}"


def spending_chart(groups, subject: str):
    """Amount by year, one series per spending line (at most MAX_SERIES drawn).

    `groups`: one dict per line and year, with the number of figures and their lowest and
    highest amounts. One figure is drawn as a marker; several as a bar from lowest to
    highest, never added up or averaged. Returns None when there is nothing to draw.
    """
    if not groups:
        return None
    by_name: dict[str, list[dict]] = defaultdict(list)
    for group in groups:
        by_name[group["line"]].append(group)
    names = sorted(by_name, key=lambda n: (-sum(g["count"] for g in by_name[n]), n))
    drawn, left_over = names[:MAX_SERIES], names[MAX_SERIES:]
    drawn_groups = [group for name in drawn for group in by_name[name]]
    legend_height = LEGEND_ROW * len(drawn) + 10
    plot_top, plot_bottom = TOP + 8, TOP + 8 + SPEND_HEIGHT
    left = 84
    positions, x_ticks = year_axis([g["year"] for g in drawn_groups], left, WIDTH - RIGHT)
    maximum = float(max(Decimal(g["high"]) for g in drawn_groups))
    step = nice_step(maximum)
    top_value = step * max(1, math.ceil(maximum / step))

    def place(amount) -> float:
        return plot_bottom - float(amount) / top_value * (plot_bottom - plot_top)

    y_ticks = [
        Tick(place(step * k), money_label(step * k)) for k in range(round(top_value / step) + 1)
    ]
    series = []
    legend_top = plot_bottom + AXIS_HEIGHT
    for index, name in enumerate(drawn):
        rows = sorted(by_name[name], key=lambda g: g["year"])
        marker = MARKERS[index % len(MARKERS)]
        points, ranges = [], []
        for group in rows:
            x = positions[group["year"]]
            if group["count"] == 1 or group["low"] == group["high"]:
                title = f"{group['year']}: {exact_money(group['low'])}"
                if group["count"] > 1:
                    title += f" ({group['count']} figures, all the same)"
                points.append(Point(x=x, y=place(group["low"]), marker=marker, title=title))
            else:
                title = (
                    f"{group['year']}: {group['count']} figures from "
                    f"{exact_money(group['low'])} to {exact_money(group['high'])}"
                )
                ranges.append(
                    Range(x=x, low=place(group["low"]), high=place(group["high"]), title=title)
                )
        label_y = legend_top + LEGEND_ROW * index + 14
        series.append(
            Series(
                name=name,
                colour=COLOURS[index % len(COLOURS)],
                dash=DASHES[index % len(DASHES)],
                marker=marker,
                points=points,
                ranges=ranges,
                joined=not ranges,
                label_y=label_y,
                legend_line_y=label_y - 4,
                legend_path=marker_path(marker, left + 20, label_y - 4),
            )
        )
    first = min(g["year"] for g in drawn_groups)
    last = max(g["year"] for g in drawn_groups)
    span = str(first) if first == last else f"{first} to {last}"
    summary = "; ".join(
        f"{s.name}: "
        + ", ".join(
            item.title for item in sorted([*s.points, *s.ranges], key=lambda item: item.title)
        )
        for s in series
    )
    return Chart(
        title=f"{subject}: money by year, {span}",
        desc=f"Amounts in pounds by the year each period begins. {summary}.",
        width=WIDTH,
        height=int(legend_top + legend_height),
        plot_left=left,
        plot_right=WIDTH - RIGHT,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        series=series,
        left_over=left_over,
        x_label="Year the period begins",
    )


def exact_money(amount) -> str:
    amount = Decimal(amount)
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"
