import django_filters

from interventions.filter_fields import AmountFilter, TextFilter, YearFilter, slug_choices
from interventions.models import CouncilType, Region

from .models import Framework, Judgement, SpendingKind, SpendingLine


class JudgementFilter(django_filters.FilterSet):
    q = TextFilter(label="Words", fields=("area", "section", "inspection__title"))
    council = django_filters.ModelMultipleChoiceFilter(
        label="Council",
        distinct=False,
        field_name="inspection__council__slug",
        to_field_name="slug",
        queryset=slug_choices("interventions.Council"),
    )
    council_type = django_filters.MultipleChoiceFilter(
        label="Council type",
        field_name="inspection__council__council_type",
        choices=CouncilType.choices,
    )
    region = django_filters.MultipleChoiceFilter(
        label="Region", field_name="inspection__council__region", choices=Region.choices
    )
    framework = django_filters.MultipleChoiceFilter(
        label="Framework", field_name="framework", choices=Framework.choices
    )
    inspectorate = django_filters.ModelMultipleChoiceFilter(
        label="Inspectorate",
        distinct=False,
        field_name="inspection__inspectorate__slug",
        to_field_name="slug",
        queryset=slug_choices("interventions.Organisation"),
    )
    grade = django_filters.AllValuesMultipleFilter(label="Grade", field_name="grade")
    year_from = YearFilter(label="Year from", field_name="inspection__year", lookup_expr="gte")
    year_to = YearFilter(label="Year to", field_name="inspection__year", lookup_expr="lte")

    class Meta:
        model = Judgement
        fields = []


class SpendingFilter(django_filters.FilterSet):
    q = TextFilter(label="Words", fields=("line", "note", "as_printed"))
    council = django_filters.ModelMultipleChoiceFilter(
        label="Council",
        distinct=False,
        field_name="council__slug",
        to_field_name="slug",
        queryset=slug_choices("interventions.Council"),
    )
    council_type = django_filters.MultipleChoiceFilter(
        label="Council type", field_name="council__council_type", choices=CouncilType.choices
    )
    region = django_filters.MultipleChoiceFilter(
        label="Region", field_name="council__region", choices=Region.choices
    )
    kind = django_filters.MultipleChoiceFilter(
        label="Kind", field_name="kind", choices=SpendingKind.choices
    )
    intervention = django_filters.ModelMultipleChoiceFilter(
        label="Intervention",
        distinct=False,
        field_name="intervention__slug",
        to_field_name="slug",
        queryset=slug_choices("interventions.Intervention"),
    )
    year_from = YearFilter(label="Year from", field_name="year", lookup_expr="gte")
    year_to = YearFilter(label="Year to", field_name="year", lookup_expr="lte")
    amount_min = AmountFilter(label="At least (£)", field_name="amount_gbp", lookup_expr="gte")
    amount_max = AmountFilter(label="At most (£)", field_name="amount_gbp", lookup_expr="lte")

    class Meta:
        model = SpendingLine
        fields = []
