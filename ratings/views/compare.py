"""/compare/ (councils or interventions side by side) and /outcomes/ (one row per intervention)."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import TemplateView

from interventions.addresses import absolute, site_root
from interventions.citations import CITATION_FORMATS, Citation
from interventions.filter_fields import ChoicesFilter
from interventions.filters import InterventionFilter
from interventions.footnotes import Footnotes
from interventions.listing import CITATION_COLUMNS, Column, Facet, ListPage, csv_safe
from interventions.models import Council, Intervention, InterventionKind, Status, TargetMet
from interventions.views.details.base import shown
from interventions.views.details.serialise import money as json_money
from interventions.views.lists import COUNCIL_FACETS, STATUS_CLAIM_COLUMNS, TARGET_MET_NOTE_COLUMN
from interventions.visibility import may_name

from ..compare import (
    COUNCILS_MAX,
    INTERVENTIONS_MAX,
    choose,
    cost_text,
    grades_text,
    money_text,
    outcome,
    outcome_queryset,
    printable,
)
from ..council_comparison import compare_councils

FORMATS = ("html", "json", "csv", *CITATION_FORMATS)
ADD_MATCHES = 8  # councils named in the message when a name to add matches several
ADD_LONGEST = 200  # characters: a council's name is never longer


def is_public(request) -> bool:
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated and user.is_staff)


def plain(message: str, status: int = 400) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def names(records) -> str:
    labels = [str(r) for r in records]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def source_cells(fact, public: bool) -> list[str]:
    if fact is None:
        return ["", ""]
    if not may_name(fact.source, public):
        return ["Not yet published", ""]
    return [fact.source.title, fact.locator]


class ComparePage(TemplateView):
    template_name = "ratings/compare.html"

    def get(self, request, *args, **kwargs):
        fmt = (request.GET.get("format") or "html").strip().lower()
        if fmt not in FORMATS:
            return plain(f'Unknown format "{fmt}". Use one of: {", ".join(FORMATS)}.')
        self.public = is_public(request)
        council_slugs = request.GET.getlist("council")
        added: list[str] = []
        for name in request.GET.getlist("add"):
            slug, problem = council_named(name, self.public)
            if slug:
                council_slugs.append(slug)
            if problem:
                added.append(problem)
        intervention_slugs = request.GET.getlist("intervention")
        context = {"public": self.public, "footnotes": Footnotes(public=self.public)}
        problems: list[str] = []
        records: list = []
        mode = "intervention" if intervention_slugs and not council_slugs else "council"
        if council_slugs and intervention_slugs:
            problems.append("Compare councils or interventions, not both at once.")
        elif mode == "council" and council_slugs:
            records, problems = choose(
                council_slugs,
                shown(Council.objects.select_related("source"), self.public),
                "council",
                COUNCILS_MAX,
            )
        elif mode == "intervention":
            queryset = outcome_queryset(shown(Intervention.objects.all(), self.public), self.public)
            records, problems = choose(
                intervention_slugs, queryset, "intervention", INTERVENTIONS_MAX
            )
        problems = added + problems
        ready = len(records) >= 2 and not (council_slugs and intervention_slugs)
        if fmt != "html" and not ready:
            if fmt == "json":
                return JsonResponse({"errors": problems or ["Choose what to compare."]}, status=400)
            return plain("\n".join(problems or ["Choose what to compare."]))
        context.update(mode=mode, problems=problems, ready=ready, records=records)
        if ready:
            self.records = records
            self.mode = mode
            citation = self.citation(records, mode)
            if fmt in CITATION_FORMATS:
                return citation.response(fmt)
            if mode == "council":
                comparison = compare_councils(records, self.public)
                if fmt == "json":
                    return self.json(self.councils_json(comparison, citation))
                if fmt == "csv":
                    return self.csv(self.councils_csv(comparison))
                context.update(comparison=comparison, councils=records)
            else:
                outcomes = [outcome(i) for i in records]
                if fmt == "json":
                    return self.json(
                        {
                            "url": citation.url,
                            "interventions": [outcome_json(o, self.public) for o in outcomes],
                            "citation": citation_links(citation.url),
                        }
                    )
                if fmt == "csv":
                    return self.csv(outcome_csv_rows(outcomes, self.public))
                context["outcomes"] = outcomes
            context.update(
                citation=citation,
                canonical_url=citation.url,
                links={k.replace("-", "_"): v for k, v in citation_links(citation.url).items()},
            )
        if mode == "council":
            # Every council to choose from, where nothing is compared yet or the reader asks
            # for them (?choose=all); beside a comparison, only the chosen ones, with a box to
            # add one by name: the list of every council would be most of the page.
            chosen = {r.slug for r in records}
            every = not ready or request.GET.get("choose") == "all"
            context["every_council"] = every
            context["choices"] = (
                [
                    (c, c.slug in chosen)
                    for c in shown(Council.objects.order_by("name"), self.public).only(
                        "slug", "name", "published"
                    )
                ]
                if every
                else [(c, True) for c in records]
            )
            if not every:
                context["choose_all_url"] = (
                    f"{reverse('ratings:compare')}?"
                    + urlencode([("council", r.slug) for r in records] + [("choose", "all")])
                    + "#choose-heading"
                )
        return self.render_to_response(self.get_context_data(**context))

    # Citation ------------------------------------------------------------------------------

    def address(self, records, mode) -> str:
        query = urlencode([(mode, r.slug) for r in records])
        return absolute(f"{reverse('ratings:compare')}?{query}")

    def citation(self, records, mode) -> Citation:
        what = "councils" if mode == "council" else "interventions"
        return Citation(
            title=f"Comparison of {names(records)}",
            url=self.address(records, mode),
            site_url=site_root() + "/",
            kind="Comparison",
            key="compare-" + "-".join(r.slug for r in records)[:120],
            description=f"{len(records)} {what} side by side, as the reports record them.",
            sources=[],
            source_url=lambda source: absolute(source.get_absolute_url()),
        )

    # Formats -------------------------------------------------------------------------------

    def json(self, data) -> JsonResponse:
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})

    def csv(self, rows) -> HttpResponse:
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow([csv_safe("" if v is None else v) for v in row])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        name = "-".join(r.slug for r in self.records)[:120]
        response["Content-Disposition"] = f'attachment; filename="casebook-compare-{name}.csv"'
        return response

    def cited(self, fact) -> dict:
        if fact is None:
            return {"source": None, "locator": None}
        if not may_name(fact.source, self.public):
            return {"source": {"not_yet_published": True}, "locator": None}
        return {
            "source": {
                "slug": fact.source.slug,
                "title": fact.source.title,
                "url": absolute(fact.source.get_absolute_url()),
            },
            "locator": fact.locator,
        }

    def councils_json(self, comparison, citation) -> dict:
        councils = comparison.councils
        return {
            "url": citation.url,
            "councils": [
                {"slug": c.slug, "name": c.name, "url": absolute(c.get_absolute_url())}
                for c in councils
            ],
            "key_facts": [
                {
                    "label": label,
                    "values": [
                        {
                            "council": c.slug,
                            "value": cell["text"],
                            "period": cell.get("detail", ""),
                            **self.cited(cell.get("fact")),
                        }
                        for c, cell in zip(councils, cells, strict=True)
                    ],
                }
                for label, cells in comparison.key_facts
            ],
            "frameworks_warning": comparison.warning or None,
            "grades": [
                {
                    "service": row["service"],
                    "council": row["council"].slug,
                    "inspections": [
                        {
                            "year": grade["fact"].year,
                            "period": grade["fact"].period,
                            "framework": grade["framework"],
                            "grade": grade["text"],
                            "url": absolute(grade["fact"].get_absolute_url()),
                            **self.cited(grade["fact"]),
                        }
                        for cell in row["cells"]
                        for grade in cell
                    ],
                }
                for row in comparison.grade_rows
            ],
            "spending": [
                {
                    "council": councils[index].slug,
                    "year": row["year"],
                    "period": item["fact"].period,
                    "line": item["fact"].line,
                    "kind": item["fact"].kind,
                    "amount_gbp": json_money(item["fact"].amount_gbp),
                    "as_printed": item["fact"].as_printed,
                    "qualifier": item["fact"].qualifier,
                    "per_head_gbp": json_money(item["per_head"]),
                    **self.cited(item["fact"]),
                }
                for row in comparison.spending_rows
                for index, cell in enumerate(row["cells"])
                for item in cell["items"]
            ],
            "interventions": [
                {
                    "council": councils[index].slug,
                    "kind": row["kind"],
                    "kind_label": row["label"],
                    "slug": i.slug,
                    "title": i.title,
                    "url": absolute(i.get_absolute_url()),
                    "status": i.status,
                    "target_met": i.target_met or None,
                    **self.cited(i),
                }
                for row in comparison.intervention_rows
                for index, cell in enumerate(row["cells"])
                for i in cell["items"]
            ],
            "window": {
                "inspections": comparison.grades_rule.removesuffix(" Every one is in the lists:"),
                "spending": comparison.spending_rule.removesuffix(" Every one is in the lists:"),
                "interventions": (
                    f"At most {comparison.interventions_per_kind} of each kind for each "
                    "council, the latest."
                ),
            },
            "not_shown": [
                {
                    "council": more["council"].slug,
                    "what": more["text"],
                    "count": more["count"],
                    "url": absolute(more["url"]),
                }
                for more in comparison.left_out()
            ],
            "citation": citation_links(citation.url),
        }

    def councils_csv(self, comparison):
        councils = comparison.councils
        yield ["Section", "What", "Council", "Value", "Period", "Source", "Locator", "Casebook URL"]
        base = site_root()
        for label, cells in comparison.key_facts:
            for c, cell in zip(councils, cells, strict=True):
                fact = cell.get("fact")
                url = base + (fact or c).get_absolute_url()
                row = ["Key facts", label, c.name, cell["text"], cell.get("detail", "")]
                yield [*row, *source_cells(fact, self.public), url]
        for row in comparison.grade_rows:
            for cell in row["cells"]:
                for grade in cell:
                    i = grade["fact"]
                    yield [
                        "Inspection grades",
                        f"{row['service']}: {i.get_framework_display()}",
                        row["council"].name,
                        grade["text"],
                        i.period or i.year or "",
                        *source_cells(i, self.public),
                        base + i.get_absolute_url(),
                    ]
        for row in comparison.spending_rows:
            for index, cell in enumerate(row["cells"]):
                for item in cell["items"]:
                    line = item["fact"]
                    value = money_text(line)
                    if item["per_head"] is not None:
                        value += f" (£{item['per_head']:,} per resident)"
                    yield [
                        "Spending",
                        line.line,
                        councils[index].name,
                        value,
                        line.period or line.year or "",
                        *source_cells(line, self.public),
                        base + f"{councils[index].get_absolute_url()}#spending-{line.ref}",
                    ]
        for row in comparison.intervention_rows:
            for index, cell in enumerate(row["cells"]):
                for i in cell["items"]:
                    outcome_label = i.get_target_met_display() if i.target_met else ""
                    yield [
                        "Interventions",
                        row["label"],
                        councils[index].name,
                        i.title,
                        outcome_label,
                        *source_cells(i, self.public),
                        base + i.get_absolute_url(),
                    ]
        for more in comparison.left_out():
            council = more["council"]
            yield ["Not shown", more["text"], council.name, more["count"], "", "", "",
                   base + more["url"]]  # fmt: skip


def council_named(name: str, public: bool) -> tuple[str | None, str | None]:
    """The slug of the one council whose name is, or else contains, `name` (?add=), and what
    was wrong where there is none or more than one."""
    name = " ".join(name.split())
    if not name:
        return None, None
    if not name.isprintable():  # PostgreSQL refuses a NUL in a query, and no name has one
        return None, f'A council\'s name has no control characters: "{printable(name)}".'
    if len(name) > ADD_LONGEST:
        return None, f'No council has a name as long as "{printable(name)}".'
    councils = shown(Council.objects.all(), public).only("slug", "name", "published")
    exact = list(councils.filter(name__iexact=name)[:2])
    if len(exact) == 1:
        return exact[0].slug, None
    found = list(councils.filter(name__icontains=name).order_by("name")[: ADD_MATCHES + 1])
    if len(found) == 1:
        return found[0].slug, None
    if not found:
        return None, f'No published council is named like "{printable(name)}".'
    listed = ", ".join(c.name for c in found[:ADD_MATCHES])
    more = " and more" if len(found) > ADD_MATCHES else ""
    return None, (
        f'"{printable(name)}" matches several councils ({listed}{more}): type more of the '
        "name to add one."
    )


def citation_links(url: str) -> dict:
    return {fmt: f"{url}&format={fmt}" for fmt in CITATION_FORMATS}


OUTCOME_HEADERS = [
    "Intervention",
    "Council",
    "Kind",
    "Service areas",
    "Start",
    "End",
    "Duration",
    "Cost",
    "Headline target",
    "Target met",
    "Target met note",
    "Grades before",
    "Grades after",
    "Source",
    "Locator",
    "Casebook URL",
]


def outcome_cells(o, public: bool) -> list:
    i = o.intervention
    return [
        i.title,
        i.subject_council.name,
        i.get_kind_display(),
        "; ".join(a.name for a in o.service_areas),
        i.start_display,
        i.end_display,
        o.duration,
        cost_text(o.cost),
        i.target,
        o.target_met,
        i.target_met_note,
        grades_text(o.before),
        grades_text(o.after),
        *source_cells(i, public),
        site_root() + i.get_absolute_url(),
    ]


def outcome_csv_rows(outcomes, public: bool):
    yield OUTCOME_HEADERS
    for o in outcomes:
        yield outcome_cells(o, public)


def grades_json(grades, public: bool) -> list[dict]:
    return [
        {
            "service": g.service,
            "grade": g.text,
            "year": g.inspection.year,
            "period": g.inspection.period,
            "framework": g.inspection.framework,
            "placement": g.placement,
            "inspection": absolute(g.inspection.get_absolute_url()),
        }
        for g in grades
    ]


def outcome_json(o, public: bool) -> dict:
    i = o.intervention
    return {
        "slug": i.slug,
        "title": i.title,
        "url": absolute(i.get_absolute_url()),
        "council": i.subject_council.name,
        "kind": i.kind,
        "kind_label": i.get_kind_display(),
        "service_areas": [a.name for a in o.service_areas],
        "start": i.start_display or None,
        "end": i.end_display or None,
        "duration": o.duration or None,
        "cost": {
            "low_gbp": json_money(o.cost["low"].amount_gbp) if o.cost["low"] else None,
            "high_gbp": json_money(o.cost["high"].amount_gbp) if o.cost["high"] else None,
            "sources_differ": o.cost["differ"],
            "text": cost_text(o.cost) or None,
        },
        "target": i.target,
        "target_met": i.target_met or None,
        "target_met_label": o.target_met or None,
        "target_met_note": i.target_met_note,
        "grades_before": grades_json(o.before, public),
        "grades_after": grades_json(o.after, public),
    }


# /outcomes/ ---------------------------------------------------------------------------------


def outcome_column(key, label, get, order_by=None, **kwargs):
    return Column(key, label, lambda i: get(outcome(i)), order_by, **kwargs)


class OutcomeFilter(InterventionFilter):
    target_met = ChoicesFilter(
        label="Target met", field_name="target_met", choices=TargetMet.choices
    )

    class Meta(InterventionFilter.Meta):
        pass


class OutcomeList(ListPage):
    title = "Outcomes"
    intro = (
        "One row per intervention: what it was, when it ran, what it cost, the target it was "
        "set, whether the reports say it was met, and the subject council's inspection grades "
        "for each service before it began and after it ended."
    )
    template_name = "ratings/outcomes.html"
    filterset_class = OutcomeFilter
    default_sort = "start"
    export_name = "outcomes"
    facets = [
        Facet("kind", "Kind", "kind", choices=InterventionKind.choices),
        Facet("target_met", "Target met", "target_met", choices=TargetMet.choices),
        Facet("status", "Status", "status", choices=Status.choices),
        Facet("council", "Council", "subject_council__slug", "subject_council__name"),
        *COUNCIL_FACETS,
        Facet("service_area", "Service area", "service_areas__slug", "service_areas__name"),
    ]
    columns = [
        Column(
            "title", "Intervention", lambda o: o.title, "title", link=lambda o: o.get_absolute_url()
        ),
        Column(
            "council",
            "Council",
            lambda o: o.subject_council.name,
            "subject_council__name",
            link=lambda o: o.subject_council.get_absolute_url(),
        ),
        Column("kind", "Kind", lambda o: o.get_kind_display(), "kind"),
        outcome_column(
            "service_areas", "Service areas", lambda o: "; ".join(a.name for a in o.service_areas)
        ),
        Column(
            "start",
            "Start",
            lambda o: o.start_date,
            "start_date",
            display=lambda o: o.start_display,
        ),
        Column("end", "End", lambda o: o.end_date, "end_date", display=lambda o: o.end_display),
        outcome_column("duration", "Duration", lambda o: o.duration),
        outcome_column(
            "cost_low_gbp",
            "Cost from (£)",
            lambda o: o.cost["low"].amount_gbp if o.cost["low"] else None,
            in_html=False,
        ),
        outcome_column(
            "cost_high_gbp",
            "Cost to (£)",
            lambda o: o.cost["high"].amount_gbp if o.cost["high"] else None,
            in_html=False,
        ),
        outcome_column("cost", "Cost", lambda o: cost_text(o.cost)),
        Column("target", "Headline target", lambda o: o.target),
        Column(
            "target_met",
            "Target met",
            lambda o: o.get_target_met_display() if o.target_met else "",
            "target_met",
        ),
        TARGET_MET_NOTE_COLUMN,
        Column("status", "Status", lambda o: o.get_status_display(), "status", in_html=False),
        *STATUS_CLAIM_COLUMNS,
        outcome_column("grades_before", "Grades before", lambda o: grades_text(o.before)),
        outcome_column("grades_after", "Grades after", lambda o: grades_text(o.after)),
        *CITATION_COLUMNS,
    ]

    def get_queryset(self):
        return outcome_queryset(Intervention.objects.published(), public=True)
