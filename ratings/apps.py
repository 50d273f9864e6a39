from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = "Inspections, spending and statistics"

    def ready(self):
        from interventions.apps import watch_content

        from . import counts, search, sections

        watch_content(self.label)  # a write here retires cached pages, as in interventions
        sections.register()  # its sections and fact kinds (interventions.sections)
        search.register_all()  # its kinds of search document (interventions.searchindex)
        counts.register_all()  # its lists counted exactly (interventions.summaries)
