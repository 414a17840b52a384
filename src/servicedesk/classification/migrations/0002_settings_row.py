"""Create the one settings row with its defaults, so the head only edits it."""

from django.db import migrations


def create_settings(apps, schema_editor):
    apps.get_model("classification", "ClassifierSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("classification", "0001_initial")]

    operations = [migrations.RunPython(create_settings, migrations.RunPython.noop)]
