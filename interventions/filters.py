import django_filters
from django.db.models import Exists, OuterRef, Q

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
    ParticipantRole,
    Person,
    Region,
    Source,
    SourceKind,
    Status,
    Workstream,
)

MENTIONED = (("no", "Case studies"), ("yes", "Mentioned in passing"))


def filter_mentioned(queryset, name, value):
    return queryset.filter(mentioned_only=value == "yes")


# A year read from context rather than printed ("16 April [2014]"): a researcher can leave
# such dates out, or look at them alone. Any of the case study's own dates counts.
INFERRED_YEARS = (("printed", "Printed years only"), ("inferred", "With an inferred year"))
INTERVENTION_DATES = ("start_date", "end_date", "status_as_of")


def filter_inferred_years(queryset, name, value):
    inferred = Q()
    for field in INTERVENTION_DATES:
        inferred |= Q(**{f"{field}_year_inferred": True})
    return queryset.filter(inferred) if value == "inferred" else queryset.exclude(inferred)


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
    years = django_filters.ChoiceFilter(
        label="Years of dates",
        choices=INFERRED_YEARS,
        method=filter_inferred_years,
        empty_label="Printed or inferred",
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
    # A body owned jointly by both councils asked for is listed once.
    council = django_filters.ModelMultipleChoiceFilter(
        label="Belongs to",
        distinct=True,
        field_name="owners__slug",
        to_field_name="slug",
        queryset=slug_choices("interventions.Council"),
    )

    class Meta:
        model = Organisation
        fields = []


HAS_POSTS = (("yes", "With posts recorded"), ("no", "No post recorded"))


def filter_has_posts(queryset, name, value):
    """People with (or without) a post the public may see."""
    from .models import Post

    posts = Post.objects.published().filter(person=OuterRef("pk"))
    return queryset.filter(Exists(posts) if value == "yes" else ~Exists(posts))


def filter_role(queryset, name, value):
    """People with a role, in an intervention the public may see, of any of these kinds."""
    from .models import Participant

    if not value:
        return queryset
    roles = Participant.objects.published().filter(person=OuterRef("pk"), role__in=value)
    return queryset.filter(Exists(roles))


def filter_post_body(queryset, name, value):
    """People who held a post (one the public may see) in any of these bodies.

    An EXISTS rather than a join, so that a person with two posts in one council is
    listed once, without SELECT DISTINCT."""
    from .models import Post

    if not value:
        return queryset
    body = name.split("__")[1]  # "posts__council__slug" → "council"
    posts = Post.objects.published().filter(person=OuterRef("pk"), **{f"{body}__in": value})
    return queryset.filter(Exists(posts))


class PersonFilter(django_filters.FilterSet):
    q = TextFilter(label="Name", fields=("name", "variants"))
    role = ChoicesFilter(
        label="Role in an intervention",
        field_name="participations__role",
        choices=ParticipantRole.choices,
        method=filter_role,
    )
    organisation = django_filters.ModelMultipleChoiceFilter(
        label="Organisation of a post",
        field_name="posts__organisation__slug",
        to_field_name="slug",
        queryset=slug_choices("interventions.Organisation"),
        method=filter_post_body,
    )
    council = django_filters.ModelMultipleChoiceFilter(
        label="Council of a post",
        field_name="posts__council__slug",
        to_field_name="slug",
        queryset=slug_choices("interventions.Council"),
        method=filter_post_body,
    )
    posts = django_filters.ChoiceFilter(
        label="Posts", choices=HAS_POSTS, method=filter_has_posts, empty_label="All"
    )

    class Meta:
        model = Person
        fields = []
