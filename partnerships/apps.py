from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partnerships and technical assistance"

    def ready(self) -> None:
        from partnerships.announcements import register_announcements
        from partnerships.machines import PARTNERSHIP_MACHINE, TA_REQUEST_MACHINE
        from partnerships.redactions import register_redactables
        from partnerships.reminders import register_reminders
        from partnerships.waiting import register_waiting
        from workflow.machines import registry

        registry.register(PARTNERSHIP_MACHINE)
        registry.register(TA_REQUEST_MACHINE)
        register_reminders()
        register_announcements()
        register_waiting()
        register_redactables()

        from partnerships.models import PARTNERSHIP_KIND, TA_REQUEST_KIND
        from workflow.participants import REMOVED_THROUGH_DOMAIN

        # A partnership's members and a TA request's Learning Site are rows of ours too: no generic removal.
        REMOVED_THROUGH_DOMAIN[PARTNERSHIP_KIND] = "the partnership's members"
        REMOVED_THROUGH_DOMAIN[TA_REQUEST_KIND] = "the TA request (a Learning Site is matched, not added)"
