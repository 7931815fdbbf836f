from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders and notifications"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from accounts.models import Membership
        from reminders.announcements import register_announcements
        from reminders.milestones import register_deadline_sources
        from reminders.redactions import copies_scrub
        from reminders.services.announcements import announcements_from_event
        from reminders.services.handoffs import handoffs_from_event, invitation_waiting_sync, register_invitation_step
        from reminders.services.outbox import delivery_nudge_register
        from reminders.tasks import notifications_deliver_soon
        from workflow.events import event_listen
        from workflow.redactions import redaction_copies_register

        register_deadline_sources()
        register_announcements()
        event_listen(announcements_from_event)
        delivery_nudge_register(notifications_deliver_soon)
        event_listen(handoffs_from_event)
        register_invitation_step()
        redaction_copies_register(copies_scrub)
        post_save.connect(invitation_waiting_sync, sender=Membership, dispatch_uid="reminders.invitation_waiting")
