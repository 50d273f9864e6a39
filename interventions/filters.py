import django_filters

from .filter_fields import (
    ChoicesFilter,
    PublishedValuesFilter,
    TextFilter,
    YearFilter,
    council_filters,
    slug_choices,
    slug_filter,
)
from .models import (
    Council,
    CouncilType,
    Intervention,
    InterventionKind,
    Organisation,
    OrganisationKind,
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
    council, council_type, region = council_filters("subject_council")
    kind = ChoicesFilter(label="Kind", field_name="kind", choices=InterventionKind.choices)
    service_area = django_filters.ModelMultipleChoiceFilter(
        label="Service area",
        field_name="service_areas__slug",
        to_field_name="slug",
        queryset=slug_choices("interventions.ServiceArea"),
    )
    status = ChoicesFilter(label="Status", field_name="status", choices=Status.choices)
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
    council_type = ChoicesFilter(
        label="Council type", field_name="council_type", choices=CouncilType.choices
    )
    region = ChoicesFilter(label="Region", field_name="region", choices=Region.choices)

    class Meta:
        model = Council
        fields = []


class WorkstreamFilter(django_filters.FilterSet):
    q = TextFilter(label="Words", fields=("name", "objective", "lead"))
    council, council_type, region = council_filters("intervention__subject_council")
    intervention = slug_filter("Intervention", "intervention", "interventions.Intervention")
    kind = ChoicesFilter(
        label="Kind of intervention",
        field_name="intervention__kind",
        choices=InterventionKind.choices,
    )

    class Meta:
        model = Workstream
        fields = []


class SourceFilter(django_filters.FilterSet):
    q = TextFilter(label="Words", fields=("title", "publisher", "authors", "summary"))
    kind = ChoicesFilter(label="Kind", field_name="kind", choices=SourceKind.choices)
    publisher = PublishedValuesFilter(label="Publisher", field_name="publisher")

    class Meta:
        model = Source
        fields = []


class OrganisationFilter(django_filters.FilterSet):
    q = TextFilter(label="Name", fields=("name", "abbreviation", "description"))
    kind = ChoicesFilter(label="Kind", field_name="kind", choices=OrganisationKind.choices)

    class Meta:
        model = Organisation
        fields = []
