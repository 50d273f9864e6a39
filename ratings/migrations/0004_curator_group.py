"""The Curator group: may add, change, delete and view Casebook's content, but not users.

Lives in ratings because it covers both apps' models and ratings already depends on
interventions (never the reverse).
"""

from django.db import migrations

APPS = ("interventions", "ratings")
GROUP = "Curator"


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after migrating; make them now so the group can have them.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=APPS))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("interventions", "0003_data_quality_lists"),
        ("ratings", "0003_data_quality_lists"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
