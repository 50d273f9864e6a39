import django_filters

from interventions.filter_fields import (
    AmountFilter,
    TextFilter,
    YearFilter,
    council_filters,
    slug_filter,
)

from .models import Framework, Judgement, SpendingKind, SpendingLine


class JudgementFilter(django_filters.FilterSet):
    q = TextFilter(label="Words", fields=("area", "section", "inspection__title"))
    council, council_type, region = council_filters("inspection__council")
    framework = django_filters.MultipleChoiceFilter(
        label="Framework", field_name="framework", choices=Framework.choices
    )
    inspectorate = slug_filter(
        "Inspectorate", "inspection__inspectorate", "interventions.Organisation"
    )
    grade = django_filters.AllValuesMultipleFilter(label="Grade", field_name="grade")
    year_from = YearFilter(label="Year from", field_name="inspection__year", lookup_expr="gte")
    year_to = YearFilter(label="Year to", field_name="inspection__year", lookup_expr="lte")

    class Meta:
        model = Judgement
        fields = []


class SpendingFilter(django_filters.FilterSet):
    q = TextFilter(label="Words", fields=("line", "note", "as_printed"))
    council, council_type, region = council_filters("council")
    kind = django_filters.MultipleChoiceFilter(
        label="Kind", field_name="kind", choices=SpendingKind.choices
    )
    intervention = slug_filter("Intervention", "intervention", "interventions.Intervention")
    year_from = YearFilter(label="Year from", field_name="year", lookup_expr="gte")
    year_to = YearFilter(label="Year to", field_name="year", lookup_expr="lte")
    amount_min = AmountFilter(label="At least (£)", field_name="amount_gbp", lookup_expr="gte")
    amount_max = AmountFilter(label="At most (£)", field_name="amount_gbp", lookup_expr="lte")

    class Meta:
        model = SpendingLine
        fields = []
