"""CSV import of inspection judgements and spending lines, for curators (django-import-export).

Each row is validated as an admin edit would be (clean_model_instances); the admin shows a
preview with every row's errors, and the import runs in one transaction: all rows or none.
"""

from import_export import fields, resources, widgets

from interventions.models import Council, Intervention, Source

from .models import Inspection, Judgement, SpendingLine


def by_slug(name, model, column=None):
    return fields.Field(
        attribute=name,
        column_name=column or name,
        widget=widgets.ForeignKeyWidget(model, field="slug"),
    )


class CasebookResource(resources.ModelResource):
    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance._change_reason = "Imported from CSV"


class JudgementResource(CasebookResource):
    inspection = by_slug("inspection", Inspection)
    source = by_slug("source", Source)

    class Meta:
        model = Judgement
        fields = (
            "inspection",
            "position",
            "section",
            "area",
            "grade",
            "grade_as_printed",
            "source",
            "locator",
        )
        import_id_fields = ("inspection", "position")
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True


class SpendingLineResource(CasebookResource):
    council = by_slug("council", Council)
    intervention = by_slug("intervention", Intervention)
    source = by_slug("source", Source)

    class Meta:
        model = SpendingLine
        fields = (
            "source",
            "ref",
            "council",
            "intervention",
            "line",
            "kind",
            "period",
            "year",
            "amount_gbp",
            "qualifier",
            "as_printed",
            "note",
            "locator",
        )
        import_id_fields = ("source", "ref")
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True
