from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "Tasks"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from accounts.models import Membership
        from tasks.redactions import register_redactables
        from tasks.reminders import register_deadline_sources
        from tasks.signals import membership_saved

        register_deadline_sources()
        post_save.connect(membership_saved, sender=Membership, dispatch_uid="tasks.membership_saved")
        register_redactables()
