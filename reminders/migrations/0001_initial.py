"""Deadlines, notifications, reminder preferences and calendar feeds move here from the tasks app, rows and all.

The models enter this app's state without touching the database (their tables
were made by tasks 0002), then each table takes this app's name (a rename keeps
its rows, indexes and constraints) and the content types follow, so permissions
and admin history stay attached. tasks 0004 removes the models from the tasks
app's state.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ["deadline", "notification", "reminderpreference", "calendarfeed"]


def content_types_to(app_label: str, from_label: str):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        types = ContentType.objects.using(schema_editor.connection.alias)
        present = set(types.filter(app_label=app_label, model__in=MOVED).values_list("model", flat=True))
        types.filter(app_label=from_label, model__in=set(MOVED) - present).update(app_label=app_label)

    return move


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("tasks", "0002_tasks_reminders_notifications"),
        ("workflow", "0002_event_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReminderPreference",
                    fields=[
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="reminder_preference", serialize=False, to=settings.AUTH_USER_MODEL)),
                        ("days_before", models.JSONField(blank=True, help_text="Days before a due date to remind; null: default.", null=True)),
                        ("on_due_day", models.BooleanField(default=True)),
                        ("overdue", models.BooleanField(default=True, help_text="Remind again every few days while overdue.")),
                        ("quiet_days", models.JSONField(blank=True, default=list, help_text="Weekdays (0 = Monday) without email.")),
                        ("channels", models.JSONField(blank=True, default=dict, help_text="Kind → email, digest or in_app.")),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={"db_table": "tasks_reminderpreference"},
                ),
                migrations.CreateModel(
                    name="CalendarFeed",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(blank=True, max_length=100)),
                        ("token_hash", models.CharField(max_length=64, unique=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("last_used_at", models.DateTimeField(blank=True, null=True)),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="calendar_feeds", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "tasks_calendarfeed", "ordering": ["-created_at", "-id"]},
                ),
                migrations.CreateModel(
                    name="Deadline",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("source", models.CharField(help_text="The registered deadline source, e.g. task or milestone.", max_length=40)),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("title", models.CharField(max_length=300)),
                        ("due_date", models.DateField()),
                        ("due_time", models.TimeField(blank=True, null=True)),
                        ("time_zone", models.CharField(help_text="The zone the due date is in (the case organization's).", max_length=64)),
                        ("next_remind_at", models.DateTimeField(blank=True, null=True)),
                        ("closed_at", models.DateTimeField(blank=True, null=True)),
                        ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("case", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="deadlines", to="workflow.case")),
                    ],
                    options={
                        "db_table": "tasks_deadline",
                        "ordering": ["due_date", "id"],
                        "indexes": [
                            models.Index(condition=models.Q(("next_remind_at__isnull", False)), fields=["next_remind_at"], name="deadline_sweep_idx"),
                            models.Index(fields=["case", "due_date"], name="deadline_case_due_idx"),
                        ],
                        "constraints": [
                            models.UniqueConstraint(fields=("source", "object_id"), name="deadline_unique_source_object"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(help_text="A deadline source, task_activity or digest.", max_length=40)),
                        ("target", models.CharField(max_length=120)),
                        ("window", models.CharField(max_length=40)),
                        ("subject", models.CharField(max_length=250)),
                        ("body", models.TextField(blank=True)),
                        ("url", models.CharField(blank=True, help_text="Path of the item on this site.", max_length=300)),
                        ("due_date", models.DateField(blank=True, null=True)),
                        ("status", models.CharField(choices=[("pending", "Waiting to be emailed"), ("digest", "Waiting for the daily digest"), ("in_app", "In-app only"), ("sent", "Emailed"), ("digested", "Emailed in a digest"), ("failed", "Email failed"), ("cancelled", "Not sent")], default="pending", max_length=20)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("claimed_until", models.DateTimeField(blank=True, null=True)),
                        ("claim_token", models.UUIDField(blank=True, null=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("last_error", models.CharField(blank=True, max_length=500)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("case", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="workflow.case")),
                        ("deadline", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to="reminders.deadline")),
                        ("digest", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="items", to="reminders.notification")),
                        ("recipient", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "tasks_notification",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(condition=models.Q(("status", "pending")), fields=["next_attempt_at"], name="notification_outbox_idx"),
                            models.Index(condition=models.Q(("status", "digest")), fields=["recipient", "status"], name="notification_digest_idx"),
                            models.Index(fields=["recipient", "read_at", "created_at"], name="notification_inbox_idx"),
                            models.Index(fields=["deadline", "status"], name="notification_deadline_idx"),
                        ],
                        "constraints": [
                            models.UniqueConstraint(fields=("target", "window", "recipient"), name="notification_unique_key"),
                        ],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="reminderpreference", table=None),
        migrations.AlterModelTable(name="calendarfeed", table=None),
        migrations.AlterModelTable(name="deadline", table=None),
        migrations.AlterModelTable(name="notification", table=None),
        migrations.RunPython(content_types_to("reminders", "tasks"), content_types_to("tasks", "reminders")),
    ]
