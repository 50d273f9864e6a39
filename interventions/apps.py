from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save


def content_changed(sender, **kwargs):
    from . import datacache

    datacache.bump()


def watch_content(app_label: str):
    """Any write to an app's content retires every cached count and page
    (interventions.datacache). Each content app calls it from its own ready()."""
    for model in apps.get_app_config(app_label).get_models():
        if model._meta.object_name == "DataVersion" or hasattr(model, "instance_type"):
            continue  # the version itself, and history rows (saved beside a content write)
        if getattr(model, "derived", False):
            continue  # rewritten with the content it is derived from (FactCount)
        uid = f"data-version-{model._meta.label}"
        post_save.connect(content_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(content_changed, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                content_changed, sender=field.remote_field.through, dispatch_uid=uid
            )


class InterventionsConfig(AppConfig):
    name = "interventions"
    verbose_name = "Case studies"

    def ready(self):
        from django.core import checks

        from . import own_sections, publishing, record_sections, recording, searchkinds, sections

        publishing.connect()
        recording.connect()  # each change set of a record and its parts: one version
        watch_content(self.label)
        own_sections.register()  # its sections and fact kinds; other apps add theirs
        record_sections.register()  # its sections of the council and organisation pages
        searchkinds.register_all()  # its kinds of search document; other apps add theirs
        checks.register(sections.check_fact_kinds, checks.Tags.models)
