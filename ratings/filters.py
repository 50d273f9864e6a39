import django_filters

from interventions.filter_fields import (
    AmountFilter,
    ChoicesFilter,
    TextFilter,
    YearFilter,
    council_filters,
    slug_filter,
)

from .models import Framework, Judgement, SpendingKind, SpendingLine
from .models.scales import SCALE_GRADES

# Every grade of every scale, from the scales themselves (the database holds no others),
# rather than a SELECT DISTINCT over every judgement each time the form is built.
GRADE_CHOICES = [(g, g) for g in dict.fromkeys(g for s in SCALE_GRADES.values() for g in s)]


class JudgementFilter(django_filters.FilterSet):
    q = TextFilter(label="Words", fields=("area", "section", "inspection__title"))
    council, council_type, region = council_filters("inspection__council")
    framework = ChoicesFilter(label="Framework", field_name="framework", choices=Framework.choices)
    inspectorate = slug_filter(
        "Inspectorate", "inspection__inspectorate", "interventions.Organisation"
    )
    grade = ChoicesFilter(label="Grade", field_name="grade", choices=GRADE_CHOICES)
    year_from = YearFilter(label="Year from", field_name="inspection__year", lookup_expr="gte")
    year_to = YearFilter(label="Year to", field_name="inspection__year", lookup_expr="lte")

    class Meta:
        model = Judgement
        fields = []


class SpendingFilter(django_filters.FilterSet):
    q = TextFilter(label="Words", fields=("line", "note", "as_printed"))
    council, council_type, region = council_filters("council")
    kind = ChoicesFilter(label="Kind", field_name="kind", choices=SpendingKind.choices)
    intervention = slug_filter("Intervention", "intervention", "interventions.Intervention")
    year_from = YearFilter(label="Year from", field_name="year", lookup_expr="gte")
    year_to = YearFilter(label="Year to", field_name="year", lookup_expr="lte")
    amount_min = AmountFilter(label="At least (£)", field_name="amount_gbp", lookup_expr="gte")
    amount_max = AmountFilter(label="At most (£)", field_name="amount_gbp", lookup_expr="lte")

    class Meta:
        model = SpendingLine
        fields = []
