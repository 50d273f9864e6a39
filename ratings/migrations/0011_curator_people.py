"""The Curator group may also add, change, delete and view people and their posts.

The group was given the permissions that existed when it was made (0004_curator_group);
interventions.0008_people added two models, whose permissions it gets here.
"""

from django.db import migrations

APPS = ("interventions", "ratings")
GROUP = "Curator"


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=APPS))


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0008_people"),
        ("ratings", "0010_inspection_service_and_trigger"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
