from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders and notifications"

    def ready(self) -> None:
        from reminders.milestones import register_deadline_sources
        from reminders.services.outbox import delivery_nudge_register
        from reminders.tasks import notifications_deliver_soon

        register_deadline_sources()
        delivery_nudge_register(notifications_deliver_soon)
