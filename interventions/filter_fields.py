"""Filters shared by the list pages of both apps."""

import django_filters
from django import forms

YEAR_MIN, YEAR_MAX = 1900, 2100
AMOUNT_MAX = 10**13


class YearFilter(django_filters.NumberFilter):
    """A year, bounded so that absurd values are a form error rather than a database error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric"}))
        super().__init__(*args, **kwargs)


class AmountFilter(django_filters.NumberFilter):
    """An amount in pounds, bounded and with at most two decimal places."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", AMOUNT_MAX)
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


class ChoicesFilter(django_filters.MultipleChoiceFilter):
    """Any of several values of a field reached through foreign keys only.

    One row can match only once, so no SELECT DISTINCT (django-filter's default), which
    would make the database de-duplicate every row of a million-row list.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class TextFilter(django_filters.CharFilter):
    """Free text, matched case-insensitively against several fields."""

    def __init__(self, *args, fields=(), **kwargs):
        self.search_fields = fields
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        from django.db.models import Q

        value = (value or "").strip()
        if not value:
            return qs
        condition = Q()
        for name in self.search_fields:
            condition |= Q(**{f"{name}__icontains": value})
        return qs.filter(condition)


class PublishedValuesFilter(django_filters.MultipleChoiceFilter):
    """Any of the values a field takes on published rows (django-filter's AllValues filter
    reads every row, so a draft's value would pass as valid and tell that it exists)."""

    @property
    def field(self):
        values = (
            self.model._default_manager.published()
            .order_by(self.field_name)
            .values_list(self.field_name, flat=True)
            .distinct()
        )
        self.extra["choices"] = [(value, value) for value in values]
        return super().field


def slug_choices(model_label: str):
    """Database-backed choices, looked up when the form is built, never at import."""

    def queryset(request):
        from django.apps import apps

        return apps.get_model(model_label).objects.published()

    return queryset


def slug_filter(label: str, path: str, model_label: str):
    """Filter by the slug of a related record (?council=slough&council=kent)."""
    return django_filters.ModelMultipleChoiceFilter(
        label=label,
        distinct=False,
        field_name=f"{path}__slug",
        to_field_name="slug",
        queryset=slug_choices(model_label),
    )


def council_filters(path: str):
    """The council, council type and region filters, for rows reached through `path`."""
    from .models import CouncilType, Region

    return (
        slug_filter("Council", path, "interventions.Council"),
        ChoicesFilter(
            label="Council type", field_name=f"{path}__council_type", choices=CouncilType.choices
        ),
        ChoicesFilter(label="Region", field_name=f"{path}__region", choices=Region.choices),
    )
