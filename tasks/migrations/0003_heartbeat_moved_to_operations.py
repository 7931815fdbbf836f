"""Heartbeat now belongs to the operations app (operations 0001 took over its table): state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0001_initial"),
        ("tasks", "0002_tasks_reminders_notifications"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Heartbeat")]),
    ]
