from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """CSV import and export through the admin: previewed files awaiting confirmation.

    Not content: no history, no public pages, no data version. `ratings` uses it for its
    judgement and spending-line lists; it names no other app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "imports"
    verbose_name = "CSV imports"
