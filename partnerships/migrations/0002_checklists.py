"""Publish version 1 of the three assessment checklists and of the planning checklist (partnerships.migrations.frozen.checklists_v1)."""

from django.db import migrations

from partnerships.migrations.frozen import checklists_v1


def publish(apps, schema_editor):
    checklists_v1.publish(apps)


def unpublish(apps, schema_editor):
    checklists_v1.unpublish(apps)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial"), ("workflow", "0002_event_append_only")]

    operations = [migrations.RunPython(publish, unpublish)]
