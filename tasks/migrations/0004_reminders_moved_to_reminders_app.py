"""Deadlines, notifications, preferences and calendar feeds now belong to the reminders app
(reminders 0001 took over their tables): state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("tasks", "0003_heartbeat_moved_to_operations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="Deadline"),
                migrations.DeleteModel(name="ReminderPreference"),
                migrations.DeleteModel(name="CalendarFeed"),
            ],
        ),
    ]
