import django_filters
from django.db.models import Q

from interventions.filter_fields import (
    AmountFilter,
    ChoicesFilter,
    PublishedValuesFilter,
    TextFilter,
    YearFilter,
    council_filters,
    slug_filter,
)
from interventions.filters import INFERRED_YEARS

from .models import (
    Framework,
    Inspection,
    Judgement,
    ServiceScope,
    SpendingKind,
    SpendingLine,
    Statistic,
    Unit,
)
from .models.scales import SCALE_GRADES

# What a statistic can be about: exactly one of these is set on each row.
SUBJECT_KINDS = [
    ("council", "A council"),
    ("organisation", "An organisation"),
    ("person", "A person"),
]

# Every grade of every scale, from the scales themselves (the database holds no others),
# rather than a SELECT DISTINCT over every judgement each time the form is built.
GRADE_CHOICES = [(g, g) for g in dict.fromkeys(g for s in SCALE_GRADES.values() for g in s)]


def inspectorates(request):
    """Only the organisations that inspect: the filter offers no department or provider."""
    from interventions.models import Organisation, OrganisationKind

    return Organisation.objects.filter(kind=OrganisationKind.INSPECTORATE)


def inspectorate_filter(path: str):
    return django_filters.ModelMultipleChoiceFilter(
        label="Inspectorate",
        distinct=False,
        field_name=f"{path}__slug",
        to_field_name="slug",
        queryset=inspectorates,
    )


class JudgementFilter(django_filters.FilterSet):
    q = TextFilter(label="Words", fields=("area", "section", "inspection__title"))
    council, council_type, region = council_filters("inspection__council")
    framework = ChoicesFilter(label="Framework", field_name="framework", choices=Framework.choices)
    inspectorate = inspectorate_filter("inspection__inspectorate")
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


class InspectionFilter(django_filters.FilterSet):
    q = TextFilter(label="Words", fields=("title", "service", "summary", "overall_as_printed"))
    council, council_type, region = council_filters("council")
    framework = ChoicesFilter(label="Framework", field_name="framework", choices=Framework.choices)
    inspectorate = inspectorate_filter("inspectorate")
    service_scope = ChoicesFilter(
        label="Service rated", field_name="service_scope", choices=ServiceScope.choices
    )
    overall_grade = ChoicesFilter(
        label="Overall result", field_name="overall_grade", choices=GRADE_CHOICES
    )
    equivalent_grade = ChoicesFilter(
        label="Equivalent grade (on another scale)",
        field_name="equivalent_grade",
        choices=GRADE_CHOICES,
    )
    year_from = YearFilter(label="Year from", field_name="year", lookup_expr="gte")
    year_to = YearFilter(label="Year to", field_name="year", lookup_expr="lte")

    class Meta:
        model = Inspection
        fields = []


class StatisticFilter(django_filters.FilterSet):
    q = TextFilter(
        label="Words", fields=("measure", "period", "comparator_group", "note", "as_printed")
    )
    council, council_type, region = council_filters("council")
    organisation = slug_filter("Organisation", "organisation", "interventions.Organisation")
    person = slug_filter("Person", "person", "interventions.Person")
    subject = ChoicesFilter(
        label="About", field_name="subject_kind", choices=SUBJECT_KINDS, method="about"
    )
    unit = ChoicesFilter(label="Unit", field_name="unit", choices=Unit.choices)
    comparator_group = PublishedValuesFilter(label="Compared in", field_name="comparator_group")
    intervention = slug_filter("Intervention", "intervention", "interventions.Intervention")
    year_from = YearFilter(label="Year from", field_name="year", lookup_expr="gte")
    year_to = YearFilter(label="Year to", field_name="year", lookup_expr="lte")
    # A year read from context ("10 April [2011]"): left out, or looked at alone.
    years = django_filters.ChoiceFilter(
        label="Years",
        choices=INFERRED_YEARS,
        method="printed_or_inferred",
        empty_label="Printed or inferred",
    )

    class Meta:
        model = Statistic
        fields = []

    def printed_or_inferred(self, queryset, name, value):
        inferred = Q(year_inferred=True)
        return queryset.filter(inferred) if value == "inferred" else queryset.exclude(inferred)

    def about(self, queryset, name, value):
        """?subject=council|organisation|person: figures about that kind of subject."""
        wanted = value if isinstance(value, list | tuple) else [value]
        condition = Q()
        for kind in wanted:
            condition |= Q(**{f"{kind}__isnull": False})
        return queryset.filter(condition)
