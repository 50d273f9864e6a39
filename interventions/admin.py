from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from .concurrency import VersionedAdminMixin, VersionedInlineMixin
from .corrections import ReasonAdminMixin
from .models import (
    Council,
    CouncilWithoutType,
    Discrepancy,
    Intervention,
    InterventionLink,
    InterventionWithoutDates,
    Lesson,
    Milestone,
    Organisation,
    Ownership,
    Participant,
    Person,
    Phase,
    Post,
    ServiceArea,
    Source,
    Workstream,
)

CITATION_FIELDS = ("source", "locator")


def date_fields(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A partial date's parts on one line as a reader writes a date (day, month, year),
    then whether it is actual, planned or expected and its note. The sortable date and
    precision are derived from these on save and not shown."""
    return (
        (f"{name}_day", f"{name}_month", f"{name}_year", f"{name}_year_inferred"),
        (f"{name}_kind", f"{name}_note"),
    )


class CuratorAdmin(ReasonAdminMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    """Every content model: full history with revert; new drafts start unpublished; a save
    never overwrites one made since the form was opened (interventions.concurrency); a
    change to a published record says why (interventions.corrections)."""

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if any(field.name == "published" for field in self.model._meta.fields):
            initial.setdefault("published", False)
        return initial

    def concrete_admin(self):
        """A data-quality list (a proxy) shows the history kept on its concrete model."""
        if self.model._meta.proxy:
            return self.admin_site._registry[self.model._meta.concrete_model]
        return None

    def history_view(self, request, object_id, extra_context=None):
        if concrete := self.concrete_admin():
            return concrete.history_view(request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if concrete := self.concrete_admin():
            return concrete.history_form_view(request, object_id, version_id, extra_context)
        return super().history_form_view(request, object_id, version_id, extra_context)


class VagueLocatorFilter(admin.SimpleListFilter):
    """Curators' check: a locator too vague for a reader to find the sentence."""

    title = "citation"
    parameter_name = "citation"

    def lookups(self, request, model_admin):
        return [("vague", "Vague locator (under 4 characters or no number or heading)")]

    def queryset(self, request, queryset):
        if self.value() == "vague":
            return queryset.filter(
                Q(locator__regex=r"^.{0,3}$") | Q(locator__iregex=r"^(see|n/?a|\?+|tbc|todo)$")
            )
        return queryset


@admin.register(Source)
class SourceAdmin(CuratorAdmin):
    list_display = ("title", "kind", "publisher", "date_display", "published")
    list_filter = ("published", "kind", "publisher")
    search_fields = ("title", "publisher", "authors", "summary")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "date"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Council)
class CouncilAdmin(CuratorAdmin):
    list_display = ("name", "council_type", "region", "gss_code", "also_known_as", "published")
    list_filter = ("published", "council_type", "region", VagueLocatorFilter)
    search_fields = ("name", "also_known_as", "gss_code", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("successor", "source", "discrepancies")
    list_select_related = ("source",)


class OwnershipInline(VersionedInlineMixin, admin.TabularInline):
    """Every council a body belongs to or is owned by: a jointly owned company has several."""

    model = Ownership
    extra = 0
    autocomplete_fields = ("council",)
    fields = ("position", "council")


@admin.register(Organisation)
class OrganisationAdmin(CuratorAdmin):
    list_display = ("name", "abbreviation", "kind", "owner_names")
    list_filter = ("kind",)
    search_fields = ("name", "abbreviation", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("successor", "source", "discrepancies")
    inlines = (OwnershipInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("owners")

    @admin.display(description="owning councils")
    def owner_names(self, obj):
        return "; ".join(council.name for council in obj.owners.all())


@admin.register(Ownership)
class OwnershipAdmin(CuratorAdmin):
    """Every council a body belongs to, across organisations (edited inline on each)."""

    list_display = ("organisation", "council", "position")
    search_fields = ("organisation__name", "council__name")
    autocomplete_fields = ("organisation", "council")
    list_select_related = ("organisation", "council")


class PostInline(VersionedInlineMixin, admin.StackedInline):
    model = Post
    extra = 0
    autocomplete_fields = ("council", "organisation", "source", "discrepancies")
    fields = (
        ("position", "title"),
        ("council", "organisation"),
        *date_fields("start_date"),
        *date_fields("end_date"),
        (*CITATION_FIELDS, "discrepancies"),
    )


@admin.register(Person)
class PersonAdmin(CuratorAdmin):
    list_display = ("name", "slug", "published")
    list_filter = ("published", VagueLocatorFilter)
    search_fields = ("name", "variants", "slug", "note")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("source", "discrepancies")
    list_select_related = ("source",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "variants", "note")}),
        ("Publication", {"fields": ("published",)}),
        ("Citation", {"fields": (*CITATION_FIELDS, "discrepancies")}),
    )
    inlines = (PostInline,)


@admin.register(Post)
class PostAdmin(CuratorAdmin):
    """Posts also have a list of their own, for searching across people."""

    list_display = ("title", "person", "council", "organisation", "start_date", "end_date")
    list_filter = ("source", VagueLocatorFilter)
    search_fields = ("title", "person__name", "council__name", "organisation__name")
    autocomplete_fields = ("person", "council", "organisation", "source", "discrepancies")
    list_select_related = ("person", "council", "organisation")


@admin.register(ServiceArea)
class ServiceAreaAdmin(CuratorAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def get_deleted_objects(self, objs, request):
        """A service area in use is protected: deleting it would silently take it off every
        intervention that names it, with no version recorded there."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        in_use = Intervention.objects.filter(service_areas__in=objs).distinct().order_by("title")
        label = capfirst(Intervention._meta.verbose_name)
        protected = [
            *protected,
            *(
                format_html(
                    '{}: <a href="{}">{}</a>',
                    label,
                    reverse("admin:interventions_intervention_change", args=[intervention.pk]),
                    intervention,
                )
                for intervention in in_use
            ),
        ]
        return deleted, counts, perms_needed, protected


@admin.register(Discrepancy)
class DiscrepancyAdmin(CuratorAdmin):
    list_display = ("title", "slug")
    search_fields = ("title", "note")
    prepopulated_fields = {"slug": ("title",)}


class PartInline(VersionedInlineMixin, admin.StackedInline):
    extra = 0
    autocomplete_fields = ("source", "discrepancies")
    classes = ("collapse",)


class ParticipantInline(PartInline):
    model = Participant
    autocomplete_fields = ("council", "organisation", "person", *PartInline.autocomplete_fields)
    fields = (
        ("position", "role"),
        ("council", "organisation"),
        ("person", "person_name", "post"),
        "described_as",
        "description",
        (*CITATION_FIELDS, "discrepancies"),
    )


class PhaseInline(PartInline):
    model = Phase
    fields = (
        ("position", "name", "led_by"),
        *date_fields("start_date"),
        *date_fields("end_date"),
        "description",
        (*CITATION_FIELDS, "discrepancies"),
    )


class WorkstreamInline(PartInline):
    model = Workstream
    fields = (("position", "name", "lead"), "objective", (*CITATION_FIELDS, "discrepancies"))


class LessonInline(PartInline):
    model = Lesson
    fields = (("position", "kind"), "text", (*CITATION_FIELDS, "discrepancies"))


class MilestoneInline(PartInline):
    model = Milestone
    fields = (
        "position",
        *date_fields("date"),
        *date_fields("end_date"),
        "description",
        (*CITATION_FIELDS, "discrepancies"),
    )


class LinkInline(VersionedInlineMixin, admin.TabularInline):
    model = InterventionLink
    fk_name = "from_intervention"
    extra = 0
    autocomplete_fields = ("to_intervention", "source")
    verbose_name = "related intervention"


@admin.register(Intervention)
class InterventionAdmin(CuratorAdmin):
    list_display = (
        "title",
        "subject_council",
        "kind",
        "status",
        "start_date",
        "end_date",
        "mentioned_only",
        "published",
    )
    list_filter = (
        "published",
        "kind",
        "status",
        "mentioned_only",
        "service_areas",
        "subject_council__region",
        VagueLocatorFilter,
    )
    search_fields = ("title", "slug", "summary", "subject_council__name")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("subject_council", "source", "discrepancies")
    filter_horizontal = ("service_areas",)
    list_select_related = ("subject_council",)
    date_hierarchy = "start_date"
    fieldsets = (
        (None, {"fields": ("title", "slug", "subject_council", "kind", "service_areas")}),
        ("Publication", {"fields": ("published",)}),
        (
            "Status and dates",
            {
                "fields": (
                    ("status", "mentioned_only"),
                    *date_fields("status_as_of"),
                    "status_note",
                    *date_fields("start_date"),
                    *date_fields("end_date"),
                )
            },
        ),
        (
            "What happened",
            {
                "fields": (
                    "summary",
                    "trigger",
                    "target",
                    "outcome",
                    ("target_met", "target_met_note"),
                )
            },
        ),
        ("Citation", {"fields": (*CITATION_FIELDS, "discrepancies")}),
    )
    inlines = (
        ParticipantInline,
        PhaseInline,
        WorkstreamInline,
        LessonInline,
        MilestoneInline,
        LinkInline,
    )


class PartAdmin(CuratorAdmin):
    """The parts also have lists of their own, for searching across interventions."""

    list_select_related = ("intervention", "source")
    autocomplete_fields = ("intervention", "source", "discrepancies")
    list_filter = ("source", VagueLocatorFilter)


@admin.register(Participant)
class ParticipantAdmin(PartAdmin):
    list_display = ("__str__", "intervention", "role", "person_name", "post")
    list_select_related = (*PartAdmin.list_select_related, "council", "organisation")
    list_filter = ("role", "source", VagueLocatorFilter)
    search_fields = ("person_name", "post", "council__name", "organisation__name")
    autocomplete_fields = ("council", "organisation", "person", *PartAdmin.autocomplete_fields)


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
    list_filter = ("kind", "source", VagueLocatorFilter)
    search_fields = ("text",)


@admin.register(Milestone)
class MilestoneAdmin(PartAdmin):
    list_display = ("description", "intervention", "date_display")
    search_fields = ("description",)


@admin.register(InterventionLink)
class InterventionLinkAdmin(CuratorAdmin):
    list_display = ("from_intervention", "kind", "to_intervention")
    list_filter = ("kind",)
    search_fields = ("from_intervention__title", "to_intervention__title", "note")
    autocomplete_fields = ("from_intervention", "to_intervention", "source")
    list_select_related = ("from_intervention", "to_intervention")


# Data-quality lists for curators -----------------------------------------------------


@admin.register(InterventionWithoutDates)
class InterventionWithoutDatesAdmin(InterventionAdmin):
    """Interventions with no start date: check the report for one."""

    def has_add_permission(self, request):
        return False


@admin.register(CouncilWithoutType)
class CouncilWithoutTypeAdmin(CouncilAdmin):
    """Councils missing their type or region, which the lists and facets need."""

    def has_add_permission(self, request):
        return False
