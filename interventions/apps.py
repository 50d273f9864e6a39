from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save

CONTENT_APPS = ("interventions", "ratings")


def content_changed(sender, **kwargs):
    from . import datacache

    datacache.bump()


class InterventionsConfig(AppConfig):
    name = "interventions"
    verbose_name = "Case studies"

    def ready(self):
        from . import publishing, searchkinds

        publishing.connect()
        searchkinds.register_all()
        # Any write to content retires every cached count and page (interventions.datacache).
        for model in apps.get_models():
            if model._meta.app_label not in CONTENT_APPS:
                continue
            if model._meta.object_name == "DataVersion" or hasattr(model, "instance_type"):
                continue  # the version itself, and history rows (saved beside a content write)
            uid = f"data-version-{model._meta.label}"
            post_save.connect(content_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(content_changed, sender=model, dispatch_uid=uid)
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    content_changed, sender=field.remote_field.through, dispatch_uid=uid
                )
