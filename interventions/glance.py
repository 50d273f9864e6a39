"""The "at a glance" panel at the top of a detail page: key numbers and grades before prose.

Each detail view builds its panel from what its page has already fetched (`parts`), so the
panel costs no query; templates/includes/_glance.html draws it. A detail page is a list of
registered sections (interventions.sections): the panel is kept apart, one include fed by
the view's context, so it can become a section of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# gbp: £3,600,000, exact, as on the rest of the page; date_range: as the timeline says it
from .templatetags.detail_tags import date_range, gbp


@dataclass(frozen=True)
class GlanceItem:
    label: str
    value: str
    note: str = ""  # a qualifier shown in lighter type: "as printed", a year, a framework
    url: str = ""  # where on the page (or elsewhere) the fact is set out in full


def plural(count: int, word: str, more: bool = False, words: str = "") -> str:
    """ "1 inspection", "2 inspections", "100+ case studies" (the page shows the first 100)."""
    shown = f"{count:,}{'+' if more else ''}"
    return f"{shown} {word}" if count == 1 and not more else f"{shown} {words or word + 's'}"


def grade_of(inspection) -> GlanceItem | None:
    grade = inspection.overall_grade or inspection.overall_as_printed
    if not grade:
        return None
    when = inspection.period or (str(inspection.year) if inspection.year else "")
    note = ", ".join(x for x in (inspection.get_framework_display(), when) if x)
    return GlanceItem("", grade, note, inspection.get_absolute_url())


def latest_graded(inspections: Iterable) -> object | None:
    graded = [i for i in inspections if i.overall_grade or i.overall_as_printed]
    dated = [i for i in graded if i.year]
    if dated:
        return max(dated, key=lambda i: (i.year, i.start_date is not None, i.start_date))
    return graded[-1] if graded else None


def when(intervention) -> str:
    """ "October 2004 to November 2007"; "planned: 16 April to 16 May [2014]", a kind and an
    inferred year said once, as the timeline says them."""
    text = date_range(intervention)
    return text[:1].upper() + text[1:] if text.startswith(("from ", "until ")) else text


def with_label(item: GlanceItem | None, label: str) -> list[GlanceItem]:
    if item is None:
        return []
    return [GlanceItem(label, item.value, item.note, item.url)]


def case_study(intervention, parts: dict) -> list[GlanceItem]:
    council = intervention.subject_council
    items = [
        GlanceItem("Council", council.name, url=council.get_absolute_url()),
        GlanceItem("Kind", intervention.get_kind_display()),
        GlanceItem(
            "When",
            when(intervention) or "Not stated",
            url="#facts-heading",
        ),
    ]
    if intervention.status:
        items.append(GlanceItem("Status", intervention.get_status_display()))
    cost = parts.get("cost") or {}
    if cost.get("lines"):
        if cost.get("differ"):
            low, high = cost["low"], cost["high"]
            value = f"{gbp(low.amount_gbp)} to {gbp(high.amount_gbp)}"
            note = "the sources differ"
        else:
            value, note = cost["lines"][0].as_printed, "as printed"
        items.append(GlanceItem("Cost", value, note, "#money-heading"))
    else:
        items.append(GlanceItem("Cost", "Not given in the reports"))
    items.append(
        GlanceItem(
            "Target met?",
            intervention.get_target_met_display() if intervention.target_met else "Not assessed",
            url="#facts-heading",
        )
    )
    inspections = parts.get("inspections") or []
    before = [i for i in inspections if getattr(i, "timing", "") == "before"]
    after = [i for i in inspections if getattr(i, "timing", "") in ("during", "after")]
    items += with_label(grade_of(latest_graded(before)) if before else None, "Grade before")
    items += with_label(grade_of(latest_graded(after)) if after else None, "Latest grade since")
    return items


def counted(parts: dict, rows: str, more: str, total: str, word: str, words: str = "") -> str:
    """ "103 case studies" where the page counted them all (it lists the most recent few),
    else "10+ case studies"."""
    if parts.get(total) is not None:
        return plural(parts[total], word, words=words)
    return plural(len(parts.get(rows, [])), word, parts.get(more), words)


def council_page(council, parts: dict) -> list[GlanceItem]:
    items = [
        GlanceItem("Type", council.get_council_type_display() or "Not recorded"),
        GlanceItem("Region", council.get_region_display() or "Not recorded"),
        GlanceItem(
            "Interventions",
            counted(
                parts,
                "interventions",
                "intervention_more",
                "intervention_total",
                "case study",
                "case studies",
            ),
            note="as the subject council",
            url="#interventions-heading",
        ),
    ]
    inspections = parts.get("inspections", [])
    items.append(
        GlanceItem(
            "Inspections",
            counted(parts, "inspections", "inspection_more", "inspection_total", "inspection"),
            url="#inspections-heading",
        )
    )
    by_service: dict[str, list] = {}
    for inspection in inspections:
        by_service.setdefault(inspection.get_service_scope_display(), []).append(inspection)
    for service, rows in by_service.items():
        items += with_label(grade_of(latest_graded(rows)), f"Latest grade: {service}")
    return items


def source_page(source, parts: dict) -> list[GlanceItem]:
    items = [GlanceItem("Kind", source.get_kind_display())]
    if source.publisher:
        items.append(GlanceItem("Published by", source.publisher))
    if source.date_display:
        items.append(GlanceItem("Date", source.date_display))
    more = any(group["more"] for group in parts.get("fact_groups", []))
    items.append(
        GlanceItem(
            "Facts recorded",
            plural(parts.get("fact_total", 0), "fact", more),
            note="cited to this report",
            url="#contents-heading",
        )
    )
    return items


def organisation_page(organisation, parts: dict) -> list[GlanceItem]:
    items = [GlanceItem("Kind", organisation.get_kind_display())]
    groups = parts.get("participation_groups", [])
    items.append(
        GlanceItem(
            "Took part in",
            plural(len(groups), "intervention", parts.get("participation_more")),
            url="#participations-heading",
        )
    )
    if parts.get("inspections"):
        items.append(
            GlanceItem(
                "Inspections",
                plural(len(parts["inspections"]), "inspection", parts.get("inspection_more")),
            )
        )
    received = parts.get("payments_received", [])
    if received:
        items.append(
            GlanceItem(
                "Payments received", plural(len(received), "line", parts.get("received_more"))
            )
        )
    return items


def person_page(person, parts: dict) -> list[GlanceItem]:
    posts = parts.get("posts", [])
    groups = parts.get("participation_groups", [])
    return [
        GlanceItem(
            "Posts held",
            plural(len(posts), "post", parts.get("post_more")),
            url="#posts-heading",
        ),
        GlanceItem(
            "Took part in",
            plural(len(groups), "intervention", parts.get("participation_more")),
            url="#participations-heading",
        ),
    ]
