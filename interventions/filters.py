import django_filters

from .filter_fields import TextFilter, YearFilter, slug_choices
from .models import (
    Council,
    CouncilType,
    Intervention,
    InterventionKind,
    Region,
    Source,
    SourceKind,
    Status,
    Workstream,
)

MENTIONED = (("no", "Case studies"), ("yes", "Mentioned in passing"))


def filter_mentioned(queryset, name, value):
    return queryset.filter(mentioned_only=value == "yes")


class InterventionFilter(django_filters.FilterSet):
    q = TextFilter(label="Words", fields=("title", "summary", "subject_council__name"))
    council = django_filters.ModelMultipleChoiceFilter(
        label="Council",
        distinct=False,
        field_name="subject_council__slug",
        to_field_name="slug",
        queryset=slug_choices("interventions.Council"),
    )
    council_type = django_filters.MultipleChoiceFilter(
        label="Council type",
        field_name="subject_council__council_type",
        choices=CouncilType.choices,
    )
    region = django_filters.MultipleChoiceFilter(
        label="Region", field_name="subject_council__region", choices=Region.choices
    )
    kind = django_filters.MultipleChoiceFilter(
        label="Kind", field_name="kind", choices=InterventionKind.choices
    )
    service_area = django_filters.ModelMultipleChoiceFilter(
        label="Service area",
        field_name="service_areas__slug",
        to_field_name="slug",
        queryset=slug_choices("interventions.ServiceArea"),
    )
    status = django_filters.MultipleChoiceFilter(
        label="Status", field_name="status", choices=Status.choices
    )
    mentioned = django_filters.ChoiceFilter(
        label="Depth", choices=MENTIONED, method=filter_mentioned, empty_label="All"
    )
    year_from = YearFilter(
        label="Started in or after", field_name="start_date", lookup_expr="year__gte"
    )
    year_to = YearFilter(
        label="Started in or before", field_name="start_date", lookup_expr="year__lte"
    )

    class Meta:
        model = Intervention
        fields = []


class CouncilFilter(django_filters.FilterSet):
    q = TextFilter(label="Name", fields=("name", "also_known_as"))
    council_type = django_filters.MultipleChoiceFilter(
        label="Council type", field_name="council_type", choices=CouncilType.choices
    )
    region = django_filters.MultipleChoiceFilter(
        label="Region", field_name="region", choices=Region.choices
    )

    class Meta:
        model = Council
        fields = []


class WorkstreamFilter(django_filters.FilterSet):
    q = TextFilter(label="Words", fields=("name", "objective", "lead"))
    council = django_filters.ModelMultipleChoiceFilter(
        label="Council",
        distinct=False,
        field_name="intervention__subject_council__slug",
        to_field_name="slug",
        queryset=slug_choices("interventions.Council"),
    )
    intervention = django_filters.ModelMultipleChoiceFilter(
        label="Intervention",
        distinct=False,
        field_name="intervention__slug",
        to_field_name="slug",
        queryset=slug_choices("interventions.Intervention"),
    )
    kind = django_filters.MultipleChoiceFilter(
        label="Kind of intervention",
        field_name="intervention__kind",
        choices=InterventionKind.choices,
    )
    region = django_filters.MultipleChoiceFilter(
        label="Region", field_name="intervention__subject_council__region", choices=Region.choices
    )

    class Meta:
        model = Workstream
        fields = []


class SourceFilter(django_filters.FilterSet):
    q = TextFilter(label="Words", fields=("title", "publisher", "authors", "summary"))
    kind = django_filters.MultipleChoiceFilter(
        label="Kind", field_name="kind", choices=SourceKind.choices
    )
    publisher = django_filters.AllValuesMultipleFilter(label="Publisher", field_name="publisher")

    class Meta:
        model = Source
        fields = []
