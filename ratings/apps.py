from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = "Inspections, spending and statistics"

    def ready(self):
        from . import search

        search.register_all()
