"""CSV import of inspection judgements and spending lines, for curators (django-import-export).

Each row is validated as an admin edit would be (clean_model_instances); the admin shows a
preview with every row's errors, and the import runs in one transaction: all rows or none
(ratings.imports). A row whose natural key (inspection and position; source and ref) matches
an existing record updates it, with a history record "Imported from CSV".

Exported cells are neutralised against spreadsheet formulas (`csv_safe`); an imported cell is
read back through `csv_restore`, so that an exported file imports as the same text.
"""

from import_export import fields, resources, widgets

from interventions.listing import csv_restore, csv_safe
from interventions.models import Council, Intervention, Source

from .models import Inspection, Judgement, SpendingLine, score_for


def by_slug(name, model, column=None):
    return fields.Field(
        attribute=name,
        column_name=column or name,
        widget=widgets.ForeignKeyWidget(model, field="slug"),
    )


class CasebookResource(resources.ModelResource):
    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            row[column] = csv_restore(value)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance._change_reason = "Imported from CSV"

    def export_field(self, field, instance, **kwargs):
        return csv_safe(super().export_field(field, instance, **kwargs))


class JudgementResource(CasebookResource):
    inspection = by_slug("inspection", Inspection)
    source = by_slug("source", Source)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # save() derives the framework and score from the inspection and the grade; derive them
        # now, so that validation checks the new grade rather than the score of the old one.
        if instance.inspection_id:
            instance.framework = instance.inspection.framework
            instance.score = score_for(instance.framework, instance.grade)

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
