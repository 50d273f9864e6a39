"""The kinds of record this app adds to the search index (see `interventions.searchindex`)."""

from interventions.searchindex import Provider, register


def named(*bodies) -> str:
    """The bodies' names, leaving out a council that is still a draft."""
    return ", ".join(str(body) for body in bodies if body and getattr(body, "published", True))


def once(*parts) -> tuple:
    """The parts in order, each only once (a council that is also the payer is named once)."""
    return tuple(dict.fromkeys(part for part in parts if part))


def register_all() -> None:
    from .models import Inspection, Judgement, SpendingLine, Statistic

    register(
        Provider(
            kind="inspections",
            label="Inspections",
            model=Inspection,
            title=lambda o: o.title,
            context=lambda o: named(o.council.name, o.period, o.overall_as_printed),
            body=lambda o: (
                o.council.name,
                str(o.inspectorate),
                o.get_framework_display(),
                o.period,
                o.overall_as_printed,
                o.summary,
            ),
            related=("council", "inspectorate"),
            follows=("council",),
        )
    )
    register(
        Provider(
            kind="judgements",
            label="Judgements",
            model=Judgement,
            title=lambda o: f"{o.area}: {o.grade_as_printed or o.grade or 'not graded'}",
            context=lambda o: o.inspection.title,
            body=lambda o: (o.section, o.grade_as_printed, o.inspection.council.name),
            related=("inspection__council",),
            follows=("inspection",),
        )
    )
    register(
        Provider(
            kind="spending",
            label="Spending lines",
            model=SpendingLine,
            title=lambda o: f"{named(o.get_kind_display(), o.period)}: {o.as_printed}",
            context=lambda o: o.council.name,
            body=lambda o: once(
                o.as_printed,
                o.council.name,
                named(o.payer_council, o.payer_organisation),
                named(o.payee_council, o.payee_organisation),
                o.note,
            ),
            figures=lambda o: (o.amount_gbp,),
            related=(
                "council",
                "payer_council",
                "payer_organisation",
                "payee_council",
                "payee_organisation",
            ),
            follows=("council", "payer_council", "payee_council"),
        )
    )
    register(
        Provider(
            kind="statistics",
            label="Statistics",
            model=Statistic,
            title=lambda o: f"{o.measure} ({o.period}): {o.as_printed}",
            context=lambda o: o.subject.name,
            body=lambda o: (
                o.subject.name,
                o.comparator_label,
                o.comparator_as_printed,
                o.note,
            ),
            figures=lambda o: (o.value, o.comparator_value),
            related=("council", "organisation", "person"),
            follows=("council", "organisation", "person"),
        )
    )
