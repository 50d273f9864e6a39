from django.contrib import admin
from django.db import models

from .models import (
    Council,
    Discrepancy,
    Intervention,
    InterventionLink,
    Lesson,
    Milestone,
    Organisation,
    Participant,
    Phase,
    ServiceArea,
    Source,
    Workstream,
)

CITATION_FIELDS = ("source", "locator")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "publisher", "date", "date_precision")
    list_filter = ("kind", "publisher")
    search_fields = ("title", "publisher", "authors", "summary")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "date"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ("name", "council_type", "region", "gss_code", "also_known_as")
    list_filter = ("council_type", "region")
    search_fields = ("name", "also_known_as", "gss_code", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("successor", "source")
    list_select_related = ("source",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "abbreviation", "kind", "council")
    list_filter = ("kind",)
    search_fields = ("name", "abbreviation", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("council", "successor", "source")
    list_select_related = ("council",)


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Discrepancy)
class DiscrepancyAdmin(admin.ModelAdmin):
    list_display = ("title", "slug")
    search_fields = ("title", "note")
    prepopulated_fields = {"slug": ("title",)}


class PartInline(admin.StackedInline):
    extra = 0
    autocomplete_fields = ("source", "discrepancy")
    classes = ("collapse",)


class ParticipantInline(PartInline):
    model = Participant
    autocomplete_fields = ("council", "organisation", *PartInline.autocomplete_fields)
    fields = (
        ("position", "role"),
        ("council", "organisation"),
        ("person_name", "post"),
        "description",
        (*CITATION_FIELDS, "discrepancy"),
    )


class PhaseInline(PartInline):
    model = Phase
    fields = (
        ("position", "name", "led_by"),
        ("start_date", "start_date_precision", "end_date", "end_date_precision"),
        "description",
        (*CITATION_FIELDS, "discrepancy"),
    )


class WorkstreamInline(PartInline):
    model = Workstream
    fields = (("position", "name", "lead"), "objective", (*CITATION_FIELDS, "discrepancy"))


class LessonInline(PartInline):
    model = Lesson
    fields = (("position", "kind"), "text", (*CITATION_FIELDS, "discrepancy"))


class MilestoneInline(PartInline):
    model = Milestone
    fields = (
        ("position", "date", "date_precision", "end_date", "end_date_precision"),
        "description",
        (*CITATION_FIELDS, "discrepancy"),
    )


class LinkInline(admin.TabularInline):
    model = InterventionLink
    fk_name = "from_intervention"
    extra = 0
    autocomplete_fields = ("to_intervention", "source")
    verbose_name = "related intervention"


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "subject_council",
        "kind",
        "status",
        "start_date",
        "end_date",
        "mentioned_only",
    )
    list_filter = ("kind", "status", "mentioned_only", "service_areas", "subject_council__region")
    search_fields = ("title", "slug", "summary", "subject_council__name")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("subject_council", "source", "discrepancy")
    filter_horizontal = ("service_areas",)
    list_select_related = ("subject_council",)
    date_hierarchy = "start_date"
    fieldsets = (
        (None, {"fields": ("title", "slug", "subject_council", "kind", "service_areas")}),
        (
            "Status and dates",
            {
                "fields": (
                    ("status", "mentioned_only"),
                    ("start_date", "start_date_precision"),
                    ("end_date", "end_date_precision"),
                )
            },
        ),
        ("What happened", {"fields": ("summary", "trigger", "target", "outcome", "target_met")}),
        ("Citation", {"fields": (*CITATION_FIELDS, "discrepancy")}),
    )
    inlines = (
        ParticipantInline,
        PhaseInline,
        WorkstreamInline,
        LessonInline,
        MilestoneInline,
        LinkInline,
    )


class PartAdmin(admin.ModelAdmin):
    """The parts also have lists of their own, for searching across interventions."""

    list_select_related = ("intervention", "source")
    autocomplete_fields = ("intervention", "source", "discrepancy")
    list_filter = ("source",)


@admin.register(Participant)
class ParticipantAdmin(PartAdmin):
    list_display = ("__str__", "intervention", "role", "person_name", "post")
    list_filter = ("role", "source")
    search_fields = ("person_name", "post", "council__name", "organisation__name")
    autocomplete_fields = ("council", "organisation", *PartAdmin.autocomplete_fields)


@admin.register(Phase)
class PhaseAdmin(PartAdmin):
    list_display = ("name", "intervention", "position", "start_date", "end_date", "led_by")
    search_fields = ("name", "description", "led_by")


@admin.register(Workstream)
class WorkstreamAdmin(PartAdmin):
    list_display = ("name", "intervention", "position", "lead")
    search_fields = ("name", "objective", "lead")


@admin.register(Lesson)
class LessonAdmin(PartAdmin):
    list_display = ("__str__", "intervention", "kind", "position")
    list_filter = ("kind", "source")
    search_fields = ("text",)


@admin.register(Milestone)
class MilestoneAdmin(PartAdmin):
    list_display = ("description", "intervention", "date", "date_precision")
    search_fields = ("description",)


@admin.register(InterventionLink)
class InterventionLinkAdmin(admin.ModelAdmin):
    list_display = ("from_intervention", "kind", "to_intervention")
    list_filter = ("kind",)
    search_fields = ("from_intervention__title", "to_intervention__title", "note")
    autocomplete_fields = ("from_intervention", "to_intervention", "source")
    list_select_related = ("from_intervention", "to_intervention")
