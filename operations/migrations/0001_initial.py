"""Heartbeat moves here from the tasks app with its rows: the table is renamed, not re-created.

The model enters this app's state without touching the database (its table was made by
tasks 0001), then the table takes this app's name and the content type follows, so
permissions and admin history stay attached. tasks 0003 removes the model from the
tasks app's state.
"""

from django.db import migrations, models

MOVED = ["heartbeat"]


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
        ("tasks", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Heartbeat",
                    fields=[
                        ("name", models.CharField(max_length=64, primary_key=True, serialize=False)),
                        ("last_seen", models.DateTimeField()),
                    ],
                    options={"db_table": "tasks_heartbeat"},
                ),
            ],
        ),
        migrations.AlterModelTable(name="heartbeat", table=None),
        migrations.RunPython(content_types_to("operations", "tasks"), content_types_to("tasks", "operations")),
    ]
