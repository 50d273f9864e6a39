from django.contrib import admin

from imports.csv_admin import CSVImportMixin
from interventions.admin import CuratorAdmin, VagueLocatorFilter
from interventions.concurrency import VersionedInlineMixin

from .models import Inspection, Judgement, JudgementToCheck, SpendingLine, Statistic
from .resources import JudgementResource, SpendingLineResource


class JudgementInline(VersionedInlineMixin, admin.TabularInline):
    model = Judgement
    extra = 0
    fields = (
        "position",
        "section",
        "area",
        "grade",
        "grade_as_printed",
        "headline",
        "source",
        "locator",
    )
    autocomplete_fields = ("source",)


@admin.register(Inspection)
class InspectionAdmin(CuratorAdmin):
    list_display = (
        "title",
        "council",
        "framework",
        "period",
        "year",
        "overall_grade",
        "equivalent_grade",
        "published",
    )
    list_filter = (
        "published",
        "framework",
        "service_scope",
        "inspectorate",
        "overall_grade",
        "council__region",
    )
    search_fields = ("title", "slug", "council__name", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("council", "inspectorate", "source", "discrepancies", "led_to")
    list_select_related = ("council", "inspectorate")
    inlines = (JudgementInline,)


@admin.register(Judgement)
class JudgementAdmin(CSVImportMixin, CuratorAdmin):
    resource_classes = [JudgementResource]
    list_display = ("area", "section", "grade", "inspection", "position")
    list_filter = ("framework", "grade", VagueLocatorFilter)
    search_fields = ("area", "section", "inspection__title", "inspection__council__name")
    autocomplete_fields = ("inspection", "source", "discrepancies")
    list_select_related = ("inspection",)
    readonly_fields = ("framework", "score")


@admin.register(SpendingLine)
class SpendingLineAdmin(CSVImportMixin, CuratorAdmin):
    resource_classes = [SpendingLineResource]
    list_display = ("line", "council", "period", "kind", "amount_gbp", "as_printed")
    list_filter = ("kind", "year", "council__region", VagueLocatorFilter)
    search_fields = ("line", "ref", "council__name", "as_printed", "note")
    autocomplete_fields = (
        "council",
        "intervention",
        "payer_council",
        "payer_organisation",
        "payee_council",
        "payee_organisation",
        "source",
        "discrepancies",
    )
    list_select_related = ("council",)


@admin.register(Statistic)
class StatisticAdmin(CuratorAdmin):
    list_display = ("measure", "subject", "period", "as_printed", "unit", "comparator_label")
    list_filter = ("unit", "year", "council__region", VagueLocatorFilter)
    search_fields = (
        "measure",
        "ref",
        "council__name",
        "organisation__name",
        "person__name",
        "comparator_group",
    )
    # What the figure is about: one council, organisation or person (the database refuses
    # none or two, and the form says so).
    autocomplete_fields = (
        "council",
        "organisation",
        "person",
        "intervention",
        "source",
        "discrepancies",
    )
    list_select_related = ("council", "organisation", "person")

    @admin.display(description="about")
    def subject(self, obj):
        return obj.subject


@admin.register(JudgementToCheck)
class JudgementToCheckAdmin(JudgementAdmin):
    """Judgements to look at again: unplaced grades, mismatched frameworks, printed words that
    differ from the stored grade (which is sometimes right: APA grade "1" printed "inadequate")."""

    list_display = ("area", "grade", "grade_as_printed", "framework", "inspection")

    def has_add_permission(self, request):
        return False
