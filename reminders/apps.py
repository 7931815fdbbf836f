from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders and notifications"

    def ready(self) -> None:
        from reminders.announcements import register_announcements
        from reminders.milestones import register_deadline_sources
        from reminders.services.announcements import announcements_from_event
        from reminders.services.outbox import delivery_nudge_register
        from reminders.tasks import notifications_deliver_soon
        from workflow.events import event_listen

        register_deadline_sources()
        register_announcements()
        event_listen(announcements_from_event)
        delivery_nudge_register(notifications_deliver_soon)
